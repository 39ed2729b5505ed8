"""The long village-by-year table in bounded memory: written in slices of villages.

:func:`write_villages_csv` writes ``result.villages`` slice by slice (:func:`iter_village_frames`), so
the national table (83,762 villages x 13 years, about 230 MB of CSV) never sits in memory as one
frame or one string, with the same bytes as writing the whole frame.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from touna_policy.io import atomic_open
from touna_policy.model.projection import ProjectionArrays, ProjectionResult

VILLAGE_CHUNK = 5_000
"""Villages per slice when writing the village table (5,000 x 13 years is about 35 MB of frame)."""


def slice_result(result: ProjectionResult, start: int, stop: int) -> ProjectionResult:
    """The same projection restricted to villages ``start:stop`` (views, no recomputation)."""
    n = result.arrays.quota_places.shape[0]
    sliced: dict[str, Any] = {}
    for f in dataclasses.fields(ProjectionArrays):
        value = getattr(result.arrays, f.name)
        sliced[f.name] = (
            value[start:stop]
            if isinstance(value, np.ndarray) and (value.ndim == 2 or f.name == "payers") and value.shape[0] == n
            else value
        )
    inputs = dataclasses.replace(result.inputs, villages=result.inputs.villages.iloc[start:stop].reset_index(drop=True))
    return ProjectionResult(result.scenario, inputs, ProjectionArrays(**sliced))


def iter_village_frames(result: ProjectionResult, chunk_villages: int = VILLAGE_CHUNK) -> Iterator[pd.DataFrame]:
    """The village-by-year table in slices of ``chunk_villages`` villages (same rows and columns as
    ``result.villages``, concatenated)."""
    if chunk_villages < 1:
        raise ValueError(f"chunk_villages must be at least 1, got {chunk_villages}")
    n = result.arrays.quota_places.shape[0]
    for start in range(0, n, chunk_villages):
        yield slice_result(result, start, min(start + chunk_villages, n)).villages


def write_villages_csv(path: str | Path, result: ProjectionResult, chunk_villages: int = VILLAGE_CHUNK) -> Path:
    """Write the village-by-year table slice by slice, atomically.

    Same bytes as :func:`touna_policy.io.atomic_write_csv` of ``result.villages``; memory holds one
    slice at a time. Readers see the old file or the whole new one, never a half-written table.
    """
    path = Path(path)
    with atomic_open(path, "w", encoding="utf-8", newline="") as fh:
        for n, frame in enumerate(iter_village_frames(result, chunk_villages)):
            frame.to_csv(fh, index=False, header=(n == 0), lineterminator="\n", float_format="%.6f")
    return path
