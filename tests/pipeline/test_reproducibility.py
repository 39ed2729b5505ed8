"""Same scenario, data and seed give the same bytes; a run's manifest lets anyone verify its inputs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from touna_policy import config
from touna_policy.cli import main
from touna_policy.data.tables import file_sha256
from touna_policy.pipeline.manifest import seal
from touna_policy.pipeline.verify import verify_run

SHIPPED = sorted(config.SCENARIOS_DIR.glob("*.yaml"))


def _project(scenario: Path, out: Path, env_hash_seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": env_hash_seed}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "touna_policy",
            "project",
            str(scenario),
            "--quiet",
            "--csv",
            str(out / "district.csv"),
            "--villages",
            str(out / "villages.csv"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=out,
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.slow
def test_two_processes_give_byte_identical_csv_outputs(tmp_path):
    """Separate interpreters (different hash seeds) on the proportional scenario, whose rounding has ties."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    scenario = config.SCENARIOS_DIR / "proportional-150.yaml"
    _project(scenario, a, "1")
    _project(scenario, b, "2")
    for name in ("district.csv", "villages.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert (a / "district.csv").stat().st_size > 1000


@pytest.mark.parametrize("scenario", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_scenario_projects_to_identical_bytes_twice(scenario, tmp_path):
    outputs = []
    for run in ("first", "second"):
        d, v = tmp_path / f"{run}-d.csv", tmp_path / f"{run}-v.csv"
        assert main(["project", str(scenario), "--csv", str(d), "--villages", str(v), "--quiet"]) == 0
        outputs.append((d.read_bytes(), v.read_bytes()))
    assert outputs[0] == outputs[1]


def test_provenance_checksums_are_the_sha256_of_the_files_read(satu_miliar):
    checksums = satu_miliar.provenance()["input_checksums"]
    assert "data/processed/village_workforce.csv" in checksums
    assert "data/parameters/bpjs_bpu.yaml" in checksums
    for rel, digest in checksums.items():
        assert file_sha256(config.PROJECT_ROOT / rel) == digest


# ------------------------------------------------------------------------------------------------
# touna-policy verify
# ------------------------------------------------------------------------------------------------


def _run_folder(tmp_path: Path, checksums: dict[str, str], outputs: dict[str, str] | None = None) -> Path:
    run = tmp_path / "run"
    run.mkdir(exist_ok=True)
    manifest = {"scenario": "satu-miliar-150", "status": "complete", "input_checksums": checksums}
    if outputs is not None:
        manifest["output_checksums"] = outputs
    (run / "manifest.json").write_text(json.dumps(seal(manifest)), encoding="utf-8")
    return run


@pytest.fixture
def copied_root(tmp_path, satu_miliar) -> tuple[Path, dict[str, str]]:
    """A copy of every input file of a projection under a temporary project root, and their checksums."""
    root = tmp_path / "root"
    checksums = satu_miliar.inputs.checksums()
    for rel in checksums:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(config.PROJECT_ROOT / rel, target)
    return root, checksums


def test_verify_passes_when_inputs_are_unchanged(tmp_path, satu_miliar, capsys):
    run = _run_folder(tmp_path, satu_miliar.inputs.checksums())
    assert main(["verify", str(run)]) == 0
    out = capsys.readouterr().out
    assert f"ok: {run}: all {len(satu_miliar.inputs.checksums())} recorded files match" in out
    assert "OK       input    data/processed/village_workforce.csv" in out


def test_verify_lists_a_changed_input_and_exits_1(tmp_path, copied_root, capsys):
    root, checksums = copied_root
    workforce = root / "data/processed/village_workforce.csv"
    workforce.write_text(workforce.read_text(encoding="utf-8").replace(",True,", ",False,", 1), encoding="utf-8")
    run = _run_folder(tmp_path, checksums)
    assert main(["verify", str(run), "--root", str(root)]) == 1
    captured = capsys.readouterr()
    recorded = checksums["data/processed/village_workforce.csv"][:12]
    assert f"CHANGED  input    data/processed/village_workforce.csv (recorded {recorded}" in captured.out
    assert (
        f"1 of {len(checksums)} recorded files changed or missing: data/processed/village_workforce.csv (changed)"
        in captured.err
    )


def test_verify_lists_a_missing_input_and_exits_1(tmp_path, copied_root, capsys):
    root, checksums = copied_root
    (root / "data/parameters/bpjs_bpu.yaml").unlink()
    run = _run_folder(tmp_path, checksums)
    assert main(["verify", str(run), "--root", str(root), "--quiet"]) == 1
    captured = capsys.readouterr()
    assert captured.out.strip() == "MISSING  input    data/parameters/bpjs_bpu.yaml"
    assert "data/parameters/bpjs_bpu.yaml (missing)" in captured.err


def test_verify_checks_recorded_outputs_relative_to_the_run_folder(tmp_path, satu_miliar):
    run = tmp_path / "run"
    run.mkdir()
    summary = run / "summary.csv"
    summary.write_text("year,funded_workers\n2026,21900\n", encoding="utf-8")
    run = _run_folder(tmp_path, satu_miliar.inputs.checksums(), {"summary.csv": file_sha256(summary)})
    assert {c.status for c in verify_run(run)} == {"ok"}
    summary.write_text("year,funded_workers\n2026,21901\n", encoding="utf-8")
    changed = [c for c in verify_run(run) if c.status != "ok"]
    assert [(c.role, c.path, c.status) for c in changed] == [("output", "summary.csv", "changed")]


def test_verify_of_a_folder_without_manifest_exits_2(tmp_path, capsys):
    assert main(["verify", str(tmp_path)]) == 2
    assert "manifest.json: found no such file" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------------
# run folders (the issue-3 runner)
# ------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_two_runs_give_byte_identical_tables_and_verify_against_their_manifest(tmp_path, capsys):
    runner = pytest.importorskip("touna_policy.pipeline.runner")
    scenario = config.SCENARIOS_DIR / "proportional-150.yaml"
    first = Path(runner.run(scenario, tmp_path / "reports").run_dir)
    second = Path(runner.run(scenario, tmp_path / "reports").run_dir)
    assert first != second and first.parent == second.parent
    tables = sorted(p.relative_to(first) for p in first.rglob("*.csv"))
    assert Path("summary.csv") in tables and Path("villages.csv") in tables and len(tables) >= 3
    for rel in tables:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel
    assert sorted(p.relative_to(second) for p in second.rglob("*.csv")) == tables

    assert main(["verify", str(first), "--quiet"]) == 0
    assert "recorded files match" in capsys.readouterr().out
    with open(first / "summary.csv", "a", encoding="utf-8") as fh:
        fh.write("edited by hand\n")
    assert main(["verify", str(first), "--quiet"]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("CHANGED  output   summary.csv (recorded ")
    assert "summary.csv (changed)" in captured.err
