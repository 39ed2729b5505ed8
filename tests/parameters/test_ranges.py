"""parameters.ranges: one scenario-name rule, one definition of each range and plain-number type."""

import pytest
from pydantic import BaseModel, ValidationError

from touna_policy.errors import InputError
from touna_policy.parameters.ranges import (
    RESERVED_SCENARIO_NAMES,
    Count,
    Number,
    Share,
    Year,
    scenario_name_problem,
)
from touna_policy.pipeline import runner


class _M(BaseModel):
    count: Count = 0
    share: Share = 0.0
    number: Number = 0.0
    year: Year = 2024


def test_the_comparison_folder_name_is_reserved_for_the_tool():
    assert runner.COMPARISON_DIR in RESERVED_SCENARIO_NAMES
    assert "own report folders" in scenario_name_problem("comparison")
    assert scenario_name_problem("satu-miliar-150") is None


@pytest.mark.parametrize("name", ["comparison", "index", "../x", "Satu", "", "x" * 65])
def test_run_folders_refuse_reserved_and_unsafe_names(tmp_path, name):
    with pytest.raises(InputError):
        runner.safe_child(tmp_path, name)


@pytest.mark.parametrize(
    "field, value", [("count", True), ("count", "150"), ("share", True), ("share", "0.5"), ("year", "2024")]
)
def test_true_and_text_are_not_numbers(field, value):
    with pytest.raises(ValidationError) as info:
        _M(**{field: value})
    assert "not true/false" in str(info.value) or "not text" in str(info.value)


def test_plain_numbers_pass_and_ranges_hold():
    assert _M(count=150, share=1, number=-2.5, year=2100).share == 1.0
    with pytest.raises(ValidationError):
        _M(share=1.01)
    with pytest.raises(ValidationError):
        _M(year=1999)
