"""Goal seeking: what it takes to reach a coverage target by a chosen year, and when a scenario gets there.

Three answers for a target (``coverage_share`` of vulnerable workers, or ``ucj_coverage_share`` of
the working population) in a target year:

- **funded workers needed** (whole workers) and their annual premium budget. In the kernel the
  covered workers of a year depend on the funded total only: covered = funded + s x (eligible -
  funded), with s the self-paying share, so the smallest whole number of funded workers has a closed
  form (:func:`touna_policy.model.kernel.funded_for_covered`) and covers at most one worker more than
  the target (tested);
- **the smallest uniform quota per village** (the same number for every desa and kelurahan from a
  chosen year) that reaches the target, found by bisection on the projection, with the annual
  premium budget it costs;
- **the year the scenario reaches the target** as it stands (or ``None``), and, given a Monte Carlo,
  the probability of reaching it by the target year.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np

from touna_policy import config
from touna_policy.errors import InputError
from touna_policy.model.kernel import covered_workers, funded_for_covered
from touna_policy.model.measures import covered_for_share
from touna_policy.model.projection import ProjectionResult, project
from touna_policy.parameters.distributions import TargetSpec
from touna_policy.parameters.loading import load_validated

MEASURES = ("coverage_share", "ucj_coverage_share")
PLANNING_TARGETS_YAML = config.PLANNING_TARGETS_YAML


class PlanningTarget(TargetSpec):
    """``data/parameters/planning_targets.yaml``: the target asked about when a scenario sets none."""

    status: Literal["illustrative", "official"]
    note: str = ""


@lru_cache(maxsize=4)
def load_planning_target(path: Path = PLANNING_TARGETS_YAML) -> PlanningTarget:
    """Read and validate the default planning target (errors name the file, key and line)."""
    return load_validated(PlanningTarget, Path(path))


def scenario_target(scenario) -> tuple[str, float, int, bool]:
    """``(measure, share, year, from_scenario)``: the scenario's ``targets`` or the planning target,
    with the year kept inside the scenario's horizon."""
    t = scenario.targets
    own = t is not None
    t = t or load_planning_target()
    year = min(max(int(t.year), scenario.horizon.start_year), scenario.horizon.end_year)
    return t.measure, float(t.share), year, own


@dataclass
class GoalSeekAnswer:
    """The goal-seek answer for one scenario and target (written as ``goal_seek.json``)."""

    scenario: str
    measure: str
    target_share: float
    target_year: int
    reachable: bool
    max_achievable_share: float
    target_covered_workers: float
    funded_workers_needed: int | None
    places_needed: int | None
    annual_budget_needed_idr: float | None
    covered_at_workers_needed: float | None
    uniform_quota_per_village: int | None
    quota_from_year: int
    share_at_quota: float | None
    share_at_quota_minus_one: float | None
    funded_workers_at_quota: float | None
    annual_premium_budget_at_quota_idr: float | None
    premium_budget_per_village_at_quota_idr: float | None
    scenario_share_in_target_year: float
    year_reached_by_scenario: int | None
    probability_reaching_by_target_year: float | None = None

    def as_dict(self) -> dict:
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in asdict(self).items()}


def _check(measure: str, share: float, year: int, scenario) -> None:
    file = scenario.source_path or "<goal seek>"
    if measure not in MEASURES:
        raise InputError.single(file, "targets.measure", repr(measure), f"one of {', '.join(MEASURES)}")
    if not 0 < share <= 1:
        raise InputError.single(file, "targets.share", repr(share), "a share above 0 and at most 1")
    if not scenario.horizon.start_year <= year <= scenario.horizon.end_year:
        raise InputError.single(
            file,
            "targets.year",
            str(year),
            f"a year of the horizon, {scenario.horizon.start_year}-{scenario.horizon.end_year}",
        )


def year_reached(result: ProjectionResult, measure: str, share: float) -> int | None:
    """First year in which the projection's ``measure`` is at least ``share`` (``None`` if never)."""
    d = result.district
    hit = d.loc[d[measure].to_numpy() >= share - 1e-12, "year"]
    return int(hit.iloc[0]) if len(hit) else None


def with_uniform_quota(scenario, quota: int, from_year: int):
    """``scenario`` with the same quota for every desa and kelurahan from ``from_year`` (earlier years kept)."""
    q = scenario.quota_per_village
    desa = {k: v for k, v in q.desa.items() if k < from_year} | {from_year: int(quota)}
    kel = {k: v for k, v in q.kelurahan.items() if k < from_year} | {from_year: int(quota)}
    return scenario.model_copy(update={"quota_per_village": q.model_copy(update={"desa": desa, "kelurahan": kel})})


def _row(result: ProjectionResult, year: int):
    return result.district.set_index("year").loc[year]


def target_covered_workers(row, measure: str, share: float) -> float:
    """Covered vulnerable workers needed for ``share`` in the year of the district ``row``."""
    return covered_for_share(
        measure,
        share,
        float(row["eligible_workers"]),
        float(row["working_population"]),
        float(row["wage_earners_covered"]),
    )


