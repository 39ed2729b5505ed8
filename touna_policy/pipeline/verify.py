"""``touna-policy verify RUN_FOLDER``: do the inputs recorded in a run's manifest still match?

A run folder's ``manifest.json`` records the SHA-256 of every input file that made its numbers
(:meth:`touna_policy.model.inputs.ModelInputs.checksums` and the scenario file: paths relative to the project
root), and may record those of the report notebooks (``notebook_checksums``, same paths) and of the
run's own output files (``output_checksums``, paths relative to the run folder). ``verify`` recomputes each one and lists the files that
changed or went missing since the run. Exit code 0 when everything matches, 1 when anything changed or
is missing, 2 when the run folder or its manifest cannot be read.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from touna_policy import config
from touna_policy.data.tables import file_sha256
from touna_policy.errors import EXIT_INVALID_INPUT, EXIT_OK, EXIT_RUN_FAILED, InputError

MANIFEST_NAME = "manifest.json"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# where a manifest may keep checksums: {section: base folder of its paths}
INPUT_KEYS = ("input_checksums", "inputs")
NOTEBOOK_KEYS = ("notebook_checksums",)
OUTPUT_KEYS = ("output_checksums", "outputs")


@dataclass(frozen=True)
class FileCheck:
    """One recorded file: its role (input or output), path as recorded, and what was found now."""

    role: str
    path: str
    recorded: str
    current: str | None  # None: missing

    @property
    def status(self) -> str:
        if self.current is None:
            return "missing"
        return "ok" if self.current == self.recorded else "changed"

    def __str__(self) -> str:
        text = f"{self.status.upper():8} {self.role:8} {self.path}"
        if self.status == "changed":
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


def verify_run(run_dir: str | Path, root: str | Path | None = None) -> list[FileCheck]:
    """Recompute every checksum recorded in a run's manifest.

    Parameters
    ----------
    run_dir : the run folder (holding ``manifest.json``)
    root : folder that input paths are relative to (default: the project root)

    Returns
    -------
    One :class:`FileCheck` per recorded file: inputs, then the report notebooks, then the run's own
    outputs, each sorted by path.
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
    return checks


def _cmd_verify(args: argparse.Namespace) -> int:
    checks = verify_run(args.run_dir, args.root)
    bad = [c for c in checks if c.status != "ok"]
    for check in checks:
        if check.status != "ok" or not args.quiet:
            print(check)
    if bad:
        import sys

        names = ", ".join(f"{c.path} ({c.status})" for c in bad)
        print(
            f"error: {args.run_dir}: {len(bad)} of {len(checks)} recorded files changed or missing: {names}",
            file=sys.stderr,
        )
        return EXIT_RUN_FAILED
    print(f"ok: {args.run_dir}: all {len(checks)} recorded files match")
    return EXIT_OK


def register_cli(subparsers: argparse._SubParsersAction) -> None:
    """Add ``verify`` to the command line."""
    p = subparsers.add_parser(
        "verify",
        help="recompute the checksums in a run's manifest.json and list changed or missing files",
        description=f"Exit {EXIT_OK}: every recorded input (and output) matches; {EXIT_RUN_FAILED}: some changed "
        f"or are missing; {EXIT_INVALID_INPUT}: the run folder or its manifest cannot be read.",
    )
    p.add_argument("run_dir", help="run folder holding manifest.json")
    p.add_argument(
        "--root", default=None, help="folder the manifest's input paths are relative to (default: the project root)"
    )
    p.add_argument("--quiet", action="store_true", help="list only the files that do not match")
    p.set_defaults(func=_cmd_verify)
