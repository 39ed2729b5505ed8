"""The monthly payment probability (issue 12): the scenario's ``payment_probability``, its default in
participation.yaml, the deterministic expected value and the Monte Carlo's monthly draws, checked by hand."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

import touna_policy as tp
from touna_policy.analysis import uncertainty as un
from touna_policy.errors import InputError
from touna_policy.model.arrears import payment_probability
from touna_policy.model.engine_inputs import resolve_engine_inputs
from touna_policy.model.kernel import (
    QUANTILE_GRID,
    binomial_counts,
    class_uniforms,
    month_class_keys,
    month_classes,
)
from touna_policy.parameters.participation import load_participation_parameters
from touna_policy.scenario import load_scenario, scenario_from_dict

from ..conftest import SCENARIOS

SATU_MILIAR = {
    "name": "t",
    "title": "t",
    "quota_per_village": {"desa": {2024: 100, 2026: 150}, "kelurahan": {2025: 100, 2026: 150}},
}
WALEA = "Walea Besar"  # 8 desa, 150 places each from 2026 (their eligible workers exceed 150)
RATE_IDR = 16_800  # one APBDes-paid worker's month at Rp 1,000,000 declared income


def _scenario(**changes):
    return scenario_from_dict({**SATU_MILIAR, **changes})


def _walea(inputs) -> np.ndarray:
    return (inputs.villages["kecamatan"] == WALEA).to_numpy()


def test_the_default_monthly_payment_probability_is_the_central_compliance_and_self_payers_the_bpu_anchor():
    p = load_participation_parameters()
    assert (p.monthly_payment_probability.value, p.monthly_payment_probability.status) == (0.95, "assumption")
    assert "19 December 2025" in p.monthly_payment_probability.reference
    assert p.default_payment_probability("apbdes") == 0.95
    assert p.default_payment_probability("self") == pytest.approx(1 - 0.096, abs=1e-15)


def test_entries_apply_in_the_order_written_to_their_villages_and_months(inputs):
    s = _scenario(
        payment_probability=[
            {"type": "desa", "probability_per_month": 0.9},
            {"kecamatan": WALEA, "probability_per_month": 0.5, "from_month": "2027-04", "to_month": "2027-06"},
        ]
    )
    p = payment_probability(s, inputs.villages, np.zeros(146, dtype=np.int64), np.array([0.95, 0.95, 0.95, 0.95]))
    walea, kelurahan = _walea(inputs), (inputs.villages["type"] == "kelurahan").to_numpy()
    april_2027 = (2027 - 2023) * 12 + 3
    assert p.shape == (146, 13 * 12)
    assert (p[kelurahan] == 0.95).all()  # no entry names them: the default
    assert (p[walea][:, april_2027 : april_2027 + 3] == 0.5).all()
    assert (p[walea][:, april_2027 + 3] == 0.9).all() and (p[walea][:, april_2027 - 1] == 0.9).all()


def test_an_unknown_kecamatan_in_payment_probability_is_refused_with_its_key(inputs):
    s = _scenario(payment_probability=[{"kecamatan": "Walea Besr", "probability_per_month": 0.5}])
    with pytest.raises(InputError, match=r"payment_probability.0.kecamatan.*did you mean 'Walea Besar'"):
        resolve_engine_inputs(s, inputs)


def test_a_probability_above_one_and_to_month_before_from_month_are_refused(tmp_path):
    head = "name: x\ntitle: x\npayment_probability:\n"
    path = tmp_path / "s.yaml"
    path.write_text(head + "  - type: desa\n    probability_per_month: 1.2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"payment_probability.0.probability_per_month. \(line 5\)"):
        load_scenario(path)
    path.write_text(
        head + "  - type: desa\n    probability_per_month: 0.5\n    from_month: 2027-05\n    to_month: 2027-01\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="to_month 2027-01 is before from_month 2027-05"):
        load_scenario(path)


def test_shipped_scenarios_have_no_payment_probability_ratio_so_their_numbers_stay(inputs):
    for name in ("baseline-100", "satu-miliar-150", "proportional-150", "arrears-2025"):
        engine = resolve_engine_inputs(tp.load_scenario(SCENARIOS / f"{name}.yaml"), inputs)
        assert engine.kernel.payment_probability_ratio is None, name


def test_deterministic_projection_takes_the_probability_as_the_expected_share_of_months_paid(inputs, satu_miliar):
    # Walea Besar at 0.5 a month from 2026: 8 desa x 150 places x 0.95 x 0.5 / 0.95 = 600 paid-up
    # workers instead of 8 x 142.5 = 1,140; the observed years 2024-2025 stay 100 per desa
    s = _scenario(payment_probability=[{"kecamatan": WALEA, "probability_per_month": 0.5, "from_month": "2026-01"}])
    r = tp.project(s, inputs)
    walea, years = _walea(inputs), list(r.years)
    funded = r.arrays.funded_workers[walea]
    assert funded[:, years.index(2026)].sum() == pytest.approx(600.0, rel=1e-12)
    assert funded[:, years.index(2025)].sum() == 800.0
    d, base = r.district.set_index("year"), satu_miliar.district.set_index("year")
    assert d.at[2026, "active_workers"] == pytest.approx(base.at[2026, "active_workers"] - (1_140 - 600), rel=1e-12)
    assert d.at[2026, "premium_cost_idr"] == base.at[2026, "premium_cost_idr"]  # the bill the desa budget for


def test_self_paying_places_lapse_at_the_bpu_non_active_share(inputs):
    # payers: self for Walea Besar: 150 places x (1 - 0.096) = 135.6 paid-up workers per desa from 2026
    s = _scenario(payers={"overrides": [{"kecamatan": WALEA, "payer": "self"}]})
    r = tp.project(s, inputs)
    funded = r.arrays.funded_workers[_walea(inputs), list(r.years).index(2026)]
    np.testing.assert_allclose(funded, np.full(8, 150 * 0.904), rtol=1e-12)


def test_class_uniforms_depend_on_the_calendar_year_not_the_horizon():
    keys, villages = np.array([11, 12], dtype=np.uint64), np.array([7209092001], dtype=np.uint64)
    a = class_uniforms(keys, villages, month_class_keys(np.arange(2023, 2026), 3))
    b = class_uniforms(keys, villages, month_class_keys(np.arange(2024, 2026), 2))
    assert a.shape == (2, 3, 3, 1) and np.array_equal(a[:, 1:, :2], b) and ((a > 0) & (a < 1)).all()


def test_a_year_s_months_fall_into_classes_of_equal_probability_and_plan_in_order_of_their_first_month():
    # one village, one year: 0.5 in April-June, unpaid (arrears) October-December, 1 otherwise
    ratio = np.ones((1, 12))
    ratio[0, 3:6] = 0.5
    paid = np.ones((1, 12), dtype=bool)
    paid[0, 9:] = False
    c = month_classes(ratio, paid, 1)
    assert c.n.tolist() == [[[6, 3, 3]]]
    assert c.ratio.tolist() == [[[1.0, 0.5, 1.0]]] and c.paid.tolist() == [[[True, True, False]]]
    one = month_classes(None, None, 4)  # the usual case: every year one class of 12 months
    assert one.n.tolist() == [[[12]]] and one.ratio.shape == (4, 1, 1) and one.paid is None


def test_a_binomial_count_with_probability_zero_is_zero_and_with_one_every_trial():
    u = np.random.default_rng(3).random(10_000)
    assert (binomial_counts(u, 12, 0.0) == 0).all()
    assert (binomial_counts(u, 12, 1.0) == 12).all()
    assert (binomial_counts(u, 0, 0.7) == 0).all()


@pytest.mark.parametrize(("n", "p"), [(12, 0.95), (12, 0.6), (3, 0.5), (9, 0.2), (1, 0.3)])
def test_binomial_counts_average_n_times_p_within_four_standard_errors(n, p):
    draws = 200_000
    k = binomial_counts(np.random.default_rng(n).random(draws), n, p)
    assert k.min() >= 0 and k.max() <= n
    assert abs(k.mean() - n * p) < 4 * np.sqrt(n * p * (1 - p) / draws)
    # the whole distribution: each count's frequency near its binomial probability
    expected = np.array([math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(n + 1)])
    observed = np.bincount(k, minlength=n + 1) / draws
    assert np.all(np.abs(observed - expected) < 5 * np.sqrt(expected * (1 - expected) / draws) + 1e-12)


def test_binomial_counts_are_the_inverse_cdf_at_its_steps():
    # u just at and just above P(J <= j) for Binomial(12, 0.9) failures J: j and j + 1 failures
    n, p = 12, 0.9
    cdf = np.cumsum([math.comb(n, j) * (1 - p) ** j * p ** (n - j) for j in range(n + 1)])
    below = cdf[:4] * (1 - 1e-9)
    above = cdf[:4] * (1 + 1e-9)
    assert binomial_counts(below, n, p).tolist() == [12, 11, 10, 9]
    assert binomial_counts(above, n, p).tolist() == [11, 10, 9, 8]


def test_binomial_counts_broadcast_probabilities_and_trials_and_agree_cell_by_cell():
    rng = np.random.default_rng(5)
    u, p = rng.random((40, 6, 5)), rng.random((40, 6, 1))
    n = rng.integers(0, 13, size=(1, 6, 5)).astype(np.int8)
    together = binomial_counts(u, n, p)
    one_by_one = np.vectorize(lambda uu, nn, pp: int(binomial_counts(np.array([uu]), nn, pp)[0]))(u, n, p)
    assert np.array_equal(together, one_by_one)


def test_drawn_months_are_paid_at_the_central_compliance_on_average(inputs):
    # 400 draws x 146 villages x 12 months: the share of months paid in 2030 is the factor's mean 0.95
    s = _scenario(
        uncertainty={
            "defaults": "none",
            "payment_compliance_factor": {"distribution": "beta", "mean": 0.95, "sd": 0.04},
        }
    )
    setup = un.prepare(s, inputs)
    assert setup.kernel.payment_months_drawn
    m = un.simulate(setup, un.draw_inputs(setup, 400)).whole_area()
    j = list(setup.years).index(2030)
    billed = 134 * 150 + 12 * 150
    assert m["funded_workers"][:, j].mean() / billed == pytest.approx(0.95, abs=0.002)
    months = m["funded_workers"][:, j] / (150 / 12)  # 150 places x months paid / 12, whole months
    assert np.array_equal(months, np.round(months)) and np.unique(months).size > 20


@pytest.fixture(scope="module")
def walea_stops(inputs):
    """Satu Miliar with Walea Besar paying nothing October-December 2027 (probability 0), every other
    village and month paying for sure (factor table 1): two draws at the central values, run with and
    without Walea's entry."""
    stop = [{"kecamatan": WALEA, "probability_per_month": 0.0, "from_month": "2027-10", "to_month": "2027-12"}]
    runs = []
    for entries in ([], stop):
        setup = un.prepare(_scenario(payment_probability=entries), inputs)
        k = dataclasses.replace(setup.kernel, compliance_table=np.ones_like(QUANTILE_GRID), payment_months_drawn=True)
        setup = dataclasses.replace(setup, kernel=k)
        draws = setup.central_draws(2)
        draws = un.InputDraws(draws.values, draws.central, np.array([5, 6], dtype=np.uint64))
        runs.append(un.simulate_chunked(setup, draws, cells=3_000).whole_area())
    return runs


