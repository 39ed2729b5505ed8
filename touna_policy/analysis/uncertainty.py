"""Seeded Monte Carlo over the uncertain inputs: draws of the kernel over draws x villages x years.

The uncertain inputs (``touna_policy.parameters.distributions.UNCERTAIN_INPUTS``) are declared in the
scenario's ``uncertainty`` section, each with its distribution; those it does not declare take the
shipped ranges of ``data/parameters/uncertainty.yaml`` (labelled synthetic) unless the section says
``defaults: none`` (:mod:`touna_policy.model.central_values`). The deterministic projection is the
Monte Carlo's central case: both use one central value per input, the centre of its distribution.
The payment compliance factor is drawn per village (a desa in arrears), from a counter-based
stream of the draw's key and the village's code, so a draw's value for a village is the same
whichever chunk or executor computes it; then every village pays or falls into arrears month by
month, with probability its factor x its payment probability relative to the default (scenario key
``payment_probability``, data/parameters/participation.yaml), each year's months of equal probability
and plan counted as one binomial draw from a counter-based stream of the draw, village, calendar year
and class of months (:func:`touna_policy.model.kernel.drawn_months`): the paid-up (funded) workers
are the places x the share of months paid,
the active workers also leave out the scenario's arrears, and a drawn gap is settled (its premiums
paid, as far as BPJS accepts them) with the first month paid again, so a bad year in a few desa
shows in the band. The APBDes relief question is a yes/no input, so the premium band spans both
answers. One draw is one value of every input; each draw is one evaluation of the
projection kernel (:mod:`touna_policy.model.kernel`, where the formulas are) on the scenario's central
arrays: quotas stay as the district allocated them on its central estimate. With every input fixed
at its deterministic value the Monte Carlo reproduces :func:`touna_policy.project` (tested). Draws come
from ``numpy.random.default_rng(scenario.seed)``: the same scenario and seed give identical draws.

:func:`prepare` resolves the scenario once; :func:`simulate_chunk` runs some draws over some villages
and returns :class:`AreaTotals` (sums per area x draw x year, which add across village chunks and
stack across draw chunks); :func:`simulate_chunked` runs every draw and village in cache-sized chunks,
optionally over any ``concurrent.futures`` executor, bit-identical whichever runs it;
:func:`run_monte_carlo` and :func:`monte_carlo_by_area` (any area summed to kecamatan, kabupaten or
province) do this with a memory budget, so 83,762 villages x 1,000 draws run in bounded memory.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from touna_policy.calibration.trend import shipped_trend
from touna_policy.errors import InputError
from touna_policy.model.areas import level_columns
from touna_policy.model.engine_inputs import resolve_engine_inputs
from touna_policy.model.inputs import ModelInputs, load_inputs
from touna_policy.model.kernel import (
    BENEFIT_TOTALS,
    CELLS_PER_CHUNK,
    PARTICIPATION_TOTALS,
    QUANTILE_GRID,
    TASKS,
    KernelInputs,
    block_sums,
    chunked_area_sums,
    group_sums,
    village_block,
    village_cells,
)
from touna_policy.model.measures import coverage_share, share_of, ucj_coverage_share
from touna_policy.parameters.distributions import UNCERTAIN_INPUTS, Distribution, quantile
from touna_policy.scenario import Scenario

INPUT_NAMES: tuple[str, ...] = tuple(UNCERTAIN_INPUTS)
QUANTILES = (0.05, 0.25, 0.50, 0.75, 0.95)
QUANTILE_COLUMNS = ("p05", "p25", "p50", "p75", "p95")
TOTALS = (
    "eligible_workers",
    "working_population",
    "quota_places",
    "funded_workers",
    "covered_workers",
    "wage_earners_covered",
    "premium_cost_idr",
    "unused_quota_places",
    *BENEFIT_TOTALS,
    *PARTICIPATION_TOTALS,
)
MEASURES = (
    "covered_workers",
    "coverage_share",
    "ucj_coverage_share",
    "premium_cost_idr",
    "funded_workers",
    "expected_benefits_idr",
    "benefit_premium_ratio",
)


@dataclass(frozen=True)
class InputDraws:
    """Values of every uncertain input, one row per draw.

    Attributes
    ----------
    values : array (draws, inputs) in the order of :data:`INPUT_NAMES`
    central : the deterministic value of every input
    keys : one uint64 key per draw for the per-village draws (None: inputs drawn once per draw)
    """

    values: np.ndarray
    central: dict[str, float]
    keys: np.ndarray | None = None

    @property
    def n(self) -> int:
        return self.values.shape[0]

    def __getitem__(self, name: str) -> np.ndarray:
        return self.values[:, INPUT_NAMES.index(name)]

    def take(self, rows) -> InputDraws:
        """A subset of draws (for running draws in chunks)."""
        return InputDraws(self.values[rows], self.central, None if self.keys is None else self.keys[rows])

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.values, columns=list(INPUT_NAMES))

    def columns(self) -> dict[str, np.ndarray]:
        """``{input: values per draw}`` (and ``draw_key``), as the kernel takes them."""
        out = {name: self[name] for name in INPUT_NAMES}
        if self.keys is not None:
            out["draw_key"] = self.keys
        return out


@dataclass
class MonteCarloSetup:
    """A scenario resolved for the Monte Carlo: the kernel's central arrays, the areas summed over, and
    the distribution of every uncertain input."""

    scenario: Scenario
    inputs: ModelInputs
    kernel: KernelInputs
    group_index: np.ndarray
    group_labels: np.ndarray
    distributions: dict[str, Distribution]
    fitted_trend: tuple[float, float] | None = None
    synthetic_defaults: bool = False

    @property
    def years(self) -> np.ndarray:
        return self.kernel.years

    @property
    def central(self) -> dict[str, float]:
        return dict(self.kernel.central)

    @property
    def base_year(self) -> np.ndarray:
        return self.kernel.base_year

    @property
    def n_villages(self) -> int:
        return self.kernel.n_villages

    @property
    def varying(self) -> list[str]:
        """Inputs whose distribution is not a single value."""
        return [n for n in INPUT_NAMES if not self.distributions[n].is_fixed]

    def values_at(self, u: np.ndarray) -> InputDraws:
        """Input values at probabilities ``u`` (draws x inputs, 0-1), through each quantile function."""
        u = np.asarray(u, dtype=float)
        values = np.column_stack(
            [
                quantile(self.distributions[name], u[:, j], self.central[name], self.fitted_trend)
                for j, name in enumerate(INPUT_NAMES)
            ]
        )
        return InputDraws(values, self.central)

    def central_draws(self, n: int = 1) -> InputDraws:
        """``n`` identical draws at the deterministic values."""
        return InputDraws(np.tile([self.central[k] for k in INPUT_NAMES], (n, 1)).astype(float), self.central)


def prepare(scenario, inputs=None, group_by: str | None = "kecamatan_code") -> MonteCarloSetup:
    """The deterministic pieces for ``scenario`` and the distribution of every uncertain input.

    Parameters
    ----------
    group_by : registry column whose areas the Monte Carlo sums over (``kecamatan_code``,
        ``kabupaten_code``...), or ``None`` for the whole area only
    """
    inputs = inputs or load_inputs(scenario.area)
    engine = resolve_engine_inputs(scenario, inputs)
    distributions, used_defaults = engine.distributions, engine.synthetic_defaults
    compliance = distributions["payment_compliance_factor"]
    kernel = engine.kernel
    if not compliance.is_fixed:  # arrears drawn per village: the factor's quantile function, tabulated
        table = quantile(compliance, QUANTILE_GRID, kernel.central["payment_compliance_factor"])
        kernel = dataclasses.replace(kernel, compliance_table=table, payment_months_drawn=True)
    villages = inputs.villages
    fitted = None
    if distributions["self_paid_bpu_annual_change"].distribution == "fitted":
        trend = shipped_trend(inputs.area_code or "0")
        fitted = trend.annual_change("self_paid_bpu", trend.reference_year, int(kernel.years[-1]))
    if group_by is None:
        index, labels = np.zeros(len(villages), dtype=np.int64), np.array([scenario.area])
    else:
        if group_by not in villages.columns:
            raise InputError.single(
                "<monte carlo>", "group_by", repr(group_by), f"a registry column: {', '.join(villages.columns)}"
            )
        labels, index = np.unique(villages[group_by].astype(str).to_numpy(), return_inverse=True)
    return MonteCarloSetup(
        scenario=scenario,
        inputs=inputs,
        kernel=kernel,
        group_index=index.astype(np.int64),
        group_labels=labels,
        distributions=distributions,
        fitted_trend=fitted,
        synthetic_defaults=used_defaults,
    )


def draw_inputs(setup: MonteCarloSetup, draws: int | None = None, seed: int | None = None) -> InputDraws:
    """Seeded draws of every uncertain input (``numpy.random.default_rng(seed or scenario.seed)``)."""
    n = int(draws if draws is not None else setup.scenario.uncertainty.draws)
    rng = np.random.default_rng(setup.scenario.seed if seed is None else seed)
    sample = setup.values_at(rng.random((n, len(INPUT_NAMES))))
    keys = rng.integers(0, np.iinfo(np.int64).max, size=n, dtype=np.int64).astype(np.uint64)
    return InputDraws(sample.values, sample.central, keys)


@dataclass
class AreaTotals:
    """Sums per area x draw x year of the Monte Carlo's counts and money.

    ``totals[name]`` has shape (areas, draws, years) for each name in :data:`TOTALS`. Totals of two
    village chunks with the same draws add (``a + b``); totals of two draw chunks stack
    (:meth:`concat_draws`).
    """

    years: np.ndarray
    labels: np.ndarray
    totals: dict[str, np.ndarray]

    def __add__(self, other: AreaTotals) -> AreaTotals:
        return AreaTotals(self.years, self.labels, {k: self.totals[k] + other.totals[k] for k in TOTALS})

    def concat_draws(self, other: AreaTotals) -> AreaTotals:
        return AreaTotals(
            self.years, self.labels, {k: np.concatenate([self.totals[k], other.totals[k]], axis=1) for k in TOTALS}
        )

    def whole_area(self) -> dict[str, np.ndarray]:
        """Sums over all areas: draws x years."""
        return {k: v.sum(axis=0) for k, v in self.totals.items()}


def _area_totals(setup: MonteCarloSetup, local: np.ndarray, sums: dict[str, np.ndarray], n_draws: int) -> AreaTotals:
    totals = {}
    for name in TOTALS:
        out = np.zeros((len(setup.group_labels), n_draws, len(setup.years)))
        out[local] = sums[name]
        totals[name] = out
    return AreaTotals(setup.years, setup.group_labels, totals)


def simulate_chunk(setup: MonteCarloSetup, draws: InputDraws, villages=None) -> AreaTotals:
    """Run ``draws`` over a chunk of villages (indices, mask or slice; default all) and sum by area."""
    block = village_block(setup.kernel, setup.group_index, villages)
    return _area_totals(setup, block.local, block_sums(setup.kernel, block, draws.columns(), TOTALS), draws.n)


def central_totals(setup: MonteCarloSetup) -> AreaTotals:
    """The totals of the central draw, summed village by village (each village its own area in the
    kernel, then added to its area), as the deterministic projection sums them."""
    cells = village_cells(setup.kernel, setup.kernel.central_draw(), TOTALS)
    block = village_block(setup.kernel, setup.group_index, ordered=False)
    sums = {name: group_sums(np.ascontiguousarray(np.moveaxis(x, 0, 1)), block) for name, x in cells.items()}
    return _area_totals(setup, block.local, sums, 1)


def simulate_chunked(
    setup: MonteCarloSetup, draws: InputDraws, executor=None, cells: int = CELLS_PER_CHUNK, tasks: int = TASKS
) -> AreaTotals:
    """Every draw and village in chunks of ``cells`` cells, summed by area, bit-identical whichever
    ``executor`` (``concurrent.futures``; ``None`` runs here) runs the ``tasks`` village ranges."""
    totals = chunked_area_sums(
        setup.kernel, setup.group_index, len(setup.group_labels), draws.columns(), TOTALS, executor, cells, tasks
    )
    return AreaTotals(setup.years, setup.group_labels, totals)


def villages_per_chunk(draws: int, years: int, memory_mb: float = 512.0) -> int:
    """Villages per chunk so that one chunk's arrays stay within ``memory_mb`` (about 16 arrays live)."""
    return max(1, int(memory_mb * 1e6 / (16 * 8 * max(draws, 1) * max(years, 1))))


