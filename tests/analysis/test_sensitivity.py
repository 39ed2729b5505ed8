"""Tornado and Sobol indices: known directions and zero effects."""

import numpy as np
import pytest

import touna_policy as tp
from touna_policy.analysis import sensitivity as se
from touna_policy.scenario import scenario_from_dict

BASE = {"name": "t", "title": "t", "quota_per_village": {"desa": {2024: 100}, "kelurahan": {2025: 100}}}


@pytest.fixture(scope="module")
def shipped_scenario():
    return tp.load_scenario(tp.config.SCENARIOS_DIR / "satu-miliar-150.yaml")


def test_tornado_2026_cost_moves_only_with_the_apbdes_relief_answer(inputs, shipped_scenario):
    t = se.tornado(shipped_scenario, inputs, 2026)
    cost = t[t["measure"] == "premium_cost_idr"].set_index("input")["swing"]
    # relief granted or not on 20,100 desa places: 20,100 x (201,600 - 126,000)
    assert cost["apbdes_relief_granted"] == pytest.approx(20_100 * (201_600 - 126_000))
    assert (cost.drop("apbdes_relief_granted") == 0).all()  # arrears lower paid-up workers, not the bill
    assert t.loc[t["measure"] == "premium_cost_idr", "measure_deterministic"].iloc[0] == pytest.approx(
        21_900 * 12 * 16_800
    )


def test_tornado_2030_cost_is_the_bill_whatever_the_inputs(inputs, shipped_scenario):
    t = se.tornado(shipped_scenario, inputs, 2030)
    assert (t.loc[t["measure"] == "premium_cost_idr", "swing"] == 0).all()


def test_tornado_coverage_falls_when_there_are_more_vulnerable_workers(inputs, shipped_scenario):
    t = se.tornado(shipped_scenario, inputs, 2030).set_index(["measure", "input"])
    row = t.loc[("coverage_share", "vulnerable_share_factor")]
    assert row["input_high"] > row["input_low"] and row["measure_at_high"] < row["measure_at_low"]


def test_tornado_of_fixed_inputs_is_empty(inputs):
    s = scenario_from_dict({**BASE, "uncertainty": {"defaults": "none"}})
    assert se.tornado(s, inputs).empty


def test_sobol_puts_all_2026_cost_variance_on_the_relief_answer_and_none_on_mortality(inputs, shipped_scenario):
    s = se.sobol_indices(shipped_scenario, inputs, 2026, base_samples=64).set_index(["measure", "input"])
    assert s.loc[("premium_cost_idr", "apbdes_relief_granted"), "ST"] == pytest.approx(1.0, abs=0.15)
    assert s.loc[("coverage_share", "mortality_rate_per_year"), "ST"] == pytest.approx(0.0, abs=1e-12)
    assert np.isfinite(s["S1"]).all()
