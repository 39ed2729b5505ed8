"""Seed calibration under both readings, the statsmodels trend, and their use in the projection."""

import numpy as np
import pandas as pd
import pytest

import touna_policy as tp
from touna_policy.calibration import estimation as es
from touna_policy.errors import InputError
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
    assert list(table["reading"]) == ["relative", "percentage_points"]


def test_relative_seed_calibration_sets_2023_participants_and_keeps_funded_and_cost(inputs):
    plain = run(inputs)
    cal = run(inputs, other_channels={"source": "seed_calibration"}, coverage_growth_reading="relative")
    d, p = cal.district.set_index("year"), plain.district.set_index("year")
    # both channels at participants / working population in 2023: all workers covered sum to 13,400 / 0.2227
    assert d.loc[2023, "covered_workers"] + d.loc[2023, "wage_earners_covered"] == pytest.approx(13_400 / 0.2227)
    for col in ("funded_workers", "premium_cost_idr"):
        assert np.array_equal(d[col].to_numpy(), p[col].to_numpy())
    assert d.loc[2024, "funded_workers"] == 13_400 and d.loc[2025, "funded_workers"] == 14_600


def test_percentage_point_calibration_makes_the_2024_universe_the_implied_denominator(inputs):
    r = run(inputs, other_channels={"source": "seed_calibration"}, coverage_growth_reading="percentage_points")
    d = r.district.set_index("year")
    assert d.loc[2024, "eligible_workers"] == pytest.approx(13_400 / 0.2227)
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


def test_glm_trend_is_a_statsmodels_result_with_summary_and_recovers_the_series():
    trend = es.fit_coverage_trend()
    assert "Generalized Linear Model" in str(trend.summary("self_paid_bpu"))
    pred = trend.predict([2023]).set_index("channel")
    series = trend.data[trend.data["year"] == 2023].set_index("channel")
    share = series["participants"] / series["denominator"]
    assert pred.loc["self_paid_bpu", "mean"] == pytest.approx(
        share["self_paid_bpu"], abs=5e-4
    )  # logit curve through a straight line
    assert (pred["obs_ci_lower"] <= pred["mean"]).all() and (pred["mean"] <= pred["obs_ci_upper"]).all()
    assert trend.status == "synthetic"


def test_glm_on_a_noisy_series_gives_a_wider_prediction_interval_than_confidence_interval():
    rng = np.random.default_rng(1)
    years = np.arange(2015, 2024)
    rows = []
    for ch, p0 in (("self_paid_bpu", 0.03), ("wage_earner", 0.4)):
        p = p0 * np.exp(0.05 * (years - 2023)) * np.exp(rng.normal(0, 0.3, len(years)))
        rows += [
            {
                "year": y,
                "area": "72.09",
                "channel": ch,
                "participants": round(q * 5000),
                "denominator": 5000,
                "source": "test",
                "status": "synthetic",
            }
            for y, q in zip(years, p)
        ]
    trend = es.fit_coverage_trend(pd.DataFrame(rows))
    pred = trend.predict([2030], alpha=0.1)
    width_ci = pred["mean_ci_upper"] - pred["mean_ci_lower"]
    width_pi = pred["obs_ci_upper"] - pred["obs_ci_lower"]
    assert (width_pi > width_ci).all() and (width_ci > 0).all()
    assert trend.results["self_paid_bpu"].scale > 1  # over-dispersion picked up by the Pearson scale


def test_coverage_series_with_participants_above_denominator_is_refused(tmp_path):
    bad = tmp_path / "series.csv"
    bad.write_text(
        "year,area,channel,participants,denominator,source,status\n2022,72.09,self_paid_bpu,900,800,x,observed\n"
    )
    with pytest.raises(InputError, match="participants <= denominator"):
        es.load_coverage_series(bad)


def test_fitted_trend_source_uses_the_fitted_share_in_the_projection(inputs):
    r = run(inputs, other_channels={"source": "fitted_trend"})
    pred = es.fit_coverage_trend().predict([2023]).set_index("channel")["mean"]
    d = r.district.set_index("year")
    assert d.loc[2023, "other_channel_workers"] == pytest.approx(
        pred["self_paid_bpu"] * d.loc[2023, "eligible_workers"]
    )