def _quantiles(values: np.ndarray, axis: int) -> np.ndarray:
    """p05..p95 ignoring nan (a year without premiums has no benefit ratio: nan, without a warning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanquantile(values, QUANTILES, axis=axis)


def measures_from_totals(t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Planner's measures (draws x years) from summed totals."""
    return {
        "covered_workers": t["covered_workers"],
        "coverage_share": coverage_share(t["covered_workers"], t["eligible_workers"]),
        "ucj_coverage_share": ucj_coverage_share(
            t["covered_workers"], t["wage_earners_covered"], t["working_population"]
        ),
        "premium_cost_idr": t["premium_cost_idr"],
        "funded_workers": t["funded_workers"],
        "expected_benefits_idr": t["expected_benefits_idr"],
        "benefit_premium_ratio": share_of(t["expected_benefits_idr"], t["premium_cost_idr"]),
        "active_workers": t["active_workers"],
    }


@dataclass
class MonteCarloResult:
    """A Monte Carlo run: the draws, the totals per area, and summaries (fan, target probabilities)."""

    setup: MonteCarloSetup
    draws: InputDraws
    totals: AreaTotals
    _central: dict | None = field(default=None, repr=False)

    @property
    def scenario(self):
        return self.setup.scenario

    @property
    def years(self) -> np.ndarray:
        return self.setup.years

    def measures(self) -> dict[str, np.ndarray]:
        """Whole-area measures, draws x years."""
        return measures_from_totals(self.totals.whole_area())

    def deterministic(self) -> dict[str, np.ndarray]:
        """The same measures at the deterministic values (one row: equal to the projection)."""
        if self._central is None:
            t = central_totals(self.setup)
            self._central = {k: v[0] for k, v in measures_from_totals(t.whole_area()).items()}
        return self._central

    def fan(self, measures: tuple[str, ...] = MEASURES) -> pd.DataFrame:
        """``fan.csv``: scenario, year, measure, p05, p25, p50, p75, p95, deterministic."""
        m, det = self.measures(), self.deterministic()
        frames = []
        for name in measures:
            q = _quantiles(m[name], axis=0)
            frame = pd.DataFrame({"scenario": self.scenario.name, "year": self.years, "measure": name})
            for col, row in zip(QUANTILE_COLUMNS, q, strict=True):
                frame[col] = row
            frame["deterministic"] = det[name]
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)

    def area_fan(self, measure: str = "coverage_share", year: int | None = None) -> pd.DataFrame:
        """Quantiles of a measure by area (e.g. kecamatan) in one year."""
        year = int(year if year is not None else self.years[-1])
        t = {k: v[:, :, self.years == year][..., 0] for k, v in self.totals.totals.items()}
        values = measures_from_totals(t)[measure]  # areas x draws
        q = _quantiles(values, axis=1)
        frame = pd.DataFrame(
            {"scenario": self.scenario.name, "year": year, "area": self.totals.labels, "measure": measure}
        )
        for col, row in zip(QUANTILE_COLUMNS, q, strict=True):
            frame[col] = row
        return frame

    def probability_reaching(self, measure: str, share: float, year: int) -> float:
        """Share of draws in which ``measure`` reaches ``share`` in some year up to and including ``year``."""
        m = self.measures()[measure][:, self.years <= year]
        return float((m >= share - 1e-12).any(axis=1).mean()) if m.size else 0.0

    def probability_by_year(self, measure: str, share: float) -> pd.DataFrame:
        """For every year, the share of draws that have reached the target by then."""
        m = self.measures()[measure] >= share - 1e-12
        reached = np.logical_or.accumulate(m, axis=1).mean(axis=0)
        return pd.DataFrame(
            {
                "scenario": self.scenario.name,
                "year": self.years,
                "measure": measure,
                "target_share": share,
                "probability_reached": reached,
            }
        )

    def input_summary(self) -> pd.DataFrame:
        """Each uncertain input: distribution, deterministic value, and the p05/p50/p95 of its draws."""
        rows = []
        for name in INPUT_NAMES:
            d = self.setup.distributions[name]
            x = self.draws[name]
            rows.append(
                {
                    "input": name,
                    "distribution": d.distribution,
                    "deterministic": self.setup.central[name],
                    "p05": float(np.quantile(x, 0.05)),
                    "p50": float(np.quantile(x, 0.5)),
                    "p95": float(np.quantile(x, 0.95)),
                    "note": d.note,
                }
            )
        return pd.DataFrame(rows)


