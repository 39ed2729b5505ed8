"""The long village-by-year table in bounded memory: written in slices of villages, as CSV or Parquet.

:func:`write_villages` picks the format from the file name (``.parquet``: Parquet, anything else:
CSV). :func:`write_villages_csv` writes ``result.villages`` slice by slice (:func:`iter_village_frames`)
with the same bytes as ``pandas.DataFrame.to_csv(index=False, lineterminator="\\n",
float_format="%.6f")`` of the whole frame, but formats the cells in Arrow's compiled kernels
(:func:`csv_cells`) instead of one Python ``%`` per cell: the national table (83,762 villages x 13
years, about 230 MB of CSV) is written several times faster and never sits in memory as one frame or
one string. :func:`write_villages_parquet` writes the same numbers as Parquet (one row group per
slice). Both write atomically (:func:`touna_policy.io.atomic_open`).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from touna_policy.io import atomic_open
from touna_policy.model.projection import ProjectionArrays, ProjectionResult

VILLAGE_CHUNK = 5_000
"""Villages per slice when writing the village table (5,000 x 13 years is about 35 MB of frame)."""

PARQUET_SUFFIXES = (".parquet", ".pq")
"""File names ending in one of these get Parquet from :func:`write_villages`; any other name CSV."""

_DECIMALS = 6  # the CSV's float_format, "%.6f"
_SCALE = 10**_DECIMALS
_FLOAT_FORMAT = f"%.{_DECIMALS}f"
_NEEDS_QUOTES = re.compile('[,"\r\n]')  # QUOTE_MINIMAL quotes the delimiter, the quote char, line breaks
_EXACT_LIMIT = 2.0**52  # below this, value x 1e6 keeps a fractional part to round on (float64 has 52 bits)


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


# ------------------------------------------------------------------------------------------------
# CSV cells formatted by Arrow, byte for byte as pandas writes them
# ------------------------------------------------------------------------------------------------


def _csv_field(value: str) -> str:
    """One field as Python's csv module (which pandas uses) writes it: quoted only when needed."""
    if value and not _NEEDS_QUOTES.search(value):  # the usual name: written as it is
        return value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([value, ""])  # a second field: a lone "" gets quotes
    return buffer.getvalue()[:-2]


def fixed_decimals(values: np.ndarray) -> pa.Array:
    """``"%.6f" % v`` of every value, ``""`` for NaN (pandas' empty ``na_rep``), as an Arrow string array.

    The digits come from integer arithmetic on ``round(|v| x 1e6)``. That product is off by at most
    half a unit in its last place, so the rounding is decided exactly unless its fraction lies within
    that error of one half, or the value is too large for the product to keep a fraction, or not finite:
    those few cells (none in the shipped tables) are formatted by Python's own ``%``.
    """
    x = np.asarray(values, dtype=np.float64)
    nan = np.isnan(x)
    finite = np.isfinite(x)
    scaled = np.abs(np.where(finite, x, 0.0)) * _SCALE
    whole = np.floor(scaled)
    fraction = scaled - whole  # exact: whole <= scaled < whole + 1 < 2**52
    exact = finite & (scaled < _EXACT_LIMIT) & (np.abs(fraction - 0.5) > scaled * 2.0**-51)
    units = np.where(exact, whole, 0.0).astype(np.int64) + (exact & (fraction > 0.5))
    # the digits of units with at least one before the point (lpad), then the point put in before the
    # last six: three Arrow kernels per column
    digits = pc.utf8_lpad(pc.cast(pa.array(units), pa.string()), width=_DECIMALS + 1, padding="0")
    text = pc.utf8_replace_slice(digits, start=-_DECIMALS, stop=-_DECIMALS, replacement=".")
    negative = np.signbit(x)  # "%.6f" keeps the sign of -0.0 and of -1e-9
    if negative.any():
        text = pc.if_else(pa.array(negative), pc.binary_join_element_wise("-", text, ""), text)
    if nan.any():
        text = pc.if_else(pa.array(nan), "", text)
    others = ~exact & ~nan
    if others.any():  # the rare cells decided by Python's rounding: ties, huge values, infinities
        replacement = pa.array([_FLOAT_FORMAT % v for v in x[others].tolist()], pa.string())
        text = pc.replace_with_mask(text, pa.array(others), replacement)
    return text


