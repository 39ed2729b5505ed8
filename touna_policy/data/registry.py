"""The village registry: one row per village of an area (Kemendagri codes, type, kecamatan, kabupaten)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import pandera.pandas as pa

from touna_policy import config
from touna_policy.data.tables import VILLAGE_CODE_PATTERN, VILLAGE_TYPES, csv_row, read_csv_text, validate_frame
from touna_policy.errors import InputError, ProblemList

REGISTRY_COLUMNS = [
    "code",
    "village",
    "type",
    "kecamatan_code",
    "kecamatan",
    "kabupaten_code",
    "kabupaten",
    "province_code",
    "province",
]


@lru_cache(maxsize=1)
def _registry_schema() -> pa.DataFrameSchema:
    """The pandera schema (built on first use: pandera is imported only to validate a table)."""
    import pandera.pandas as pa  # lazy: pandera only when a table is validated in full

    return pa.DataFrameSchema(
        {
            "code": pa.Column(str, pa.Check.str_matches(VILLAGE_CODE_PATTERN), unique=True),
            "village": pa.Column(str, pa.Check.str_length(min_value=1)),
            "type": pa.Column(str, pa.Check.isin(VILLAGE_TYPES)),
            "kecamatan": pa.Column(str, pa.Check.str_length(min_value=1)),
        },
        strict=False,
    )


def _check_registry_consistency(frame: pd.DataFrame, file: str) -> None:
    problems = ProblemList()
    digit = frame["code"].str[9]
    expected = np.where(digit == "1", "kelurahan", "desa")
    for index in frame.index[(frame["type"] != expected).to_numpy()][:20]:
        problems.add(
            file,
            f"{csv_row(index)}, column 'type'",
            repr(frame.at[index, "type"]),
            f"'{expected[frame.index.get_loc(index)]}' (codes .1xxx are kelurahan, .2xxx and .3xxx desa)",
        )
    names = frame.groupby("kecamatan_code")["kecamatan"].nunique()
    for code in names.index[names > 1]:
        rows = frame.index[frame["kecamatan_code"] == code]
        problems.add(
            file,
            f"{csv_row(rows[0])}, column 'kecamatan'",
            f"several names for kecamatan {code}: {sorted(frame.loc[rows, 'kecamatan'].unique())}",
            "one name per kecamatan code",
        )
    problems.raise_if_any()


def registry_path(area_code: str) -> Path:
    """The registry file of an area: ``data/raw/touna_villages.csv`` for 72.09, the national one otherwise."""
    return Path(config.TOUNA_VILLAGES_CSV if area_code == config.DEFAULT_AREA_CODE else config.NATIONAL_VILLAGES_CSV)


def load_registry(area_code: str = config.DEFAULT_AREA_CODE, path: str | Path | None = None) -> pd.DataFrame:
    """The villages of an area, one row each, sorted by Kemendagri code.

    Parameters
    ----------
    area_code : ``"72.09"`` (a kabupaten), ``"72"`` (a province) or ``""`` / ``"0"`` (Indonesia)
    path : a registry CSV; by default ``data/raw/touna_villages.csv`` for 72.09 and the national
        registry for any other area

    Returns
    -------
    DataFrame with columns ``code, village, type, kecamatan_code, kecamatan, kabupaten_code,
    kabupaten, province_code, province``.
    """
    area_code = "" if area_code in ("0", "", None) else str(area_code)
    if path is None:
        path = registry_path(area_code)
    return _area_registry(str(path), area_code).copy()


@lru_cache(maxsize=16)
def load_registry_file(path: str) -> pd.DataFrame:
    """A registry CSV read and validated, with kecamatan, kabupaten and province codes (cached: callers
    that change it take a copy)."""
    frame = read_csv_text(path, ["code", "village", "type", "kecamatan"])
    frame = validate_frame(frame, _registry_schema, path)
    frame["kecamatan_code"] = frame["code"].str[:8]
    if "kabupaten_code" not in frame:
        frame["kabupaten_code"] = frame["code"].str[:5]
        frame["kabupaten"] = ""
        frame["province_code"] = frame["code"].str[:2]
        frame["province"] = ""
    _check_registry_consistency(frame, path)
    return frame


@lru_cache(maxsize=16)
def _area_registry(path: str, area_code: str) -> pd.DataFrame:
    frame = load_registry_file(path)
    if area_code:
        frame = frame[frame["code"].str.startswith(area_code + ".")]
        if frame.empty:
            raise InputError.single(
                path,
                "",
                f"no village with a code under '{area_code}'",
                "a Kemendagri area code such as 72.09 (kabupaten) or 72 (province)",
            )
    return frame[REGISTRY_COLUMNS].sort_values("code", kind="stable").reset_index(drop=True)


def known_area_codes(area_code: str) -> frozenset[str]:
    """Area codes with villages in the registry an area is read from (``0``, provinces, kabupaten)."""
    registry = load_registry_file(str(registry_path(area_code)))
    return frozenset({"0", *registry["province_code"], *registry["kabupaten_code"]})
