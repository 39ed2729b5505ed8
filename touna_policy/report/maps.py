"""A map of Tojo Una-Una's 12 kecamatan coloured by coverage, drawn with matplotlib from the
MIT-licensed desa/kelurahan boundaries in ``data/raw/touna_desa.geojson`` (cahyadsn/wilayah_boundaries,
(c) 2024 Cahya DSN; notice in ``data/raw/LICENSE_wilayah_boundaries.txt``).

Each village polygon is filled with its kecamatan's value and drawn without its own border, so the
map reads as the kecamatan map; one collection per kecamatan (its ``gid`` is the kecamatan code),
labelled at its villages' centre. The island kecamatan and the two small coastal ones (Ampana Kota,
Ratolindo) would label on top of each other there: their labels stand in the sea at the places of
:data:`LABEL_POSITIONS`, with a thin leader line to the kecamatan. The chart's source line carries
the licence credit.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from touna_policy.data.boundaries import VILLAGE_BOUNDARIES_GEOJSON
from touna_policy.report import charts as plots
from touna_policy.report import i18n
from touna_policy.report.findings import source_line

MAP_AREA_CODE = "72.09"
"""The area the shipped boundaries cover (Kabupaten Tojo Una-Una)."""
MAP_FIGURE_NAME = "map-coverage-kecamatan"
MAP_CMAP = "Blues"

LABEL_POSITIONS: dict[str, tuple[float, float]] = {
    "72.09.01": (121.40, -0.17),  # Una Una: west of Una-Una island
    "72.09.11": (121.42, -0.52),  # Batudaka: in the sea to the west
    "72.09.02": (121.93, -0.64),  # Togean: south of the Togean islands
    "72.09.12": (122.17, -0.55),  # Talatako: south-east
    "72.09.03": (122.10, -0.08),  # Walea Kepulauan: north
    "72.09.09": (122.40, -0.08),  # Walea Besar: north-east
    "72.09.05": (121.28, -0.84),  # Ampana Kota: west, in the Gulf of Tomini
    "72.09.10": (121.66, -0.70),  # Ratolindo: north, between the coast and the islands
}
"""Label places (longitude, latitude) of the kecamatan not labelled at their villages' centre; each
gets a leader line to its anchor (:func:`label_anchor`). The other kecamatan are labelled in place."""


@lru_cache(maxsize=2)
def kecamatan_polygons(path: str | Path = VILLAGE_BOUNDARIES_GEOJSON) -> dict[str, dict]:
    """``{kecamatan code: {"name": ..., "rings": [N x 2 arrays of lon, lat], "centre": (lon, lat)}}``
    from the village boundaries (outer rings; kecamatan code = the village code's first 8 characters)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    out: dict[str, dict] = {}
    for feature in data["features"]:
        props = feature["properties"]
        code = props.get("kecamatan_code") or props["code"][:8]
        entry = out.setdefault(code, {"name": props.get("kecamatan", code), "rings": [], "points": []})
        for polygon in feature["geometry"]["coordinates"]:
            entry["rings"].append(np.asarray(polygon[0], dtype=float))
        entry["points"].append((props["centroid_lng"], props["centroid_lat"]))
    for entry in out.values():
        entry["centre"] = tuple(np.mean(np.asarray(entry.pop("points")), axis=0))
    return dict(sorted(out.items()))


def label_anchor(shape: dict, towards: tuple[float, float]) -> tuple[float, float]:
    """Where a kecamatan's leader line ends: the vertex of its largest ring nearest the label, moved a
    quarter of the way to that ring's centre, so the line stops just inside the land."""
    ring = max(shape["rings"], key=lambda r: abs(_area(r)))
    nearest = ring[np.argmin(((ring - np.asarray(towards)) ** 2).sum(axis=1))]
    return tuple(nearest + 0.25 * (ring.mean(axis=0) - nearest))


def _area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))


MAP_TITLE_WIDTH_SHARE = 0.55
"""Share of the figure's width the map's title may use (the equal-aspect map is narrower than the figure)."""


