"""Benefit side: working-age deaths, JKM claims x Rp 42 million, JKK with its Rp 70 million death benefit,
the scholarship after 3 years of contributions, ratio to premiums, and the Halmahera Selatan cross-check."""

import numpy as np
import pytest

from touna_policy.analysis import benefits as bn
from touna_policy.analysis import uncertainty as un
from touna_policy.errors import InputError
from touna_policy.model.kernel import benefit_payments, scholarship_entitled_share
from touna_policy.parameters import benefit_rates

# WPP 2024, ages 15-59, sex-specific, weights = North Sulawesi 2020 employed shares (see tests/data/test_mortality.py)
RATE_2020_2025 = 0.00407191498804 / 0.868359  # 4.689 per 1,000
RATE_2025_2030 = 0.0035450790353 / 0.868359  # 4.083 per 1,000
FUNDED_2027 = 21_900 * 0.95  # 20,805 paid up: 21,900 places billed, arrears at the central 0.95
ACCIDENTS_2027 = FUNDED_2027 * 0.00224  # 46.6032
JKK_DEATHS_2027 = ACCIDENTS_2027 * 0.03  # 1.398096
JKM_CLAIMS_2027 = FUNDED_2027 * RATE_2025_2030 - JKK_DEATHS_2027  # 84.9365 - 1.3981 = 83.5384
PREMIUM_2027 = 21_900 * 12 * 16_800  # 4,415,040,000: every billed place


def test_expected_deaths_use_working_age_mortality_of_the_period_of_each_year(satu_miliar):
    b = bn.benefits_table(satu_miliar).set_index("year")
    assert b.loc[2024, "mortality_rate_per_year"] == pytest.approx(RATE_2020_2025, rel=1e-12)
    assert b.loc[2024, "mortality_period"] == "2020-2025"
    assert b.loc[2025, "mortality_period"] == "2025-2030"
    assert b.loc[2035, "mortality_period"] == "2025-2030"  # held after the last WPP period
    # 2027: 20,805 funded x 4.0825 per 1,000 = 84.94 deaths (was 21,900 x 6.8 per 1,000 = 148.92)
    assert b.loc[2027, "expected_deaths"] == pytest.approx(FUNDED_2027 * RATE_2025_2030, rel=1e-12)


def test_jkm_claims_exclude_work_accident_deaths_and_are_paid_42_million(satu_miliar):
    b = bn.benefits_table(satu_miliar).set_index("year")
    assert (b["jkm_death_benefit_idr"] == 42_000_000).all()
    assert b.loc[2027, "expected_jkk_deaths"] == pytest.approx(JKK_DEATHS_2027, rel=1e-12)
    assert b.loc[2027, "expected_jkm_claims"] == pytest.approx(JKM_CLAIMS_2027, rel=1e-12)
    assert b.loc[2027, "expected_jkm_payments_idr"] == pytest.approx(JKM_CLAIMS_2027 * 42e6, rel=1e-12)


def test_jkk_pays_the_average_for_non_fatal_accidents_and_70_million_for_a_death(satu_miliar):
    b = bn.benefits_table(satu_miliar).set_index("year")
    assert (b["jkk_death_benefit_idr"] == 70_000_000).all()  # 48 x Rp 1,000,000 + Rp 12 m + Rp 10 m
    # (46.6032 - 1.398096) x 8,061,000 + 1.398096 x 70,000,000 = 364,399,003 + 97,866,720
    expected = (ACCIDENTS_2027 - JKK_DEATHS_2027) * 8_061_000 + JKK_DEATHS_2027 * 70_000_000
    assert b.loc[2027, "expected_jkk_payments_idr"] == pytest.approx(expected, rel=1e-12)
    assert b.loc[2027, "expected_jkk_death_payments_idr"] == pytest.approx(JKK_DEATHS_2027 * 70e6, rel=1e-12)


def test_scholarship_on_the_jkm_route_waits_three_years_of_contributions(satu_miliar):
    b = bn.benefits_table(satu_miliar).set_index("year")
    # first funded year 2024 (13,400): no JKM-route scholarship before 2027
    assert (b.loc[2023:2026, "scholarship_entitled_share"] == 0).all()
    # 2027: the 13,400 places billed since 2024 of 21,900; 2029: the 21,900 billed since 2026
    assert b.loc[2027, "scholarship_entitled_share"] == pytest.approx(13_400 / 21_900, rel=1e-12)
    assert b.loc[2029, "scholarship_entitled_share"] == 1.0
    # per entitled death 0.5 (children in school) x Rp 24 m = Rp 12 m; the JKK route pays at once
    assert b.loc[2026, "expected_scholarship_payments_idr"] == pytest.approx(FUNDED_2027 * 0.00224 * 0.03 * 12e6)
    expected = (JKM_CLAIMS_2027 * 13_400 / 21_900 + JKK_DEATHS_2027) * 12e6
    assert b.loc[2027, "expected_scholarship_payments_idr"] == pytest.approx(expected, rel=1e-12)


