"""Chart plumbing of the report notebooks: thresholds, chart lists and the figures drawn in loops (moved out of
the notebooks; each builder returns the figure, the notebook shows or saves it)."""

from __future__ import annotations

import pandas as pd

from touna_policy.report import analysis_charts as pa
from touna_policy.report import charts as plots
from touna_policy.report import i18n
from touna_policy.report.findings import source_line

MAX_AREAS_IN_BAR_CHART = 40
"""Notebook 08 draws the per-area allocation bar chart only up to this many areas (one bar group each)."""
BENEFITS_HEADROOM = 1.45
"""Notebook 09's y axis reaches this multiple of the largest premium or JKM bar (room for the legend)."""

FAN_CHARTS = (
    ("covered_workers", "uncertainty.chart_covered_title", "workers", "fan-covered"),
    ("coverage_share", "uncertainty.chart_shares_title", "share", "fan-coverage-share"),
    ("ucj_coverage_share", "uncertainty.chart_ucj_title", "share", "fan-ucj"),
    ("premium_cost_idr", "uncertainty.chart_cost_title", "money", "fan-cost"),
)
"""Notebook 06's fan charts: (measure, catalogue key of the title, axis kind, figure file name)."""
TORNADO_CHARTS = (("coverage_share", "share", "tornado-coverage"), ("premium_cost_idr", "money", "tornado-cost"))
"""Notebook 07's tornado charts: (measure, axis kind, figure file name)."""
SOBOL_CHARTS = (("coverage_share", "sobol-coverage"), ("premium_cost_idr", "sobol-cost"))
"""Notebook 07's Sobol charts: (measure, figure file name)."""

AXIS_LABEL_KEYS = {"money": "charts.money_billion", "workers": "charts.workers", "share": "charts.share"}
"""Catalogue key of the value axis label for each axis kind."""


def axis_scale(kind: str) -> float:
    """Divisor of the value axis: money in billions of rupiah, everything else as is."""
    return 1e9 if kind == "money" else 1.0


def _t(lang: str):
    return lambda key, **values: i18n.text(key, lang, **values)


def fan_figure(fan: pd.DataFrame, measure: str, title_key: str, kind: str, lang: str, title: str = ""):
    """Notebook 06: the Monte Carlo fan of one measure (90 % and 50 % bands, median, deterministic run);
    ``title`` (e.g. :func:`touna_policy.report.findings.fan_chart_title`) replaces the catalogue's."""
    T = _t(lang)
    fig, ax = plots.figure(height=3.6)
    pa.fan(
        ax,
        fan,
        measure,
        title=title or T(title_key),
        xlabel=T("charts.year"),
        ylabel=T(AXIS_LABEL_KEYS[kind]),
        band_labels=(T("uncertainty.band_90"), T("uncertainty.band_50")),
        median_label=T("uncertainty.median"),
        deterministic_label=T("uncertainty.deterministic"),
    )
    ax.set_ylim(bottom=0)
    plots.axis_format(ax, kind, lang, scale=axis_scale(kind), decimals=1 if kind == "money" else None)
    plots.note(fig, source_line(lang, estimated=True, synthetic=True))
    return fig


def tornado_figure(tornado: pd.DataFrame, measure: str, kind: str, labels: dict, year: int, lang: str):
    """Notebook 07: one measure's tornado (each input from its low to its high end)."""
    T = _t(lang)
    fig, ax = plots.figure(height=3.6)
    pa.tornado(
        ax,
        tornado,
        measure,
        labels,
        title=T("sensitivity.chart_tornado_title", measure=T(f"uncertainty.measures.{measure}"), year=year),
        xlabel=T("charts.money_billion") if kind == "money" else T("charts.share"),
        low_label=T("sensitivity.low_label"),
        high_label=T("sensitivity.high_label"),
    )
    plots.axis_format(ax, kind, lang, axis="x", scale=axis_scale(kind), decimals=2 if kind == "money" else 1)
    plots.note(fig, source_line(lang, estimated=True, synthetic=True))
    return fig


def sobol_figure(sobol: pd.DataFrame, measure: str, labels: dict, year: int, lang: str):
    """Notebook 07: one measure's first-order and total Sobol indices."""
    T = _t(lang)
    fig, ax = plots.figure(height=3.6)
    pa.sobol(
        ax,
        sobol,
        measure,
        labels,
        title=T("sensitivity.chart_sobol_title", measure=T(f"uncertainty.measures.{measure}"), year=year),
        first_label=T("sensitivity.first_order"),
        total_label=T("sensitivity.total_order"),
    )
    plots.axis_format(ax, "share", lang, axis="x")
    plots.note(fig, source_line(lang, estimated=True, synthetic=True))
    return fig


TREND_CHANNELS = ("self_paid_bpu", "wage_earner")
"""Notebook 05's trend panels, top to bottom."""


def trend_figure(data: pd.DataFrame, prediction: pd.DataFrame, lang: str):
    """Notebook 05: the fitted coverage trend of each other channel with its prediction band and the
    observed shares (``data``: the trend's observations; ``prediction``: its ``predict`` table)."""
    T = _t(lang)
    fig, axes = plots.figure(nrows=2, height=6.0)
    for ax, channel in zip(axes, TREND_CHANNELS, strict=True):
        p = prediction[prediction["channel"] == channel]
        obs = data[data["channel"] == channel]
        plots.fan_chart(
            ax,
            p["year"],
            p["mean"],
            [(p["obs_ci_lower"], p["obs_ci_upper"], T("estimation.band_prediction"))],
            title=T(f"estimation.channel_{channel}"),
            xlabel=T("charts.year"),
            ylabel=T("charts.share"),
        )
        plots.mark_points(
            ax,
            obs["year"],
            obs["participants"] / obs["denominator"],
            [""] * len(obs),
            legend_label=T("estimation.series_observed"),
        )
        plots.axis_format(ax, "share", lang, decimals=1)
    plots.note(fig, source_line(lang, synthetic=True))
    return fig
