"""Population and indicator tables: the regency series, kabupaten/province totals, sourced indicators."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import pandera.pandas as pa

from touna_policy import config
from touna_policy.data.tables import csv_row, read_csv_text, validate_frame
from touna_policy.errors import InputError, ProblemList, did_you_mean


@lru_cache(maxsize=1)
def _regency_population_schema() -> pa.DataFrameSchema:
    """The pandera schema (built on first use: pandera is imported only to validate a table)."""
    import pandera.pandas as pa  # lazy: pandera only when a table is validated in full

    return pa.DataFrameSchema(
        {
            "year": pa.Column(float, pa.Check.in_range(1900, 2100), unique=True),
            "population": pa.Column(float, pa.Check.gt(0)),
            "kind": pa.Column(str, pa.Check.isin(["census", "estimate", "registration"])),
            "source": pa.Column(str, pa.Check.str_length(min_value=3)),
            "source_date": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
        },
        strict=False,
    )


@lru_cache(maxsize=4)
def load_regency_population(path: str | Path = config.REGENCY_POPULATION_CSV) -> pd.DataFrame:
    """Tojo Una-Una population by year with source and kind (census, estimate, registration)."""
    frame = read_csv_text(path, ["year", "population", "kind", "source", "source_date"], whole=["year", "population"])
    frame = validate_frame(frame, _regency_population_schema, path)
    frame["year"] = frame["year"].astype(int)
    return frame.sort_values("year").reset_index(drop=True)


@lru_cache(maxsize=1)
def _kabupaten_population_schema() -> pa.DataFrameSchema:
    """The pandera schema (built on first use: pandera is imported only to validate a table)."""
    import pandera.pandas as pa  # lazy: pandera only when a table is validated in full

    return pa.DataFrameSchema(
        {
            "code": pa.Column(str, pa.Check.str_matches(r"^(0|\d{2}|\d{2}\.\d{2})$"), unique=True),
            "name": pa.Column(str),
            "male": pa.Column(float, pa.Check.ge(0)),
            "female": pa.Column(float, pa.Check.ge(0)),
            "total": pa.Column(float, pa.Check.gt(0)),
        },
        strict=False,
    )


@lru_cache(maxsize=4)
def load_kabupaten_population(path: str | Path = config.KABUPATEN_POPULATION_CSV) -> pd.DataFrame:
    """Population 2025 by province (``72``) and kabupaten/kota (``72.09``); ``0`` is Indonesia."""
    frame = read_csv_text(path, ["code", "name", "male", "female", "total"], whole=["male", "female", "total"])
    return validate_frame(frame, _kabupaten_population_schema, path).reset_index(drop=True)


@lru_cache(maxsize=1)
def _indicator_schema() -> pa.DataFrameSchema:
    """The pandera schema (built on first use: pandera is imported only to validate a table)."""
    import pandera.pandas as pa  # lazy: pandera only when a table is validated in full

    return pa.DataFrameSchema(
        {
            "indicator": pa.Column(str),
            "area": pa.Column(str),
            "year": pa.Column(float, pa.Check.in_range(1900, 2100)),
            "value": pa.Column(float),
            "unit": pa.Column(str),
            "source": pa.Column(str, pa.Check.str_length(min_value=3)),
            "source_date": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
        },
        strict=False,
        unique=["indicator", "area", "year"],
    )


@lru_cache(maxsize=4)
def load_indicators(path: str | Path = config.REGENCY_INDICATORS_CSV) -> pd.DataFrame:
    """Sourced indicators (poverty rate, minimum wage, informal share, employed persons...)."""
    frame = read_csv_text(
        path, ["indicator", "area", "year", "value", "unit", "source", "source_date"], numeric=["value"], whole=["year"]
    )
    frame = validate_frame(frame, _indicator_schema, path)
    problems = ProblemList()
    share = (frame["unit"].str.strip() == "/1").to_numpy()
    outside = share & ~frame["value"].between(0, 1).to_numpy()
    for index in frame.index[outside][:20]:
        problems.add(
            path,
            f"{csv_row(index)}, column 'value'",
            f"{frame.at[index, 'value']:g} with unit '/1'",
            "a share between 0 and 1 (write 57.95 % as 0.5795)",
        )
    problems.raise_if_any()
    frame["year"] = frame["year"].astype(int)
    return frame


def indicator(name: str, area: str, year: int | None = None) -> float:
    """One indicator value (the latest year if ``year`` is None)."""
    table = load_indicators()
    rows = table[(table["indicator"] == name) & (table["area"] == area)]
    if year is not None:
        rows = rows[rows["year"] == year]
    if rows.empty:
        raise InputError.single(
            config.REGENCY_INDICATORS_CSV,
            f"indicator '{name}', area '{area}'",
            "no such row",
            "a sourced row for this indicator",
            did_you_mean(name, table["indicator"].unique()),
        )
    return float(rows.sort_values("year")["value"].iloc[-1])
