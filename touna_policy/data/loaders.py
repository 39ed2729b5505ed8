"""Loading and validating the project's tables.

Every table is read as text, checked for shape (delimiter, header, required columns), converted to
numbers where needed and validated with a pandera schema. All problems found are raised together as
one :class:`~touna_policy.errors.InputError` naming the file, the CSV line (row), the column, what was
found and what was expected.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from touna_policy import config
from touna_policy.errors import InputError, InputProblem, ProblemList, did_you_mean

VILLAGE_CODE_PATTERN = r"^\d{2}\.\d{2}\.\d{2}\.[1-3]\d{3}$"
KECAMATAN_CODE_PATTERN = r"^\d{2}\.\d{2}\.\d{2}$"
VILLAGE_TYPES = ("desa", "kelurahan")


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _csv_line(index: object) -> str:
    """Row label as a planner sees it in a spreadsheet: the file's line number (header is line 1)."""
    try:
        return f"row {int(index) + 2}"
    except (TypeError, ValueError):
        return "row ?"


def read_csv_text(path: str | Path, required: Iterable[str], numeric: Iterable[str] = ()) -> pd.DataFrame:
    """Read a CSV as text and check its shape.

    Checks the file exists and is a file, is not empty or header-only, is comma-separated, has every
    required column (suggesting the nearest name for a misspelling) and that ``numeric`` columns hold
    numbers. Returns the frame with numeric columns converted to float.
    """
    path = Path(path)
    file = str(path)
    required = list(required)
    if not path.exists():
        raise InputError.single(file, "", "no such file", "an existing CSV file")
    if path.is_dir():
        raise InputError.single(file, "", "a folder", "a CSV file")
    raw = path.read_bytes()
    if path.suffix == ".gz":
        import gzip

        raw = gzip.decompress(raw)
    try:
        text = raw.decode("utf-8-sig")  # a spreadsheet's byte-order mark is accepted and removed
    except UnicodeDecodeError as exc:
        raise InputError.single(
            file, f"byte {exc.start}", "text that is not UTF-8", "a UTF-8 CSV file (save as 'CSV UTF-8')"
        ) from None
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
    from io import StringIO

    try:
        frame = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.ParserError as exc:
        raise InputError.single(
            file, "", f"rows that do not parse as CSV ({str(exc).strip()})", "the same number of fields on every row"
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    problems = ProblemList()
    for column in required:
        if column not in frame.columns:
            hint = did_you_mean(column, [c for c in frame.columns if c not in required])
            problems.add(file, f"column '{column}'", "no such column", f"a column named '{column}'", hint)
    problems.raise_if_any()
    for column in numeric:
        values = frame[column].str.strip()
        number = pd.to_numeric(values.str.replace("_", "", regex=False), errors="coerce")
        bad = number.isna() | ~np.isfinite(number.to_numpy(dtype=float, na_value=np.nan))
        for index in frame.index[bad.to_numpy()][:20]:
            problems.add(
                file, f"{_csv_line(index)}, column '{column}'", repr(frame.at[index, column]), "a finite number"
            )
        frame[column] = number.astype(float)
    problems.raise_if_any()
    return frame


def validate_frame(frame: pd.DataFrame, schema: pa.DataFrameSchema, file: str | Path) -> pd.DataFrame:
    """Run a pandera schema lazily and turn every failure into an :class:`InputProblem`."""
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems = []
        cases = exc.failure_cases
        for row in cases.head(50).itertuples(index=False):
            column = row.column if isinstance(row.column, str) else None
            where = f"{_csv_line(row.index)}, " if row.index is not None and not pd.isna(row.index) else ""
            where += f"column '{column}'" if column else "table"
            check = str(row.check)
            hint = ""
            if check.startswith("isin(") and isinstance(row.failure_case, str):  # 'Desa' -> did you mean 'desa'?
                import ast

                try:
                    allowed = [str(v) for v in ast.literal_eval(check[len("isin(") : -1])]
                except (ValueError, SyntaxError):
                    allowed = []
                best = next((a for a in allowed if a.lower() == row.failure_case.strip().lower()), None)
                hint = f"did you mean '{best}'?" if best else did_you_mean(row.failure_case, allowed)
            problems.append(InputProblem(str(file), where, repr(row.failure_case), _expectation(check), hint))
        if len(cases) > 50:
            problems.append(InputProblem(str(file), "", f"{len(cases) - 50} more failures", "none"))
        raise InputError(problems) from None


def _expectation(check: str) -> str:
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


# ---------------------------------------------------------------------------------------------
# Village registry
# ---------------------------------------------------------------------------------------------

REGISTRY_COLUMNS = [
    "code",
    "village",
    "type",
    "kecamatan_code",
    "kecamatan",
    "kabupaten_code",
    "kabupaten",
    "province_code",
    "province",
]

_registry_schema = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.str_matches(VILLAGE_CODE_PATTERN), unique=True),
        "village": pa.Column(str, pa.Check.str_length(min_value=1)),
        "type": pa.Column(str, pa.Check.isin(VILLAGE_TYPES)),
        "kecamatan": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=False,
)


