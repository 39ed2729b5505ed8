"""Outputs never destroy inputs (issue 15, class 2) and OS errors on writing get the project's message (class 4)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from touna_policy import config
from touna_policy.cli import main
from touna_policy.errors import InputError
from touna_policy.io import WriteError, atomic_write_csv, atomic_write_text, check_outputs, make_folder, write_error

SATU = config.SCENARIOS_DIR / "satu-miliar-150.yaml"


@pytest.fixture
def scenario(tmp_path) -> Path:
    path = tmp_path / "satu.yaml"
    shutil.copy(SATU, path)
    return path


# ---------------------------------------------------------------------------------------------
# class 2: outputs that would destroy inputs
# ---------------------------------------------------------------------------------------------


def test_csv_through_a_symlink_to_a_data_file_is_refused_and_the_data_file_kept(tmp_path, scenario, capsys):
    link = tmp_path / "district.csv"
    link.symlink_to(config.REGENCY_POPULATION_CSV)
    before = config.REGENCY_POPULATION_CSV.read_bytes()
    assert main(["project", str(scenario), "--csv", str(link), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"the input file {config.REGENCY_POPULATION_CSV}" in err and "destroy the input" in err
    assert config.REGENCY_POPULATION_CSV.read_bytes() == before


def test_villages_through_a_symlink_to_the_scenario_is_refused(tmp_path, scenario, capsys):
    link = tmp_path / "villages.csv"
    link.symlink_to(scenario)
    before = scenario.read_bytes()
    assert main(["project", str(scenario), "--villages", str(link), "--quiet"]) == 2
    assert "--villages" in capsys.readouterr().err
    assert scenario.read_bytes() == before


def test_csv_and_villages_through_a_symlink_to_each_other_are_refused(tmp_path, scenario, capsys):
    real, link = tmp_path / "out.csv", tmp_path / "link.csv"
    real.write_text("old\n")
    link.symlink_to(real)
    assert main(["project", str(scenario), "--csv", str(real), "--villages", str(link), "--quiet"]) == 2
    assert "the same file as --csv" in capsys.readouterr().err
    assert real.read_text() == "old\n"


def test_a_hard_link_to_an_input_counts_as_that_input(tmp_path, scenario):
    hard = tmp_path / "hard.csv"
    os.link(scenario, hard)
    with pytest.raises(InputError, match="the input file"):
        check_outputs({"--csv": hard}, [scenario])


def test_csv_to_a_fifo_is_refused_at_once_and_the_fifo_kept(tmp_path, scenario, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert main(["project", str(scenario), "--csv", str(fifo), "--quiet"]) == 2
    assert "a FIFO (named pipe)" in capsys.readouterr().err
    assert fifo.is_fifo()


def test_an_atomic_write_never_replaces_a_device_fifo_or_folder(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()
    for target, kind in ((Path("/dev/null"), "a device"), (fifo, "a FIFO"), (folder, "a folder")):
        with pytest.raises(InputError, match=kind):
            atomic_write_text(target, "x")
    assert Path("/dev/null").is_char_device() and fifo.is_fifo() and folder.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "pipe"]  # no temporary file left


def test_an_atomic_write_through_a_symlink_replaces_the_file_it_names_and_keeps_the_link(tmp_path):
    real, link = tmp_path / "real.txt", tmp_path / "link.txt"
    real.write_text("old")
    link.symlink_to(real)
    atomic_write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_an_atomic_write_through_a_dangling_symlink_is_refused(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "nowhere" / "x.txt")
    with pytest.raises(InputError, match="a symlink to nothing"):
        atomic_write_text(link, "x")


# ---------------------------------------------------------------------------------------------
# class 4: OS errors while writing
# ---------------------------------------------------------------------------------------------


def test_a_full_disk_keeps_the_earlier_file_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "summary.csv"
    target.write_text("earlier\n")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteError) as caught:
        atomic_write_text(target, "new\n")
    message = str(caught.value)
    assert str(target) in message and "No space left on device" in message and "free space" in message
    assert target.read_text() == "earlier\n"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.csv"]


def test_a_read_only_file_system_is_an_input_error_naming_the_file(tmp_path):
    error = write_error(tmp_path / "x.csv", OSError(errno.EROFS, "Read-only file system"), "--csv")
    assert isinstance(error, InputError) and "x.csv: --csv: found a place that cannot be written" in str(error)


def test_a_file_where_a_folder_belongs_is_named_with_what_to_do(tmp_path):
    blocker = tmp_path / "reports"
    blocker.write_text("not a folder")
    with pytest.raises(InputError) as caught:
        make_folder(blocker / "satu-miliar-150", "the scenario's report folder")
    assert f"{blocker}: --out: found a file where the scenario's report folder belongs" in str(caught.value)
    assert "move or delete that file" in str(caught.value)


def _small_tmpfs(path: Path, size: str) -> bool:
    path.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    return proc.returncode == 0


@pytest.fixture
def tiny_disk(tmp_path):
    disk = tmp_path / "disk"
    if not _small_tmpfs(disk, "200k"):
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def test_a_real_full_disk_gives_the_project_message_and_keeps_the_earlier_table(tiny_disk, scenario, capsys):
    import pandas as pd

    target = tiny_disk / "district.csv"
    atomic_write_csv(target, pd.DataFrame({"year": [2026], "funded_workers": [21900]}))
    earlier = target.read_bytes()
    assert main(["project", str(scenario), "--villages", str(target), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert f"{target}: could not write the file: No space left on device" in err and "Traceback" not in err
    assert target.read_bytes() == earlier
    assert [p.name for p in tiny_disk.iterdir()] == ["district.csv"]
