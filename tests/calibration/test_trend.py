"""The statsmodels trend of the other channels, its input series, and its use in the projection."""

import numpy as np
import pandas as pd
import pytest

import touna_policy as tp
from touna_policy.calibration import trend as es
from touna_policy.data.coverage import load_coverage_series
from touna_policy.errors import InputError
from touna_policy.scenario import scenario_from_dict

BASE = {"name": "t", "title": "t", "quota_per_village": {"desa": {2024: 100}, "kelurahan": {2025: 100}}}


def run(inputs, **changes):
    return tp.project(scenario_from_dict({**BASE, **changes}), inputs)


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
            for y, q in zip(years, p, strict=True)
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
        load_coverage_series(bad)


def test_fitted_trend_source_uses_the_fitted_share_in_the_projection(inputs):
    r = run(inputs, other_channels={"source": "fitted_trend"})
    pred = es.fit_coverage_trend().predict([2023]).set_index("channel")["mean"]
    d = r.district.set_index("year")
    assert d.loc[2023, "other_channel_workers"] == pytest.approx(
        pred["self_paid_bpu"] * d.loc[2023, "eligible_workers"]
    )
