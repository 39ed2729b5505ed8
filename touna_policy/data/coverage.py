"""The coverage CSVs: the yearly series by channel and the coverage facts the sources support.

- ``data/raw/coverage_series.csv`` (:func:`load_coverage_series`): participants out of a denominator
  per year and other channel, validated with pandera;
- ``data/raw/coverage_history.csv`` (:func:`load_coverage_history`): the seed's programme figure and
  coverage rise, and other facts, each with its source.
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

COVERAGE_SERIES_CSV = config.COVERAGE_SERIES_CSV
CHANNELS = ("self_paid_bpu", "wage_earner")
"""The other channels of coverage in the series (besides the village-funded programme)."""


@lru_cache(maxsize=1)
def series_schema() -> pa.DataFrameSchema:
    """The pandera schema (built on first use: pandera is imported only to validate a table)."""
    import pandera.pandas as pa  # lazy: pandera only when a table is validated in full

    return pa.DataFrameSchema(
        {
            "year": pa.Column(float, [pa.Check.ge(1990), pa.Check.le(2100)]),
            "area": pa.Column(str, pa.Check.str_matches(r"^(0|\d{2}|\d{2}\.\d{2})$")),
            "channel": pa.Column(str, pa.Check.isin(list(CHANNELS))),
            "participants": pa.Column(float, pa.Check.ge(0)),
            "denominator": pa.Column(float, pa.Check.gt(0)),
            "source": pa.Column(str, pa.Check.str_length(min_value=3)),
            "status": pa.Column(str, pa.Check.isin(["observed", "estimated", "synthetic"])),
        },
        checks=[
            pa.Check(
                lambda f: f["participants"] <= f["denominator"], element_wise=False, error="participants <= denominator"
            )
        ],
        unique=["year", "area", "channel"],
        strict=False,
    )


def load_coverage_series(path: str | Path = COVERAGE_SERIES_CSV) -> pd.DataFrame:
    """The coverage series by year and channel (participants out of a denominator, with source and status).

    Columns: ``year, area, channel (self_paid_bpu | wage_earner), participants, denominator, source,
    source_date, status (observed | estimated | synthetic)``.
    """
    frame = read_csv_text(
        path,
        ["year", "area", "channel", "participants", "denominator", "source", "status"],
        whole=["year", "participants", "denominator"],  # counts: 1.000 is refused, not read as 1
    )
    frame = validate_frame(frame, series_schema, path)
    frame["year"] = frame["year"].astype(int)
    return frame.sort_values(["channel", "year"]).reset_index(drop=True)


def load_coverage_history(path: str | Path = config.COVERAGE_HISTORY_CSV) -> pd.DataFrame:
    """The coverage facts the sources support (``data/raw/coverage_history.csv``).

    Read once per file version (path, size and modification time) in a process: every projection
    reads it (the seed calibration, the compliance years), a report makes about thirty.
    """
    return _history(str(path), _version(path)).copy()


def history_facts(path: str | Path = config.COVERAGE_HISTORY_CSV) -> dict[tuple[str, str], tuple[int, float]]:
    """``{(measure, area): (year, value)}`` of each measure's earliest row in ``coverage_history.csv``;
    built once per file version (the projection looks them up on every run)."""
    return _facts(str(path), _version(path))[0]


def last_programme_years(path: str | Path = config.COVERAGE_HISTORY_CSV) -> dict[str, int]:
    """``{area: year}``: the last year ``coverage_history.csv`` records programme-funded workers for each
    area; built once per file version, with :func:`history_facts`."""
    return _facts(str(path), _version(path))[1]


def _version(path: str | Path) -> tuple[int, int] | None:
    """The file's version (size, modification time), None when it cannot be read (read_csv_text says why)."""
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4)
def _facts(
    file: str, version: tuple[int, int] | None
) -> tuple[dict[tuple[str, str], tuple[int, float]], dict[str, int]]:
    frame = _history(file, version).sort_values("year", kind="stable")
    earliest: dict[tuple[str, str], tuple[int, float]] = {}
    last_programme: dict[str, int] = {}
    for year, area, measure, value in zip(frame["year"], frame["area"], frame["measure"], frame["value"], strict=True):
        earliest.setdefault((str(measure), str(area)), (int(year), float(value)))
        if measure == "programme_funded_workers":
            last_programme[str(area)] = int(year)
    return earliest, last_programme


@lru_cache(maxsize=4)
def _history(file: str, version: tuple[int, int] | None) -> pd.DataFrame:
    frame = read_csv_text(
        file, ["year", "area", "measure", "value", "unit", "source", "source_date"], numeric=["value"], whole=["year"]
    )
    frame["year"] = frame["year"].astype(int)
    return frame
