"""Charts of the analysis notebooks (05-09) in the house style of :mod:`touna_policy.report.charts`.

Each function takes a table from the analysis modules (fan, tornado, Sobol indices, allocation
comparison, benefits) and already-translated texts, and draws on a matplotlib axes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from touna_policy.report import charts as plots


def fan(
    ax,
    fan_table: pd.DataFrame,
    measure: str,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    subtitle: str = "",
    band_labels: tuple[str, str] = ("", ""),
    median_label: str = "",
    deterministic_label: str = "",
    colour: str = plots.BAND_COLOUR,
):
    """Fan chart of one measure of ``fan.csv``: 90 % band (p05-p95), 50 % band (p25-p75), median, and
    the deterministic projection as a dashed line."""
    f = fan_table[fan_table["measure"] == measure].sort_values("year")
    plots.fan_chart(
        ax,
        f["year"],
        f["p50"],
        [(f["p05"], f["p95"], band_labels[0]), (f["p25"], f["p75"], band_labels[1])],
        title=title,
        xlabel=xlabel,
        ylabel=ylabel,
        subtitle=subtitle,
        median_label=median_label,
        colour=colour,
    )
    if "deterministic" in f and deterministic_label:
        ax.plot(
            f["year"], f["deterministic"], color=plots.GREY, linestyle="--", linewidth=1.3, label=deterministic_label
        )
        ax.legend(loc="best")
    return ax


def _figure_title(ax, title: str, subtitle: str = "") -> None:
    """Title (and subtitle) at the figure's left edge, for charts whose long category labels push the axes right."""
    ax.set_title("")
    if title:
        ax.figure.suptitle(title, x=0.01, ha="left", fontsize=plots.RC["axes.titlesize"], fontweight="bold")
    if subtitle:
        ax.text(0.0, 1.01, subtitle, transform=ax.transAxes, fontsize=plots.FONT_SIZE, color=plots.GREY, va="bottom")


def tornado(
    ax,
    table: pd.DataFrame,
    measure: str,
    labels: Mapping[str, str],
    title: str = "",
    xlabel: str = "",
    subtitle: str = "",
    low_label: str = "",
    high_label: str = "",
    max_bars: int = 8,
):
    """Tornado chart: for each input, a bar from the measure at its low value to the measure at its
    high value, around the deterministic value; inputs sorted by swing (largest on top)."""
    t = table[(table["measure"] == measure)].sort_values("swing", ascending=False).head(max_bars)
    centre = float(t["measure_deterministic"].iloc[0]) if len(t) else 0.0
    pos = np.arange(len(t))
    low = t["measure_at_low"].to_numpy() - centre
    high = t["measure_at_high"].to_numpy() - centre
    ax.barh(pos, low, left=centre, color=plots.PALETTE[0], height=0.6, label=low_label or None)
    ax.barh(pos, high, left=centre, color=plots.PALETTE[1], height=0.6, label=high_label or None)
    ax.axvline(centre, color=plots.GREY, linewidth=1)
    plots.style_axes(ax, "", xlabel, "")
    _figure_title(ax, title, subtitle)
    ax.set_yticks(pos, [labels.get(n, n) for n in t["input"]])
    ax.invert_yaxis()
    ax.grid(True, axis="x", color=plots.LIGHT_GREY, linewidth=0.6)
    ax.grid(False, axis="y")
    if low_label or high_label:
        ax.legend(loc="lower right")
    return ax


def sobol(
    ax,
    table: pd.DataFrame,
    measure: str,
    labels: Mapping[str, str],
    title: str = "",
    xlabel: str = "",
    first_label: str = "S1",
    total_label: str = "ST",
):
    """Grouped horizontal bars of first-order and total Sobol' indices of one measure."""
    t = table[table["measure"] == measure].fillna(0.0).sort_values("ST", ascending=False)
    plots.bar_chart(
        ax,
        [labels.get(n, n) for n in t["input"]],
        {first_label: t["S1"].clip(lower=0).to_numpy(), total_label: t["ST"].clip(lower=0).to_numpy()},
        horizontal=True,
        xlabel=xlabel,
    )
    _figure_title(ax, title)
    return ax


def rule_spread(
    ax,
    villages: pd.DataFrame,
    rules: Sequence[str],
    labels: Mapping[str, str],
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
):
    """Village coverage under each allocation rule, villages sorted from lowest to highest coverage."""
    for n, rule in enumerate(rules):
        v = np.sort(villages.loc[villages["rule"] == rule, "coverage_share"].to_numpy())
        ax.plot(np.arange(1, len(v) + 1), v, color=plots.PALETTE[n % len(plots.PALETTE)], label=labels.get(rule, rule))
    plots.style_axes(ax, title, xlabel, ylabel)
    ax.legend(loc="best")
    return ax
