"""``touna-policy verify RUN_FOLDER``: do the inputs recorded in a run's manifest still match?

A run folder's ``manifest.json`` records the SHA-256 of every input file that made its numbers
(:meth:`touna_policy.model.inputs.ModelInputs.checksums` and the scenario file: paths relative to the project
root), and may record those of the report notebooks (``notebook_checksums``, same paths) and of the
run's own output files (``output_checksums``, paths relative to the run folder). ``verify`` recomputes
each one and lists the files that changed or went missing since the run, and the files in the run
folder that the manifest does not record (extra). It does not trust the manifest itself: the manifest
carries its own digest (:func:`touna_policy.pipeline.manifest.seal`), so an edited seed or a deleted
checksum section is noticed, and a run that is not complete (a ``.failed`` folder, a status other
than ``complete``) never verifies. Exit code 0 when everything matches, 1 when anything does not, 2
when the run folder or its manifest cannot be read (``touna-policy verify``, in :mod:`touna_policy.cli`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from touna_policy import config
from touna_policy.data.tables import file_sha256
from touna_policy.errors import InputError
from touna_policy.pipeline.manifest import DIGEST_KEY, FAILED_SUFFIX, manifest_digest

MANIFEST_NAME = "manifest.json"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# where a manifest may keep checksums: {section: base folder of its paths}
INPUT_KEYS = ("input_checksums", "inputs")
NOTEBOOK_KEYS = ("notebook_checksums",)
OUTPUT_KEYS = ("output_checksums", "outputs")


@dataclass(frozen=True)
class FileCheck:
    """One file: its role (input, notebook or output), path as recorded, and what was found now."""

    role: str
    path: str
    recorded: str | None  # None: in the run folder but not in the manifest (extra)
    current: str | None  # None: missing

    @property
    def status(self) -> str:
        if self.recorded is None:
            return "extra"
        if self.current is None:
            return "missing"
        return "ok" if self.current == self.recorded else "changed"

    def __str__(self) -> str:
        text = f"{self.status.upper():8} {self.role:8} {self.path}"
        if self.status == "changed" and self.recorded and self.current:
            text += f" (recorded {self.recorded[:12]}, now {self.current[:12]})"
        return text


def _checksum_map(value: Any) -> dict[str, str] | None:
    """``value`` if it is a mapping of path -> SHA-256 hex (or path -> {"sha256": hex}), else None."""
    if not isinstance(value, dict) or not value:
        return None
    out = {}
    for path, digest in value.items():
        if isinstance(digest, dict):
            digest = digest.get("sha256")
        if not isinstance(digest, str) or not _SHA256.match(digest):
            return None
        out[str(path)] = digest
    return out


def _find(manifest: dict, keys: Iterable[str]) -> dict[str, str]:
    """The first checksum mapping under ``keys``, at the top level or one level down (``provenance``)."""
    places = [manifest] + [v for v in manifest.values() if isinstance(v, dict)]
    for place in places:
        for key in keys:
            found = _checksum_map(place.get(key))
            if found is not None:
                return found
    return {}


def read_manifest(run_dir: str | Path) -> dict:
    """The parsed ``manifest.json`` of a run folder (:class:`InputError` if absent or unreadable)."""
    run_dir = Path(run_dir)
    if not run_dir.exists():
        raise InputError.single(run_dir, "", "no such folder", "a run folder holding manifest.json")
    if not run_dir.is_dir():
        raise InputError.single(run_dir, "", "a file", "a run folder holding manifest.json")
    path = run_dir / MANIFEST_NAME
    if not path.is_file():
        raise InputError.single(path, "", "no such file", "the manifest.json a run writes into its folder")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f"line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise InputError.single(
            path, where, f"text that is not valid JSON ({exc})", "the JSON manifest of a run"
        ) from None
    if not isinstance(manifest, dict):
        raise InputError.single(path, "top level", f"a JSON {type(manifest).__name__}", "a JSON object")
    if not _find(manifest, INPUT_KEYS):
        raise InputError.single(
            path,
            "key 'input_checksums'",
            "no input checksums",
            "a mapping of input path (relative to the project root) to SHA-256",
        )
    return manifest


@dataclass(frozen=True)
class Verification:
    """What ``verify`` found: one :class:`FileCheck` per file, and problems of the manifest itself."""

    run_dir: Path
    checks: list[FileCheck]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems and all(c.status == "ok" for c in self.checks)


def manifest_problems(run_dir: Path, manifest: dict) -> list[str]:
    """What makes a manifest untrustworthy or its run unfinished: a missing or wrong digest, a status
    other than ``complete``, a ``.failed`` folder."""
    problems = []
    recorded = manifest.get(DIGEST_KEY)
    if not isinstance(recorded, str):
        problems.append(f"manifest.json has no digest ('{DIGEST_KEY}'): it cannot be checked against edits")
    elif recorded != manifest_digest(manifest):
        problems.append(
            f"manifest.json was edited after the run (its digest {recorded[:12]} no longer matches its content "
            f"{manifest_digest(manifest)[:12]})"
        )
    status = manifest.get("status")
    if status != "complete":
        error = manifest.get("error")
        problems.append(
            f"the run is not complete (status {status!r})" + (f": {str(error).splitlines()[0]}" if error else "")
        )
    if run_dir.name.endswith(FAILED_SUFFIX):
        problems.append(f"the folder is a failed run ({run_dir.name})")
    return problems


def verify(run_dir: str | Path, root: str | Path | None = None) -> Verification:
    """:func:`verify_run`'s file checks plus :func:`manifest_problems`."""
    run_dir = Path(run_dir)
    manifest = read_manifest(run_dir)
    return Verification(run_dir, verify_run(run_dir, root), manifest_problems(run_dir, manifest))


def verify_run(run_dir: str | Path, root: str | Path | None = None) -> list[FileCheck]:
    """Recompute every checksum recorded in a run's manifest; list files the manifest does not record.

    Parameters
    ----------
    run_dir : the run folder (holding ``manifest.json``)
    root : folder that input paths are relative to (default: the project root)

    Returns
    -------
    One :class:`FileCheck` per recorded file: inputs, then the report notebooks, then the run's own
    outputs, each sorted by path; then one per file in the run folder the manifest does not record
    (status ``extra``).
    """
    run_dir = Path(run_dir)
    root = Path(root) if root is not None else config.PROJECT_ROOT
    manifest = read_manifest(run_dir)
    checks = []
    for role, keys, base in (
        ("input", INPUT_KEYS, root),
        ("notebook", NOTEBOOK_KEYS, root),
        ("output", OUTPUT_KEYS, run_dir),
    ):
        for rel, digest in sorted(_find(manifest, keys).items()):
            path = Path(rel) if Path(rel).is_absolute() else base / rel
            current = file_sha256(path) if path.is_file() else None
            checks.append(FileCheck(role, rel, digest, current))
    recorded = set(_find(manifest, OUTPUT_KEYS))
    for path in sorted(p for p in run_dir.rglob("*") if p.is_file() or p.is_symlink()):
        rel = path.relative_to(run_dir).as_posix()
        if rel != MANIFEST_NAME and rel not in recorded:
            checks.append(FileCheck("output", rel, None, file_sha256(path) if path.is_file() else None))
    return checks
