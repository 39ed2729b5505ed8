"""What made a run: parameters, checksums of every input, versions, timings; and finding finished runs.

A run folder's ``manifest.json`` records everything needed to say whether two runs had the same
inputs. :func:`inputs_fingerprint` condenses the parts that decide the numbers and the report (the
scenario file, the data files, the notebooks, the package version, the seed and the language) into
one hash: ``--resume`` skips a scenario whose fingerprint matches a finished run, and the run id
ends with its first characters.

A manifest carries its own digest (:data:`DIGEST_KEY`, see :func:`seal`): ``touna-policy verify``
notices an edit to any recorded value (the seed, a checksum, the status). It detects accidents and
careless edits, not a forger who recomputes the digest.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from touna_policy import __version__, config
from touna_policy.data.tables import file_sha256

MANIFEST = "manifest.json"
FAILED_SUFFIX = ".failed"
PARTIAL_PREFIX = ".partial-"
DIGEST_KEY = "manifest_sha256"
"""Key of the manifest's own digest: SHA-256 of every other key, as canonical JSON."""


def relative_key(path: str | Path) -> str:
    """A path relative to the project when inside it (stable across clones), else absolute."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(config.PROJECT_ROOT))
    except ValueError:
        return str(path)


def file_checksums(paths: Iterable[str | Path]) -> dict[str, str]:
    """SHA-256 of each file, keyed by :func:`relative_key`, sorted."""
    return dict(sorted((relative_key(p), file_sha256(p)) for p in paths))


@lru_cache(maxsize=1)
def git_commit(root: str = str(config.PROJECT_ROOT)) -> str | None:
    """The checked-out commit (with ``-dirty`` when tracked files changed), or None outside git."""
    try:
        head = subprocess.run(["git", "-C", root, "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5)
        if head.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "-C", root, "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=5,
        )
        return head.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


def inputs_fingerprint(
    scenario_sha256: str,
    data_checksums: Mapping[str, str],
    notebook_checksums: Mapping[str, str],
    package_version: str,
    seed: int,
    lang: str,
) -> str:
    """SHA-256 over everything that decides a run's numbers and report (file paths excluded: content counts)."""
    payload = {
        "scenario": scenario_sha256,
        "data": sorted(data_checksums.values()),
        "notebooks": sorted(notebook_checksums.values()),
        "package_version": package_version,
        "seed": int(seed),
        "lang": lang,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


def manifest_digest(manifest: Mapping) -> str:
    """SHA-256 of a manifest without its :data:`DIGEST_KEY` (canonical JSON: sorted keys, compact)."""
    body = json.loads(json.dumps({k: v for k, v in manifest.items() if k != DIGEST_KEY}, default=str))
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def seal(manifest: dict) -> dict:
    """``manifest`` with its own digest under :data:`DIGEST_KEY` (updated in place and returned)."""
    manifest.pop(DIGEST_KEY, None)
    manifest[DIGEST_KEY] = manifest_digest(manifest)
    return manifest


def model_version() -> str:
    """``touna-policy 1.2.0 (git 0123456789ab-dirty)``: the package version and, in a clone, the commit."""
    commit = git_commit()
    return f"touna-policy {__version__}" + (
        f" (git {commit[:12]}{'-dirty' if commit.endswith('-dirty') else ''})" if commit else ""
    )


def read_manifest(run_dir: str | Path) -> dict | None:
    """The run's manifest, or None when missing or unreadable."""
    try:
        return json.loads((Path(run_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def finished_runs(out: str | Path, scenario_name: str) -> list[Path]:
    """Complete run folders of a scenario (newest first): folders with a manifest whose status is complete."""
    base = Path(out) / scenario_name
    if not base.is_dir():
        return []
    runs = []
    for d in base.iterdir():
        if d.is_dir() and not d.name.startswith(".") and not d.name.endswith(FAILED_SUFFIX):
            m = read_manifest(d)
            if m and m.get("status") == "complete":
                runs.append(d)
    return sorted(runs, key=lambda p: p.name, reverse=True)


def find_matching_run(out: str | Path, scenario_name: str, fingerprint: str) -> Path | None:
    """The newest complete run of ``scenario_name`` with this inputs fingerprint, or None."""
    for d in finished_runs(out, scenario_name):
        if (read_manifest(d) or {}).get("inputs_fingerprint") == fingerprint:
            return d
    return None


def all_runs(out: str | Path) -> list[dict]:
    """Every run folder under ``out`` (complete and failed; partial ones skipped), newest first.

    Each item: ``scenario, run_id, status, path, created, title, kind`` (``scenario`` or ``comparison``).
    """
    out = Path(out)
    items: list[dict] = []
    if not out.is_dir():
        return items
    for scenario_dir in sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for d in scenario_dir.iterdir():
            if not d.is_dir() or d.name.startswith("."):
                continue
            m = read_manifest(d) or {}
            failed = d.name.endswith(FAILED_SUFFIX)
            items.append(
                {
                    "scenario": scenario_dir.name,
                    "run_id": d.name,
                    "status": "failed" if failed else m.get("status", "unknown"),
                    "path": d,
                    "created": m.get("created", ""),
                    "title": (m.get("scenario") or {}).get("title", ""),
                    "kind": m.get("kind", "comparison" if scenario_dir.name == "comparison" else "scenario"),
                }
            )
    return sorted(items, key=lambda r: r["run_id"].removesuffix(FAILED_SUFFIX), reverse=True)
