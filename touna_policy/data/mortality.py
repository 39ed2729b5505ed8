"""Working-age mortality inputs: the WPP 2024 age-specific death rates and the age mix of the employed.

- ``data/raw/mortality_working_age.csv``: Indonesia, deaths per person-year (``rate_per_year``, mx)
  by 5-year age group 15-64 (``age_from``, ``age_to``), ``sex`` (``male``, ``female``, ``both``) and
  WPP 5-year ``period`` (``2015-2020``, ``2020-2025``, ``2025-2030``), with the package's ``year``
  label, ``kind`` (estimate or projection), ``source`` and ``source_date``.
- ``data/raw/informal_workers_age_mix.csv``: employed persons by 5-year age group and sex
  (``share`` of all employed, ``count_persons``); the last group is open (``age_to`` empty, 60+).
  A proxy (North Sulawesi 2020, all employed), labelled so in the file and in every report.

Sources in ``data/raw/SOURCES_research.md``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import pandera.pandas as pa

from touna_policy import config
from touna_policy.data.tables import csv_row, read_csv_text, validate_frame
from touna_policy.errors import InputError

MORTALITY_CSV = config.RAW_DIR / "mortality_working_age.csv"
AGE_MIX_CSV = config.RAW_DIR / "informal_workers_age_mix.csv"
SEXES = ["male", "female", "both"]
SHARE_SUM_TOLERANCE = 1e-4
"""How far the printed shares (rounded to 6 decimals) may sum from 1."""


@lru_cache(maxsize=1)
def _mortality_schema() -> pa.DataFrameSchema:
    """The pandera schema (built on first use: pandera is imported only to validate a table)."""
    import pandera.pandas as pa  # lazy: pandera only when a table is validated in full

    return pa.DataFrameSchema(
        {
            "age_from": pa.Column(float, pa.Check.in_range(0, 120)),
            "age_to": pa.Column(float, pa.Check.in_range(0, 120)),
            "sex": pa.Column(str, pa.Check.isin(SEXES)),
            "rate_per_year": pa.Column(float, pa.Check.in_range(0, 1)),
            "period": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{4}$")),
            "year": pa.Column(float, pa.Check.in_range(1950, 2100)),
            "source": pa.Column(str, pa.Check.str_length(min_value=3)),
        },
        strict=False,
    )


@lru_cache(maxsize=1)
def _mix_schema() -> pa.DataFrameSchema:
    """The pandera schema (built on first use: pandera is imported only to validate a table)."""
    import pandera.pandas as pa  # lazy: pandera only when a table is validated in full

    return pa.DataFrameSchema(
        {
            "age_from": pa.Column(float, pa.Check.in_range(0, 120)),
            "age_to": pa.Column(float, pa.Check.in_range(0, 120), nullable=True),
            "sex": pa.Column(str, pa.Check.isin(SEXES)),
            "share": pa.Column(float, pa.Check.in_range(0, 1)),
            "count_persons": pa.Column(float, pa.Check.ge(0)),
            "source": pa.Column(str, pa.Check.str_length(min_value=3)),
        },
        strict=False,
    )


def _check_age_order(frame: pd.DataFrame, file: str) -> None:
    bad = frame.index[(frame["age_to"] < frame["age_from"]).to_numpy()]
    if len(bad):
        row = bad[0]
        raise InputError.single(
            file,
            f"{csv_row(row)}, column 'age_to'",
            f"{frame.at[row, 'age_to']:g} below age_from {frame.at[row, 'age_from']:g}",
            "the last age of the group, at least its first age",
        )


def _check_unique(frame: pd.DataFrame, keys: list[str], file: str) -> None:
    dup = frame.index[frame.duplicated(keys, keep="first").to_numpy()]
    if len(dup):
        row = dup[0]
        found = ", ".join(f"{k} {frame.at[row, k]}" for k in keys)
        raise InputError.single(file, csv_row(row), f"a second row for {found}", "one row per " + ", ".join(keys))


def load_mortality_table(path: str | Path = MORTALITY_CSV) -> pd.DataFrame:
    """The age-specific death rates, one row per age group, sex and period.

    Raises
    ------
    InputError
        missing columns, a non-numeric age or rate, a rate outside 0-1, an unknown sex, a period that
        is not ``YYYY-YYYY``, ``age_to`` below ``age_from``, two rows for one group, sex and period.
    """
    return _load_mortality(str(path)).copy()


@lru_cache(maxsize=4)
def _load_mortality(file: str) -> pd.DataFrame:
    columns = ["age_from", "age_to", "sex", "rate_per_year", "period", "year", "kind", "source", "source_date"]
    frame = read_csv_text(file, columns, numeric=["rate_per_year"], whole=["age_from", "age_to", "year"])
    frame = validate_frame(frame, _mortality_schema, file)
    _check_age_order(frame, file)
    _check_unique(frame, ["age_from", "sex", "period"], file)
    frame["period_start"] = frame["period"].str[:4].astype(int)
    return frame.sort_values(["sex", "period", "age_from"], kind="stable").reset_index(drop=True)


def load_age_mix(path: str | Path = AGE_MIX_CSV) -> pd.DataFrame:
    """The age and sex mix of the employed: one row per age group and sex; ``age_to`` is nan for the open group.

    Raises
    ------
    InputError
        missing columns, a non-numeric share or count, a share outside 0-1, an unknown sex,
        ``age_to`` below ``age_from``, two rows for one group and sex, male and female shares (or the
        ``both`` shares) that do not sum to 1.
    """
    return _load_mix(str(path)).copy()


@lru_cache(maxsize=4)
def _load_mix(file: str) -> pd.DataFrame:
    columns = ["age_from", "age_to", "sex", "share", "count_persons", "denominator", "source", "source_date"]
    frame = read_csv_text(file, columns, numeric=["share"], whole=["age_from", "count_persons"])
    open_group = frame["age_to"].str.strip() == ""
    frame.loc[open_group, "age_to"] = "nan"
    to = pd.to_numeric(frame["age_to"].str.strip(), errors="coerce")
    bad = frame.index[(to.isna() & ~open_group).to_numpy() | (to.notna() & (to % 1 != 0)).to_numpy()]
    if len(bad):
        row = bad[0]
        raise InputError.single(
            file,
            f"{csv_row(row)}, column 'age_to'",
            repr(frame.at[row, "age_to"]),
            "a whole age, or empty for the open last group",
        )
    frame["age_to"] = to.astype(float)
    frame = validate_frame(frame, _mix_schema, file)
    _check_age_order(frame.fillna({"age_to": np.inf}), file)
    _check_unique(frame, ["age_from", "sex"], file)
    for label, rows in (("male and female", frame["sex"] != "both"), ("both", frame["sex"] == "both")):
        total = float(frame.loc[rows, "share"].sum())
        if rows.any() and abs(total - 1.0) > SHARE_SUM_TOLERANCE:
            raise InputError.single(
                file,
                "column 'share'",
                f"the {label} rows sum to {total:.6f}",
                f"shares of all employed that sum to 1 (within {SHARE_SUM_TOLERANCE:g})",
            )
    return frame.sort_values(["sex", "age_from"], kind="stable").reset_index(drop=True)
