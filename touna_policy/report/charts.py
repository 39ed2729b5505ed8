"""Charts in one house style, for notebooks and reports.

Small functions that take data and already-translated texts (titles, labels, legend entries come
from the catalogue: ``tp.i18n.text(...)``) and return matplotlib objects. No pyplot: figures are
:class:`matplotlib.figure.Figure` rendered with the Agg canvas, so importing this module is cheap, no
global state leaks between notebooks and the PNG bytes are the same on every run.

Typical use in a notebook::

    fig, ax = plots.figure()
    plots.line_chart(ax, years, {"funded": funded, "covered": covered}, title=..., xlabel=..., ylabel=...)
    plots.axis_format(ax, "workers", lang)
    plots.show(fig, "coverage-district", output_dir)

``show`` displays the chart (as an embedded PNG) and, when ``output_dir`` is set, writes
``output_dir/figures/<name>.png``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

# Okabe-Ito: distinguishable with the common colour-vision deficiencies and in grey print.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
GREY = "#6b6b6b"
LIGHT_GREY = "#d9d9d9"
HIGHLIGHT = "#D55E00"
BAND_COLOUR = "#0072B2"

FIGSIZE = (8.0, 4.2)  # inches; 8 in at DPI 110 fits an A4 page and a laptop screen
DPI = 110
FONT_SIZE = 9.5
TITLE_SIZE_PT = FONT_SIZE + 2.5

RC = {
    "font.size": FONT_SIZE,
    "axes.titlesize": TITLE_SIZE_PT,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": FONT_SIZE,
    "axes.labelcolor": "#333333",
    "axes.edgecolor": GREY,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": LIGHT_GREY,
    "grid.linewidth": 0.6,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "legend.frameon": False,
    "legend.fontsize": FONT_SIZE - 0.5,
    "lines.linewidth": 2.0,
    "svg.hashsalt": "touna-policy",
    # The title stays at the top of the axes: matplotlib's automatic placement (the default, None) moves
    # it above x tick labels drawn at the top, which the house style never draws, and measures every
    # axis again for that at each layout pass and draw (a tenth of a chart's time). Same pixels.
    "axes.titley": 1.0,
}

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,80}$")


def figure(width: float = FIGSIZE[0], height: float = FIGSIZE[1], ncols: int = 1, nrows: int = 1, sharey: bool = False):
    """A new figure in the house style and its axes (an array of axes when ``nrows * ncols > 1``)."""
    from matplotlib import rc_context

    with rc_context(RC):  # type: ignore[arg-type]  # RC is a plain dict of rcParams names
        fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
        axes = fig.subplots(nrows, ncols, sharey=sharey, squeeze=True)
    return fig, axes


TITLE_CHAR_WIDTH_PT = 0.6 * TITLE_SIZE_PT
"""Average width of one bold title character (points), to wrap a title that states the finding."""


def wrap_title(title: str, figure_width_in: float) -> str:
    """``title`` broken into lines that fit the figure's width (a title stating a finding is long):
    at 8 in, lines of at most 64 characters."""
    import textwrap

    width = max(20, int(figure_width_in * 72 * 0.8 / TITLE_CHAR_WIDTH_PT))
    return "\n".join(textwrap.wrap(title, width=width)) if len(title) > width else title


def axes_width_in(ax) -> float:
    """Width (inches) of the figure or sub-figure holding ``ax``: what a wrapped title may fill."""
    fig = ax.figure  # a SubFigure for axes of a sub-figure (the explorer's pictures)
    if fig is None:
        return FIGSIZE[0]
    bbox = getattr(fig, "bbox", None)
    return float(bbox.width / fig.dpi) if bbox is not None and getattr(fig, "dpi", None) else FIGSIZE[0]


def style_axes(ax, title: str = "", xlabel: str = "", ylabel: str = "", subtitle: str = "") -> None:
    """Apply the house style to one axes (also to axes not made by :func:`figure`); a long title wraps."""
    title = wrap_title(title, axes_width_in(ax))
    ax.set_title(title, loc="left", fontsize=RC["axes.titlesize"], fontweight="bold", pad=14 if subtitle else 6)
    if subtitle:
        ax.text(0.0, 1.01, subtitle, transform=ax.transAxes, fontsize=FONT_SIZE, color=GREY, va="bottom")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(True, axis="y", color=LIGHT_GREY, linewidth=0.6)
    ax.grid(False, axis="x")
    ax.set_axisbelow(True)


def line_chart(
    ax,
    x: Sequence,
    series: Mapping[str, Sequence[float]],
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    subtitle: str = "",
    colours: Sequence[str] | None = None,
    styles: Mapping[str, str] | None = None,
    step: bool = False,
    integer_x: bool = True,
    vary_styles: bool = False,
):
    """One line per entry of ``series`` (legend label -> values over ``x``; a DataFrame: one line per column).

    ``vary_styles`` cycles solid, dashed and dotted lines so that series with equal values stay visible.
    """
    if isinstance(series, pd.DataFrame):
        series = {str(c): series[c].to_numpy() for c in series.columns}
    colours = list(colours or PALETTE)
    styles = styles or {}
    for n, (label, values) in enumerate(series.items()):
        default = ("-", "--", ":", "-.")[n % 4] if vary_styles else "-"
        kwargs = {"color": colours[n % len(colours)], "linestyle": styles.get(label, default), "label": label}
        if step:
            ax.step(x, values, where="post", **kwargs)
        else:
            ax.plot(x, values, marker="o", markersize=3.5, **kwargs)
    style_axes(ax, title, xlabel, ylabel, subtitle)
    if integer_x:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if len(series) > 1:
        ax.legend(loc="best")
    return ax


def bar_chart(
    ax,
    categories: Sequence,
    series: Mapping[str, Sequence[float]] | Sequence[float],
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    subtitle: str = "",
    horizontal: bool = False,
    highlight: Iterable | None = None,
    colours: Sequence[str] | None = None,
    label_bars: bool = False,
    label_format=None,
):
    """Bars per category: one series (a sequence) or grouped series (label -> values).

    ``highlight`` lists categories drawn in the highlight colour (single series only); with
    ``label_bars`` each bar carries its value formatted by ``label_format`` (a function of the value).
    """
    categories = list(categories)
    if not isinstance(series, Mapping):
        series = {"": list(series)}
    colours = list(colours or PALETTE)
    positions = np.arange(len(categories), dtype=float)
    width = 0.8 / len(series)
    highlight = set(highlight or ())
    for n, (label, values) in enumerate(series.items()):
        offset = (n - (len(series) - 1) / 2) * width
        colour = colours[n % len(colours)]
        bar_colours = [HIGHLIGHT if (len(series) == 1 and c in highlight) else colour for c in categories]
        draw = ax.barh if horizontal else ax.bar
        bars = draw(positions + offset, list(values), width * 0.95, color=bar_colours, label=label or None)
        if label_bars:
            fmt = label_format or (lambda v: f"{v:,.0f}")
            ax.bar_label(bars, labels=[fmt(v) for v in values], padding=2, fontsize=FONT_SIZE - 1.5, color="#333333")
    style_axes(ax, title, xlabel, ylabel, subtitle)
    if horizontal:
        ax.set_yticks(positions, [str(c) for c in categories])
        ax.invert_yaxis()
        ax.grid(True, axis="x", color=LIGHT_GREY, linewidth=0.6)
        ax.grid(False, axis="y")
    else:
        ax.set_xticks(positions, [str(c) for c in categories])
    if len(series) > 1:
        ax.legend(loc="best")
    return ax


def fan_chart(
    ax,
    x: Sequence,
    median: Sequence[float],
    bands: Sequence[tuple[Sequence[float], Sequence[float], str]],
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    subtitle: str = "",
    median_label: str = "",
    colour: str = BAND_COLOUR,
):
    """A median line with shaded intervals, widest first: ``bands = [(lower, upper, label), ...]``.

    For Monte Carlo output with ``p05/p50/p95`` or statsmodels ``mean_ci_lower/mean_ci_upper``.
    """
    for n, (lower, upper, label) in enumerate(bands):
        ax.fill_between(x, lower, upper, color=colour, alpha=0.18 + 0.14 * n, linewidth=0, label=label or None)
    ax.plot(x, median, color=colour, label=median_label or None)
    style_axes(ax, title, xlabel, ylabel, subtitle)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if median_label or any(b[2] for b in bands):
        ax.legend(loc="best")
    return ax


def mark_points(
    ax,
    x: Sequence,
    y: Sequence[float],
    labels: Sequence[str],
    legend_label: str = "",
    colour: str = "#000000",
    marker: str = "D",
):
    """Marked and labelled points, e.g. reported figures over a projected line."""
    ax.scatter(x, y, marker=marker, s=36, color=colour, zorder=5, label=legend_label or None)
    for xi, yi, text in zip(x, y, labels, strict=True):
        ax.annotate(
            text, (xi, yi), textcoords="offset points", xytext=(-6, 8), ha="right", fontsize=FONT_SIZE - 1, color=colour
        )
    if legend_label:
        ax.legend(loc="best")
    return ax


def mark_span(ax, start: float, end: float, label: str = "", colour: str = HIGHLIGHT):
    """A shaded vertical band (a relief period, a policy change) with a label at the top."""
    ax.axvspan(start, end, color=colour, alpha=0.10, linewidth=0)
    if label:
        ax.text(
            (start + end) / 2,
            0.98,
            label,
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="top",
            fontsize=FONT_SIZE - 1,
            color=colour,
        )
    return ax


def mark_line(ax, value: float, label: str = "", vertical: bool = False, colour: str = GREY):
    """A dashed reference line (a target, a budget) with a short label."""
    if vertical:
        ax.axvline(value, color=colour, linestyle="--", linewidth=1)
        if label:
            ax.text(
                value,
                0.98,
                f" {label}",
                transform=ax.get_xaxis_transform(),
                va="top",
                fontsize=FONT_SIZE - 1,
                color=colour,
            )
    else:
        ax.axhline(value, color=colour, linestyle="--", linewidth=1)
        if label:
            ax.text(
                0.01,
                value,
                label,
                transform=ax.get_yaxis_transform(),
                va="bottom",
                fontsize=FONT_SIZE - 1,
                color=colour,
            )
    return ax


NOTE_CHAR_WIDTH_PT = 0.52 * (FONT_SIZE - 1.5)
"""Average width of one character of the source line under a chart (points)."""


def note(fig, text: str) -> None:
    """A source or caveat line under the chart (e.g. ``Sumber: ...``), wrapped to the figure's width."""
    import textwrap

    width = max(40, int(fig.get_figwidth() * 72 * 0.95 / NOTE_CHAR_WIDTH_PT))
    text = "\n".join(textwrap.wrap(text, width=width)) if len(text) > width else text
    fig.supxlabel(text, x=0.01, ha="left", fontsize=FONT_SIZE - 1.5, color=GREY)


