"""Remembering which tables passed validation, keyed on each file's SHA-256, so an unchanged table is
not validated again in the next process (pandera is then not even imported); and the tables that
:func:`touna_policy.data.tables.read_csv_text` read and checked, so an unchanged CSV file is not parsed
again either (:func:`read_cached_table`).

An entry is one small file under :func:`cache_dir` named after the key: the SHA-256 of the table's
bytes, the schema's name and the code that validates (the ``touna_policy.data`` sources, the package
and pandera versions). A changed file, schema or loader gives another key and is validated in full.
An entry whose content is not exactly what it should be (a corrupt or truncated cache) is ignored, and
every failure to read or write the cache only means validating in full. Only passing tables are
remembered: a failing one raises its problems every time.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

CACHE_ENV = "TOUNA_POLICY_CACHE_DIR"
"""Environment variable naming the cache folder (default: ``$XDG_CACHE_HOME/touna-policy`` or
``~/.cache/touna-policy``); set it to ``off`` to validate every table in full every time (and to fit
the statsmodels trend every time, :mod:`touna_policy.calibration.trend`)."""

_FORMAT = "touna-policy validated v1"
_TABLE_FORMAT = b"touna-policy table v1"


def cache_root() -> Path | None:
    """The project's cache folder (validation entries, fitted trends), or ``None`` when switched off."""
    chosen = os.environ.get(CACHE_ENV, "")
    if chosen.lower() in ("off", "0", "none"):
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "touna-policy"


def cache_dir() -> Path | None:
    """The folder holding validation entries, or ``None`` when the cache is switched off."""
    root = cache_root()
    return None if root is None else root / "validated"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over what decides a table's validity: the ``touna_policy.data`` sources (schemas and
    loaders) and the installed pandera and pandas (their metadata folders' names, found without
    importing pandera or importlib.metadata, which a fast start avoids)."""
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    for package in ("pandera", "pandas"):
        digest.update(f"{package}={installed_versions(package)}\0".encode())
    return digest.hexdigest()


def installed_versions(package: str) -> str:
    """Names of the package's ``*.dist-info`` folders beside it (they carry the version), or ``?``."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return "?"
    site = Path(next(iter(spec.submodule_search_locations))).parent
    return ",".join(sorted(p.name for p in site.glob(f"{package}-*.dist-info"))) or "?"


def entry_key(file_sha256: str, schema_name: str) -> str:
    """The cache key of one table under one schema and the current code."""
    return hashlib.sha256(f"{file_sha256}\0{schema_name}\0{code_fingerprint()}".encode()).hexdigest()


def _entry_text(key: str) -> str:
    return f"{_FORMAT}\n{key}\n"


def is_validated(file_sha256: str, schema_name: str) -> bool:
    """True only when a well-formed entry says this exact table passed this schema under this code."""
    folder = cache_dir()
    if folder is None:
        return False
    key = entry_key(file_sha256, schema_name)
    try:
        return (folder / key).read_text(encoding="utf-8") == _entry_text(key)
    except (OSError, UnicodeDecodeError, ValueError):
        return False  # missing, unreadable or corrupt: validate in full


def remember_validated(file_sha256: str, schema_name: str) -> None:
    """Record that the table passed (atomically: a reader sees no entry or the whole one); errors ignored."""
    folder = cache_dir()
    if folder is None:
        return
    key = entry_key(file_sha256, schema_name)
    write_entry(folder, key, _entry_text(key).encode("utf-8"))


def read_cached_table(file_sha256: str, reader_name: str) -> Any | None:
    """The table ``reader_name`` made of the file with these bytes under this code, or ``None``
    (missing, switched off, unreadable or corrupt: read the file)."""
    root = cache_root()
    if root is None:
        return None
    key = entry_key(file_sha256, reader_name)
    return read_pickled(root / "tables" / f"{key}.pickle", _TABLE_FORMAT + b" " + key.encode())


def remember_table(file_sha256: str, reader_name: str, table: Any) -> None:
    """Keep a table that was read and checked (atomically); a folder that cannot be written costs only
    a re-read."""
    root = cache_root()
    if root is None:
        return
    key = entry_key(file_sha256, reader_name)
    write_pickled(root / "tables", f"{key}.pickle", _TABLE_FORMAT + b" " + key.encode(), table)


# --- the entries themselves, for every cache of the project ----------------------------------------


def write_entry(folder: Path, name: str, data: bytes) -> None:
    """Write ``folder/name`` atomically (a reader sees no entry or the whole one); a folder that cannot
    be written (read-only, full) only costs the next run the work the entry would have saved."""
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name[:16]}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, folder / name)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def write_pickled(folder: Path, name: str, header: bytes, value: Any) -> None:
    """:func:`write_entry` of ``header``, a line break and ``value`` pickled; a value that cannot be
    pickled is not kept."""
    try:
        body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return
    write_entry(folder, name, header + b"\n" + body)


def read_pickled(path: Path, header: bytes) -> Any | None:
    """The value :func:`write_pickled` kept at ``path`` under ``header``, or ``None`` when the entry is
    missing, another entry's or corrupt (the caller then does the work)."""
    try:
        first, _, body = path.read_bytes().partition(b"\n")
        if first != header:
            return None
        return pickle.loads(body)  # our own cache folder, written by write_pickled()
    except Exception:  # noqa: BLE001 - a missing, corrupt or stale entry only means doing the work
        return None
