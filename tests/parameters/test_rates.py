"""The dated BPU contribution schedule, evaluated month by month."""

import numpy as np

from touna_policy.parameters.contributions import jkm_death_benefit_idr, load_bpu_parameters, monthly_rates


def test_standard_package_is_10000_jkk_plus_6800_jkm():
    rates = monthly_rates(np.array([2025]), 1_000_000, False, 0.0)
    assert (rates.jkk_idr == 10_000).all() and (rates.jkm_idr == 6_800).all()
    assert rates.premium_per_worker_year_idr[0] == 12 * 16_800


def test_pp50_relief_starts_in_april_2026_for_non_transport():
    rates = monthly_rates(np.array([2026]), 1_000_000, False, 0.0)
    assert list(rates.premium_per_worker_month_idr[0]) == [16_800] * 3 + [8_400] * 9


def test_pp50_relief_runs_january_2026_to_march_2027_for_transport():
    rates = monthly_rates(np.array([2026, 2027]), 1_000_000, False, 1.0)
    assert list(rates.premium_per_worker_month_idr[0]) == [8_400] * 12
    assert list(rates.premium_per_worker_month_idr[1]) == [8_400] * 3 + [16_800] * 9


def test_jht_adds_2_percent_of_declared_income_and_is_not_relieved():
    rates = monthly_rates(np.array([2026]), 1_000_000, True, 0.0)
    assert list(rates.premium_per_worker_month_idr[0]) == [36_800] * 3 + [28_400] * 9


def test_income_above_the_lowest_band_is_flagged_unverified():
    assert not monthly_rates(np.array([2025]), 1_000_000, False, 0.0).uses_unverified_jkk_band
    high = monthly_rates(np.array([2025]), 2_000_000, False, 0.0)
    assert high.uses_unverified_jkk_band and high.jkk_idr[0, 0] == 20_000


def test_jkm_death_benefit_is_42_million():
    assert jkm_death_benefit_idr(np.array([2024, 2030]))[0] == 42_000_000


def test_every_dated_value_carries_a_reference():
    params = load_bpu_parameters()
    for leaf in (params.jkm_contribution, params.jht_contribution_share, params.jkm_death_benefit):
        assert all(v.reference for v in leaf.values.values())
    for sector in params.relief_share.by_sector.values():
        assert all(v.reference for v in sector.values())
