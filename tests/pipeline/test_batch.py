"""A batch refuses duplicates up front, naming both files (issue 15, class 7)."""

from __future__ import annotations

import pytest

from touna_policy import config
from touna_policy.cli import main
from touna_policy.errors import InputError
from touna_policy.pipeline.batch import check_distinct_scenarios

SATU = config.SCENARIOS_DIR / "satu-miliar-150.yaml"
BASELINE = config.SCENARIOS_DIR / "baseline-100.yaml"


def test_two_files_sharing_one_name_are_refused_naming_both(tmp_path):
    copy = tmp_path / "copy.yaml"
    copy.write_text(SATU.read_text(encoding="utf-8"))
    with pytest.raises(InputError) as caught:
        check_distinct_scenarios([str(SATU), str(copy)])
    assert f"{copy}: key 'name': found 'satu-miliar-150', the name of {SATU} too" in str(caught.value)


def test_a_symlink_to_a_scenario_already_in_the_batch_is_the_same_file(tmp_path):
    link = tmp_path / "link.yaml"
    link.symlink_to(SATU)
    with pytest.raises(InputError, match=f"the same file as {SATU}"):
        check_distinct_scenarios([str(SATU), str(link)])


def test_different_scenarios_pass_and_an_unreadable_one_is_left_to_its_run(tmp_path):
    check_distinct_scenarios([str(SATU), str(BASELINE), str(tmp_path / "missing.yaml")])


def test_cli_batch_of_one_scenario_twice_exits_2_before_any_run(tmp_path, capsys):
    out = tmp_path / "reports"
    assert main(["batch", str(SATU), str(SATU), "--out", str(out), "--executor", "serial", "--quiet"]) == 2
    assert "each scenario file once in a batch" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


def test_cli_batch_of_two_files_with_one_name_exits_2(tmp_path, capsys):
    copy = tmp_path / "copy.yaml"
    copy.write_text(SATU.read_text(encoding="utf-8"))
    assert main(["batch", str(SATU), str(copy), "--out", str(tmp_path / "r"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert str(copy) in err and str(SATU) in err
