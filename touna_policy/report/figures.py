"""Chart thresholds and axis choices the report notebooks share (moved out of the notebooks)."""

from __future__ import annotations

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
