"""Village areas from the MIT-licensed desa/kelurahan boundaries (``data/raw/touna_desa.geojson``).

The polygons come from ``cahyadsn/wilayah_boundaries`` (MIT, (c) 2024 Cahya DSN; see
``data/raw/LICENSE_wilayah_boundaries.txt``). They are simplified shapes: good for areal weights, not
for legal boundaries.

Areas are computed with plain numpy: every ring is projected onto a Lambert cylindrical equal-area
projection (sphere of the authalic radius, standard parallel at the mean latitude of the file) and
measured with the shoelace formula; holes are subtracted. All rings of the file are concatenated and
summed in one pass (``np.add.reduceat``). The result agrees with the spherical areas stored in the
file's ``area_km2_from_polygon`` property to within 0.01 km2.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from touna_policy import config
from touna_policy.data.tables import VILLAGE_CODE_PATTERN
from touna_policy.errors import InputError, ProblemList
from touna_policy.io import read_input_bytes

VILLAGE_BOUNDARIES_GEOJSON = config.RAW_DIR / "touna_desa.geojson"
AUTHALIC_RADIUS_KM = 6371.0072


def ring_areas_km2(lon_deg: np.ndarray, lat_deg: np.ndarray, ring_start: np.ndarray) -> np.ndarray:
    """Unsigned area of each ring of concatenated, closed rings (first vertex repeated last).

    Parameters
    ----------
    lon_deg, lat_deg : vertex coordinates in degrees, all rings one after another
    ring_start : index of each ring's first vertex, increasing, ``ring_start[0] == 0``

    Returns
    -------
    area in km2 per ring, shape ``(len(ring_start),)``
    """
    lat0 = np.deg2rad(np.mean(lat_deg))
    x = AUTHALIC_RADIUS_KM * np.deg2rad(lon_deg) * np.cos(lat0)
    y = AUTHALIC_RADIUS_KM * np.sin(np.deg2rad(lat_deg)) / np.cos(lat0)
    cross = x[:-1] * y[1:] - x[1:] * y[:-1]
    # the term joining the last vertex of one ring to the first of the next is not an edge
    cross[ring_start[1:] - 1] = 0.0
    cross = np.append(cross, 0.0)
    return np.abs(0.5 * np.add.reduceat(cross, ring_start))


def _rings(file: str, features: list) -> tuple[list[str], list[np.ndarray], list[int], list[int]]:
    """Codes and flattened rings (coordinates, owning feature, +1 outer / -1 hole) of every feature."""
    problems = ProblemList()
    codes: list[str] = []
    rings: list[np.ndarray] = []
    owner: list[int] = []
    sign: list[int] = []
    for number, feature in enumerate(features):
        where = f"feature {number}"
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        code = str(props.get("code", ""))
        if not pd.Series([code]).str.match(VILLAGE_CODE_PATTERN).iloc[0]:
            problems.add(
                file, f"{where}, property 'code'", repr(code), "a Kemendagri village code such as 72.09.01.2005"
            )
            continue
        kind = geometry.get("type")
        if kind not in ("Polygon", "MultiPolygon"):
            problems.add(file, f"{where} ({code}), geometry 'type'", repr(kind), "'Polygon' or 'MultiPolygon'")
            continue
        polygons = geometry.get("coordinates") or []
        polygons = [polygons] if kind == "Polygon" else polygons
        index = len(codes)
        codes.append(code)
        for polygon in polygons:
            for k, ring in enumerate(polygon):
                coords = np.asarray(ring, dtype=float)
                if coords.ndim != 2 or coords.shape[0] < 4 or coords.shape[1] < 2 or not np.isfinite(coords).all():
                    problems.add(
                        file,
                        f"{where} ({code}), ring {k}",
                        f"{coords.shape[0]} vertices",
                        "a closed ring of 4 or more [lng, lat]",
                    )
                    continue
                if not np.array_equal(coords[0, :2], coords[-1, :2]):
                    coords = np.vstack([coords[:, :2], coords[:1, :2]])
                rings.append(coords[:, :2])
                owner.append(index)
                sign.append(1 if k == 0 else -1)
    problems.raise_if_any()
    return codes, rings, owner, sign


def village_areas_km2(path: str | Path = VILLAGE_BOUNDARIES_GEOJSON) -> pd.DataFrame:
    """Area of every village polygon of a GeoJSON FeatureCollection.

    Returns
    -------
    DataFrame with columns ``code, area_km2``, sorted by code.

    Raises
    ------
    InputError
        missing or unreadable file, not a FeatureCollection, a feature without a village code or with
        a geometry that is not a (Multi)Polygon, a repeated code.
    """
    return _village_areas_cached(str(path)).copy()


@lru_cache(maxsize=4)
def _village_areas_cached(file: str) -> pd.DataFrame:
    path = Path(file)
    raw = read_input_bytes(path, "GeoJSON file of village boundaries")  # regular file, bounded, clear errors
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError.single(file, "", f"text that is not JSON ({exc})", "a GeoJSON FeatureCollection") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not data.get("features"):
        raise InputError.single(
            file, "top level", "no features", "a GeoJSON FeatureCollection with one feature per village"
        )
    codes, rings, owner, sign = _rings(file, data["features"])
    lengths = np.array([len(r) for r in rings])
    ring_start = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    coords = np.concatenate(rings)
    areas = ring_areas_km2(coords[:, 0], coords[:, 1], ring_start) * np.asarray(sign)
    area = np.bincount(np.asarray(owner), weights=areas, minlength=len(codes))
    out = pd.DataFrame({"code": codes, "area_km2": area})
    repeated = out["code"].duplicated()
    if repeated.any():
        raise InputError.single(
            file,
            f"property 'code' {out['code'][repeated].iloc[0]!r}",
            "a code on two features",
            "one feature per village",
        )
    return out.sort_values("code", kind="stable").reset_index(drop=True)
