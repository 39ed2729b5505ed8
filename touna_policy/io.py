"""Reading inputs safely, and atomic file writes (a temporary file in the same folder, renamed into place)."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pandas as pd

from touna_policy.errors import InputError

# ------------------------------------------------------------------------------------------------
# Reading inputs: one helper for every loader (scenario, parameter YAML, data CSV)
# ------------------------------------------------------------------------------------------------

MAX_INPUT_BYTES = 64 * 2**20  # largest input read (after decompression); the national registry is about 10 MB

_FILE_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> str:
    return next((words for test, words in _FILE_KINDS if test(mode)), "not a regular file")


def _unreadable(file: str, exc: OSError, expected: str) -> InputError:
    if isinstance(exc, FileNotFoundError):
        return InputError.single(file, "", "no such file", f"an existing {expected}")
    if isinstance(exc, PermissionError):
        return InputError.single(
            file,
            "",
            "a file this user may not read (permission denied)",
            f"a readable {expected}: give read permission (chmod a+r) or run as a user who may read it",
        )
    if isinstance(exc, IsADirectoryError):
        return InputError.single(file, "", "a folder", expected)
    return InputError.single(file, "", f"a file that cannot be read ({exc.strerror or exc})", f"a readable {expected}")


def read_input_bytes(path: str | Path, expected: str = "file", max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of an input file, refused at once (as :class:`InputError`, exit 2) unless it is a
    regular file of at most ``max_bytes`` that this user may read. A ``.gz`` file is decompressed,
    with the same bound on the decompressed size.

    ``expected`` names what the file should be (``"scenario YAML file"``) for the message. A FIFO or
    device is never read (opened non-blocking, then checked), so nothing waits for a writer.
    """
    file = str(path)
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _unreadable(file, exc, expected) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError.single(file, "", "a folder", f"a {expected}")
        if not stat.S_ISREG(info.st_mode):
            raise InputError.single(file, "", _not_regular(info.st_mode), f"a regular {expected}")
        if info.st_size > max_bytes:
            raise InputError.single(
                file, "", f"a file of {info.st_size:,} bytes", f"a {expected} of at most {max_bytes:,} bytes"
            )
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise _unreadable(file, exc, expected) from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise InputError.single(file, "", f"a file of more than {max_bytes:,} bytes", f"a {expected} of at most that")
    if file.endswith(".gz"):
        return _gunzip(file, data, expected, max_bytes)
    return data


def _gunzip(file: str, data: bytes, expected: str, max_bytes: int) -> bytes:
    inflate = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflate.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise InputError.single(file, "", f"a broken gzip file ({exc})", f"a gzip-compressed {expected}") from None
    if len(out) > max_bytes:
        raise InputError.single(
            file, "", f"a file that decompresses to more than {max_bytes:,} bytes", f"a {expected} of at most that"
        )
    return out


def read_input_text(path: str | Path, expected: str = "file", max_bytes: int = MAX_INPUT_BYTES) -> str:
    """:func:`read_input_bytes` decoded as UTF-8 (a byte-order mark removed); other text is refused."""
    data = read_input_bytes(path, expected, max_bytes)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = " (save as 'CSV UTF-8')" if "CSV" in expected else ""
        raise InputError.single(
            path, f"byte {exc.start}", "text that is not UTF-8", f"a UTF-8 {expected}{hint}"
        ) from None


# ------------------------------------------------------------------------------------------------
# Atomic writes
# ------------------------------------------------------------------------------------------------

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