def test_scholarship_entitled_share_is_zero_before_the_waiting_years():
    share = scholarship_entitled_share(np.array([0.0, 100.0, 100.0, 150.0, 150.0, 150.0]), 3)
    # lag 3: [0, 0, 0, 0, 100, 100]; min(lag, funded) / funded
    np.testing.assert_array_equal(share, [0.0, 0.0, 0.0, 0.0, 100 / 150, 100 / 150])
    out = benefit_payments(
        np.full(4, 1000.0),
        0.004,
        0.0,
        42e6,
        0.0,
        jkk_fatal_share=0.0,
        jkk_death_benefit_idr=70e6,
        scholarship_entitled_share=scholarship_entitled_share(np.full(4, 1000.0), 3),
        scholarship_per_death_idr=12e6,
    )
    # 1,000 x 0.004 = 4 deaths a year; scholarship only in the 4th year: 4 x Rp 12 m
    np.testing.assert_allclose(out["expected_scholarship_payments_idr"], [0.0, 0.0, 0.0, 48e6])


def test_benefit_premium_ratio_rests_on_working_age_mortality(satu_miliar):
    b = bn.benefits_table(satu_miliar).set_index("year")
    benefits = (
        JKM_CLAIMS_2027 * 42e6
        + (ACCIDENTS_2027 - JKK_DEATHS_2027) * 8_061_000
        + JKK_DEATHS_2027 * 70e6
        + (JKM_CLAIMS_2027 * 13_400 / 21_900 + JKK_DEATHS_2027) * 12e6
    )
    assert b.loc[2027, "benefit_premium_ratio"] == pytest.approx(benefits / PREMIUM_2027, rel=1e-12)
    assert b.loc[2027, "benefit_premium_ratio"] == pytest.approx(
        1.042, abs=5e-4
    )  # was 1.51 on the crude rate and every place paid up
    assert np.isnan(b.loc[2023, "benefit_premium_ratio"])  # no premiums before the programme


def test_halmahera_selatan_expected_jkm_claims_against_the_120_observed():
    c = bn.halmahera_check()
    # worker-years 19,000 x (12 + 12 + 11) / 12 = 55,416.67
    assert c["worker_years"] == pytest.approx(19_000 * 35 / 12)
    # deaths 19,000 x (2 x 4.6892 + 11/12 x 4.0825) per 1,000 = 249.29, less JKK deaths
    # 55,416.67 x 0.00224 x 0.03 = 3.724: 245.57 JKM claims expected
    deaths = 19_000 * (2 * RATE_2020_2025 + 11 / 12 * RATE_2025_2030)
    expected = deaths - 19_000 * 35 / 12 * 0.00224 * 0.03
    assert c["expected_jkm_claims"] == pytest.approx(expected, rel=1e-12)
    assert c["expected_jkm_claims"] == pytest.approx(245.57, abs=0.005)
    assert c["observed_over_expected"] == pytest.approx(120 / expected, rel=1e-12)  # 0.489
    assert c["observed_per_1000_per_year"] == pytest.approx(120 / (19_000 * 35 / 12) * 1000)  # 2.17


def test_report_sentence_gives_the_halmahera_check_in_both_languages(satu_miliar):
    from touna_policy.report import analysis_text as at

    table = bn.benefits_table(satu_miliar)
    text_id, text_en = at.benefits(table, 2027, "id"), at.benefits(table, 2027, "en")
    assert "sekitar 246 klaim" in text_id and "yang tercatat 120" in text_id and "49%" in text_id
    assert "about 246 JKM death claims" in text_en and "120 were recorded" in text_en
    assert ".py" not in text_id + text_en and ".yaml" not in text_id + text_en


def test_monte_carlo_benefits_at_deterministic_rates_match_the_table(inputs, satu_miliar):
    setup = un.prepare(satu_miliar.scenario, inputs, group_by=None)
    t = un.simulate_chunk(setup, setup.central_draws(1)).whole_area()
    b = bn.benefits_table(satu_miliar)
    np.testing.assert_allclose(t["expected_benefits_idr"][0], b["expected_benefits_idr"], rtol=1e-12)


def test_monte_carlo_mortality_is_centred_on_the_deterministic_rate(inputs, satu_miliar):
    setup = un.prepare(satu_miliar.scenario, inputs, group_by=None)
    # the central draw is the last projection year's working-age rate (2035: WPP 2025-2030)
    assert setup.central["mortality_rate_per_year"] == pytest.approx(RATE_2025_2030, rel=1e-12)
    d = setup.distributions["mortality_rate_per_year"]
    assert d.distribution == "triangular" and d.mode is None  # mode = the deterministic value
    assert d.low < setup.central["mortality_rate_per_year"] < d.high


def test_benefit_rates_file_with_an_unknown_key_is_refused(tmp_path):
    text = benefit_rates.BENEFIT_RATES_YAML.read_text().replace("mortality_rate_per_year:", "mortality_rate:", 1)
    bad = tmp_path / "benefit_rates.yaml"
    bad.write_text(text)
    with pytest.raises(InputError, match="mortality_rate"):
        benefit_rates.load_benefit_rates(bad)


def test_participant_age_range_ending_before_it_starts_is_refused(tmp_path):
    text = benefit_rates.BENEFIT_RATES_YAML.read_text().replace("age_from: 15", "age_from: 70", 1)
    bad = tmp_path / "benefit_rates.yaml"
    bad.write_text(text)
    with pytest.raises(InputError, match="participant_age_range"):
        benefit_rates.load_benefit_rates(bad)