def _check_registry_consistency(frame: pd.DataFrame, file: str) -> None:
    problems = ProblemList()
    digit = frame["code"].str[9]
    expected = np.where(digit == "1", "kelurahan", "desa")
    for index in frame.index[(frame["type"] != expected).to_numpy()][:20]:
        problems.add(
            file,
            f"{_csv_line(index)}, column 'type'",
            repr(frame.at[index, "type"]),
            f"'{expected[frame.index.get_loc(index)]}' (codes .1xxx are kelurahan, .2xxx and .3xxx desa)",
        )
    names = frame.groupby("kecamatan_code")["kecamatan"].nunique()
    for code in names.index[names > 1]:
        rows = frame.index[frame["kecamatan_code"] == code]
        problems.add(
            file,
            f"{_csv_line(rows[0])}, column 'kecamatan'",
            f"several names for kecamatan {code}: {sorted(frame.loc[rows, 'kecamatan'].unique())}",
            "one name per kecamatan code",
        )
    problems.raise_if_any()


def load_registry(area_code: str = config.DEFAULT_AREA_CODE, path: str | Path | None = None) -> pd.DataFrame:
    """The villages of an area, one row each, sorted by Kemendagri code.

    Parameters
    ----------
    area_code : ``"72.09"`` (a kabupaten), ``"72"`` (a province) or ``""`` / ``"0"`` (Indonesia)
    path : a registry CSV; by default ``data/raw/touna_villages.csv`` for 72.09 and the national
        registry for any other area

    Returns
    -------
    DataFrame with columns ``code, village, type, kecamatan_code, kecamatan, kabupaten_code,
    kabupaten, province_code, province``.
    """
    area_code = "" if area_code in ("0", "", None) else str(area_code)
    if path is None:
        path = config.TOUNA_VILLAGES_CSV if area_code == config.DEFAULT_AREA_CODE else config.NATIONAL_VILLAGES_CSV
    return _load_registry_cached(str(path), area_code).copy()


@lru_cache(maxsize=16)
def _load_registry_cached(path: str, area_code: str) -> pd.DataFrame:
    frame = read_csv_text(path, ["code", "village", "type", "kecamatan"])
    frame = validate_frame(frame, _registry_schema, path)
    frame["kecamatan_code"] = frame["code"].str[:8]
    if "kabupaten_code" not in frame:
        frame["kabupaten_code"] = frame["code"].str[:5]
        frame["kabupaten"] = ""
        frame["province_code"] = frame["code"].str[:2]
        frame["province"] = ""
    _check_registry_consistency(frame, path)
    if area_code:
        frame = frame[frame["code"].str.startswith(area_code + ".")]
        if frame.empty:
            raise InputError.single(
                path,
                "",
                f"no village with a code under '{area_code}'",
                "a Kemendagri area code such as 72.09 (kabupaten) or 72 (province)",
            )
    frame = frame[REGISTRY_COLUMNS].sort_values("code", kind="stable").reset_index(drop=True)
    return frame


# ---------------------------------------------------------------------------------------------
# Population and indicators
# ---------------------------------------------------------------------------------------------

_regency_population_schema = pa.DataFrameSchema(
    {
        "year": pa.Column(float, pa.Check.in_range(1900, 2100), unique=True),
        "population": pa.Column(float, pa.Check.gt(0)),
        "kind": pa.Column(str, pa.Check.isin(["census", "estimate", "registration"])),
        "source": pa.Column(str, pa.Check.str_length(min_value=3)),
        "source_date": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
    },
    strict=False,
)


