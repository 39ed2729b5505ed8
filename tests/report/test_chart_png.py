"""A chart's PNG is drawn once: the same pixels as matplotlib's savefig with the layout engine, as RGB
when the chart is opaque, and the same bytes on every run."""

import io

import numpy as np
from PIL import Image

from touna_policy.report import charts


def chart():
    fig, ax = charts.figure()
    charts.line_chart(ax, np.arange(2023, 2036), {"funded": np.linspace(0, 21_900, 13)}, title="t", ylabel="y")
    charts.axis_format(ax, "workers", "en")
    return fig


def pixels(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGBA"))


def test_png_pixels_equal_savefig_with_constrained_layout_and_the_figure_keeps_its_layout():
    fig = chart()
    engine = fig.get_layout_engine()
    png = charts.to_png(fig)
    assert fig.get_layout_engine() is engine
    reference = io.BytesIO()
    fig.savefig(reference, format="png", dpi=charts.DPI, metadata={"Software": None})
    assert np.array_equal(pixels(png), pixels(reference.getvalue()))


def test_an_opaque_chart_is_written_as_rgb_with_the_dpi_and_no_software_tag():
    with Image.open(io.BytesIO(charts.to_png(chart()))) as image:
        assert image.mode == "RGB"
        assert round(image.info["dpi"][0]) == charts.DPI
        assert "Software" not in image.info


def test_a_transparent_chart_keeps_its_alpha():
    fig = chart()
    fig.patch.set_alpha(0.0)
    with Image.open(io.BytesIO(charts.to_png(fig))) as image:
        assert image.mode == "RGBA"
        assert np.asarray(image)[0, 0, 3] == 0


def test_the_same_chart_gives_the_same_bytes_twice():
    assert charts.to_png(chart()) == charts.to_png(chart())
