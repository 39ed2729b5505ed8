"""``validate`` knows every shipped file through one registry of file kinds (issue 10)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from touna_policy import config
from touna_policy.cli import main
from touna_policy.pipeline.validate import FILE_KINDS, kind_of

SHIPPED = subprocess.run(
    ["git", "-C", str(config.PROJECT_ROOT), "ls-files", "data"], capture_output=True, text=True, check=False
).stdout.split()
DATA_FILES = [f for f in SHIPPED if f.endswith((".csv", ".yaml", ".gz"))]


@pytest.mark.skipif(not DATA_FILES, reason="not a git checkout")
def test_every_file_under_data_validates(capsys):
    assert main(["validate", *[str(config.PROJECT_ROOT / f) for f in DATA_FILES]]) == 0
    assert capsys.readouterr().out.count("ok: ") == len(DATA_FILES)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("benefit_rates.yaml", "benefit_rates"),
        ("planning_targets.yaml", "planning_targets"),
        ("uncertainty.yaml", "uncertainty_defaults"),
        ("coverage_history.csv", "coverage_history"),
        ("coverage_series.csv", "coverage_series"),
        ("indonesia_villages.csv.gz", "registry"),
        ("my-scenario.yaml", "scenario"),
    ],
)
def test_the_five_files_validate_once_rejected_have_their_own_kind(name, kind):
    assert kind_of(name).name == kind


def test_a_renamed_data_file_is_checked_as_the_kind_given(tmp_path, capsys):
    copy = tmp_path / "my_rates.yaml"
    shutil.copy(config.BENEFIT_RATES_YAML, copy)
    assert main(["validate", str(copy), "--kind", "benefit_rates"]) == 0
    assert main(["validate", str(copy)]) == 2  # without --kind a YAML is a scenario, and this is none
    capsys.readouterr()


def test_an_unknown_kind_is_refused_with_the_nearest(capsys):
    assert main(["validate", str(config.BENEFIT_RATES_YAML), "--kind", "benefit_rate"]) == 2
    assert "did you mean 'benefit_rates'?" in capsys.readouterr().err


def test_every_kind_names_a_check():
    assert all(callable(kind.check) for kind in FILE_KINDS.values())
