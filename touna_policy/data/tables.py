"""Reading the project's CSV tables: text, shape checks, plain numbers and pandera validation.

Every table is read as text, checked for shape (delimiter, header, required columns, each column
named once), converted to numbers where needed and validated with a pandera schema. All problems
found are raised together as one :class:`~touna_policy.errors.InputError` naming the file, the CSV
line (row), the column, what was found and what was expected.
"""

from __future__ import annotations

import ast
import csv
import hashlib
from collections.abc import Callable, Iterable
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from touna_policy.data.validation_cache import is_validated, read_cached_table, remember_table, remember_validated
from touna_policy.errors import InputError, InputProblem, ProblemList, did_you_mean
from touna_policy.io import decode_input_text, read_input_bytes

if TYPE_CHECKING:
    import pandera.pandas as pa

SOURCE_SHA256 = "source_sha256"
"""Key in ``frame.attrs`` of a table read by :func:`read_csv_strings`: the SHA-256 of the bytes it was
parsed from, which :func:`validate_frame` looks up in the validation cache (and removes)."""

VILLAGE_CODE_PATTERN = r"^\d{2}\.\d{2}\.\d{2}\.[1-3]\d{3}$"
VILLAGE_TYPES = ("desa", "kelurahan")

# a whole number written plainly: 1983 or 1983.0, never 1.983 / 1.000 (Indonesian thousands), 1,983 or 1e3
_WHOLE = r"^[+-]?\d+(\.0+)?$"
_THOUSANDS = r"^[+-]?\d{1,3}(\.\d{3})+$"


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def csv_row(index: object) -> str:
    """Row label as a planner sees it in a spreadsheet: the file's line number (header is line 1)."""
    try:
        return f"row {int(index) + 2}"  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return "row ?"


