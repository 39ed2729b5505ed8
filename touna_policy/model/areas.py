"""Any area at any scale: totals by kecamatan, kabupaten or province, and bounded-memory village tables.

A scenario names its area by Kemendagri code (``72.09`` a kabupaten, ``72`` a province, ``0`` the
whole country); :func:`touna_policy.model.inputs.load_inputs` loads or estimates its villages and the
engine (:func:`touna_policy.model.projection.compute`) projects them as one villages x years array. This
module sums those arrays to larger areas (:func:`aggregate`) with one ``bincount`` per quantity, and
writes the long village-by-year table in slices of villages (:func:`write_villages_csv`) so that the
national table (83,762 villages x 13 years, about 230 MB of CSV) never sits in memory as one frame
or one string.

The Monte Carlo at any scale (:func:`monte_carlo_by_area`) uses the draws and setup of
:mod:`touna_policy.analysis.uncertainty` and a lean chunk kernel (:func:`simulate_chunk_lean`, tested equal
to ``uncertainty.simulate_chunk``) over cache-sized chunks of villages x draws, spread over any
``concurrent.futures`` executor (a process pool, or Dask: :mod:`touna_policy.pipeline.executors`) with
bit-identical sums: 1,000 draws over all 83,762 villages summed to kabupaten take seconds and the
memory of the result plus one chunk.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from touna_policy.model.measures import share_of
from touna_policy.model.projection import ProjectionArrays, ProjectionResult

LEVELS = {
    "kecamatan": ("kecamatan_code", "kecamatan"),
    "kabupaten": ("kabupaten_code", "kabupaten"),
    "province": ("province_code", "province"),
}
"""Aggregation level: (code column, name column) of the village registry."""

SUM_COLUMNS = (
    "quota_places",
    "funded_workers",
    "covered_workers",
    "eligible_workers",
    "working_population",
    "premium_cost_idr",
    "other_channel_workers",
    "wage_earners_covered",
    "programme_budget_idr",
)
"""Counts and money: summed over villages. Shares are recomputed from the sums, never averaged."""

VILLAGE_CHUNK = 5_000
"""Villages per slice when writing the village table (5,000 x 13 years is about 35 MB of frame)."""


def report_level(area_code: str | None) -> str:
    """The areas a report breaks an area into: kecamatan of a kabupaten (``72.09``), kabupaten of a
    province (``72``), provinces of Indonesia (``0``), so a chart has tens of bars, not thousands."""
    code = "" if area_code in (None, "", "0") else str(area_code)
    return "kecamatan" if "." in code else ("kabupaten" if code else "province")


def _check_level(level: str) -> tuple[str, str]:
    if level not in LEVELS:
        from touna_policy.errors import InputError, did_you_mean

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
    code_col, name_col = _check_level(level)
    codes, groups = np.unique(villages[code_col].to_numpy(dtype=str), return_inverse=True)
    first = np.unique(groups, return_index=True)[1]
    names = villages[name_col].to_numpy(dtype=str)[first]
    if level != "kecamatan" and (names == "").any():
        from touna_policy.data.loaders import load_kabupaten_population

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
    out = {name: sum_by_group(getattr(arrays, name), groups, n_groups) for name in SUM_COLUMNS}
    unused = arrays.quota_places - np.minimum(arrays.quota_places, arrays.eligible_workers)
    out["unused_quota_places"] = sum_by_group(unused, groups, n_groups)
    return out


def aggregate(result: ProjectionResult, level: str = "kabupaten") -> pd.DataFrame:
    """Area by year: counts and money summed, shares recomputed from the sums.

    Parameters
    ----------
    result : a projection of any area
    level : ``kecamatan``, ``kabupaten`` or ``province``

    Returns
    -------
    DataFrame with ``scenario, <level>_code, <level>, year``, the summed columns, ``coverage_share``,
    ``ucj_coverage_share``, ``budget_share`` (nan without a budget) and ``villages``; sorted by code and year.
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
    frame["coverage_share"] = share_of(sums["covered_workers"], sums["eligible_workers"]).ravel()
    frame["ucj_coverage_share"] = share_of(
        sums["covered_workers"] + sums["wage_earners_covered"], sums["working_population"]
    ).ravel()
    frame["budget_share"] = share_of(sums["premium_cost_idr"], sums["programme_budget_idr"]).ravel()
    frame["villages"] = np.repeat(np.bincount(groups, minlength=n_areas), t)
    return frame


