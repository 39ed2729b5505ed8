"""The report notebooks' kept Monte Carlo: notebook 08 reads the draws of notebook 06, and nothing
that changes the result (scenario, inputs, grouping, seed, draws) reads a kept run."""

import dataclasses

import numpy as np
import pytest

from touna_policy.analysis import uncertainty as un
from touna_policy.scenario import scenario_from_dict

BASE = {
    "name": "t",
    "title": "t",
    "quota_per_village": {"desa": {2024: 100, 2026: 150}, "kelurahan": {2025: 100, 2026: 150}},
    "uncertainty": {"draws": 40},
}


def scenario(**changes):
    return scenario_from_dict({**BASE, **changes})


@pytest.fixture(autouse=True)
def no_kept_runs(monkeypatch):
    monkeypatch.setattr(un, "_RESULTS", {})


def test_kept_run_equals_a_fresh_monte_carlo_of_the_same_setup_and_seed(inputs):
    setup = un.prepare(scenario(), inputs)
    kept = un.report_monte_carlo(setup, seed=11)
    fresh = un.run_monte_carlo(setup.scenario, inputs, draws=un.report_draws(setup), seed=11, setup=setup)
    assert np.array_equal(kept.draws.values, fresh.draws.values)
    for name in un.TOTALS:
        assert np.array_equal(kept.totals.totals[name], fresh.totals.totals[name])


def test_a_second_notebook_with_an_equal_setup_reads_the_kept_draws_without_running_again(inputs, monkeypatch):
    first = un.report_monte_carlo(un.prepare(scenario(), inputs), seed=11)
    monkeypatch.setattr(un, "simulate", lambda *a, **k: pytest.fail("the Monte Carlo ran again"))
    again = un.report_monte_carlo(un.prepare(scenario(), inputs), seed=11)  # a new setup, as in notebook 08
    assert again.totals is first.totals and again.draws is first.draws


@pytest.mark.parametrize(
    "change",
    [
        "seed",
        "draws",
        "quota",
        "uncertainty range",
        "grouping",
        "inputs",
    ],
)
def test_any_change_of_what_the_result_depends_on_runs_the_monte_carlo_again(inputs, change):
    first = un.report_monte_carlo(un.prepare(scenario(), inputs), seed=11)
    seed, group_by, data, sc = 11, "kecamatan_code", inputs, scenario()
    if change == "seed":
        seed = 12
    elif change == "draws":
        sc = scenario(uncertainty={"draws": 41})
    elif change == "quota":
        sc = scenario(quota_per_village={"desa": {2024: 100, 2026: 151}, "kelurahan": {2025: 100, 2026: 150}})
    elif change == "uncertainty range":
        sc = scenario(
            uncertainty={"draws": 40, "vulnerable_share_factor": {"distribution": "uniform", "low": 0.8, "high": 1.1}}
        )
    elif change == "grouping":
        group_by = None
    else:  # one village's workforce changed in memory, no file changed
        villages = inputs.villages.copy()
        villages.loc[villages.index[0], "vulnerable_workers"] += 1
        data = dataclasses.replace(inputs, villages=villages)
    other = un.report_monte_carlo(un.prepare(sc, data, group_by=group_by), seed=seed)
    assert other.totals is not first.totals
    fresh_setup = un.prepare(sc, data, group_by=group_by)
    fresh = un.run_monte_carlo(sc, data, draws=un.report_draws(fresh_setup), seed=seed, setup=fresh_setup)
    assert np.array_equal(other.totals.totals["covered_workers"], fresh.totals.totals["covered_workers"])


def test_kept_arrays_are_read_only_so_no_notebook_changes_what_the_next_reads(inputs):
    mc = un.report_monte_carlo(un.prepare(scenario(), inputs), seed=11)
    with pytest.raises(ValueError, match="read-only"):
        mc.totals.totals["covered_workers"][0, 0, 0] = 0.0
    with pytest.raises(ValueError, match="read-only"):
        mc.draws.values[0, 0] = 0.0


def test_at_most_the_kept_number_of_runs_stay_and_the_oldest_goes_first(inputs):
    setups = [un.prepare(scenario(), inputs) for _ in range(un.RESULTS_KEPT + 1)]
    for seed, setup in enumerate(setups):
        un.report_monte_carlo(setup, seed=seed)
    assert len(un._RESULTS) == un.RESULTS_KEPT
    assert {key[2] for key in un._RESULTS} == set(range(1, un.RESULTS_KEPT + 1))
