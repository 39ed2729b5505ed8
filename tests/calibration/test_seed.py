"""Seed calibration under both readings, and its use in the projection (other-channel paths)."""

import numpy as np
import pytest

import touna_policy as tp
from touna_policy.calibration import seed as es
from touna_policy.scenario import scenario_from_dict

BASE = {"name": "t", "title": "t", "quota_per_village": {"desa": {2024: 100}, "kelurahan": {2025: 100}}}


def run(inputs, **changes):
    return tp.project(scenario_from_dict({**BASE, **changes}), inputs)


def test_relative_reading_puts_13400_over_0_2227_participants_in_2023(inputs):
    cal = es.calibrate_seed("relative", inputs)
    assert cal.participants_before == pytest.approx(13_400 / 0.2227)  # 60,170.6
    assert cal.participants_programme_year == pytest.approx(13_400 / 0.2227 + 13_400)
    assert np.isnan(cal.implied_denominator)


def test_percentage_point_reading_gives_the_denominator_13400_over_0_2227(inputs):
    cal = es.calibrate_seed("percentage_points", inputs)
    assert cal.implied_denominator == pytest.approx(60_170.63, abs=0.01)
    assert cal.denominator_to_vulnerable_workers == pytest.approx(
        cal.implied_denominator / cal.vulnerable_workers_programme_year
    )
    assert np.isnan(cal.participants_before)


def test_calibration_table_has_one_row_per_reading(inputs):
    table = es.seed_calibration_table(inputs)
    assert list(table["reading"]) == ["relative", "percentage_points", "share_net_of_growth", "level"]


def test_relative_seed_calibration_sets_2023_participants_and_keeps_funded_and_cost(inputs):
    plain = run(inputs)
    cal = run(inputs, other_channels={"source": "seed_calibration"}, coverage_growth_reading="relative")
    d, p = cal.district.set_index("year"), plain.district.set_index("year")
    # both channels at participants / working population in 2023: all workers covered sum to 13,400 / 0.2227
    assert d.loc[2023, "covered_workers"] + d.loc[2023, "wage_earners_covered"] == pytest.approx(13_400 / 0.2227)
    for col in ("funded_workers", "premium_cost_idr"):
        assert np.array_equal(d[col].to_numpy(), p[col].to_numpy())
    assert d.loc[2024, "funded_workers"] == 13_400 and d.loc[2025, "funded_workers"] == 14_600


def test_percentage_point_calibration_makes_the_model_share_rise_22_27_points(inputs):
    r = run(inputs, other_channels={"source": "seed_calibration"}, coverage_growth_reading="percentage_points")
    d = r.district.set_index("year")
    # self-paying share 0.03 in 2023, 0.032 in 2024: (1 - 0.032) x 13,400 / E24 + 0.002 = 0.2227
    assert d.loc[2024, "eligible_workers"] == pytest.approx((1 - 0.032) * 13_400 / (0.2227 - 0.002), rel=1e-12)
    assert d.loc[2024, "coverage_share"] - d.loc[2023, "coverage_share"] == pytest.approx(0.2227, abs=1e-12)
    assert d.loc[2024, "funded_workers"] == 13_400


def test_relative_reading_above_the_working_population_is_refused(inputs, tmp_path):
    history = tmp_path / "h.csv"
    history.write_text(
        "year,area,measure,value,unit,source,source_date\n"
        "2024,72.09,programme_funded_workers,13400,persons,x,2025-01-01\n"
        "2024,72.09,coverage_growth_over_previous_year,0.1,/1,x,2025-01-01\n"
    )
    cal = es.calibrate_seed("relative", inputs, history_path=history)
    assert cal.participants_before == pytest.approx(134_000)
    assert cal.pre_programme_coverage_share > 1  # 134,000 participants > ~84,600 working population