def test_a_draw_in_which_a_few_desa_stop_paying_loses_exactly_the_months_missed(walea_stops):
    # 8 desa x 150 places x 3 months / 12 = 300 fewer active (and paid-up) workers in 2027, each draw
    full, stopped = walea_stops
    j = 2027 - 2023
    np.testing.assert_array_equal(full["active_workers"][:, j], [21_900.0, 21_900.0])
    np.testing.assert_array_equal(stopped["active_workers"][:, j], [21_600.0, 21_600.0])
    np.testing.assert_array_equal(stopped["funded_workers"][:, j], [21_600.0, 21_600.0])
    np.testing.assert_array_equal(stopped["active_workers"][:, j + 1], full["active_workers"][:, j + 1])


def test_drawn_arrears_leave_the_year_s_premium_the_bill_the_desa_settle(walea_stops):
    # a desa settles its drawn arrears (BPJS accepts 3 months): the premium stays the bill, as in the
    # deterministic projection (only the scenario's arrears episodes move premiums between years)
    full, stopped = walea_stops
    np.testing.assert_array_equal(stopped["premium_cost_idr"], full["premium_cost_idr"])


def test_self_paying_places_in_the_monte_carlo_pay_their_expected_share_every_month(inputs):
    # payers: self for Walea Besar, factor table 1: 150 x 0.904 / 0.95 paid-up per desa in every draw
    # (many workers paying one by one), while the other desa pay all 150 places every month
    s = _scenario(payers={"overrides": [{"kecamatan": WALEA, "payer": "self"}]})
    setup = un.prepare(s, inputs)
    k = dataclasses.replace(setup.kernel, compliance_table=np.ones_like(QUANTILE_GRID))
    setup = dataclasses.replace(setup, kernel=k)
    draws = setup.central_draws(3)
    draws = un.InputDraws(draws.values, draws.central, np.array([1, 2, 3], dtype=np.uint64))
    totals = un.simulate_chunk(setup, draws).whole_area()
    expected = 21_900 - 8 * 150 + 8 * 150 * 0.904 / 0.95
    np.testing.assert_allclose(totals["funded_workers"][:, 2030 - 2023], np.full(3, expected), rtol=1e-12)
