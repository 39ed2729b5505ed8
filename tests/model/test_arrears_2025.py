"""The shipped arrears-2025 scenario checked by hand: the 8 desa of Walea Besar pay nothing from
October 2025 and pay again, with the arrears BPJS accepts, in March 2026 (grace period 3 months)."""

from __future__ import annotations

import numpy as np
import pytest

import touna_policy as tp
from touna_policy.model.engine_inputs import resolve_engine_inputs
from touna_policy.model.kernel import chunked_area_sums
from touna_policy.model.participation import monthly_participation, paid_premium_idr
from touna_policy.model.payers import premium_per_payer_month_idr
from touna_policy.model.premiums import premium_schedule
from touna_policy.parameters.payers import relief_eligible_by_month

from ..conftest import SCENARIOS

RATE_IDR = 16_800  # JKK 0.24 % + JKM Rp 6,800 at Rp 1,000,000 declared income, APBDes-paid: no relief
WALEA = "Walea Besar"
JAN_2025 = 24  # month index from January 2023
GRACE, CHURN = 3, 0.10


@pytest.fixture(scope="module")
def arrears(inputs):
    scenario = tp.load_scenario(SCENARIOS / "arrears-2025.yaml")
    return scenario, resolve_engine_inputs(scenario, inputs), tp.project(scenario, inputs)


@pytest.fixture(scope="module")
def walea(arrears, inputs):
    return (inputs.villages["kecamatan"] == WALEA).to_numpy()


def _months_2025_2026(x: np.ndarray) -> list[float]:
    return x[JAN_2025 : JAN_2025 + 24].tolist()


def test_walea_besar_has_eight_desa_all_paid_from_their_apbdes(walea, arrears):
    _, engine, _ = arrears
    assert walea.sum() == 8 and (engine.payers[walea] == 0).all()


def test_walea_besar_active_workers_month_by_month(arrears, walea):
    # places per desa: 100 in 2025; 2026: 150 billed x 0.95 central compliance factor = 142.5 paid-up
    # 2025: Jan-Sep paid (100), Oct-Dec unpaid (0); 2026: Jan-Feb unpaid (0), Mar-Dec paid (142.5)
    _, engine, result = arrears
    funded = result.arrays.funded_workers[walea]
    m = monthly_participation(funded, engine.payment.paid[walea], GRACE, CHURN)
    expected = [100.0] * 9 + [0.0] * 3 + [0.0] * 2 + [142.5] * 10
    assert all(_months_2025_2026(row) == expected for row in m["active"])


def test_walea_besar_registered_workers_month_by_month(arrears, walea):
    # Oct, Nov, Dec 2025: 1st-3rd unpaid month, still registered (100, lapsed); January 2026 is the
    # 4th unpaid month: memberships end (0); February still 0; March 2026 re-registered (142.5)
    _, engine, result = arrears
    m = monthly_participation(result.arrays.funded_workers[walea], engine.payment.paid[walea], GRACE, CHURN)
    expected = [100.0] * 12 + [0.0] * 2 + [142.5] * 10
    assert all(_months_2025_2026(row) == expected for row in m["registered"])
    assert all(_months_2025_2026(row)[9:12] == [100.0] * 3 for row in m["lapsed"])
    assert (m["closures"][:, JAN_2025 + 12] == 100.0).all()  # January 2026: 100 closed per desa
    assert (m["new_enrolments"][:, JAN_2025 + 14] == 142.5).all()  # March 2026: re-registered


def test_walea_besar_premiums_month_by_month(arrears, walea, inputs):
    # billed places: 100 per desa in 2025, 150 in 2026 (the payer is billed for every place)
    # 2025: Jan-Sep 100 x 16,800 = 1,680,000; Oct-Dec 0
    # 2026: Jan-Feb 0; March 150 x 16,800 = 2,520,000 plus the 3 months owed while registered
    #       (Oct-Dec 2025) 3 x 100 x 16,800 = 5,040,000: 7,560,000; Apr-Dec 2,520,000
    scenario, engine, _ = arrears
    k = engine.kernel
    billed = (np.minimum(k.quota, k.eligible) * k.compliance)[walea]
    rates = premium_per_payer_month_idr(
        premium_schedule(scenario, inputs.rates), relief_eligible_by_month(scenario.years, False)
    )[engine.payers[walea]].reshape(8, -1)
    assert (rates[:, JAN_2025 : JAN_2025 + 24] == RATE_IDR).all()
    plan = engine.payment
    premium = paid_premium_idr(billed, plan.paid[walea], plan.settles[walea], rates, GRACE, GRACE)
    expected = [1_680_000.0] * 9 + [0.0] * 5 + [7_560_000.0] + [2_520_000.0] * 9
    assert all(_months_2025_2026(row) == expected for row in premium)


