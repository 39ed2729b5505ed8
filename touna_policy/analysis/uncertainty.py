"""Seeded Monte Carlo over the uncertain inputs, vectorised over draws x villages x years.

The uncertain inputs (``touna_policy.parameters.distributions.UNCERTAIN_INPUTS``) are declared in the
scenario's ``uncertainty`` section, each with its distribution; those it does not declare take the
shipped ranges of ``data/parameters/uncertainty.yaml`` (labelled synthetic) unless the section says
``defaults: none``. One draw is one value of every input; for each draw the engine recomputes, per
village and year,

- working population and eligible workers with the drawn growth rate and vulnerable-share factor,
- funded workers = min(quota, eligible) x compliance x the drawn compliance factor (quotas stay as the
  district allocated them on its central estimate),
- self-paying share = the deterministic path with the drawn yearly change, times (1 - drawn lapse),
- covered workers, wage earners covered, premium cost, and the expected deaths, work accidents and
  benefit payments among funded workers at the drawn mortality and accident rates.

With every input fixed at its deterministic value the Monte Carlo reproduces
:func:`touna_policy.project` (tested). Draws come from ``numpy.random.default_rng(scenario.seed)``:
the same scenario and seed give identical draws.

Scale: :func:`prepare` computes the deterministic pieces once; :func:`simulate_chunk` takes any
subset of villages (and any subset of draws) and returns :class:`AreaTotals`, sums per area (any
registry column, e.g. ``kecamatan_code`` or ``kabupaten_code``) x draw x year, which add up across
village chunks (``a + b``) and stack across draw chunks (:meth:`AreaTotals.concat_draws`).
:func:`run_monte_carlo` does this with a memory budget, so 83,762 villages x 1,000 draws run in
bounded memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from touna_policy import config
from touna_policy.errors import InputError
from touna_policy.model.measures import share_of
from touna_policy.parameters.distributions import UNCERTAIN_INPUTS, Distribution, quantile

UNCERTAINTY_YAML = config.UNCERTAINTY_YAML
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
    "expected_deaths",
    "expected_work_accidents",
    "expected_benefits_idr",
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


class UncertaintyDefaults(BaseModel):
    """``data/parameters/uncertainty.yaml``: a distribution for every uncertain input."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["synthetic", "estimated", "observed"]
    source: str
    workforce_growth_share_per_year: Distribution
    vulnerable_share_factor: Distribution
    payment_compliance_factor: Distribution
    self_paid_bpu_annual_change: Distribution
    self_paid_lapse_share: Distribution
    mortality_rate_per_year: Distribution
    work_accident_rate_per_year: Distribution


@lru_cache(maxsize=4)
def load_uncertainty_defaults(path: Path = UNCERTAINTY_YAML) -> UncertaintyDefaults:
    """Read and validate the shipped default distributions."""
    from touna_policy.parameters.loading import load_validated

    defaults = load_validated(UncertaintyDefaults, Path(path))
    for name in INPUT_NAMES:
        try:
            getattr(defaults, name).check_range(name)
        except ValueError as exc:
            raise InputError.single(path, f"key '{name}'", getattr(defaults, name).distribution, str(exc)) from None
    return defaults


@dataclass(frozen=True)
class InputDraws:
    """Values of every uncertain input, one row per draw.

    Attributes
    ----------
    values : array (draws, inputs) in the order of :data:`INPUT_NAMES`
    central : the deterministic value of every input
    """

    values: np.ndarray
    central: dict[str, float]

    @property
    def n(self) -> int:
        return self.values.shape[0]

    def __getitem__(self, name: str) -> np.ndarray:
        return self.values[:, INPUT_NAMES.index(name)]

    def take(self, rows) -> InputDraws:
        """A subset of draws (for running draws in chunks)."""
        return InputDraws(self.values[rows], self.central)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.values, columns=list(INPUT_NAMES))


@dataclass
class MonteCarloSetup:
    """The deterministic pieces of a scenario's projection that every draw reuses (villages x years)."""

    scenario: object
    inputs: object
    years: np.ndarray
    quota: np.ndarray
    compliance: np.ndarray
    eligible: np.ndarray
    working: np.ndarray
    base_year: np.ndarray
    self_paid: np.ndarray
    wage: np.ndarray
    channel_base_year: int
    per_worker_year_idr: np.ndarray
    jkm_benefit_idr: np.ndarray
    jkk_payment_idr: np.ndarray
    group_index: np.ndarray
    group_labels: np.ndarray
    distributions: dict[str, Distribution]
    central: dict[str, float]
    fitted_trend: tuple[float, float] | None = None
    synthetic_defaults: bool = False

    @property
    def n_villages(self) -> int:
        return self.quota.shape[0]

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


def compliance_matrix(scenario, villages: pd.DataFrame, years: np.ndarray) -> np.ndarray:
    """Payment compliance per village and year, with the scenario's overrides (as in the projection)."""
    from touna_policy.model.projection import override_masks, year_schedule

    compliance = np.broadcast_to(
        year_schedule(scenario.payment_compliance_share, years, 1.0)[None, :], (len(villages), len(years))
    ).copy()
    for mask, override in zip(override_masks(scenario, villages), scenario.overrides):
        if override.payment_compliance_share is not None:
            values = year_schedule(override.payment_compliance_share, years)
            compliance[np.ix_(mask, ~np.isnan(values))] = values[~np.isnan(values)]
    return compliance


