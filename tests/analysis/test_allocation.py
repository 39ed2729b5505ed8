"""Comparing allocation rules: spread indices, total places and cost kept, gainers and losers."""

import numpy as np
import pytest

from touna_policy.analysis.allocation import compare_allocations, gini, theil
from touna_policy.scenario import scenario_from_dict

BASE = {
    "name": "t",
    "title": "t",
    "quota_per_village": {"desa": {2024: 100, 2026: 150}, "kelurahan": {2025: 100, 2026: 150}},
}


def test_gini_and_theil_are_zero_for_equal_values_and_known_for_one_holder():
    assert gini(np.array([0.3, 0.3, 0.3])) == pytest.approx(0.0)
    assert theil(np.array([0.3, 0.3, 0.3])) == pytest.approx(0.0)
    assert gini(np.array([0.0, 0.0, 0.0, 1.0])) == pytest.approx(0.75)  # (n-1)/n
    assert theil(np.array([0.0, 0.0, 0.0, 1.0])) == pytest.approx(np.log(4))


def test_comparison_keeps_total_places_and_cost_and_counts_gainers(inputs):
    s = scenario_from_dict(BASE)
    c = compare_allocations(s, inputs, 2030)
    summ = c.summary.set_index("rule")
    assert list(summ.index) == ["equal", "proportional", "capped_mix"]
    assert (summ["quota_places"] == 21_900).all()
    assert summ["premium_cost_idr"].nunique() == 1  # same cost: no village has fewer workers than 150
    assert (summ.loc["equal", ["villages_gaining", "villages_losing"]] == 0).all()
    prop = c.villages[c.villages["rule"] == "proportional"]
    # kelurahan hold ~3.55 times a desa's population: they gain places under the proportional rule
    assert (prop.loc[prop["type"] == "kelurahan", "covered_change_vs_equal"] > 0).all()
    assert summ.loc["proportional", "village_coverage_gini"] < summ.loc["equal", "village_coverage_gini"]
    assert summ.loc["equal", "covered_workers"] == pytest.approx(summ.loc["proportional", "covered_workers"])
