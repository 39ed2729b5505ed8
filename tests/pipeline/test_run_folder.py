"""Run folders: reserved names (issue 15, class 5), atomic run ids and full-disk failures (class 7)."""

from __future__ import annotations

import datetime as dt
import errno
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from touna_policy import config
from touna_policy.cli import main
from touna_policy.errors import InputError, RunError
from touna_policy.pipeline import run_folder
from touna_policy.pipeline.batch import check_distinct_scenarios
from touna_policy.pipeline.manifest import PARTIAL_PREFIX
from touna_policy.pipeline.run_folder import (
    COMPARISON_DIR,
    ERROR_FILE,
    OWNER_FILE,
    claim_run_folder,
    fail_run,
    scenario_folder,
)

T = dt.datetime(2026, 11, 25, 14, 30, tzinfo=dt.timezone.utc)
FP = "ab" * 32
SATU = config.SCENARIOS_DIR / "satu-miliar-150.yaml"


# ---------------------------------------------------------------------------------------------
# class 5: the comparison folder is the tool's own
# ---------------------------------------------------------------------------------------------


def test_no_scenario_folder_can_be_the_comparison_folder(tmp_path):
    with pytest.raises(InputError, match="the tool's own report folder"):
        scenario_folder(tmp_path, COMPARISON_DIR, "named.yaml")
    assert not (tmp_path / COMPARISON_DIR).exists()


def test_names_that_only_resemble_the_comparison_folder_are_fine(tmp_path):
    for name in ("comparison-2", "comparisons", "my-comparison"):
        assert scenario_folder(tmp_path, name).is_dir()


def test_a_batch_refuses_a_scenario_named_comparison_before_any_run(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(SATU.read_text(encoding="utf-8").replace("name: satu-miliar-150", "name: comparison"))
    with pytest.raises(InputError, match=rf"{path}: key 'name' \(line 4\): found 'comparison'"):
        check_distinct_scenarios([str(SATU), str(path)])


# ---------------------------------------------------------------------------------------------
# class 7: run ids claimed atomically
# ---------------------------------------------------------------------------------------------


def test_a_run_id_taken_between_the_check_and_the_mkdir_moves_to_the_next_id(tmp_path, monkeypatch):
    (tmp_path / (PARTIAL_PREFIX + "20261125T143000Z-abababab")).mkdir()  # a racing run won this id
    monkeypatch.setattr(run_folder, "_taken", lambda parent, run_id: False)  # the check saw nothing
    run_id, build = claim_run_folder(tmp_path, FP, T)
    assert run_id == "20261125T143000Z-abababab-2" and build.is_dir()
    assert (build / OWNER_FILE).read_text().strip().isdigit()


def test_sixteen_runs_claiming_in_the_same_second_get_sixteen_folders(tmp_path):
    claimed, errors = [], []

    def claim():
        try:
            claimed.append(claim_run_folder(tmp_path, FP, T)[0])
        except Exception as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=claim) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(set(claimed)) == 16


def test_a_finished_run_id_is_never_claimed_again(tmp_path):
    (tmp_path / "20261125T143000Z-abababab").mkdir()
    (tmp_path / "20261125T143000Z-abababab-2.failed").mkdir()
    assert claim_run_folder(tmp_path, FP, T)[0] == "20261125T143000Z-abababab-3"


# ---------------------------------------------------------------------------------------------
# class 7: a run that fails on a full disk
# ---------------------------------------------------------------------------------------------


def test_a_failed_run_on_a_full_disk_keeps_only_the_reason(tmp_path):
    build, failed = tmp_path / ".partial-x", tmp_path / "x.failed"
    build.mkdir()
    (build / "villages.csv").write_text("a" * 1000)
    (build / "figures").mkdir()
    (build / "figures" / "f.png").write_bytes(b"png")
    exc = OSError(errno.ENOSPC, "No space left on device")
    with pytest.raises(RunError, match="the disk is full"):
        fail_run(build, failed, {"kind": "scenario"}, {}, "projection: OSError", exc, "run of x")
    assert sorted(p.name for p in failed.iterdir()) == [ERROR_FILE, "manifest.json"]
    assert "No space left on device" in (failed / ERROR_FILE).read_text()


def test_when_even_the_reason_cannot_be_written_it_is_said_on_stderr(tmp_path, monkeypatch, capsys):
    build, failed = tmp_path / ".partial-x", tmp_path / "x.failed"
    build.mkdir()

    def full(path, text):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(run_folder, "atomic_write_text", full)
    monkeypatch.setattr(run_folder, "atomic_write_json", full)
    with pytest.raises(RunError):
        fail_run(build, failed, {}, {}, "projection: OSError", OSError(errno.ENOSPC, "full"), "run of x")
    err = capsys.readouterr().err
    assert f"could not write {build / ERROR_FILE}" in err and "the run failed: projection: OSError" in err


def test_a_run_on_a_real_full_disk_leaves_error_txt_and_frees_the_rest(tmp_path, capsys):
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=120k", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        assert main(["run", str(SATU), "--out", str(disk)]) == 1
        err = capsys.readouterr().err
        assert "No space left on device" in err and "the disk is full" in err and "Traceback" not in err
        (failed,) = (disk / "satu-miliar-150").iterdir()
        assert failed.name.endswith(".failed")
        assert sorted(p.name for p in failed.iterdir()) == [ERROR_FILE, "manifest.json"]
        assert "villages.csv" in (failed / ERROR_FILE).read_text()
    finally:
        shutil.rmtree(disk / "satu-miliar-150", ignore_errors=True)
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def test_run_finds_a_file_where_its_scenario_folder_belongs(tmp_path, capsys):
    (tmp_path / "satu-miliar-150").write_text("in the way")
    assert main(["run", str(SATU), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'satu-miliar-150'}: --out: found a file where the scenario's report folder belongs" in err
    assert Path(tmp_path / "satu-miliar-150").read_text() == "in the way"


def test_a_claim_that_cannot_record_its_owner_leaves_no_folder(tmp_path, monkeypatch):
    def full(path, text):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(run_folder, "atomic_write_text", full)
    with pytest.raises(OSError):
        claim_run_folder(tmp_path, FP, T)
    assert list(tmp_path.iterdir()) == []
