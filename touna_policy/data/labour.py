"""Sourced labour-market indicators by area (``data/raw/labour.csv``): informal share, TPAK, TPT.

One row per published figure: ``area_code`` (``0`` Indonesia, ``72`` a province, ``72.09`` a
kabupaten), ``indicator``, ``value`` in ``unit`` (``percent`` or ``thousand persons``), the survey
``period`` (``YYYY-MM``, BPS Sakernas February or August), ``source`` and ``source_date``. Rows whose
source starts with ``DERIVED`` were computed from published figures and say how.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import pandera.pandas as pa

from touna_policy import config
from touna_policy.data.tables import read_csv_text, validate_frame
from touna_policy.errors import InputError

LABOUR_CSV = config.RAW_DIR / "labour.csv"
INFORMAL_SHARE = "informal_share_of_employed"
PARTICIPATION_RATE = "labour_force_participation_rate_TPAK"
UNEMPLOYMENT_RATE = "open_unemployment_rate_TPT"
WORKING_AGE_PARTS = ("employed_persons", "unemployed_persons", "not_in_labour_force")


@lru_cache(maxsize=1)
def _labour_schema() -> pa.DataFrameSchema:
    """The pandera schema (built on first use: pandera is imported only to validate a table)."""
    import pandera.pandas as pa  # lazy: pandera only when a table is validated in full

    return pa.DataFrameSchema(
        {
            "area_code": pa.Column(str, pa.Check.str_matches(r"^(0|\d{2}|\d{2}\.\d{2})$")),
            "indicator": pa.Column(str, pa.Check.str_length(min_value=1)),
            "value": pa.Column(float, pa.Check.ge(0)),
            "unit": pa.Column(str, pa.Check.isin(["percent", "thousand persons"])),
            "period": pa.Column(str, pa.Check.str_matches(r"^\d{4}-(0[1-9]|1[0-2])$")),
            "source": pa.Column(str, pa.Check.str_length(min_value=3)),
        },
        strict=False,
    )


def load_labour(path: str | Path = LABOUR_CSV) -> pd.DataFrame:
    """The labour indicators, sorted by area, indicator and period.

    Raises
    ------
    InputError
        missing columns, a non-numeric or negative value, an area code that is not ``0``, ``dd`` or
        ``dd.dd``, a period that is not ``YYYY-MM``, a percentage above 100.
    """
    return _load_cached(str(path)).copy()


@lru_cache(maxsize=4)
def _load_cached(file: str) -> pd.DataFrame:
    columns = ["area_code", "area", "indicator", "value", "unit", "period", "source", "source_date"]
    frame = read_csv_text(file, columns, numeric=["value"])
    frame = validate_frame(frame, _labour_schema, file)
    above = frame.index[((frame["unit"] == "percent") & (frame["value"] > 100)).to_numpy()]
    if len(above):
        raise InputError.single(
            file,
            f"row {int(above[0]) + 2}, column 'value'",
            f"{frame.at[above[0], 'value']:g} percent",
            "a percentage 0-100",
        )
    return frame[columns].sort_values(["area_code", "indicator", "period"], kind="stable").reset_index(drop=True)


def latest(table: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The latest-period row of ``indicator`` per area code, indexed by area code."""
    rows = table[table["indicator"] == indicator].sort_values(["area_code", "period"], kind="stable")
    return rows.groupby("area_code").tail(1).set_index("area_code")


def informal_share_by_area(table: pd.DataFrame) -> pd.DataFrame:
    """Latest informal share of the employed per area, as a share (``/1``), with period and source."""
    rows = latest(table, INFORMAL_SHARE)
    return pd.DataFrame(
        {"share": rows["value"] / 100.0, "period": rows["period"], "source": rows["source"], "area": rows["area"]}
    )


def working_age_thousands(table: pd.DataFrame, area_code: str) -> tuple[float, str] | None:
    """Population aged 15+ as employed + unemployed + not in the labour force (one period), or None.

    Returns the sum in thousands and the period, using the latest period that has all three parts.
    """
    rows = table[(table["area_code"] == area_code) & table["indicator"].isin(WORKING_AGE_PARTS)]
    complete = rows.groupby("period")["indicator"].nunique()
    periods = sorted(complete.index[complete == len(WORKING_AGE_PARTS)])
    if not periods:
        return None
    chosen = rows[rows["period"] == periods[-1]].drop_duplicates("indicator", keep="last")
    return float(chosen["value"].sum()), periods[-1]