def axis_format(ax, kind: str, lang: str = "id", axis: str = "y", scale: float = 1.0, decimals: int | None = None):
    """Tick labels formatted for the language.

    ``kind``: ``"number"`` or ``"workers"`` (21.900 / 21,900), ``"share"`` (a 0-1 share shown as a
    percentage), ``"money"`` (values divided by ``scale``, e.g. ``1e9`` with an axis label "Rp miliar").
    """
    from touna_policy.report import i18n

    if kind in ("number", "workers", "money"):
        digits = 0 if decimals is None else decimals

        def fmt(value, _pos):
            return i18n.number(value / scale, lang, digits)
    elif kind == "share":
        digits = 0 if decimals is None else decimals

        def fmt(value, _pos):
            return i18n.share(value, lang, digits)
    else:
        raise ValueError(f"unknown axis kind {kind!r}; expected number, workers, share or money")
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(_remembered(fmt)))
    return ax


def _remembered(fmt):
    """``fmt(value, pos)`` that formats each value once: matplotlib asks for the same tick labels at
    every layout pass and draw (about twenty times a chart), and each asks the locale for the text."""
    labels: dict[float, str] = {}

    def remembered(value, pos=None):
        if value not in labels:
            labels[value] = fmt(value, pos)
        return labels[value]

    return remembered


