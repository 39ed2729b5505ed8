"""``verify`` does not trust the manifest it checks (issue 15, class 7)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from touna_policy.cli import main
from touna_policy.data.tables import file_sha256
from touna_policy.pipeline.manifest import DIGEST_KEY, seal
from touna_policy.pipeline.run_folder import finish_run
from touna_policy.pipeline.verify import verify


@pytest.fixture
def run(tmp_path) -> Path:
    """A complete run folder as :func:`finish_run` leaves it: one input, two outputs, a sealed manifest."""
    root = tmp_path / "root"
    root.mkdir()
    (root / "input.csv").write_text("year,x\n2026,1\n")
    build = tmp_path / "reports" / "s" / ".partial-r"
    build.mkdir(parents=True)
    (build / "summary.csv").write_text("year,funded_workers\n2026,21900\n")
    (build / "figures").mkdir()
    (build / "figures" / "a.png").write_bytes(b"png")
    manifest = {"kind": "scenario", "seed": 42, "input_checksums": {"input.csv": file_sha256(root / "input.csv")}}
    target = build.parent / "r"
    finish_run(build, target, manifest, {}, [], time.perf_counter())
    return target


def _verify(run: Path, capsys) -> tuple[int, str, str]:
    code = main(["verify", str(run), "--root", str(run.parents[2] / "root")])
    out = capsys.readouterr()
    return code, out.out, out.err


def _edit(run: Path, **changes) -> None:
    path = run / "manifest.json"
    manifest = json.loads(path.read_text())
    for key, value in changes.items():
        if value is None:
            manifest.pop(key, None)
        else:
            manifest[key] = value
    path.write_text(json.dumps(manifest))


def test_an_untouched_run_verifies(run, capsys):
    code, out, _ = _verify(run, capsys)
    assert code == 0 and "all 3 recorded files match" in out


def test_editing_the_seed_in_the_manifest_is_noticed(run, capsys):
    _edit(run, seed=7)
    code, _, err = _verify(run, capsys)
    assert code == 1 and "manifest.json was edited after the run" in err


def test_deleting_the_output_checksums_then_changing_summary_is_noticed(run, capsys):
    _edit(run, output_checksums=None)
    (run / "summary.csv").write_text("year,funded_workers\n2026,99999\n")
    code, out, err = _verify(run, capsys)
    assert code == 1 and "manifest.json was edited after the run" in err
    assert "EXTRA    output   summary.csv" in out


def test_a_file_added_to_the_run_folder_is_reported_as_extra(run, capsys):
    (run / "figures" / "planted.png").write_bytes(b"x")
    code, out, err = _verify(run, capsys)
    assert code == 1 and "EXTRA    output   figures/planted.png" in out
    assert "1 files in the folder are not in the manifest: figures/planted.png" in err


def test_a_recorded_output_that_was_deleted_is_missing(run, capsys):
    (run / "figures" / "a.png").unlink()
    code, out, _ = _verify(run, capsys)
    assert code == 1 and "MISSING  output   figures/a.png" in out


def test_a_failed_run_never_verifies_even_with_a_consistent_manifest(run, capsys):
    failed = run.with_name("r.failed")
    run.rename(failed)
    code, _, err = _verify(failed, capsys)
    assert code == 1 and "the folder is a failed run (r.failed)" in err


def test_a_resealed_manifest_with_status_failed_never_verifies(run, capsys):
    path = run / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest.update(status="failed", error="03-budget.ipynb, cell 4: ZeroDivisionError")
    path.write_text(json.dumps(seal(manifest)))
    code, _, err = _verify(run, capsys)
    assert code == 1 and "the run is not complete (status 'failed'): 03-budget.ipynb, cell 4" in err


def test_a_manifest_without_its_digest_cannot_be_trusted(run, capsys):
    _edit(run, **{DIGEST_KEY: None})
    found = verify(run, run.parents[2] / "root")
    assert not found.ok and any("has no digest" in p for p in found.problems)