def kecamatan_map(
    result, year: int, lang: str = i18n.DEFAULT_LANGUAGE, path: str | Path = VILLAGE_BOUNDARIES_GEOJSON, title: str = ""
):
    """The figure: kecamatan filled by vulnerable-worker coverage (``coverage_share``) in ``year``;
    ``title`` (e.g. one stating the finding) replaces the catalogue's.

    Returns ``None`` when the projection is not of Tojo Una-Una (the only boundaries shipped).
    """
    from matplotlib import colormaps, patheffects
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import Normalize

    if result.scenario.area != MAP_AREA_CODE:
        return None
    table = result.kecamatan()
    table = table[table["year"] == year].set_index("kecamatan_code")["coverage_share"]
    shapes = kecamatan_polygons(path)
    values = np.array([float(table.get(code, np.nan)) for code in shapes])
    norm = Normalize(vmin=0.0, vmax=max(float(np.nanmax(values)), 0.05) if np.isfinite(values).any() else 1.0)
    cmap = colormaps[MAP_CMAP]
    fig, ax = plots.figure(height=5.6)
    for (code, shape), value in zip(shapes.items(), values, strict=True):
        colour = cmap(0.15 + 0.85 * norm(value)) if np.isfinite(value) else plots.LIGHT_GREY
        ax.add_collection(
            PolyCollection(shape["rings"], facecolors=[colour], edgecolors=[colour], linewidths=0.3, gid=code)
        )
        label = f"{shape['name']}\n{i18n.share(value, lang, 0)}" if np.isfinite(value) else shape["name"]
        style = {"ha": "center", "va": "center", "fontsize": 6.5, "color": "#222", "gid": f"label-{code}"}
        halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
        if code in LABEL_POSITIONS:
            ax.annotate(
                label,
                xy=label_anchor(shape, LABEL_POSITIONS[code]),
                xytext=LABEL_POSITIONS[code],
                arrowprops={"arrowstyle": "-", "color": "#555", "linewidth": 0.6, "shrinkA": 2, "shrinkB": 0},
                path_effects=halo,
                **style,
            )
        else:
            ax.text(*shape["centre"], label, path_effects=halo, **style)
    ax.autoscale_view()
    if LABEL_POSITIONS:  # room for the labels in the sea
        xs, ys = np.asarray(list(LABEL_POSITIONS.values())).T
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        ax.set_xlim(min(x0, xs.min() - 0.12), max(x1, xs.max() + 0.12))
        ax.set_ylim(min(y0, ys.min() - 0.05), max(y1, ys.max() + 0.05))
    ax.set_aspect("equal")
    ax.set_axis_off()
    title = plots.wrap_title(
        title or i18n.text("charts.map_coverage_title", lang, year=year), MAP_TITLE_WIDTH_SHARE * fig.get_figwidth()
    )
    ax.set_title(title, loc="left", fontsize=plots.RC["axes.titlesize"], fontweight="bold")
    from matplotlib.cm import ScalarMappable

    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=_shifted(cmap)), ax=ax, shrink=0.6, pad=0.01)
    bar.ax.yaxis.set_major_formatter(lambda v, _pos: i18n.share(v, lang, 0))
    bar.set_label(i18n.text("charts.columns.coverage_share", lang))
    plots.note(fig, source_line(lang) + " " + i18n.text("charts.map_source", lang))
    return fig


def _shifted(cmap):
    """The colour map as the polygons use it (its lightest 15 % left out, so low values stay visible)."""
    from matplotlib.colors import ListedColormap

    return ListedColormap(cmap(np.linspace(0.15, 1.0, 256)))


def show_kecamatan_map(result, year: int, lang: str, output_dir: str | Path = "", title: str = "") -> None:
    """Display the map (and save it as ``figures/map-coverage-kecamatan.png``); nothing outside Tojo Una-Una."""
    fig = kecamatan_map(result, year, lang, title=title)
    if fig is not None:
        plots.show(fig, MAP_FIGURE_NAME, output_dir)