def _resolve_distributions(scenario, central: dict[str, float]) -> tuple[dict[str, Distribution], bool]:
    spec = scenario.uncertainty
    declared = spec.declared()
    defaults = load_uncertainty_defaults() if spec.defaults == "shipped" else None
    out, used_defaults = {}, False
    file = scenario.source_path or "<scenario>"
    for name in INPUT_NAMES:
        if name in declared:
            dist, where, src = declared[name], f"uncertainty.{name}", file
        elif defaults is not None:
            dist, where, src = getattr(defaults, name), name, str(UNCERTAINTY_YAML)
            used_defaults = True
        else:
            dist, where, src = Distribution(distribution="fixed"), name, file
        try:
            dist.check_range(name, central[name])
        except ValueError as exc:
            line = scenario.source_line(where) if src == file else None
            raise InputError.single(
                src,
                f"key '{where}'" + (f" (line {line})" if line else ""),
                f"{dist.distribution} around {central[name]:.6g}",
                str(exc),
            ) from None
        out[name] = dist
    return out, used_defaults


def prepare(scenario, inputs=None, group_by: str | None = "kecamatan_code") -> MonteCarloSetup:
    """The deterministic pieces for ``scenario`` and the distribution of every uncertain input.

    Parameters
    ----------
    group_by : registry column whose areas the Monte Carlo sums over (``kecamatan_code``,
        ``kabupaten_code``...), or ``None`` for the whole area only
    """
    from touna_policy.analysis.benefits import load_benefit_rates
    from touna_policy.calibration.estimation import other_channel_paths
    from touna_policy.model.inputs import load_inputs
    from touna_policy.model.projection import compute
    from touna_policy.parameters.contributions import jkm_death_benefit_idr

    inputs = inputs or load_inputs(scenario.area)
    arrays = compute(scenario, inputs)
    years = arrays.years
    villages = inputs.villages
    channels = other_channel_paths(scenario, inputs)
    rates = load_benefit_rates()
    growth = (
        scenario.workforce_growth_share_per_year
        if scenario.workforce_growth_share_per_year is not None
        else inputs.workforce_growth_share_per_year
    )
    central = {
        "workforce_growth_share_per_year": float(growth),
        "vulnerable_share_factor": 1.0,
        "payment_compliance_factor": 1.0,
        "self_paid_bpu_annual_change": float(channels.self_paid_annual_change),
        "self_paid_lapse_share": 0.0,
        "mortality_rate_per_year": float(rates.mortality(years)[-1]),
        "work_accident_rate_per_year": float(rates.accidents(years)[-1]),
    }
    distributions, used_defaults = _resolve_distributions(scenario, central)
    fitted = None
    if distributions["self_paid_bpu_annual_change"].distribution == "fitted":
        from touna_policy.calibration.estimation import _shipped_trend

        trend = _shipped_trend(inputs.area_code or "0")
        fitted = trend.annual_change("self_paid_bpu", trend.reference_year, int(years[-1]))
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
        years=years,
        quota=np.asarray(arrays.quota_places, dtype=float),
        compliance=compliance_matrix(scenario, villages, years),
        eligible=arrays.eligible_workers,
        working=arrays.working_population,
        base_year=villages["base_year"].to_numpy(dtype=float),
        self_paid=channels.self_paid,
        wage=channels.wage,
        channel_base_year=channels.base_year,
        per_worker_year_idr=arrays.premium_per_worker_year_idr,
        jkm_benefit_idr=jkm_death_benefit_idr(years, inputs.rates),
        jkk_payment_idr=rates.jkk_payment(years),
        group_index=index.astype(np.int64),
        group_labels=labels,
        distributions=distributions,
        central=central,
        fitted_trend=fitted,
        synthetic_defaults=used_defaults,
    )


def draw_inputs(setup: MonteCarloSetup, draws: int | None = None, seed: int | None = None) -> InputDraws:
    """Seeded draws of every uncertain input (``numpy.random.default_rng(seed or scenario.seed)``)."""
    n = int(draws if draws is not None else setup.scenario.uncertainty.draws)
    rng = np.random.default_rng(setup.scenario.seed if seed is None else seed)
    return setup.values_at(rng.random((n, len(INPUT_NAMES))))


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