def test_walea_besar_yearly_premium_counts_paid_months_only_and_arrears_when_paid(arrears, walea):
    # 2025: 9 x 1,680,000 = 15,120,000 per desa; 2026: 7,560,000 + 9 x 2,520,000 = 30,240,000
    # (the 2 unpaid months of 150 places cost what the 3 settled months of 100 places bring back)
    _, _, result = arrears
    years = list(result.years)
    cost = result.arrays.premium_cost_idr[walea]
    assert cost[:, years.index(2025)] == pytest.approx(np.full(8, 15_120_000.0), rel=1e-12)
    assert cost[:, years.index(2026)] == pytest.approx(np.full(8, 30_240_000.0), rel=1e-12)


def test_district_2025_average_active_falls_by_exactly_the_months_missed(arrears, satu_miliar):
    # 8 desa x 100 workers x 3 months (Oct-Dec) / 12 = 200 fewer active workers on average in 2025
    _, _, result = arrears
    d, s = result.district.set_index("year"), satu_miliar.district.set_index("year")
    assert d.at[2025, "active_workers"] == s.at[2025, "active_workers"] - 8 * 100 * 3 / 12 == 14_400.0
    assert d.at[2025, "registered_workers"] == 14_600.0  # December 2025 is within the grace period
    assert d.at[2025, "lapsed_workers"] == 800.0
    # premium: 8 desa x 3 months x 1,680,000 = 40,320,000 less in 2025
    assert d.at[2025, "premium_cost_idr"] == pytest.approx(s.at[2025, "premium_cost_idr"] - 40_320_000, rel=1e-12)


def test_district_2026_average_active_falls_by_the_two_closed_months_and_closures_replace_churn(arrears, satu_miliar):
    # 8 desa x 142.5 paid-up workers x 2 months (Jan-Feb) / 12 = 190
    _, _, result = arrears
    d, s = result.district.set_index("year"), satu_miliar.district.set_index("year")
    assert d.at[2026, "active_workers"] == pytest.approx(s.at[2026, "active_workers"] - 8 * 142.5 * 2 / 12)
    # January 2026: 8 x 100 memberships end, instead of the 10 % churn of 8 x 100 places (80)
    assert d.at[2026, "closures"] - s.at[2026, "closures"] == pytest.approx(8 * 100 - 0.10 * 8 * 100)


@pytest.mark.parametrize(("year", "active"), [(2024, 13_400.0), (2025, 14_600.0)])
def test_seed_figures_stay_exact_as_active_workers_at_full_compliance(baseline, satu_miliar, year, active):
    # 134 desa x 100 in 2024; 146 villages x 100 in 2025 (paid-up workers observed, every month paid)
    for result in (baseline, satu_miliar):
        d = result.district.set_index("year")
        assert d.at[year, "active_workers"] == active and d.at[year, "registered_workers"] == active


def test_scenarios_without_arrears_leave_the_kernel_premium_untouched(inputs):
    for name in ("baseline-100", "satu-miliar-150", "proportional-150"):
        engine = resolve_engine_inputs(tp.load_scenario(SCENARIOS / f"{name}.yaml"), inputs)
        assert engine.payment is None and engine.kernel.premium_paid_factor is None


def test_ever_protected_adds_the_churned_workers_to_the_most_ever_registered(baseline):
    # baseline: 13,400 in 2024; 2025: + 1,200 kelurahan places + 10 % of the 13,400 kept = 15,940
    d = baseline.district.set_index("year")
    assert d.at[2024, "ever_protected_workers"] == 13_400.0
    assert d.at[2025, "ever_protected_workers"] == pytest.approx(13_400 + 1_200 + 1_340)


def test_the_chunked_kernel_slices_the_premium_paid_factor_with_its_villages(arrears):
    # small chunks and 8 village ranges: each range must carry its own villages' factors
    _, engine, result = arrears
    k = engine.kernel
    totals = chunked_area_sums(
        k, np.zeros(k.n_villages, dtype=np.int64), 1, k.central_draw(), names=("premium_cost_idr",), cells=500
    )
    np.testing.assert_allclose(totals["premium_cost_idr"][0, 0], result.district["premium_cost_idr"], rtol=1e-12)