def run_monte_carlo(
    scenario,
    inputs=None,
    draws: int | None = None,
    seed: int | None = None,
    group_by: str | None = "kecamatan_code",
    memory_mb: float = 512.0,
    setup: MonteCarloSetup | None = None,
) -> MonteCarloResult:
    """Seeded Monte Carlo of ``scenario`` in village chunks that fit ``memory_mb``.

    Parameters
    ----------
    draws : number of draws (default: the scenario's ``uncertainty.draws``)
    seed : random seed (default: the scenario's ``seed``)
    group_by : registry column to sum over (``None``: the whole area only)
    """
    setup = setup or prepare(scenario, inputs, group_by)
    sample = draw_inputs(setup, draws, seed)
    return MonteCarloResult(setup, sample, simulate(setup, sample, memory_mb))


def report_monte_carlo(setup: MonteCarloSetup, seed: int | None = None) -> MonteCarloResult:
    """The report notebooks' Monte Carlo of ``setup`` (:func:`report_draws` draws, ``seed``): the
    result of :func:`run_monte_carlo`, computed once per setup and seed and kept.

    The runs are kept in this module (:data:`RESULTS_KEPT`), which outlives the report kernel's
    ``%reset`` between notebooks: notebook 08 reads the draws notebook 06 ran. The key is a digest
    of everything the draws and totals depend on (:func:`setup_fingerprint`), the draws and the
    seed, so any change of scenario, inputs, grouping, draws or seed runs the Monte Carlo again. The
    kept arrays are read-only (a caller cannot change what the next one reads).
    """
    n = report_draws(setup)
    seed = setup.scenario.seed if seed is None else int(seed)
    key = (setup_fingerprint(setup), n, seed)
    kept = _RESULTS.get(key)
    if kept is None:
        mc = run_monte_carlo(setup.scenario, setup.inputs, draws=n, seed=seed, setup=setup)
        kept = (_frozen_draws(mc.draws), _frozen_totals(mc.totals))
        if len(_RESULTS) >= RESULTS_KEPT:
            del _RESULTS[next(iter(_RESULTS))]  # the oldest run
        _RESULTS[key] = kept
    return MonteCarloResult(setup, *kept)