def simulate_chunk(setup: MonteCarloSetup, draws: InputDraws, villages=None) -> AreaTotals:
    """Run ``draws`` over a chunk of villages (indices, mask or slice; default all) and sum by area.

    Memory is about 12 arrays of draws x villages x years floats.
    """
    idx = np.arange(setup.n_villages)[villages] if villages is not None else np.arange(setup.n_villages)
    years = setup.years
    q, c = setup.quota[idx], setup.compliance[idx]
    e0, w0 = setup.eligible[idx], setup.working[idx]
    g = draws["workforce_growth_share_per_year"][:, None, None]
    gc = setup.central["workforce_growth_share_per_year"]
    since = years[None, :] - setup.base_year[idx][:, None]
    ratio = ((1.0 + g) / (1.0 + gc)) ** since[None, :, :]
    working = w0[None] * ratio
    eligible = np.minimum(e0[None] * draws["vulnerable_share_factor"][:, None, None] * ratio, working)
    funded = np.minimum(q[None], eligible) * (c[None] * draws["payment_compliance_factor"][:, None, None])
    slope = draws["self_paid_bpu_annual_change"] - setup.central["self_paid_bpu_annual_change"]
    path = np.clip(setup.self_paid[None, :] + slope[:, None] * (years - setup.channel_base_year)[None, :], 0.0, 1.0)
    path = path * (1.0 - draws["self_paid_lapse_share"])[:, None]
    covered = np.minimum(funded + path[:, None, :] * (eligible - funded), eligible)
    wage = setup.wage[None, None, :] * np.maximum(working - eligible, 0.0)
    cost = funded * setup.per_worker_year_idr[None, None, :]
    deaths = funded * draws["mortality_rate_per_year"][:, None, None]
    accidents = funded * draws["work_accident_rate_per_year"][:, None, None]
    benefits = deaths * setup.jkm_benefit_idr[None, None, :] + accidents * setup.jkk_payment_idr[None, None, :]
    unused = q[None] - np.minimum(q[None], eligible)
    cells = {
        "eligible_workers": eligible,
        "working_population": working,
        "quota_places": np.broadcast_to(q[None], eligible.shape),
        "funded_workers": funded,
        "covered_workers": covered,
        "wage_earners_covered": wage,
        "premium_cost_idr": cost,
        "unused_quota_places": unused,
        "expected_deaths": deaths,
        "expected_work_accidents": accidents,
        "expected_benefits_idr": benefits,
    }
    groups = setup.group_index[idx]
    n_groups = len(setup.group_labels)
    local, inverse = np.unique(groups, return_inverse=True)
    onehot = np.zeros((len(local), len(idx)))
    onehot[inverse, np.arange(len(idx))] = 1.0
    totals = {}
    for name in TOTALS:
        x = cells[name]
        out = np.zeros((n_groups, draws.n, len(years)))
        out[local] = np.einsum("gi,dit->gdt", onehot, x, optimize=True) if len(local) > 1 else x.sum(axis=1)[None]
        totals[name] = out
    return AreaTotals(years, setup.group_labels, totals)


def villages_per_chunk(draws: int, years: int, memory_mb: float = 512.0) -> int:
    """Villages per chunk so that one chunk's arrays stay within ``memory_mb`` (about 16 arrays live)."""
    return max(1, int(memory_mb * 1e6 / (16 * 8 * max(draws, 1) * max(years, 1))))


def _quantiles(values: np.ndarray, axis: int) -> np.ndarray:
    """p05..p95 ignoring nan (a year without premiums has no benefit ratio: nan, without a warning)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanquantile(values, QUANTILES, axis=axis)


def measures_from_totals(t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Planner's measures (draws x years) from summed totals."""
    return {
        "covered_workers": t["covered_workers"],
        "coverage_share": share_of(t["covered_workers"], t["eligible_workers"]),
        "ucj_coverage_share": share_of(t["covered_workers"] + t["wage_earners_covered"], t["working_population"]),
        "premium_cost_idr": t["premium_cost_idr"],
        "funded_workers": t["funded_workers"],
        "expected_benefits_idr": t["expected_benefits_idr"],
        "benefit_premium_ratio": share_of(t["expected_benefits_idr"], t["premium_cost_idr"]),
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
            t = simulate_chunk(self.setup, self.setup.central_draws(1))
            self._central = {k: v[0] for k, v in measures_from_totals(t.whole_area()).items()}
        return self._central

    def fan(self, measures: tuple[str, ...] = MEASURES) -> pd.DataFrame:
        """``fan.csv``: scenario, year, measure, p05, p25, p50, p75, p95, deterministic."""
        m, det = self.measures(), self.deterministic()
        frames = []
        for name in measures:
            q = _quantiles(m[name], axis=0)
            frame = pd.DataFrame({"scenario": self.scenario.name, "year": self.years, "measure": name})
            for col, row in zip(QUANTILE_COLUMNS, q):
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
        for col, row in zip(QUANTILE_COLUMNS, q):
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


def simulate(setup: MonteCarloSetup, draws: InputDraws, memory_mb: float = 512.0) -> AreaTotals:
    """All villages and draws, in chunks whose working arrays stay well within ``memory_mb``.

    Runs the lean chunked kernel of :func:`touna_policy.model.areas.simulate_chunked` (tested against
    :func:`simulate_chunk`, the plain reference kernel, to 1e-11).
    """
    from touna_policy.model.areas import simulate_chunked

    # the lean kernel keeps about a dozen float64 arrays of one chunk alive at once
    cells = int(max(10_000, memory_mb * 2**20 / (8 * 12)))
    return simulate_chunked(setup, draws, cells=min(cells, 400_000))


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