def slice_result(result: ProjectionResult, start: int, stop: int) -> ProjectionResult:
    """The same projection restricted to villages ``start:stop`` (views, no recomputation)."""
    n = result.arrays.quota_places.shape[0]
    sliced = {}
    for f in dataclasses.fields(ProjectionArrays):
        value = getattr(result.arrays, f.name)
        sliced[f.name] = (
            value[start:stop] if isinstance(value, np.ndarray) and value.ndim == 2 and value.shape[0] == n else value
        )
    inputs = dataclasses.replace(result.inputs, villages=result.inputs.villages.iloc[start:stop].reset_index(drop=True))
    return ProjectionResult(result.scenario, inputs, ProjectionArrays(**sliced))


def iter_village_frames(result: ProjectionResult, chunk_villages: int = VILLAGE_CHUNK) -> Iterator[pd.DataFrame]:
    """The village-by-year table in slices of ``chunk_villages`` villages (same rows and columns as
    ``result.villages``, concatenated)."""
    if chunk_villages < 1:
        raise ValueError(f"chunk_villages must be at least 1, got {chunk_villages}")
    n = result.arrays.quota_places.shape[0]
    for start in range(0, n, chunk_villages):
        yield slice_result(result, start, min(start + chunk_villages, n)).villages


def write_villages_csv(path: str | Path, result: ProjectionResult, chunk_villages: int = VILLAGE_CHUNK) -> Path:
    """Write the village-by-year table slice by slice, atomically.

    Same bytes as :func:`touna_policy.io.atomic_write_csv` of ``result.villages``; memory holds one
    slice at a time. Readers see the old file or the whole new one, never a half-written table.
    """
    from touna_policy.io import atomic_open

    path = Path(path)
    with atomic_open(path, "w", encoding="utf-8", newline="") as fh:
        for n, frame in enumerate(iter_village_frames(result, chunk_villages)):
            frame.to_csv(fh, index=False, header=(n == 0), lineterminator="\n", float_format="%.6f")
    return path


# ---------------------------------------------------------------------------------------------
# Monte Carlo at national scale: a lean kernel, chunks over villages and draws, any executor
# ---------------------------------------------------------------------------------------------

MC_CELLS_PER_CHUNK = 400_000
"""Draw x village x year cells per chunk (about 3 MB per array): small enough for the CPU cache to
help, large enough that numpy's per-call overhead does not matter."""


@dataclass
class _VillageBlock:
    """The draw-independent pieces of one slice of villages, computed once and reused for every draw chunk."""

    local: np.ndarray  # global area index of each area present in the slice
    groups: np.ndarray  # per village: index into ``local``
    starts: np.ndarray | None  # first village of each area when villages are sorted by area, else None
    since: np.ndarray  # years since the base year: (1, t) when equal for all villages, else (i, t)
    uniform: bool
    quota: np.ndarray
    compliance: np.ndarray
    eligible: np.ndarray
    working: np.ndarray
    quota_sum: np.ndarray  # (local areas, t)
    working_sum: np.ndarray  # (local areas, t)


def _village_block(setup, villages: slice | np.ndarray | None = None) -> _VillageBlock:
    idx = np.arange(setup.n_villages)[villages] if villages is not None else np.arange(setup.n_villages)
    local, groups = np.unique(setup.group_index[idx], return_inverse=True)
    ordered = len(groups) < 2 or bool((np.diff(groups) >= 0).all())
    starts = np.flatnonzero(np.r_[True, np.diff(groups) != 0]) if ordered else None
    since = setup.years[None, :] - setup.base_year[idx][:, None]
    uniform = bool((since == since[:1]).all())
    q, w = setup.quota[idx], setup.working[idx]
    quota_sum, working_sum = np.zeros((len(local), len(setup.years))), np.zeros((len(local), len(setup.years)))
    np.add.at(quota_sum, groups, q)
    np.add.at(working_sum, groups, w)
    return _VillageBlock(
        local,
        groups,
        starts,
        since[:1] if uniform else since,
        uniform,
        q,
        setup.compliance[idx],
        setup.eligible[idx],
        w,
        quota_sum,
        working_sum,
    )


