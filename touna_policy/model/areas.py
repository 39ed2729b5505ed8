"""Any area at any scale: totals by kecamatan, kabupaten or province.

A scenario names its area by Kemendagri code (``72.09`` a kabupaten, ``72`` a province, ``0`` the
whole country); :func:`touna_policy.model.inputs.load_inputs` loads or estimates its villages and the
projection (:func:`touna_policy.model.projection.project`) gives them as one villages x years array.
This module sums those arrays to larger areas (:func:`aggregate`) with one ``bincount`` per quantity
and recomputes the shares from the sums (:mod:`touna_policy.model.measures`); the ``touna-policy
aggregate`` command writes the table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from touna_policy.data.population import load_kabupaten_population
from touna_policy.errors import InputError, did_you_mean
from touna_policy.model.measures import coverage_share, share_of, ucj_coverage_share
from touna_policy.model.projection import SUM_COLUMNS, ProjectionArrays, ProjectionResult

LEVELS = {
    "kecamatan": ("kecamatan_code", "kecamatan"),
    "kabupaten": ("kabupaten_code", "kabupaten"),
    "province": ("province_code", "province"),
}
"""Aggregation level: (code column, name column) of the village registry."""


def report_level(area_code: str | None) -> str:
    """The areas a report breaks an area into: kecamatan of a kabupaten (``72.09``), kabupaten of a
    province (``72``), provinces of Indonesia (``0``), so a chart has tens of bars, not thousands."""
    code = "" if area_code in (None, "", "0") else str(area_code)
    return "kecamatan" if "." in code else ("kabupaten" if code else "province")


def level_columns(level: str) -> tuple[str, str]:
    """(code column, name column) of ``level``; an unknown level raises :class:`~touna_policy.errors.InputError`."""
    if level not in LEVELS:
        raise InputError.single(
            "--by", "", repr(level), f"one of {', '.join(LEVELS)}", did_you_mean(level, list(LEVELS))
        )
    return LEVELS[level]


def area_groups(villages: pd.DataFrame, level: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The areas of ``level`` present in ``villages`` and each village's area index.

    Returns
    -------
    areas : DataFrame ``<level>_code, <level>``, sorted by code; names come from the registry, or
        from the Kemendagri 2025 population table where the registry has none (the Tojo Una-Una file)
    groups : int array, one entry per village, indexing ``areas``
    """
    code_col, name_col = level_columns(level)
    codes, groups = np.unique(villages[code_col].to_numpy(dtype=str), return_inverse=True)
    first = np.unique(groups, return_index=True)[1]
    names = villages[name_col].to_numpy(dtype=str)[first]
    if level != "kecamatan" and (names == "").any():
        known = load_kabupaten_population().set_index("code")["name"]
        names = np.where(names == "", known.reindex(codes).fillna("").to_numpy(dtype=str), names)
    return pd.DataFrame({code_col: codes, name_col: names}), groups


def sum_by_group(values: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum a villages x years array over villages of the same group: shape (groups, years).

    One ``np.bincount`` over (group, year) cells: vectorised, exact for whole numbers.
    """
    values = np.asarray(values, dtype=float)
    n, t = values.shape
    cells = (np.asarray(groups, dtype=np.int64)[:, None] * t + np.arange(t)[None, :]).ravel()
    return np.bincount(cells, weights=values.ravel(), minlength=n_groups * t).reshape(n_groups, t)


def aggregate_arrays(arrays: ProjectionArrays, groups: np.ndarray, n_groups: int) -> dict[str, np.ndarray]:
    """Every summable quantity of the engine's arrays, summed to (groups, years)."""
    names = (*SUM_COLUMNS, "unused_quota_places")
    return {name: sum_by_group(getattr(arrays, name), groups, n_groups) for name in names}


def aggregate(result: ProjectionResult, level: str = "kabupaten") -> pd.DataFrame:
    """Area by year: counts and money summed, shares recomputed from the sums.

    Parameters
    ----------
    result : a projection of any area
    level : ``kecamatan``, ``kabupaten`` or ``province``

    Returns
    -------
    DataFrame with ``scenario, <level>_code, <level>, year``, the summed columns, ``coverage_share``,
    ``ucj_coverage_share``, the premium by payer (``premium_<payer>_idr``), ``budget_share`` (the
    APBDes-paid premium over the APBDes-paid villages' budgets, nan without one) and ``villages``;
    sorted by code and year.
    """
    areas, groups = area_groups(result.inputs.villages, level)
    n_areas, years = len(areas), result.years
    sums = aggregate_arrays(result.arrays, groups, n_areas)
    t = len(years)
    frame = areas.loc[np.repeat(np.arange(n_areas), t)].reset_index(drop=True)
    frame.insert(0, "scenario", result.scenario.name)
    frame["year"] = np.tile(years, n_areas)
    for name, values in sums.items():
        frame[name] = values.ravel()
    frame["coverage_share"] = coverage_share(sums["covered_workers"], sums["eligible_workers"]).ravel()
    frame["ucj_coverage_share"] = ucj_coverage_share(
        sums["covered_workers"], sums["wage_earners_covered"], sums["working_population"]
    ).ravel()
    # each payer's cost by area; budget_share: the APBDes-paid premium over the APBDes-paid villages' budgets
    a = result.arrays
    desa_paid = (a.payer_index() == 0)[:, None]  # PAYERS[0] == "apbdes"
    desa_budget = sum_by_group(np.where(desa_paid, np.asarray(a.programme_budget_idr), 0.0), groups, n_areas)
    for name, cost in a.premium_by_payer().items():
        frame[name] = sum_by_group(cost, groups, n_areas).ravel()
    frame["budget_share"] = share_of(frame["premium_apbdes_idr"].to_numpy(), desa_budget.ravel())
    frame["villages"] = np.repeat(np.bincount(groups, minlength=n_areas), t)
    return frame