def funded_needed(result: ProjectionResult, measure: str, share: float, year: int) -> dict:
    """Smallest whole number of funded workers reaching the target in ``year``, and its budget.

    covered = funded + s x (eligible - funded) (s = self-paying share of the year), so
    funded* = (target covered - s x eligible) / (1 - s), rounded up to a whole worker.
    """
    row = _row(result, year)
    s = float(result.arrays.self_paid_share[np.flatnonzero(result.years == year)[0]])
    eligible = float(row["eligible_workers"])
    need = target_covered_workers(row, measure, share)
    exact = funded_for_covered(need, eligible, s)
    funded = int(math.ceil(exact - 1e-9))
    if funded > eligible + 1e-9:
        return {"reachable": False, "funded": None, "covered": None, "need": need}
    compliance = (
        float(row["funded_workers"] / min(row["quota_places"], row["eligible_workers"]))
        if (row["quota_places"] > 0 and row["funded_workers"] > 0)
        else 1.0
    )
    places = int(math.ceil(funded / compliance - 1e-9)) if compliance > 0 else None
    per_worker = float(row["premium_per_worker_year_idr"])
    return {
        "reachable": True,
        "funded": funded,
        "places": places,
        "need": need,
        "covered": float(covered_workers(funded, s * (eligible - funded), eligible)),
        "budget": funded * per_worker,
    }


def goal_seek(
    scenario,
    measure: str | None = None,
    share: float | None = None,
    year: int | None = None,
    inputs=None,
    from_year: int | None = None,
    monte_carlo=None,
) -> GoalSeekAnswer:
    """Goal-seek a coverage target for ``scenario``.

    Parameters
    ----------
    measure, share, year : the target (default: the scenario's ``targets`` section, else
        ``data/parameters/planning_targets.yaml``)
    from_year : first year of the uniform quota (default: the target year)
    monte_carlo : a :class:`~touna_policy.analysis.uncertainty.MonteCarloResult` of the scenario, for the
        probability of reaching the target by the target year
    """
    t = scenario.targets
    if t is None and measure is None and share is None and year is None:
        measure, share, year, _ = scenario_target(scenario)
    measure = measure or (t.measure if t else None)
    share = share if share is not None else (t.share if t else None)
    year = int(year if year is not None else (t.year if t else 0))
    if measure is None or share is None or not year:
        raise InputError.single(
            scenario.source_path or "<goal seek>",
            "key 'targets'",
            "no target",
            "a target: measure, share and year (in the scenario or as arguments)",
        )
    _check(measure, share, year, scenario)
    from_year = int(from_year if from_year is not None else year)
    base = project(scenario, inputs)
    inputs = base.inputs
    row = _row(base, year)
    needed = funded_needed(base, measure, share, year)

    shares: dict[int, float] = {}  # each quota is projected once
    smallest: tuple[int, ProjectionResult] | None = None  # the smallest quota seen to reach the target

    def share_at(q: int) -> float:
        nonlocal smallest
        if q not in shares:
            r = project(with_uniform_quota(scenario, q, from_year), inputs)
            shares[q] = float(_row(r, year)[measure])
            if shares[q] >= share - 1e-12 and (smallest is None or q < smallest[0]):
                smallest = (q, r)  # only this projection is kept (a national one is large)
        return shares[q]

    top = int(math.ceil(float(base.villages.loc[base.villages["year"] == year, "eligible_workers"].max())))
    max_share = share_at(top)
    quota = share_q = share_q1 = funded_q = cost_q = None
    if max_share >= share - 1e-12:
        lo, hi = 0, top  # share_at(hi) reaches the target; find the smallest such quota
        if share_at(0) >= share - 1e-12:
            hi = 0
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if share_at(mid) >= share - 1e-12:
                hi = mid
            else:
                lo = mid
        quota = hi
        share_q = share_at(quota)
        share_q1 = share_at(quota - 1) if quota > 0 else None
        assert smallest is not None and smallest[0] == quota  # the bisection ends on the smallest reaching quota
        rq = _row(smallest[1], year)
        funded_q, cost_q = float(rq["funded_workers"]), float(rq["premium_cost_idr"])
    n_villages = len(inputs.villages)
    prob = monte_carlo.probability_reaching(measure, share, year) if monte_carlo is not None else None
    return GoalSeekAnswer(
        scenario=scenario.name,
        measure=measure,
        target_share=float(share),
        target_year=year,
        reachable=bool(needed["reachable"] and quota is not None),
        max_achievable_share=max_share,
        target_covered_workers=float(needed["need"]),
        funded_workers_needed=needed.get("funded"),
        places_needed=needed.get("places"),
        annual_budget_needed_idr=needed.get("budget"),
        covered_at_workers_needed=needed.get("covered"),
        uniform_quota_per_village=quota,
        quota_from_year=from_year,
        share_at_quota=share_q,
        share_at_quota_minus_one=share_q1,
        funded_workers_at_quota=funded_q,
        annual_premium_budget_at_quota_idr=cost_q,
        premium_budget_per_village_at_quota_idr=(cost_q / n_villages if cost_q is not None else None),
        scenario_share_in_target_year=float(row[measure]),
        year_reached_by_scenario=year_reached(base, measure, share),
        probability_reaching_by_target_year=prob,
    )
