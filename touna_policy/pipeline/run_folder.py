"""Run folders: safe names, run ids claimed atomically, build/failed folders, reaping killed runs.

A run is built in ``<parent>/.partial-<run-id>/`` and renamed to ``<run-id>/`` only when complete
(:func:`finish_run`); a failed or interrupted run becomes ``<run-id>.failed/`` with ``error.txt``
(:func:`fail_run`); earlier runs are never touched. The build folder is created exclusively
(:func:`claim_run_folder`), so two runs choosing the same id in the same instant both succeed, under
different ids. A run that failed because the disk is full deletes what it wrote beyond ``error.txt``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import sys
import time
import traceback
from pathlib import Path
from typing import NoReturn

from touna_policy.data.tables import file_sha256
from touna_policy.errors import InputError, RunError
from touna_policy.io import atomic_write_json, atomic_write_text, is_disk_full, make_folder, write_error
from touna_policy.parameters.ranges import RESERVED_SCENARIO_NAMES, scenario_name_problem
from touna_policy.pipeline.manifest import FAILED_SUFFIX, MANIFEST, PARTIAL_PREFIX, seal

COMPARISON_DIR = "comparison"
"""Folder of the batch's comparison reports, beside the scenarios' folders."""
RESERVED_NAMES = frozenset(RESERVED_SCENARIO_NAMES)
assert COMPARISON_DIR in RESERVED_NAMES  # the comparison reports keep a folder no scenario can take
"""Folder names the tool uses itself: no scenario may take them."""
OWNER_FILE = ".owner-pid"
ERROR_FILE = "error.txt"
RUN_ID_ATTEMPTS = 1000
_SAFE_RUN_ID = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}(-[0-9]+)?$")


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C (SIGINT) stopped a run; the message says where its partial results are."""