@lru_cache(maxsize=4)
def load_regency_population(path: str | Path = config.REGENCY_POPULATION_CSV) -> pd.DataFrame:
    """Tojo Una-Una population by year with source and kind (census, estimate, registration)."""
    frame = read_csv_text(path, ["year", "population", "kind", "source", "source_date"], numeric=["year", "population"])
    frame = validate_frame(frame, _regency_population_schema, path)
    frame["year"] = frame["year"].astype(int)
    return frame.sort_values("year").reset_index(drop=True)


_kabupaten_population_schema = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.str_matches(r"^(0|\d{2}|\d{2}\.\d{2})$"), unique=True),
        "name": pa.Column(str),
        "male": pa.Column(float, pa.Check.ge(0)),
        "female": pa.Column(float, pa.Check.ge(0)),
        "total": pa.Column(float, pa.Check.gt(0)),
    },
    strict=False,
)


@lru_cache(maxsize=4)
def load_kabupaten_population(path: str | Path = config.KABUPATEN_POPULATION_CSV) -> pd.DataFrame:
    """Population 2025 by province (``72``) and kabupaten/kota (``72.09``); ``0`` is Indonesia."""
    frame = read_csv_text(path, ["code", "name", "male", "female", "total"], numeric=["male", "female", "total"])
    return validate_frame(frame, _kabupaten_population_schema, path).reset_index(drop=True)


_indicator_schema = pa.DataFrameSchema(
    {
        "indicator": pa.Column(str),
        "area": pa.Column(str),
        "year": pa.Column(float, pa.Check.in_range(1900, 2100)),
        "value": pa.Column(float),
        "unit": pa.Column(str),
        "source": pa.Column(str, pa.Check.str_length(min_value=3)),
        "source_date": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
    },
    strict=False,
    unique=["indicator", "area", "year"],
)


@lru_cache(maxsize=4)
def load_indicators(path: str | Path = config.REGENCY_INDICATORS_CSV) -> pd.DataFrame:
    """Sourced indicators (poverty rate, minimum wage, informal share, employed persons...)."""
    frame = read_csv_text(
        path, ["indicator", "area", "year", "value", "unit", "source", "source_date"], numeric=["year", "value"]
    )
    frame = validate_frame(frame, _indicator_schema, path)
    problems = ProblemList()
    share = (frame["unit"].str.strip() == "/1").to_numpy()
    outside = share & ~frame["value"].between(0, 1).to_numpy()
    for index in frame.index[outside][:20]:
        problems.add(
            path,
            f"{_csv_line(index)}, column 'value'",
            f"{frame.at[index, 'value']:g} with unit '/1'",
            "a share between 0 and 1 (write 57.95 % as 0.5795)",
        )
    problems.raise_if_any()
    frame["year"] = frame["year"].astype(int)
    return frame


def indicator(name: str, area: str, year: int | None = None) -> float:
    """One indicator value (the latest year if ``year`` is None)."""
    table = load_indicators()
    rows = table[(table["indicator"] == name) & (table["area"] == area)]
    if year is not None:
        rows = rows[rows["year"] == year]
    if rows.empty:
        raise InputError.single(
            config.REGENCY_INDICATORS_CSV,
            f"indicator '{name}', area '{area}'",
            "no such row",
            "a sourced row for this indicator",
            did_you_mean(name, table["indicator"].unique()),
        )
    return float(rows.sort_values("year")["value"].iloc[-1])


# ---------------------------------------------------------------------------------------------
# Village workforce (estimated unless replaced with real figures)
# ---------------------------------------------------------------------------------------------

WORKFORCE_COLUMNS = [
    "code",
    "village",
    "type",
    "kecamatan",
    "base_year",
    "population",
    "working_population",
    "vulnerable_workers",
    "estimated",
    "method",
]

_workforce_schema = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.str_matches(VILLAGE_CODE_PATTERN), unique=True),
        "type": pa.Column(str, pa.Check.isin(VILLAGE_TYPES)),
        "base_year": pa.Column(float, pa.Check.in_range(1990, 2100)),
        "population": pa.Column(float, pa.Check.ge(0)),
        "working_population": pa.Column(float, pa.Check.ge(0)),
        "vulnerable_workers": pa.Column(float, pa.Check.ge(0)),
        "estimated": pa.Column(str, pa.Check.isin(["true", "false", "True", "False", "TRUE", "FALSE", "1", "0"])),
    },
    strict=False,
)


