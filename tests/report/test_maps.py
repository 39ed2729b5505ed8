"""The kecamatan map: every label readable (none on top of another), the licence credit kept."""

from __future__ import annotations

from itertools import combinations

import pytest

from touna_policy import config
from touna_policy.model.projection import project
from touna_policy.report import maps
from touna_policy.scenario import load_scenario


@pytest.fixture(scope="module")
def drawn():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = maps.kecamatan_map(project(load_scenario(config.SCENARIOS_DIR / "satu-miliar-150.yaml")), 2026, "id")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return fig, canvas.get_renderer()


def _labels(fig):
    return {t.get_gid(): t for t in fig.axes[0].texts if (t.get_gid() or "").startswith("label-")}


def test_map_labels_all_12_kecamatan_and_no_two_labels_overlap(drawn):
    fig, renderer = drawn
    labels = _labels(fig)
    assert len(labels) == 12
    boxes = {gid: t.get_window_extent(renderer) for gid, t in labels.items()}
    overlapping = [(a, b) for a, b in combinations(sorted(boxes), 2) if boxes[a].overlaps(boxes[b])]
    assert overlapping == []


def test_map_labels_stay_inside_the_map_area(drawn):
    fig, renderer = drawn
    frame = fig.axes[0].get_window_extent(renderer)
    for gid, t in _labels(fig).items():
        box = t.get_window_extent(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1, gid


def test_labels_moved_into_the_sea_have_a_leader_line_to_their_kecamatan(drawn):
    fig, _ = drawn
    moved = {gid.removeprefix("label-") for gid, t in _labels(fig).items() if getattr(t, "arrow_patch", None)}
    assert moved == set(maps.LABEL_POSITIONS)
    assert "Cahya DSN" in fig._supxlabel.get_text()  # the licence notice stays under the map
