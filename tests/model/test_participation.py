"""The monthly participation engine on small hand-made cases (touna_policy.model.participation)."""

from __future__ import annotations

import numpy as np
import pytest

from touna_policy.model.participation import (
    monthly_participation,
    paid_premium_factor,
    paid_premium_idr,
    unpaid_run_months,
    yearly_participation,
)

GRACE = 3  # months, BPJS Perdir 22/PERDIR.02/072022


def _paid(months: int, unpaid: range) -> np.ndarray:
    paid = np.ones((1, months), dtype=bool)
    paid[0, list(unpaid)] = False
    return paid


def test_unpaid_run_counts_consecutive_unpaid_months_and_resets_when_paid():
    paid = np.array([[True, False, False, True, False]])
    assert unpaid_run_months(paid).tolist() == [[0, 1, 2, 0, 1]]


def test_three_unpaid_months_keep_the_workers_registered_and_paying_the_arrears_reactivates_them():
    # 100 places all year; April, May, June unpaid (months 3-5), July pays them
    paid = _paid(12, range(3, 6))
    m = monthly_participation(np.array([[100.0]]), paid, GRACE, 0.0)
    assert m["registered"][0].tolist() == [100.0] * 12  # a 3-month gap is within the grace period
    assert m["active"][0].tolist() == [100.0] * 3 + [0.0] * 3 + [100.0] * 6
    assert m["lapsed"][0].tolist() == [0.0] * 3 + [100.0] * 3 + [0.0] * 6
    assert m["closures"].sum() == 0.0 and m["new_enrolments"].sum() == 100.0  # enrolled once, in January


def test_a_fourth_unpaid_month_closes_the_membership_and_paying_again_re_registers():
    # unpaid April-July (months 3-6): closed in July (4th unpaid month), re-registered in August
    paid = _paid(12, range(3, 7))
    m = monthly_participation(np.array([[100.0]]), paid, GRACE, 0.0)
    assert m["registered"][0].tolist() == [100.0] * 6 + [0.0] + [100.0] * 5
    assert m["closures"][0, 6] == 100.0 and m["new_enrolments"][0, 7] == 100.0
    assert m["ever_protected"][0, -1] == 100.0  # the same workers re-register: no new people


def test_churn_refills_a_share_of_the_places_each_january_and_adds_to_the_ever_protected():
    # 100 places in 3 years, churn 10 %: 10 new workers in each of the 2 later Januaries
    y = yearly_participation(np.array([[100.0, 100.0, 100.0]]), np.ones((1, 36), dtype=bool), GRACE, 0.1)
    assert y.new_enrolments.tolist() == [[100.0, 10.0, 10.0]]
    assert y.closures.tolist() == [[0.0, 10.0, 10.0]]
    assert y.ever_protected_workers.tolist() == [[100.0, 110.0, 120.0]]
    assert y.active_workers.tolist() == [[100.0, 100.0, 100.0]]


def test_yearly_active_is_the_average_of_the_months_paid():
    # 120 places, 3 of 12 months unpaid: 120 x 9 / 12 = 90 active on average; 120 lapse once
    y = yearly_participation(np.array([[120.0]]), _paid(12, range(9, 12)), GRACE, 0.0)
    assert y.active_workers.tolist() == [[90.0]]
    assert y.lapsed_workers.tolist() == [[120.0]]
    assert y.registered_workers.tolist() == [[120.0]]  # December is the 3rd unpaid month: still registered


def test_arrears_within_the_grace_period_are_all_paid_in_the_month_they_are_paid():
    # 100 places at Rp 16,800: April-June unpaid, July pays July + 3 months = 4 x 1,680,000
    paid, settles = _paid(12, range(3, 6)), np.zeros((1, 12), dtype=bool)
    settles[0, 6] = True
    premium = paid_premium_idr(np.array([[100.0]]), paid, settles, np.full((1, 12), 16_800.0), GRACE, GRACE)
    assert premium[0].tolist() == [1_680_000.0] * 3 + [0.0] * 3 + [6_720_000.0] + [1_680_000.0] * 5


def test_without_settling_the_unpaid_months_cost_nothing():
    paid, settles = _paid(12, range(3, 6)), np.zeros((1, 12), dtype=bool)
    factor = paid_premium_factor(np.array([[100.0]]), paid, settles, np.full((1, 12), 16_800.0), GRACE, GRACE)
    assert factor.tolist() == [[0.75]]  # 9 of 12 months


def test_after_a_closure_only_the_months_owed_while_registered_are_paid():
    # unpaid April-August (5 months), September settles: 3 months owed (the grace period), not 5
    paid, settles = _paid(12, range(3, 8)), np.zeros((1, 12), dtype=bool)
    settles[0, 8] = True
    premium = paid_premium_idr(np.array([[100.0]]), paid, settles, np.full((1, 12), 10.0), GRACE, GRACE)
    assert premium[0, 8] == 100.0 * 10.0 * (1 + 3)


def test_a_year_without_arrears_keeps_the_premium_factor_exactly_one():
    paid = np.ones((2, 24), dtype=bool)
    factor = paid_premium_factor(
        np.array([[100.0, 150.0], [7.0, 0.0]]), paid, ~paid, np.full((2, 24), 16_800.0), GRACE, GRACE
    )
    assert factor.tolist() == [[1.0, 1.0], [1.0, 1.0]]


@pytest.mark.parametrize("grace", [0, 3, 6])
def test_lapsed_is_never_negative_and_registered_never_below_active(grace):
    rng = np.random.default_rng(1)
    paid = rng.random((20, 48)) < 0.7
    m = monthly_participation(rng.integers(0, 200, (20, 4)).astype(float), paid, grace, 0.2)
    assert (m["lapsed"] >= 0).all() and (m["registered"] >= m["active"]).all()


def test_with_every_month_paid_the_year_by_year_figures_are_the_monthly_engines_sums():
    # places that rise, fall and rise again (uneven values: the shortcut must not round differently)
    places = np.array([[100.0, 142.5, 37.25, 150.0, 150.0], [0.0, 13.0, 13.0, 0.0, 21.9]])
    paid = np.ones((2, 60), dtype=bool)
    fast = yearly_participation(places, paid, GRACE, 0.1)
    m = monthly_participation(places, paid, GRACE, 0.1)
    by_year = {k: v.reshape(2, 5, 12) for k, v in m.items()}
    assert np.array_equal(fast.registered_workers, by_year["registered"][:, :, -1])
    assert np.array_equal(fast.ever_protected_workers, by_year["ever_protected"][:, :, -1])
    for name, monthly in (("new_enrolments", "new_enrolments"), ("closures", "closures"), ("lapsed_workers", "lapses")):
        assert np.array_equal(getattr(fast, name), by_year[monthly].sum(axis=2)), name
    assert np.allclose(fast.active_workers, by_year["active"].mean(axis=2), rtol=1e-15, atol=0)
    assert fast.closures.tolist()[1] == [0.0, 0.0, 1.3, 13.0, 0.0]  # 10 % churn of 13, then 13 places cut
