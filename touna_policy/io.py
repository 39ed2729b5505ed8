"""Reading inputs safely, and atomic file writes (a temporary file in the same folder, renamed into place).

Read side: every loader reads through :func:`read_input_bytes` / :func:`read_input_text`, which refuse
at once anything that is not a regular file of bounded size that this user may read.

Write side: every output goes through :func:`atomic_open`, which never replaces anything that is not a
regular file (a device such as ``/dev/stdout``, a FIFO, a folder), follows a symlink to the file it
names, and turns an OS error (a full disk, a read-only folder) into the project's message naming the
file, leaving the earlier file intact and no temporary file behind. :func:`check_outputs` refuses an
output path that is one of the run's inputs or another output of the same run.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pandas as pd

from touna_policy.errors import InputError, RunError

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
    return decode_input_text(path, read_input_bytes(path, expected, max_bytes), expected)


def decode_input_text(path: str | Path, data: bytes, expected: str = "file") -> str:
    """The bytes of an input read by :func:`read_input_bytes` as UTF-8 text (a byte-order mark removed);
    other text is refused, naming ``path``."""
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

DISK_FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)
"""OS error numbers meaning no space is left: a full disk or an exhausted quota."""


class WriteError(RunError):
    """An output could not be written for a reason outside the inputs (a full disk, an I/O error)."""


def is_disk_full(exc: BaseException | None) -> bool:
    """True when ``exc``, or an error it was raised from, means the disk (or quota) is full."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
            return True
        if "No space left on device" in str(exc) or "Disk quota exceeded" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def write_error(path: str | Path, exc: OSError, flag: str = "") -> InputError | WriteError:
    """The project's error for an OS error while writing ``path`` (raise it ``from None``).

    A full disk or any other I/O failure is a :class:`WriteError` (exit 1); a folder that cannot be
    written (permissions, read-only file system) is an :class:`InputError` (exit 2): choose another place.
    """
    reason = exc.strerror or str(exc)
    if exc.errno in DISK_FULL_ERRNOS:
        return WriteError(
            f"{path}: could not write the file: {reason} (errno {exc.errno}); the earlier file, if any, is "
            "unchanged; free space on that disk or write somewhere else"
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return InputError.single(path, flag, f"a place that cannot be written ({reason})", "a writable output location")
    return WriteError(f"{path}: could not write the file: {reason}; check the disk and try again")


def _kind_of_node(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something that is not a regular file"


def check_replaceable(path: str | Path, flag: str = "") -> None:
    """Refuse (exit 2) an output path that exists and is not a regular file (after symlinks)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError.single(
                path, flag, "a symlink to nothing", "a regular file path to write (or a new file name)"
            ) from None
        return
    except OSError:
        return  # what cannot be inspected is reported when it is written
    if not stat.S_ISREG(mode):
        raise InputError.single(
            path,
            flag,
            _kind_of_node(mode),
            "a regular file path to write (or a new file name); nothing else is replaced",
        )


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "wb", **kwargs) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on a clean exit it is synced and renamed to ``path``.

    Readers see either the old file or the whole new one; on an error the temporary file is removed
    and ``path`` is untouched. ``mode`` is ``"wb"`` or ``"w"`` (text; ``kwargs`` go to ``open``).
    A symlink is followed (the file it names is replaced); anything that is not a regular file is
    refused (:class:`InputError`); an OS error becomes :func:`write_error`.
    """
    given = Path(path)
    check_replaceable(given)
    path = Path(os.path.realpath(given)) if given.is_symlink() else given
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the file the usual permissions
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise write_error(given, exc) from exc
    except BaseException:
        _remove(tmp)
        raise


def _remove(tmp: str | None) -> None:
    if tmp is not None:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


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
    """Refuse (exit 2) an output file path that is a folder or another non-regular file, or whose
    folder cannot be created or written."""
    if path is None:
        return
    target = Path(path)
    if target.is_dir():
        raise InputError.single(path, flag, "a folder", "a file path to write a CSV to")
    check_replaceable(target, flag)
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


def _same_file(a: str | Path, b: str | Path) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)  # hard links, bind mounts
    except OSError:
        return False


def check_outputs(outputs: Mapping[str, str | Path | None], inputs: Iterable[str | Path]) -> None:
    """Refuse (exit 2) an output that resolves (after symlinks) to an input of the run or to another output.

    Parameters
    ----------
    outputs : option name (``--csv``) -> output path (``None``: not written)
    inputs : every file the run reads (scenario file, data files)
    """
    given = [(flag, Path(p)) for flag, p in outputs.items() if p is not None]
    files = [Path(p) for p in inputs]
    for n, (flag, out) in enumerate(given):
        for source in files:
            if _same_file(out, source):
                raise InputError.single(
                    out,
                    flag,
                    f"the input file {source} that this run reads",
                    "a new output path (writing there would destroy the input)",
                )
        for other_flag, other in given[:n]:
            if _same_file(out, other):
                raise InputError.single(
                    out, flag, f"the same file as {other_flag} {other}", f"a different path from {other_flag}"
                )


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


def make_folder(path: str | Path, what: str = "the report folder", flag: str = "--out") -> Path:
    """Create ``path`` (and its parents) if missing, with the project's message when that fails.

    A file (or a symlink to one) where the folder belongs is an :class:`InputError` naming it and
    saying what to do; a full disk a :class:`WriteError`.
    """
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocker = next((p for p in (path, *path.parents) if p.exists() and not p.is_dir()), path)
        raise InputError.single(
            blocker,
            flag,
            f"a file where {what} belongs ({path})",
            "a folder: move or delete that file, or choose another " + (flag or "place"),
        ) from None
    except OSError as exc:
        raise write_error(path, exc, flag) from None
    return path
