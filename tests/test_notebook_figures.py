"""Chart plumbing moved out of the notebooks: notebook 05's scenario variants and the looped figures."""

from __future__ import annotations

import pytest

import touna_policy as tp
from touna_policy import config
from touna_policy.calibration import estimation
from touna_policy.report import i18n
from touna_policy.report.estimation_variants import READING_VARIANTS, reading_variant, reading_variants
from touna_policy.report.figures import TREND_CHANNELS, axis_scale, trend_figure

SATU = config.SCENARIOS_DIR / "satu-miliar-150.yaml"


@pytest.fixture(scope="module")
def satu():
    scenario = tp.load_scenario(SATU)
    return scenario, tp.load_inputs(scenario.area)


def test_assumption_variant_keeps_the_scenarios_reading_and_reads_other_channels_from_assumptions(satu):
    scenario, _ = satu
    variant = reading_variant(scenario, None, "assumption")
    assert variant.coverage_growth_reading == scenario.coverage_growth_reading
    assert variant.other_channels.source == "assumption"
    assert reading_variant(scenario, "percentage_points", "seed_calibration").coverage_growth_reading == (
        "percentage_points"
    )


def test_three_reading_variants_one_coverage_series_each_labelled_in_the_language(satu):
    scenario, inputs = satu
    series = reading_variants(scenario, inputs, lambda key: i18n.text(key, "en"))
    assert list(series) == [i18n.text(key, "en") for key, _, _ in READING_VARIANTS]
    assert all(len(v) == len(scenario.years) for v in series.values())
    relative, points = list(series.values())[1:]
    assert (relative != points).any()  # the two calibrated readings give different coverage


def test_trend_figure_has_one_panel_per_other_channel(satu):
    trend = estimation.fit_coverage_trend(area="72.09")
    prediction = trend.predict(list(range(int(trend.data["year"].min()), 2036)), alpha=0.10)
    fig = trend_figure(trend.data, prediction, "en")
    assert [ax.get_title(loc="left") for ax in fig.axes[: len(TREND_CHANNELS)]] == [
        i18n.text(f"estimation.channel_{c}", "en") for c in TREND_CHANNELS
    ]


def test_money_axes_are_in_billions_of_rupiah():
    assert axis_scale("money") == 1e9 and axis_scale("share") == 1.0