RESULTS_KEPT = 4
"""Monte Carlo runs :func:`report_monte_carlo` keeps (oldest dropped first)."""
_RESULTS: dict[tuple, tuple[InputDraws, AreaTotals]] = {}


def _fingerprint_value(value, digest) -> None:
    if isinstance(value, np.ndarray):
        digest.update(f"array{value.dtype.str}{value.shape}".encode())
        # an object array's bytes are pointers: its values' text instead
        digest.update(repr(value.tolist()).encode() if value.dtype == object else np.ascontiguousarray(value).tobytes())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            digest.update(f.name.encode())
            _fingerprint_value(getattr(value, f.name), digest)
    elif isinstance(value, Mapping):
        for k in sorted(value, key=str):
            digest.update(repr(k).encode())
            _fingerprint_value(value[k], digest)
    elif hasattr(value, "model_dump_json"):  # a pydantic model (a distribution)
        digest.update(value.model_dump_json().encode())
    else:
        digest.update(repr(value).encode())


def setup_fingerprint(setup: MonteCarloSetup) -> str:
    """A digest of everything in ``setup`` that a Monte Carlo's draws and totals depend on: every
    field of the kernel's arrays, the areas summed over, every input's distribution and the fitted
    trend (so a changed scenario, input table or grouping gives another digest)."""
    import hashlib

    digest = hashlib.blake2b(digest_size=20)
    for part in (setup.kernel, setup.group_index, setup.group_labels, setup.distributions, setup.fitted_trend):
        _fingerprint_value(part, digest)
        digest.update(b"|")
    return digest.hexdigest()


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def _frozen_draws(draws: InputDraws) -> InputDraws:
    keys = None if draws.keys is None else _read_only(draws.keys)
    return InputDraws(_read_only(draws.values), dict(draws.central), keys)