def utc_now() -> str:
    """The current UTC time, ``2026-11-25T14:30:00Z``."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def safe_child(base: Path, name: str, what: str = "scenario name") -> Path:
    """``base / name`` for a plain folder name; refuses anything that could leave ``base``."""
    problem = scenario_name_problem(name)  # the one scenario-name rule (reserved names included)
    if problem is not None:
        raise InputError.single("<run>", what, repr(name), problem)
    base_resolved = Path(base).resolve()
    child = (base_resolved / name).resolve()
    if child.parent != base_resolved:
        raise InputError.single("<run>", what, repr(name), f"a folder inside {base_resolved}")
    return Path(base) / name


def scenario_folder(out: Path, name: str, source: str | Path = "<run>") -> Path:
    """``out/<name>``, created: the folder of a scenario's runs.

    Refuses a name the tool uses itself (:data:`RESERVED_NAMES`: the comparison reports keep their own
    folder) and a file standing where the folder belongs (exit 2, naming the file).
    """
    if name in RESERVED_NAMES:
        raise InputError.single(
            source,
            "key 'name'",
            repr(name),
            f"a scenario name other than {', '.join(sorted(RESERVED_NAMES))} (the tool's own report folder)",
        )
    folder = safe_child(out, name)
    make_folder(folder, "the scenario's report folder")
    return folder


def _candidate_ids(fingerprint: str, now: dt.datetime | None) -> list[str]:
    now = now or dt.datetime.now(dt.timezone.utc)
    base = f"{now:%Y%m%dT%H%M%SZ}-{fingerprint[:8]}"
    return [base] + [f"{base}-{n}" for n in range(2, RUN_ID_ATTEMPTS + 1)]


def _taken(parent: Path, run_id: str) -> bool:
    return any(os.path.lexists(parent / name) for name in (run_id, run_id + FAILED_SUFFIX, PARTIAL_PREFIX + run_id))


def new_run_id(parent: Path, fingerprint: str, now: dt.datetime | None = None) -> str:
    """``20261125T143000Z-1a2b3c4d``: sortable UTC time, then the inputs fingerprint; free in ``parent`` now.

    Only a suggestion: :func:`claim_run_folder` is what reserves an id.
    """
    for run_id in _candidate_ids(fingerprint, now):
        if not _taken(parent, run_id):
            if not _SAFE_RUN_ID.match(run_id):  # pragma: no cover - guarded by construction
                raise RunError(f"bad run id {run_id!r}")
            return run_id
    raise RunError(f"{parent}: no free run id after {RUN_ID_ATTEMPTS} attempts")


def claim_run_folder(parent: Path, fingerprint: str, now: dt.datetime | None = None) -> tuple[str, Path]:
    """Choose a run id and create its build folder ``.partial-<run-id>`` in one atomic step.

    ``mkdir`` is exclusive: when another run took the id first, the next id is tried. Returns
    ``(run_id, build folder)``; the build folder holds :data:`OWNER_FILE` (this process id).
    """
    for run_id in _candidate_ids(fingerprint, now):
        if _taken(parent, run_id):
            continue
        build = parent / (PARTIAL_PREFIX + run_id)
        try:
            os.mkdir(build)
        except FileExistsError:
            continue  # another run won this id between the check and the mkdir
        except OSError as exc:
            raise write_error(build, exc, "--out") from None
        if os.path.lexists(parent / run_id) or os.path.lexists(parent / (run_id + FAILED_SUFFIX)):
            os.rmdir(build)  # finished under this id in the meantime: not ours
            continue
        try:
            atomic_write_text(build / OWNER_FILE, f"{os.getpid()}\n")
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)  # no owner, nothing to reap: leave no folder behind
            raise
        return run_id, build
    raise RunError(f"{parent}: no free run id after {RUN_ID_ATTEMPTS} attempts")


def reap_stale_partials(folder: Path) -> list[Path]:
    """Rename build folders left by a killed run (their process is gone) to ``<run-id>.failed``.

    A run killed with SIGKILL cannot clean up; its ``.partial-<run-id>`` folder records the process
    id, and the next run in the same folder marks it failed with an ``error.txt``. Returns the
    renamed folders. Folders of runs still in progress are left alone.
    """
    reaped = []
    for build in folder.glob(PARTIAL_PREFIX + "*"):
        try:
            pid = int((build / OWNER_FILE).read_text().strip())
            os.kill(pid, 0)
            continue  # still running
        except ProcessLookupError:
            pass
        except (OSError, ValueError):
            continue  # unknown owner (or not ours to judge): leave it
        target = folder / (build.name[len(PARTIAL_PREFIX) :] + FAILED_SUFFIX)
        with contextlib.suppress(Exception):
            atomic_write_text(
                build / ERROR_FILE,
                f"interrupted: the run's process ({pid}) ended before the run "
                "finished (killed?); these are its partial results\n",
            )
            os.replace(build, target)
            reaped.append(target)
    return reaped


def output_checksums(run_dir: Path) -> dict[str, str]:
    """SHA-256 of every file a run wrote (paths relative to the run folder), manifest and logs excluded."""
    return {
        p.relative_to(run_dir).as_posix(): file_sha256(p)
        for p in sorted(run_dir.rglob("*"))
        if p.is_file() and p.name not in (MANIFEST, "kernel.log", OWNER_FILE)
    }


def finish_run(build: Path, target: Path, manifest: dict, timings: dict, warnings: list, t_start: float) -> None:
    """Complete a run: drop the files kept only for failed runs, record timings and output checksums
    in the (sealed) manifest, then rename the build folder into place."""
    timings["total"] = round(time.perf_counter() - t_start, 3)
    (build / "kernel.log").unlink(missing_ok=True)
    (build / OWNER_FILE).unlink(missing_ok=True)  # kept only in failed runs
    manifest.update(
        status="complete", timings_seconds=timings, warnings=warnings, output_checksums=output_checksums(build)
    )
    atomic_write_json(build / MANIFEST, seal(manifest))
    os.replace(build, target)  # a rename within one folder: the run appears whole or not at all


def free_run_folder(build: Path, keep: tuple[str, ...] = ()) -> None:
    """Delete everything in ``build`` but the names in ``keep`` (a failed run on a full disk)."""
    for entry in list(build.iterdir()) if build.is_dir() else []:
        if entry.name in keep:
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()


def _write_reason(build: Path, text: str) -> OSError | Exception | None:
    try:
        atomic_write_text(build / ERROR_FILE, text)
    except Exception as exc:  # noqa: BLE001 - reported by the caller
        return exc
    return None


def fail_run(
    build: Path, failed: Path, manifest: dict, timings: dict, message: str, exc: BaseException, what: str
) -> NoReturn:
    """Keep a failed run's partial results as ``failed`` with the error in its manifest and error.txt,
    then raise: an interrupt as :class:`RunInterrupted`, anything else as :class:`RunError`.

    On a full disk the run's other files are deleted first (the reason always fits); when even
    ``error.txt`` cannot be written, that is said on stderr.
    """
    interrupted = isinstance(exc, KeyboardInterrupt)
    disk_full = is_disk_full(exc)
    if disk_full:
        free_run_folder(build)
        message += " (the disk is full: the run's other files were deleted to free the space)"
    manifest.update(status="failed", error=message, timings_seconds=timings)
    if interrupted:
        manifest["interrupted"] = True
    reason = message + "\n\n" + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    problem = _write_reason(build, reason)
    if problem is not None and not disk_full:  # no room for the reason: free the rest and try again
        free_run_folder(build)
        problem = _write_reason(build, reason)
    if problem is not None:
        print(f"error: could not write {build / ERROR_FILE} ({problem}); the run failed: {message}", file=sys.stderr)
    with contextlib.suppress(Exception):
        atomic_write_json(build / MANIFEST, seal(manifest))
    with contextlib.suppress(OSError):
        os.replace(build, failed)
    where = failed if failed.exists() else build
    if interrupted:
        raise RunInterrupted(f"{what} interrupted (Ctrl-C); partial results: {where}") from exc
    if isinstance(exc, SystemExit):
        raise exc
    raise RunError(f"{what} failed: {message}\n  partial results: {where}") from exc
