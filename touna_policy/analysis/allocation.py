"""Comparing allocation rules: a scenario under each rule at the same total places.

:func:`compare_allocations` runs a scenario under each rule of :mod:`touna_policy.model.allocation`
and reports unused quota, the spread of coverage across villages and kecamatan (min, max, Gini and
Theil indices) and the villages that gain or lose workers covered against the equal rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from touna_policy.model.allocation import ALLOCATION_RULES
from touna_policy.model.inputs import load_inputs
from touna_policy.model.measures import coverage_share
from touna_policy.model.projection import project


def gini(values: np.ndarray, axis: int = 0) -> np.ndarray:
    """Gini index of non-negative values along ``axis`` (0 = all equal, towards 1 = concentrated)."""
    x = np.sort(np.asarray(values, dtype=float), axis=axis)
    x = np.moveaxis(x, axis, 0)
    n = x.shape[0]
    total = x.sum(axis=0)
    ranks = np.arange(1, n + 1).reshape((n,) + (1,) * (x.ndim - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        g = (2.0 * (ranks * x).sum(axis=0) / (n * total)) - (n + 1.0) / n
    return np.where(total > 0, g, 0.0)


def theil(values: np.ndarray, axis: int = 0) -> np.ndarray:
    """Theil T index of non-negative values along ``axis`` (0 = all equal, ln(n) = all in one)."""
    x = np.moveaxis(np.asarray(values, dtype=float), axis, 0)
    mean = x.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(mean > 0, x / np.where(mean > 0, mean, 1.0), 0.0)
        terms = np.where(r > 0, r * np.log(np.where(r > 0, r, 1.0)), 0.0)
    return terms.mean(axis=0)


@dataclass
class AllocationComparison:
    """A scenario run under several allocation rules at the same total places.

    Attributes
    ----------
    villages : one row per rule and village in ``year``: places, funded, unused, covered, eligible,
        coverage share, cost, and the change in covered workers against the equal rule
    kecamatan : the same by kecamatan
    summary : one row per rule: total places, funded, unused places, cost, coverage, spread of village
        and kecamatan coverage (min, max, Gini, Theil), villages gaining and losing against equal
    year : the year compared
    """

    villages: pd.DataFrame
    kecamatan: pd.DataFrame
    summary: pd.DataFrame
    year: int


def compare_allocations(
    scenario, inputs=None, year: int | None = None, rules: tuple[str, ...] = ALLOCATION_RULES
) -> AllocationComparison:
    """Project ``scenario`` under each rule in ``rules`` and compare them in ``year`` (default: last year).

    The equal rule is always included as the reference for gainers and losers.
    """
    inputs = inputs or load_inputs(scenario.area)
    rules = tuple(dict.fromkeys(("equal",) + tuple(rules)))
    year = int(year if year is not None else scenario.horizon.end_year)
    cols = [
        "code",
        "village",
        "type",
        "kecamatan_code",
        "kecamatan",
        "quota_places",
        "funded_workers",
        "unused_quota_places",
        "covered_workers",
        "eligible_workers",
        "coverage_share",
        "premium_cost_idr",
    ]
    frames = []
    for rule in rules:
        result = project(scenario.model_copy(update={"allocation_rule": rule}), inputs)
        v = result.villages
        v = v.loc[v["year"] == year, cols].reset_index(drop=True)
        v.insert(0, "rule", rule)
        frames.append(v)
    base = frames[0]["covered_workers"].to_numpy()
    for f in frames:
        f["covered_change_vs_equal"] = f["covered_workers"].to_numpy() - base
    villages = pd.concat(frames, ignore_index=True)
    villages.insert(0, "year", year)
    villages.insert(0, "scenario", scenario.name)

    sums = [
        "quota_places",
        "funded_workers",
        "unused_quota_places",
        "covered_workers",
        "eligible_workers",
        "premium_cost_idr",
    ]
    kec = (
        villages.groupby(["scenario", "year", "rule", "kecamatan_code", "kecamatan"], sort=False)[sums]
        .sum()
        .reset_index()
    )
    kec["coverage_share"] = coverage_share(kec["covered_workers"].to_numpy(), kec["eligible_workers"].to_numpy())

    rows = []
    for rule in rules:
        v = villages[villages["rule"] == rule]
        k = kec[kec["rule"] == rule]
        change = v["covered_change_vs_equal"].to_numpy()
        rows.append(
            {
                "scenario": scenario.name,
                "year": year,
                "rule": rule,
                **{c: float(v[c].sum()) for c in sums},
                "coverage_share": float(coverage_share(v["covered_workers"].sum(), v["eligible_workers"].sum())),
                "villages_with_unused_quota": int((v["unused_quota_places"] > 0.5).sum()),
                "village_coverage_min": float(v["coverage_share"].min()),
                "village_coverage_max": float(v["coverage_share"].max()),
                "village_coverage_gini": float(gini(v["coverage_share"].to_numpy())),
                "village_coverage_theil": float(theil(v["coverage_share"].to_numpy())),
                "kecamatan_coverage_min": float(k["coverage_share"].min()),
                "kecamatan_coverage_max": float(k["coverage_share"].max()),
                "kecamatan_coverage_gini": float(gini(k["coverage_share"].to_numpy())),
                "villages_gaining": int((change > 0.5).sum()),
                "villages_losing": int((change < -0.5).sum()),
                "covered_change_vs_equal": float(change.sum()),
            }
        )
    return AllocationComparison(villages, kec, pd.DataFrame(rows), year)
