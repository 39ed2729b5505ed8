"""The Monte Carlo agrees with the central projection (issue 11 section 4)."""

import numpy as np
import pytest

import touna_policy as tp
from touna_policy import config
from touna_policy.analysis.uncertainty import draw_inputs, prepare, run_monte_carlo, simulate_chunked
from touna_policy.model.kernel import village_uniforms

SCENARIOS = config.SCENARIOS_DIR
SYMMETRIC = ("covered_workers", "coverage_share", "ucj_coverage_share", "funded_workers")


@pytest.fixture(scope="module")
def fan(inputs):
    return run_monte_carlo(tp.load_scenario(SCENARIOS / "satu-miliar-150.yaml"), inputs, draws=400).fan()


@pytest.fixture(scope="module", params=["baseline-100", "satu-miliar-150", "proportional-150"])
def shipped_fan(request, inputs):
    return run_monte_carlo(tp.load_scenario(SCENARIOS / f"{request.param}.yaml"), inputs, draws=400).fan()


def test_deterministic_lies_between_p05_and_p95_for_every_measure_and_year(shipped_fan):
    f = shipped_fan.dropna(subset=["p05"])
    tol = 1e-9 * f["deterministic"].abs()
    assert ((f["p05"] - tol <= f["deterministic"]) & (f["deterministic"] <= f["p95"] + tol)).all()


def test_deterministic_lies_between_p25_and_p75_where_the_inputs_are_symmetric(shipped_fan):
    f = shipped_fan[shipped_fan["measure"].isin(SYMMETRIC) & (shipped_fan["year"] >= 2024)]
    tol = 1e-9 * f["deterministic"].abs()
    assert ((f["p25"] - tol <= f["deterministic"]) & (f["deterministic"] <= f["p75"] + tol)).all()


def test_2026_premium_band_spans_both_answers_on_the_apbdes_relief(fan):
    row = fan[(fan["measure"] == "premium_cost_idr") & (fan["year"] == 2026)].iloc[0]
    assert row["p05"] == pytest.approx(20_100 * 126_000 + 1_800 * 201_600)  # relief granted to APBDes
    assert row["p95"] == pytest.approx(21_900 * 201_600)  # refused
    assert row["deterministic"] == 21_900 * 201_600  # the scenario's prudent answer


def test_deterministic_compliance_is_the_distribution_mean_after_the_observed_years(satu_miliar):
    d = satu_miliar.district.set_index("year")
    assert d.loc[2024, "funded_workers"] == 13_400  # observed (seed): no arrears
    assert d.loc[2025, "funded_workers"] == 14_600  # observed (kabarmaleo)
    assert d.loc[2027, "funded_workers"] == pytest.approx(21_900 * 0.95)  # beta mean 0.95, uncertainty.yaml
    assert d.loc[2027, "billed_places"] == 21_900  # arrears lower the paid-up workers, not the bill


def test_per_village_compliance_draws_do_not_depend_on_chunks_or_tasks(inputs):
    s = tp.load_scenario(SCENARIOS / "satu-miliar-150.yaml")
    setup = prepare(s, inputs)
    draws = draw_inputs(setup, 60)
    a = simulate_chunked(setup, draws, cells=10_000, tasks=1).totals["funded_workers"]
    b = simulate_chunked(setup, draws, cells=1_000_000, tasks=8).totals["funded_workers"]
    assert np.array_equal(a.sum(axis=0), b.sum(axis=0)) or np.allclose(a.sum(axis=0), b.sum(axis=0), rtol=1e-13)


def test_per_village_uniforms_are_a_pure_function_of_draw_and_village():
    keys, villages = np.array([1, 2, 3], dtype=np.uint64), np.array([7209012001, 7209012002], dtype=np.uint64)
    u = village_uniforms(keys, villages)
    assert np.array_equal(u[:, 1], village_uniforms(keys, villages[1:])[:, 0])
    assert ((u > 0) & (u < 1)).all() and len(np.unique(u)) == 6


def test_arrears_are_drawn_per_desa_not_once_for_the_district(inputs):
    s = tp.load_scenario(SCENARIOS / "satu-miliar-150.yaml")
    setup = prepare(s, inputs)
    draws = draw_inputs(setup, 200)
    funded = simulate_chunked(setup, draws).whole_area()["funded_workers"][:, setup.years == 2027][:, 0]
    # 146 independent desa, each with its factor f (beta mean 0.95, sd 0.04) and 12 months paid with
    # probability f: a desa's share of months paid has variance 0.04^2 + E[f (1 - f)] / 12
    # = 0.0016 + (0.95 - 0.04^2 - 0.95^2) / 12 = 0.005425, so the district's sd is
    # sqrt(0.005425 / 146) = 0.61 % of the places (drawn once for the district it would be 4 % or more)
    sd = np.sqrt((0.04**2 + (0.95 - 0.04**2 - 0.95**2) / 12) / 146)
    assert sd * 0.75 < funded.std() / 21_900 < sd * 1.5
    assert funded.mean() / 21_900 == pytest.approx(0.95, abs=0.002)
