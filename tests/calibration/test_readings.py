"""The 22.27 % figure, concluded (issue 11 section 5)."""

import pytest

import touna_policy as tp
from touna_policy import config
from touna_policy.calibration import seed as es

SCENARIOS = config.SCENARIOS_DIR


def test_share_net_of_growth_reading_solves_p24_over_w24_equal_1_2227_p23_over_w23(inputs):
    c = es.calibrate_seed("share_net_of_growth", inputs)
    p23, w23, w24 = c.participants_before, c.working_population_before, c.working_population_programme_year
    assert (p23 + 13_400) / w24 == pytest.approx(1.2227 * p23 / w23, rel=1e-12)


def test_level_reading_makes_2024_coverage_22_27_percent_of_the_workforce(inputs):
    c = es.calibrate_seed("level", inputs)
    assert c.participants_programme_year == pytest.approx(0.2227 * c.working_population_programme_year, rel=1e-12)
    assert c.participants_before == pytest.approx(0.2227 * c.working_population_programme_year - 13_400, rel=1e-12)


def test_conclusion_is_percentage_points_with_its_reasons_in_numbers(inputs):
    c = es.conclude_reading(inputs)
    assert c.reading == es.CONCLUDED_READING == "percentage_points"
    assert not c.plausible["relative"] and not c.plausible["share_net_of_growth"]  # 69 % and 62 % before 2024
    text = c.text()
    assert "60,171" in text and "69.1%" in text and "65.7%" in text  # participants, share, BPJS/BPS ratio
    assert len(c.reasons) == 4


def test_relative_reading_implies_2023_coverage_above_the_province_2025(inputs):
    c = es.calibrate_seed("relative", inputs)
    assert c.pre_programme_coverage_share > 0.40  # 60,171 / 87,071 = 0.691


@pytest.mark.parametrize("name", ["baseline-100", "satu-miliar-150", "proportional-150"])
def test_shipped_projection_reproduces_22_27_points_2024_over_2023(inputs, name):
    s = tp.load_scenario(SCENARIOS / f"{name}.yaml")
    assert s.other_channels.source == "seed_calibration" and s.coverage_growth_reading == es.CONCLUDED_READING
    d = tp.project(s, inputs).district.set_index("year")
    assert d.loc[2024, "coverage_share"] - d.loc[2023, "coverage_share"] == pytest.approx(0.2227, abs=1e-12)
