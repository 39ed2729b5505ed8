"""A chart's PNG is drawn once: the same bytes as matplotlib's savefig with the layout engine."""

import io

import numpy as np

from touna_policy.report import charts


def test_png_bytes_equal_savefig_with_constrained_layout_and_the_figure_keeps_its_layout():
    fig, ax = charts.figure()
    charts.line_chart(ax, np.arange(2023, 2036), {"funded": np.linspace(0, 21_900, 13)}, title="t", ylabel="y")
    charts.axis_format(ax, "workers", "en")
    engine = fig.get_layout_engine()
    png = charts.to_png(fig)
    assert fig.get_layout_engine() is engine
    reference = io.BytesIO()
    fig.savefig(reference, format="png", dpi=charts.DPI, metadata={"Software": None})
    assert png == reference.getvalue()