PNG_COMPRESS_LEVEL = 3
"""zlib level of the charts' PNG: on a report's 25 flat-coloured charts, level 3 takes 0.17 s where
zlib's default (6) takes 0.24 s, and writes 2 % fewer bytes."""


def to_png(fig) -> bytes:
    """The figure as PNG bytes (no timestamp or software tag, so equal figures give equal bytes)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    # Speed: savefig with a layout engine draws the figure twice (a dry run to lay it out, then the
    # real one). Laying it out here and drawing without the engine draws once: the same pixels, a
    # third less time per chart. The engine is put back, so the figure can be drawn again.
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
        fig.set_layout_engine(None)
    try:
        if fig.dpi == DPI:  # every figure of :func:`figure`: drawn once, encoded below
            canvas.draw()
            _encode_png(np.asarray(canvas.buffer_rgba()), buffer)
        else:
            fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
    return buffer.getvalue()


def _encode_png(rgba: np.ndarray, buffer) -> None:
    """Write ``rgba`` (height x width x 4 bytes) as PNG: RGB when every pixel is opaque (a chart on its
    white figure: the same pixels, a quarter fewer bytes to compress), RGBA otherwise."""
    from PIL import Image

    opaque = bool((rgba[..., 3] == 255).all())
    pixels = np.ascontiguousarray(rgba[..., :3] if opaque else rgba)
    Image.fromarray(pixels, "RGB" if opaque else "RGBA").save(
        buffer, format="png", dpi=(DPI, DPI), compress_level=PNG_COMPRESS_LEVEL
    )


def save(fig, name: str, output_dir: str | Path) -> Path:
    """Write ``output_dir/figures/<name>.png`` atomically."""
    from touna_policy.io import atomic_write_bytes

    if not _NAME.match(name):
        raise ValueError(f"figure name {name!r}: use a-z, 0-9, - and _ (it becomes a file name)")
    return atomic_write_bytes(Path(output_dir) / "figures" / f"{name}.png", to_png(fig))


def show(fig, name: str = "", output_dir: str | Path = "") -> None:
    """Display the figure as an embedded PNG and, when ``output_dir`` is set, save it as ``figures/<name>.png``."""
    png = to_png(fig)
    if output_dir:
        from touna_policy.io import atomic_write_bytes

        if not _NAME.match(name):
            raise ValueError(f"figure name {name!r}: use a-z, 0-9, - and _ (it becomes a file name)")
        atomic_write_bytes(Path(output_dir) / "figures" / f"{name}.png", png)
    try:
        from IPython.display import Image, display
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return
    display(Image(data=png, format="png"))
