"""Charts of the scenario comparison in which no option hides another.

Options with equal figures (two options of equal cost have the same district lines) would draw on top
of each other. Here every option has its own colour, line style and marker (:func:`option_styles`),
and points of options that share a value in a year are shifted a little sideways (lines, by
:func:`dodge_offsets`) or up and down (the kecamatan dots), with a note naming the lines that coincide.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from touna_policy.report import charts as plots
from touna_policy.report import i18n

LINE_STYLES = ("-", "--", ":", "-.")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
DODGE_YEARS = 0.12
"""Sideways shift (in years) between the points of options that share a value in a year."""
DODGE_ROWS = 0.16
"""Shift (in rows) between the kecamatan dots of the options."""


def option_styles(options: Sequence[str]) -> dict[str, dict]:
    """``{option: {color, linestyle, marker}}``: no two options share colour, line style and marker."""
    return {
        name: {
            "color": plots.PALETTE[n % len(plots.PALETTE)],
            "linestyle": LINE_STYLES[n % len(LINE_STYLES)],
            "marker": MARKERS[n % len(MARKERS)],
        }
        for n, name in enumerate(options)
    }


def dodge_offsets(values: np.ndarray, step: float = DODGE_YEARS, rtol: float = 1e-9) -> np.ndarray:
    """Per point (rows: years, columns: options) the sideways shift that keeps equal points apart:
    options sharing a value in a year are spread symmetrically ``step`` apart; a point alone stays put."""
    v = np.asarray(values, dtype=float)
    same = np.isclose(v[:, :, None], v[:, None, :], rtol=rtol, atol=0.0) | (
        np.isnan(v[:, :, None]) & np.isnan(v[:, None, :])
    )
    n = v.shape[1]
    earlier = np.tril(np.ones((n, n), dtype=bool), k=-1)  # [j, i]: option i comes before option j
    rank = (same & earlier[None, :, :]).sum(axis=2)
    size = same.sum(axis=2)
    return (rank - (size - 1) / 2) * step


def coinciding(frame: pd.DataFrame, year: int, rtol: float = 1e-9) -> list[list[str]]:
    """Groups of options (columns of a year-by-option ``frame``) whose values in ``year`` are equal."""
    row = frame.loc[int(year)]
    groups: list[list[str]] = []
    for name, value in row.items():
        for g in groups:
            if np.isclose(row[g[0]], value, rtol=rtol, atol=0.0):
                g.append(str(name))
                break
        else:
            groups.append([str(name)])
    return [g for g in groups if len(g) > 1]


def option_lines(ax, frame: pd.DataFrame, title: str = "", xlabel: str = "", ylabel: str = "") -> dict[str, dict]:
    """One line per option (columns of a year-by-option ``frame``) in its own style; points that
    coincide are dodged sideways. Returns the styles used."""
    styles = option_styles([str(c) for c in frame.columns])
    years = frame.index.to_numpy(dtype=float)
    shift = dodge_offsets(frame.to_numpy(dtype=float))
    for j, name in enumerate(frame.columns):
        ax.plot(
            years + shift[:, j],
            frame[name].to_numpy(dtype=float),
            label=str(name),
            markersize=4,
            linewidth=1.8,
            **styles[str(name)],
        )
    plots.style_axes(ax, title, xlabel, ylabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="best")
    return styles


def lines_note(frame: pd.DataFrame, year: int, lang: str) -> str:
    """The note under a line chart naming the options whose lines coincide in ``year`` (empty if none)."""
    join = i18n.text("comparison_summary.lines_note_join", lang)
    groups = coinciding(frame, year)
    return " ".join(
        i18n.text(
            "comparison_summary.lines_note",
            lang,
            options=join.join(g[:-1]) + i18n.text("comparison_summary.and", lang) + g[-1],
            year=year,
        )
        for g in groups
    )


NOTE_WIDTH_CHARACTERS = 125
"""Characters per line of a note under a chart of the default width (8 in), so it is never cut off."""


def chart_note(fig, *texts: str, width: int = NOTE_WIDTH_CHARACTERS) -> None:
    """The non-empty ``texts`` as one note under the chart, wrapped to ``width`` characters a line."""
    joined = " ".join(t for t in texts if t)
    if joined:
        plots.note(fig, "\n".join(textwrap.wrap(joined, width)))


def kecamatan_dots(coverage: pd.DataFrame, year: int, lang: str):
    """Coverage per kecamatan (rows) with one dot per option (columns after ``kecamatan_code,
    kecamatan``; :func:`touna_policy.report.comparison.kecamatan_coverage`), dots dodged up and down."""
    options = [c for c in coverage.columns if c not in ("kecamatan_code", "kecamatan")]
    styles = option_styles(options)
    rows = np.arange(len(coverage), dtype=float)
    fig, ax = plots.figure(height=max(2.6, 0.5 + 0.18 * len(coverage)))
    offsets = (np.arange(len(options)) - (len(options) - 1) / 2) * DODGE_ROWS
    for j, name in enumerate(options):
        st = styles[name]
        ax.scatter(
            coverage[name].to_numpy(dtype=float),
            rows + offsets[j],
            color=st["color"],
            marker=st["marker"],
            s=26,
            label=name,
            zorder=3,
        )
    plots.style_axes(ax, i18n.text("comparison_summary.kecamatan_chart_title", lang, year=year))
    ax.set_yticks(rows, coverage["kecamatan"].tolist())
    ax.invert_yaxis()
    ax.grid(True, axis="x", color=plots.LIGHT_GREY, linewidth=0.6)
    ax.grid(True, axis="y", color="#f0f0f0", linewidth=0.5)
    ax.set_xlim(0, max(0.05, float(np.nanmax(coverage[options].to_numpy(dtype=float)))) * 1.08)
    plots.axis_format(ax, "share", lang, axis="x")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize=plots.FONT_SIZE - 1.5)
    ax.tick_params(axis="y", labelsize=plots.FONT_SIZE - 1.5)
    chart_note(fig, i18n.text("comparison_summary.kecamatan_chart_note", lang))
    return fig
