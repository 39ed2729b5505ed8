"""data/parameters/participation.yaml: the shipped values, their status, and the file's checks."""

from __future__ import annotations

import pytest

from touna_policy.cli import main
from touna_policy.errors import InputError
from touna_policy.parameters.participation import PARTICIPATION_YAML, load_participation_parameters
from touna_policy.pipeline.validate import kind_of


def test_the_grace_period_is_the_bpjs_three_months_and_the_rest_are_labelled():
    p = load_participation_parameters()
    assert (p.grace_period_months.value, p.grace_period_months.status) == (3, "regulation")
    assert "22/PERDIR.02/072022" in p.grace_period_months.reference
    assert (p.churn_share_per_year.value, p.churn_share_per_year.status) == (0.10, "assumption")
    assert (p.arrears_after_closure_paid_months.status, p.self_paid_lapse_share.status) == ("assumption", "derived")


def test_the_self_paying_lapse_anchor_is_the_bpu_non_active_share_not_the_all_segment_one():
    # 0.979 / (9.19 + 0.979) = 0.0963 (BPU, Dec 2023); 31.95 % is every segment
    p = load_participation_parameters()
    assert p.self_paid_lapse_share.value == pytest.approx(0.979 / (9.19 + 0.979), abs=5e-4)


def test_more_arrears_after_closure_than_the_grace_period_is_refused(tmp_path):
    text = PARTICIPATION_YAML.read_text(encoding="utf-8").replace("value: 3\n", "value: 2\n", 1)
    path = tmp_path / "participation.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="arrears_after_closure_paid_months 3 is more than grace_period_months 2"):
        load_participation_parameters.__wrapped__(path)


def test_validate_knows_the_participation_file(capsys):
    assert kind_of("participation.yaml").name == "participation"
    assert main(["validate", str(PARTICIPATION_YAML)]) == 0
    capsys.readouterr()