def read_csv_strings(path: str | Path, required: Iterable[str], data: bytes | None = None) -> pd.DataFrame:
    """Read a CSV as text and check its shape.

    Checks the file is a readable regular file, is not empty or header-only, is comma-separated,
    names each column once and has every required column (suggesting the nearest name for a
    misspelling). Returns every cell as text. ``data``: the file's bytes, when already read.
    """
    file = str(path)
    required = list(required)
    data = read_input_bytes(path, "CSV file") if data is None else data
    text = decode_input_text(path, data, "CSV file")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise InputError.single(file, "", "an empty file", f"a header row with columns {', '.join(required)}")
    header = lines[0]
    if ";" in header and "," not in header:
        raise InputError.single(
            file,
            "row 1",
            "a semicolon-delimited header",
            "comma-separated values (re-export the sheet as CSV with ',' as delimiter)",
        )
    if "\t" in header and "," not in header:
        raise InputError.single(file, "row 1", "a tab-delimited header", "comma-separated values")
    if len(lines) == 1:
        raise InputError.single(file, "", "a header row and no data rows", "at least one data row")
    problems = ProblemList()
    names = [c.strip() for c in next(csv.reader([header.lstrip("\ufeff")]))]
    for column in dict.fromkeys(c for c in names if names.count(c) > 1):
        places = [str(i + 1) for i, c in enumerate(names) if c == column]
        problems.add(
            file,
            f"row 1, column '{column}'",
            f"the column '{column}' {len(places)} times (columns {', '.join(places)})",
            "each column named once (which of the two holds the figures?)",
        )
    problems.raise_if_any()
    try:
        frame = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.ParserError as exc:
        raise InputError.single(
            file, "", f"rows that do not parse as CSV ({str(exc).strip()})", "the same number of fields on every row"
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in required:
        if column not in frame.columns:
            hint = did_you_mean(column, [c for c in frame.columns if c not in required])
            problems.add(file, f"column '{column}'", "no such column", f"a column named '{column}'", hint)
    problems.raise_if_any()
    frame.attrs[SOURCE_SHA256] = hashlib.sha256(data).hexdigest()  # these very bytes, not a second read
    return frame


def to_numbers(frame: pd.DataFrame, numeric: Iterable[str], file: str | Path) -> pd.DataFrame:
    """Convert ``numeric`` text columns to float in place; a cell that is not a finite number is a problem."""
    problems = ProblemList()
    for column in numeric:
        values = frame[column].str.strip()
        number = pd.to_numeric(values.str.replace("_", "", regex=False), errors="coerce")
        bad = number.isna() | ~np.isfinite(number.to_numpy(dtype=float, na_value=np.nan))
        for index in frame.index[bad.to_numpy()][:20]:
            problems.add(file, f"{csv_row(index)}, column '{column}'", repr(frame.at[index, column]), "a finite number")
        frame[column] = number.astype(float)
    problems.raise_if_any()
    return frame


def read_csv_text(
    path: str | Path, required: Iterable[str], numeric: Iterable[str] = (), whole: Iterable[str] = ()
) -> pd.DataFrame:
    """Read a CSV (:func:`read_csv_strings`), check the ``whole`` columns are plain whole numbers
    (:func:`whole_number_problems`) and convert the ``numeric`` ones to float (:func:`to_numbers`).

    A file whose bytes were read and passed these checks before under this code is read back from the
    cache (:func:`~touna_policy.data.validation_cache.read_cached_table`) instead of being parsed.
    """
    data = read_input_bytes(path, "CSV file")
    sha256 = hashlib.sha256(data).hexdigest()
    required, numeric, whole = list(required), list(numeric), list(whole)
    reader = f"read_csv_text\0{required}\0{numeric}\0{whole}"
    cached = read_cached_table(sha256, reader)
    if isinstance(cached, pd.DataFrame):
        cached.attrs[SOURCE_SHA256] = sha256
        return cached
    frame = read_csv_strings(path, required, data)
    problems = whole_number_problems(frame, [c for c in whole if c != "year"], path)
    problems += whole_number_problems(frame, [c for c in whole if c == "year"], path, "a whole year", year=True)
    if problems:
        raise InputError(problems)
    frame = to_numbers(frame, [*numeric, *(c for c in whole if c not in numeric)], path)
    remember_table(sha256, reader, frame)
    return frame


def whole_number_problems(
    text: pd.DataFrame, columns: Iterable[str], file: str | Path, what: str = "a whole number", year: bool = False
) -> list[InputProblem]:
    """Cells of ``columns`` (still text) that are not a plain whole number.

    ``1983`` and ``1983.0`` pass; ``1.983`` and ``1.000`` (Indonesian thousands: read as 1 worker),
    ``12.5``, ``1,983`` and ``1e3`` do not. A cell that is no number at all is left to :func:`to_numbers`.
    ``year`` words the expectation for a year column (a fractional year is refused, not truncated).
    """
    problems: list[InputProblem] = []
    for column in columns:
        values = text[column].str.strip()
        number = pd.to_numeric(values, errors="coerce")
        thousands = values.str.match(_THOUSANDS).to_numpy()
        bad = thousands | (number.notna().to_numpy() & ~values.str.match(_WHOLE).to_numpy())
        for index in text.index[bad][:20]:
            value = values.at[index]
            if year:
                expected = f"{what} such as 2025 (a year is never fractional)"
            else:
                example = value.replace(".", "") if thousands[text.index.get_loc(index)] else "1983"
                expected = f"{what} (write {example}, not 1.983 or 1,983)"
            problems.append(InputProblem(str(file), f"{csv_row(index)}, column '{column}'", value, expected))
    return problems


def validate_frame(frame: pd.DataFrame, schema: Callable[[], pa.DataFrameSchema], file: str | Path) -> pd.DataFrame:
    """Run the pandera schema ``schema()`` lazily and turn every failure into an :class:`InputProblem`.

    A table read by :func:`read_csv_strings` whose bytes already passed this schema under this code
    (:mod:`~touna_policy.data.validation_cache`, keyed on the file's SHA-256) is returned as it is,
    without importing pandera; any other table is validated in full, and a pass is remembered. The
    schema only checks (it coerces nothing), so both ways return the same frame.
    """
    source_sha256 = frame.attrs.pop(SOURCE_SHA256, None)
    name = f"{schema.__module__}.{schema.__qualname__}"
    if source_sha256 is not None and is_validated(source_sha256, name):
        return frame
    import pandera.pandas as pa  # lazy: pandera (about 0.5 s to import) only when a table is validated

    try:
        validated = schema().validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems = []
        cases = exc.failure_cases
        for row in cases.head(50).itertuples(index=False):
            column = row.column if isinstance(row.column, str) else None
            where = f"{csv_row(row.index)}, " if row.index is not None and not pd.isna(row.index) else ""
            where += f"column '{column}'" if column else "table"
            check = str(row.check)
            hint = ""
            if check.startswith("isin(") and isinstance(row.failure_case, str):  # 'Desa' -> did you mean 'desa'?
                try:
                    allowed = [str(v) for v in ast.literal_eval(check[len("isin(") : -1])]
                except (ValueError, SyntaxError):
                    allowed = []
                best = next((a for a in allowed if a.lower() == row.failure_case.strip().lower()), None)
                hint = f"did you mean '{best}'?" if best else did_you_mean(row.failure_case, allowed)
            problems.append(InputProblem(str(file), where, repr(row.failure_case), expectation(check), hint))
        if len(cases) > 50:
            problems.append(InputProblem(str(file), "", f"{len(cases) - 50} more failures", "none"))
        raise InputError(problems) from None
    if source_sha256 is not None:
        remember_validated(source_sha256, name)
    return validated


def expectation(check: str) -> str:
    """Plain words for a pandera check name."""
    words = {
        "field_uniqueness": "a value not repeated in another row",
        "greater_than_or_equal_to(0)": "a number that is not negative",
        "not_nullable": "a value (the cell is empty)",
    }
    if check in words:
        return words[check]
    if check == f"str_matches('{VILLAGE_CODE_PATTERN}')":
        return "a Kemendagri village code such as 72.09.01.2005 (digits and dots)"
    if check.startswith("str_matches"):
        return f"text matching {check[len('str_matches(') : -1]}"
    if check.startswith("isin"):
        return f"one of {check[len('isin(') : -1]}"
    if check.startswith("in_range"):
        return f"a number in {check[len('in_range(') : -1]}"
    if check.startswith("greater_than("):
        return f"a number above {check[len('greater_than(') : -1]}"
    if check.startswith("less_than_or_equal_to"):
        return f"a number at most {check[len('less_than_or_equal_to(') : -1]}"
    return check