def _group_sums(x: np.ndarray, block: _VillageBlock) -> np.ndarray:
    """Sum draws x villages x years over villages of the same area: (local areas, draws, years)."""
    if block.starts is not None:  # villages in registry order, areas are code prefixes: no copies
        return np.moveaxis(np.add.reduceat(x, block.starts, axis=1), 1, 0)
    onehot = np.zeros((len(block.local), x.shape[1]))
    onehot[block.groups, np.arange(x.shape[1])] = 1.0
    return np.einsum("gi,dit->gdt", onehot, x, optimize=True)


def _block_sums(setup, block: _VillageBlock, draws) -> dict[str, np.ndarray]:
    """Area sums (local areas, draws, years) of every Monte Carlo total for one block and some draws.

    Per draw, village and year only four arrays need cells: ``a = min(e0 x f, w0)`` (eligible
    before the drawn growth), ``eligible = a x ratio``, ``m = min(quota, eligible)`` and
    ``m x compliance``. The rest is linear in their area sums because the model keeps ``funded <=
    eligible <= working`` and every share in 0-1: covered = (1 - p) funded + p eligible, wage earners
    covered = wage share x (working - eligible), premium = funded x premium per worker, deaths,
    accidents and benefits = funded x drawn rates, unused places = quota - m.
    """
    years = setup.years
    g = draws["workforce_growth_share_per_year"]
    gc = setup.central["workforce_growth_share_per_year"]
    ratio = ((1.0 + g) / (1.0 + gc))[:, None, None] ** block.since[None]  # (d, 1, t) or (d, i, t)
    a = np.minimum(block.eligible[None] * draws["vulnerable_share_factor"][:, None, None], block.working[None])
    eligible = a * ratio
    m = np.minimum(block.quota[None], eligible)
    E = _group_sums(eligible, block)
    M = _group_sums(m, block)
    F = _group_sums(m * block.compliance[None], block) * draws["payment_compliance_factor"][None, :, None]
    if block.uniform:
        W = block.working_sum[:, None, :] * ratio[:, 0, :][None]
    else:
        W = _group_sums(block.working[None] * ratio, block)
    Q = np.broadcast_to(block.quota_sum[:, None, :], E.shape)
    slope = draws["self_paid_bpu_annual_change"] - setup.central["self_paid_bpu_annual_change"]
    path = np.clip(setup.self_paid[None, :] + slope[:, None] * (years - setup.channel_base_year)[None, :], 0.0, 1.0)
    path = (path * (1.0 - draws["self_paid_lapse_share"])[:, None])[None]  # (1, d, t)
    deaths = F * draws["mortality_rate_per_year"][None, :, None]
    accidents = F * draws["work_accident_rate_per_year"][None, :, None]
    return {
        "eligible_workers": E,
        "working_population": W,
        "quota_places": Q,
        "funded_workers": F,
        "covered_workers": (1.0 - path) * F + path * E,
        "wage_earners_covered": setup.wage[None, None, :] * (W - E),
        "premium_cost_idr": F * setup.per_worker_year_idr[None, None, :],
        "unused_quota_places": Q - M,
        "expected_deaths": deaths,
        "expected_work_accidents": accidents,
        "expected_benefits_idr": deaths * setup.jkm_benefit_idr[None, None, :]
        + accidents * setup.jkk_payment_idr[None, None, :],
    }


def simulate_chunk_lean(setup, draws, villages=None):
    """:func:`touna_policy.analysis.uncertainty.simulate_chunk` (same :class:`AreaTotals`) with about a fifth of the work."""
    from touna_policy.analysis.uncertainty import TOTALS, AreaTotals

    block = _village_block(setup, villages)
    sums = _block_sums(setup, block, draws)
    totals = {}
    for name in TOTALS:
        out = np.zeros((len(setup.group_labels), draws.n, len(setup.years)))
        out[block.local] = sums[name]
        totals[name] = out
    return AreaTotals(setup.years, setup.group_labels, totals)