def csv_cells(column: pd.Series) -> pa.Array | None:
    """The column's cells as pandas' ``to_csv(float_format="%.6f")`` writes them (Arrow strings), or
    ``None`` for a dtype this does not handle (the caller then lets pandas write the slice)."""
    kind = column.dtype.kind
    if kind == "f":
        return fixed_decimals(column.to_numpy(dtype=np.float64, na_value=np.nan))
    if kind in "iu":
        return pc.cast(pa.array(column.to_numpy()), pa.string())
    if kind == "b":
        return pc.if_else(pa.array(column.to_numpy()), "True", "False")
    if isinstance(column.dtype, pd.StringDtype) or (kind == "O" and pd.api.types.is_string_dtype(column)):
        codes, names = pd.factorize(column, use_na_sentinel=False)
        names = np.asarray(names, dtype=object).tolist()
        fields = pa.array(["" if pd.isna(name) else _csv_field(str(name)) for name in names], pa.string())
        return fields.take(pa.array(codes))  # each distinct name formatted once, then looked up
    return None


def csv_bytes(frame: pd.DataFrame, header: bool) -> bytes | memoryview:
    """``frame.to_csv(index=False, header=header, lineterminator="\\n", float_format="%.6f")``, encoded
    as UTF-8: the same bytes, with the cells formatted and joined by Arrow."""
    columns = [csv_cells(frame[name]) for name in frame.columns]
    if any(c is None for c in columns) or not frame.columns.is_unique or len(frame) == 0:
        return frame.to_csv(index=False, header=header, lineterminator="\n", float_format=_FLOAT_FORMAT).encode()
    lines = pc.binary_join_element_wise(*columns, ",")
    lines = pc.binary_join_element_wise(lines, "", "\n")  # each line ends in "\n"
    first = (",".join(_csv_field(str(name)) for name in frame.columns) + "\n").encode() if header else b""
    return first + _string_data(lines)


def _string_data(strings: pa.Array) -> bytes:
    """The concatenated values of an Arrow string array (its data buffer between the first and last offset)."""
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    offset_type = np.int64 if pa.types.is_large_string(strings.type) else np.int32
    _, offsets_buffer, data_buffer = strings.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=offset_type)[strings.offset : strings.offset + len(strings) + 1]
    return memoryview(data_buffer)[int(offsets[0]) : int(offsets[-1])].tobytes()


# ------------------------------------------------------------------------------------------------
# Writers
# ------------------------------------------------------------------------------------------------


def write_villages_csv(path: str | Path, result: ProjectionResult, chunk_villages: int = VILLAGE_CHUNK) -> Path:
    """Write the village-by-year table slice by slice, atomically.

    Same bytes as :func:`touna_policy.io.atomic_write_csv` of ``result.villages``; memory holds one
    slice at a time. Readers see the old file or the whole new one, never a half-written table.
    """
    path = Path(path)
    with atomic_open(path, "wb") as fh:
        for n, frame in enumerate(iter_village_frames(result, chunk_villages)):
            fh.write(csv_bytes(frame, header=(n == 0)))
    return path


def write_villages_parquet(path: str | Path, result: ProjectionResult, chunk_villages: int = VILLAGE_CHUNK) -> Path:
    """Write the village-by-year table as Parquet, one row group per slice of villages, atomically.

    Same columns, types and numbers as ``result.villages`` (``pandas.read_parquet`` gives it back).
    """
    import pyarrow.parquet as pq  # only this writer needs the Parquet module

    path = Path(path)
    with atomic_open(path, "wb") as fh:
        writer = None
        for frame in iter_village_frames(result, chunk_villages):
            table = pa.Table.from_pandas(frame, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(fh, table.schema)
            writer.write_table(table)
        if writer is not None:
            writer.close()
    return path


def write_villages(path: str | Path, result: ProjectionResult, chunk_villages: int = VILLAGE_CHUNK) -> Path:
    """The village table in the format the file name asks for: Parquet for ``.parquet`` / ``.pq``, else CSV."""
    if Path(path).suffix.lower() in PARQUET_SUFFIXES:
        return write_villages_parquet(path, result, chunk_villages)
    return write_villages_csv(path, result, chunk_villages)
