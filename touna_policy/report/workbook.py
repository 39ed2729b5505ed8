"""``villages.xlsx``: the run's district, kecamatan and village tables as an Excel workbook a planner
opens with Indonesian (or English) settings.

One sheet per level (district, kecamatan, village), headers from the catalogues in the report's
language, numbers stored as numbers with display formats (workers as whole numbers with thousands
separators, rupiah without decimals, shares as percentages), and the columns that rest on the
estimated per-village workforce marked as estimates in their header. Written with openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pandas as pd

from touna_policy.io import atomic_write_bytes
from touna_policy.report import i18n

WORKERS_FORMAT = "#,##0"
RUPIAH_FORMAT = '"Rp" #,##0'
SHARE_FORMAT = "0.0%"
YEAR_FORMAT = "0"
EXCEL_MAX_ROWS = 1_048_576
MAX_VILLAGE_ROWS = 200_000
"""A village sheet with more rows than this (the national table) is left out, with a note in its place."""

FIXED_TIME = dt.datetime(2000, 1, 1)
"""Time stamp written into every workbook (its properties and zip entries): the bytes depend on the tables only."""

LEVELS = ("district", "kecamatan", "village")
DROPPED_COLUMNS = ("scenario", "estimated_workforce")
ESTIMATED_COLUMNS = frozenset(
    {
        "covered_workers",
        "eligible_workers",
        "working_population",
        "coverage_share",
        "ucj_coverage_share",
        "other_channel_workers",
        "wage_earners_covered",
    }
)
"""Columns that rest on the estimated per-village workforce (or the synthetic other channels)."""
TEXT_COLUMNS = frozenset({"code", "village", "type", "kecamatan_code", "kecamatan"})


def column_format(column: str) -> str | None:
    """The Excel number format of a model column (``None`` for text)."""
    if column in TEXT_COLUMNS:
        return None
    if column == "year":
        return YEAR_FORMAT
    if column.endswith("_share"):
        return SHARE_FORMAT
    if column.endswith("_idr") or "_idr_" in column:
        return RUPIAH_FORMAT
    return WORKERS_FORMAT


def column_header(column: str, lang: str, estimated: bool) -> str:
    """The planner's header of a model column in ``lang``, with "(estimasi)" when it is estimated."""
    cat = i18n.catalogue(lang)
    key = next((k for k in (f"workbook.columns.{column}", f"charts.columns.{column}") if k in cat), None)
    header = cat[key] if key else column
    if estimated and column in ESTIMATED_COLUMNS:
        header += " " + i18n.text("workbook.estimated_suffix", lang)
    return header


def level_frames(result) -> dict[str, pd.DataFrame]:
    """``{level: frame}`` of a projection: district by year, kecamatan by year, village by year."""
    return {"district": result.district, "kecamatan": result.kecamatan(), "village": result.villages}


def workbook_bytes(frames: dict[str, pd.DataFrame], lang: str, estimated: bool) -> bytes:
    """The workbook of ``frames`` (level -> frame, as :func:`level_frames`) as ``.xlsx`` bytes."""
    from openpyxl import Workbook  # lazy: only the run writes workbooks
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="bottom")
    for level in LEVELS:
        frame = frames[level]
        ws = wb.create_sheet(i18n.text(f"workbook.sheet_{level}", lang))
        if len(frame) > min(MAX_VILLAGE_ROWS, EXCEL_MAX_ROWS - 1):
            ws.append([i18n.text("workbook.too_many_rows", lang, rows=i18n.number(len(frame), lang))])
            continue
        columns = [c for c in frame.columns if c not in DROPPED_COLUMNS]
        # a column of text (names, codes, the payer) is written as text whatever its name
        formats = [column_format(c) if pd.api.types.is_numeric_dtype(frame[c]) else None for c in columns]
        ws.freeze_panes = "A2"
        for n, (column, fmt) in enumerate(zip(columns, formats, strict=True)):
            letter = _column_letter(n + 1)
            ws.column_dimensions[letter].width = 14 if fmt else (28 if column == "village" else 18)
        head = []
        for column in columns:
            cell = WriteOnlyCell(ws, value=column_header(column, lang, estimated))
            cell.font, cell.alignment = bold, wrap
            head.append(cell)
        ws.append(head)
        values = frame[columns].astype(object).where(frame[columns].notna(), None).to_numpy()
        for row in values:
            cells = []
            for value, fmt in zip(row, formats, strict=True):
                cell = WriteOnlyCell(ws, value=_plain(value, fmt))
                if fmt is not None:
                    cell.number_format = fmt
                cells.append(cell)
            ws.append(cells)
    wb.properties.creator = "touna-policy"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    return repack_zip(buffer.getvalue())


def repack_zip(data: bytes) -> bytes:
    """The same zip (an ``.xlsx`` is one) with every entry's time stamp and the workbook's "modified"
    property fixed, so that equal tables give equal bytes (runs are compared file by file)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the time of saving
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                body = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>", body
                )
            dst.writestr(entry, body)
    return out.getvalue()


def _plain(value, fmt: str | None):
    """A cell value openpyxl stores natively: Python int/float/str; years as whole numbers."""
    if value is None:
        return None
    if fmt is None:
        return str(value)
    if fmt == YEAR_FORMAT:
        return int(value)
    return float(value)


def _column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def write_villages_xlsx(path: str | Path, result, lang: str) -> Path:
    """Write ``villages.xlsx`` for a projection (atomic): one sheet per level in ``lang``."""
    estimated = bool(getattr(result.inputs, "workforce_estimated", True))
    return atomic_write_bytes(Path(path), workbook_bytes(level_frames(result), lang, estimated))
