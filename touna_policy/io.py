"""Atomic file writes: write to a temporary file in the same folder, then rename into place."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pandas as pd

from touna_policy.errors import InputError

_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "wb", **kwargs) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on a clean exit it is synced and renamed to ``path``.

    Readers see either the old file or the whole new one; on an error the temporary file is removed
    and ``path`` is untouched. ``mode`` is ``"wb"`` or ``"w"`` (text; ``kwargs`` go to ``open``).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the file the usual permissions
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that readers see either the old file or the whole new one."""
    with atomic_open(path, "wb") as fh:
        fh.write(data)
    return Path(path)


def atomic_write_text(path: str | Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: str | Path, obj: Any) -> Path:
    return atomic_write_text(path, json.dumps(obj, indent=2, sort_keys=True, default=str) + "\n")


def atomic_write_csv(path: str | Path, frame: pd.DataFrame) -> Path:
    """CSV with a fixed float format so the same numbers give the same bytes."""
    return atomic_write_text(path, frame.to_csv(index=False, lineterminator="\n", float_format="%.6f"))


def check_writable_file(path: str | None, flag: str) -> None:
    """Refuse (exit 2) an output file path that is a folder or whose folder cannot be created or written."""
    if path is None:
        return
    target = Path(path)
    if target.is_dir():
        raise InputError.single(path, flag, "a folder", "a file path to write a CSV to")
    parent = target.parent if str(target.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError.single(
            path, flag, f"a folder that cannot be created ({exc.strerror})", "a writable output location"
        ) from None
    try:  # try it: permission bits say nothing for root, nor for read-only or special file systems
        with tempfile.TemporaryFile(dir=parent):
            pass
    except OSError as exc:
        raise InputError.single(
            path, flag, f"a folder that cannot be written ({exc.strerror})", "a writable output location"
        ) from None


def check_output_folder(path: str | Path, flag: str = "--out") -> None:
    """Refuse (exit 2) an output folder that is a file or cannot be created or written."""
    target = Path(path).absolute()
    if target.exists() and not target.is_dir():
        raise InputError.single(path, flag, "a file", "a folder to write reports into")
    existing = next(p for p in (target, *target.parents) if p.exists())  # creates nothing: probes the nearest folder
    try:
        if not existing.is_dir():
            raise NotADirectoryError(20, "Not a directory")
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        raise InputError.single(
            path, flag, f"a folder that cannot be written ({exc.strerror})", "a writable output folder"
        ) from None
