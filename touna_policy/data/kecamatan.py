"""Kecamatan population figures (census, preliminary census, estimates): ``data/raw/kecamatan_population.csv``.

One row per published figure. ``kecamatan_codes`` lists the *current* (Kemendagri 2025) kecamatan a
figure covers, separated by ``;``: a 2010 figure of a kecamatan that was split later covers several
of today's kecamatan (Una Una 2010 = today's Una Una and Batudaka). ``kind`` is ``census`` (BPS
Sensus Penduduk), ``census_preliminary`` (a census table that does not add up to the official total)
or ``estimate`` (a BPS mid-year estimate).
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

KECAMATAN_POPULATION_CSV = config.RAW_DIR / "kecamatan_population.csv"
KECAMATAN_FIGURE_KINDS = ("census", "census_preliminary", "estimate")
_CODES_PATTERN = r"^\d{2}\.\d{2}\.\d{2}(;\d{2}\.\d{2}\.\d{2})*$"


@lru_cache(maxsize=1)
def _kecamatan_population_schema() -> pa.DataFrameSchema:
    """The pandera schema (built on first use: pandera is imported only to validate a table)."""
    import pandera.pandas as pa  # lazy: pandera only when a table is validated in full

    return pa.DataFrameSchema(
        {
            "kecamatan_codes": pa.Column(str, pa.Check.str_matches(_CODES_PATTERN)),
            "kecamatan": pa.Column(str, pa.Check.str_length(min_value=1)),
            "year": pa.Column(float, pa.Check.in_range(1900, 2100)),
            "population": pa.Column(float, pa.Check.gt(0)),
            "kind": pa.Column(str, pa.Check.isin(list(KECAMATAN_FIGURE_KINDS))),
            "source": pa.Column(str, pa.Check.str_length(min_value=3)),
            "source_date": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
        },
        strict=False,
        unique=["kecamatan_codes", "year", "kind"],
    )


def load_kecamatan_population(path: str | Path = KECAMATAN_POPULATION_CSV) -> pd.DataFrame:
    """Published kecamatan population figures, one row per figure.

    Returns
    -------
    DataFrame with columns ``kecamatan_codes`` (tuple of current codes), ``kecamatan, year,
    population, kind, source, source_date``, sorted by year and codes.

    Raises
    ------
    InputError
        missing columns, a code list that is not ``dd.dd.dd[;dd.dd.dd...]``, a non-positive
        population, an unknown ``kind``, a figure repeated for the same codes, year and kind.
    """
    return _load_cached(str(path)).copy()


@lru_cache(maxsize=4)
def _load_cached(file: str) -> pd.DataFrame:
    columns = ["kecamatan_codes", "kecamatan", "year", "population", "kind", "source", "source_date"]
    frame = read_csv_text(file, columns, numeric=["year", "population"])
    frame["kecamatan_codes"] = frame["kecamatan_codes"].str.replace(" ", "", regex=False)
    frame = validate_frame(frame, _kecamatan_population_schema, file)
    frame["year"] = frame["year"].astype(int)
    frame["kecamatan_codes"] = frame["kecamatan_codes"].str.split(";").map(tuple)
    return frame[columns].sort_values(["year", "kecamatan_codes"], kind="stable").reset_index(drop=True)