def _chunk_shape(n_villages: int, n_draws: int, n_years: int, cells: int) -> tuple[int, int]:
    """(villages, draws) per chunk: as many villages as fit (area sums stay few), then draws."""
    villages = max(1, min(n_villages, cells // max(n_years, 1)))
    draws = max(1, min(n_draws, cells // (villages * max(n_years, 1))))
    return villages, draws


MC_TASKS = 8
"""Village ranges a Monte Carlo is split into (run here one after the other, or spread over an
executor). Fixed, not taken from the machine, so every executor adds the same numbers in the same
order and gives bit-identical results."""


def _task(setup, draws, cells: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """One village range, every draw, in chunks: (areas present, area sums areas x draws x years)."""
    from touna_policy.analysis.uncertainty import TOTALS

    n_villages, n_years = setup.n_villages, len(setup.years)
    per_village, per_draw = _chunk_shape(n_villages, draws.n, n_years, cells)
    present = np.unique(setup.group_index)
    position = np.zeros(len(setup.group_labels), dtype=np.int64)
    position[present] = np.arange(len(present))
    totals = {name: np.zeros((len(present), draws.n, n_years)) for name in TOTALS}
    for v0 in range(0, n_villages, per_village):
        block = _village_block(setup, slice(v0, min(v0 + per_village, n_villages)))
        rows = position[block.local]
        for d0 in range(0, draws.n, per_draw):
            sums = _block_sums(setup, block, draws.take(slice(d0, d0 + per_draw)))
            d1 = d0 + sums["funded_workers"].shape[1]
            for name in TOTALS:
                totals[name][rows, d0:d1] += sums[name]
    return present, totals


def _village_range_setup(setup, start: int, stop: int):
    """``setup`` cut to villages ``start:stop``: what a task needs, and nothing more to send."""
    idx = slice(start, stop)
    return dataclasses.replace(
        setup,
        inputs=None,
        quota=setup.quota[idx],
        compliance=setup.compliance[idx],
        eligible=setup.eligible[idx],
        working=setup.working[idx],
        base_year=setup.base_year[idx],
        group_index=setup.group_index[idx],
    )


def simulate_chunked(setup, draws, executor=None, cells: int = MC_CELLS_PER_CHUNK, tasks: int = MC_TASKS):
    """Every draw and village in chunks, summed by area: the same :class:`AreaTotals` as
    :func:`touna_policy.analysis.uncertainty.simulate` (to rounding), bit-identical whichever executor runs it.

    Memory: the result (areas x draws x years per total), one range's sums and one chunk of
    ``cells`` cells, whatever the number of villages (with an executor, finished ranges wait in
    memory until added, in order).

    Parameters
    ----------
    executor : a ``concurrent.futures`` executor (a process pool, or
        :func:`touna_policy.pipeline.executors.dask_executor`) to spread the village ranges over; ``None`` runs
        them here
    cells : draw x village x year cells per chunk
    tasks : village ranges (:data:`MC_TASKS`)
    """
    from touna_policy.analysis.uncertainty import TOTALS, AreaTotals

    n_groups, n_years = len(setup.group_labels), len(setup.years)
    totals = {name: np.zeros((n_groups, draws.n, n_years)) for name in TOTALS}
    bounds = np.unique(np.linspace(0, setup.n_villages, max(1, tasks) + 1).astype(int))
    ranges = list(zip(bounds[:-1].tolist(), bounds[1:].tolist()))
    if executor is None:
        parts = (_task(_village_range_setup(setup, a, b), draws, cells) for a, b in ranges)
    else:
        futures = [executor.submit(_task, _village_range_setup(setup, a, b), draws, cells) for a, b in ranges]
        parts = (f.result() for f in futures)
    for present, sums in parts:
        for name in TOTALS:
            totals[name][present] += sums[name]
    return AreaTotals(setup.years, setup.group_labels, totals)


def monte_carlo_by_area(
    scenario,
    inputs=None,
    draws: int | None = None,
    level: str = "kabupaten",
    seed: int | None = None,
    executor=None,
    cells: int = MC_CELLS_PER_CHUNK,
):
    """Seeded Monte Carlo of any area summed to ``level`` (kecamatan, kabupaten or province).

    The same draws (``numpy.random.default_rng(seed or scenario.seed)``) and the same totals as
    :func:`touna_policy.analysis.uncertainty.run_monte_carlo` with ``group_by`` the level's code column, in
    chunks of ``cells`` cells, optionally spread over ``executor``.

    Returns
    -------
    touna_policy.analysis.uncertainty.MonteCarloResult
    """
    from touna_policy.analysis.uncertainty import MonteCarloResult, draw_inputs, prepare

    code_col, _ = _check_level(level)
    setup = prepare(scenario, inputs, code_col)
    sample = draw_inputs(setup, draws, seed)
    return MonteCarloResult(setup, sample, simulate_chunked(setup, sample, executor, cells))
