"""Benefit side: JKM = deaths x Rp 42 million, JKK = accidents x average payment, ratio to premiums."""

import numpy as np
import pytest

from touna_policy.analysis import benefits as bn
from touna_policy.analysis import uncertainty as un
from touna_policy.errors import InputError
from touna_policy.parameters import benefit_rates


def test_expected_jkm_payments_equal_deaths_times_42_million(satu_miliar):
    b = bn.benefits_table(satu_miliar).set_index("year")
    assert (b["jkm_death_benefit_idr"] == 42_000_000).all()
    np.testing.assert_allclose(b["expected_jkm_payments_idr"], b["expected_deaths"] * 42_000_000)
    # 2027: 21,900 places x 0.95 paid up (arrears) = 20,805 funded x 6.8 per 1,000 = 141.474 deaths
    assert b.loc[2027, "expected_deaths"] == pytest.approx(20_805 * 0.0068)
    assert b.loc[2027, "expected_jkm_payments_idr"] == pytest.approx(20_805 * 0.0068 * 42e6)


def test_jkk_payments_and_ratio_to_premiums(satu_miliar):
    b = bn.benefits_table(satu_miliar).set_index("year")
    assert b.loc[2027, "expected_jkk_payments_idr"] == pytest.approx(20_805 * 0.00224 * 8_061_000)
    # benefits among the 20,805 paid-up workers over the bill for the 21,900 places
    expected = (20_805 * 0.0068 * 42e6 + 20_805 * 0.00224 * 8_061_000) / (21_900 * 12 * 16_800)
    assert b.loc[2027, "benefit_premium_ratio"] == pytest.approx(expected)
    assert np.isnan(b.loc[2023, "benefit_premium_ratio"])  # no premiums before the programme


def test_relief_year_2026_ratio_is_higher_only_if_apbdes_paid_places_get_the_relief(inputs, satu_miliar):
    import touna_policy as tp

    b = bn.benefits_table(satu_miliar).set_index("year")
    assert b.loc[2026, "benefit_premium_ratio"] == pytest.approx(b.loc[2027, "benefit_premium_ratio"])  # default
    relieved = tp.project(satu_miliar.scenario.model_copy(update={"relief_for_apbdes_paid": True}), inputs)
    r = bn.benefits_table(relieved).set_index("year")
    assert r.loc[2026, "benefit_premium_ratio"] == pytest.approx(
        b.loc[2027, "benefit_premium_ratio"] * 21_900 * 201_600 / (20_100 * 126_000 + 1_800 * 201_600)
    )


def test_monte_carlo_benefits_at_deterministic_rates_match_the_table(inputs, satu_miliar):
    setup = un.prepare(satu_miliar.scenario, inputs, group_by=None)
    t = un.simulate_chunk(setup, setup.central_draws(1)).whole_area()
    b = bn.benefits_table(satu_miliar)
    np.testing.assert_allclose(t["expected_benefits_idr"][0], b["expected_benefits_idr"], rtol=1e-12)


def test_benefit_rates_file_with_an_unknown_key_is_refused(tmp_path):
    text = benefit_rates.BENEFIT_RATES_YAML.read_text().replace("mortality_rate_per_year:", "mortality_rate:", 1)
    bad = tmp_path / "benefit_rates.yaml"
    bad.write_text(text)
    with pytest.raises(InputError, match="mortality_rate"):
        benefit_rates.load_benefit_rates(bad)