def load_village_workforce(registry: pd.DataFrame, path: str | Path = config.VILLAGE_WORKFORCE_CSV) -> pd.DataFrame:
    """Population, working population and vulnerable workers per village, aligned to ``registry``.

    The shipped file is an *estimate* (see :mod:`touna_policy.data.workforce_estimate`); its ``estimated`` column
    says so row by row and the returned frame's ``attrs['estimated']`` is True if any row is. A user
    with real figures replaces the CSV with the same columns and ``estimated`` false.

    Raises
    ------
    InputError
        unknown village codes, a kecamatan that does not match the registry, negative counts,
        working population above population or vulnerable workers above working population,
        villages of the registry missing from the file.
    """
    file = str(path)
    frame = read_csv_text(
        path, WORKFORCE_COLUMNS, numeric=["base_year", "population", "working_population", "vulnerable_workers"]
    )
    frame = validate_frame(frame, _workforce_schema, path)
    problems = ProblemList()
    known = registry.set_index("code")
    in_area = frame["code"].isin(known.index)
    for index in frame.index[~in_area.to_numpy()][:20]:
        code = frame.at[index, "code"]
        problems.add(
            file,
            f"{_csv_line(index)}, column 'code'",
            f"'{code}', a village not in the registry",
            "a Kemendagri village code of the registry",
            did_you_mean(code, known.index),
        )
    matched = frame[in_area]
    wrong_kec = matched["kecamatan"].to_numpy() != known.loc[matched["code"], "kecamatan"].to_numpy()
    for index in matched.index[wrong_kec][:20]:
        code = frame.at[index, "code"]
        problems.add(
            file,
            f"{_csv_line(index)}, column 'kecamatan'",
            repr(frame.at[index, "kecamatan"]),
            f"'{known.at[code, 'kecamatan']}', the registry's kecamatan of village {code}",
            did_you_mean(frame.at[index, "kecamatan"], known["kecamatan"].unique()),
        )
    for column in ("population", "working_population", "vulnerable_workers"):
        counts = frame[column].to_numpy(dtype=float)
        for index in frame.index[counts != np.round(counts)][:20]:
            problems.add(
                file,
                f"{_csv_line(index)}, column '{column}'",
                f"{frame.at[index, column]:g}",
                "a whole number of people (write 1983, not 1.983 or 1,983)",
            )
    for index in frame.index[(frame["working_population"] > frame["population"]).to_numpy()][:20]:
        problems.add(
            file,
            f"{_csv_line(index)}, column 'working_population'",
            f"{frame.at[index, 'working_population']:g}",
            f"at most the population ({frame.at[index, 'population']:g})",
        )
    for index in frame.index[(frame["vulnerable_workers"] > frame["working_population"]).to_numpy()][:20]:
        problems.add(
            file,
            f"{_csv_line(index)}, column 'vulnerable_workers'",
            f"{frame.at[index, 'vulnerable_workers']:g}",
            f"at most the working population ({frame.at[index, 'working_population']:g})",
        )
    missing = sorted(set(registry["code"]) - set(frame["code"]))
    if missing:
        problems.add(
            file,
            "column 'code'",
            f"{len(missing)} villages of the registry missing (first: {missing[0]})",
            "one row for every village of the registry",
        )
    problems.raise_if_any()
    frame["estimated"] = frame["estimated"].str.lower().isin(["true", "1"])
    frame["base_year"] = frame["base_year"].astype(int)
    out = registry[["code"]].merge(frame.drop(columns=["village", "type", "kecamatan"]), on="code", how="left")
    out = registry.merge(out, on="code")
    out.attrs["estimated"] = bool(out["estimated"].any())
    out.attrs["source_file"] = file
    return out


@dataclass(frozen=True)
class InputFiles:
    """The files a projection read, for the manifest."""

    paths: tuple[Path, ...]

    def checksums(self) -> dict[str, str]:
        out = {}
        for p in self.paths:
            try:
                key = str(Path(p).resolve().relative_to(config.PROJECT_ROOT))
            except ValueError:
                key = str(p)
            out[key] = file_sha256(p)
        return out