def _frozen_totals(totals: AreaTotals) -> AreaTotals:
    return AreaTotals(totals.years, totals.labels, {k: _read_only(v) for k, v in totals.totals.items()})


def simulate(setup: MonteCarloSetup, draws: InputDraws, memory_mb: float = 512.0) -> AreaTotals:
    """All villages and draws, in chunks whose working arrays stay well within ``memory_mb``."""
    # the kernel keeps about a dozen float64 arrays of one chunk alive at once
    cells = int(max(10_000, memory_mb * 2**20 / (8 * 12)))
    return simulate_chunked(setup, draws, cells=min(cells, CELLS_PER_CHUNK))


def monte_carlo_by_area(
    scenario,
    inputs=None,
    draws: int | None = None,
    level: str = "kabupaten",
    seed: int | None = None,
    executor=None,
    cells: int = CELLS_PER_CHUNK,
) -> MonteCarloResult:
    """Seeded Monte Carlo of any area summed to ``level`` (kecamatan, kabupaten or province).

    The same draws (``numpy.random.default_rng(seed or scenario.seed)``) and the same totals as
    :func:`run_monte_carlo` with ``group_by`` the level's code column, in chunks of ``cells`` cells,
    optionally spread over ``executor``.
    """
    code_col, _ = level_columns(level)
    setup = prepare(scenario, inputs, code_col)
    sample = draw_inputs(setup, draws, seed)
    return MonteCarloResult(setup, sample, simulate_chunked(setup, sample, executor, cells))


def report_group(villages: pd.DataFrame) -> str | None:
    """The areas a report sums the Monte Carlo over: kecamatan for a kabupaten, kabupaten beyond
    (so the totals stay small at national scale), none if neither column exists."""
    for column, most in (("kecamatan_code", 500), ("kabupaten_code", 1000)):
        if column in villages.columns and villages[column].nunique() <= most:
            return column
    return None


def report_draws(setup: MonteCarloSetup, cell_budget: float = 4e7, minimum: int = 50) -> int:
    """Draws for a report notebook: the scenario's ``uncertainty.draws``, fewer when draws x villages x
    years would exceed ``cell_budget`` (so a national run stays within seconds), never below ``minimum``."""
    per_draw = setup.n_villages * len(setup.years)
    return int(min(setup.scenario.uncertainty.draws, max(minimum, cell_budget // per_draw)))
