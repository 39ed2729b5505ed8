"""Scenario files: typed, validated, with the nearest key for a misspelling."""

import pytest

import touna_policy as tp
from touna_policy.errors import InputError
from touna_policy.scenario import load_scenario, scenario_to_yaml, shipped_scenarios

from .conftest import write


def test_three_scenarios_ship_and_load():
    names = {p.stem for p in shipped_scenarios()}
    assert {"baseline-100", "satu-miliar-150", "proportional-150"} <= names
    for path in shipped_scenarios():
        assert load_scenario(path).name == path.stem


def test_default_horizon_is_2023_to_2035():
    s = tp.scenario.scenario_from_dict({"name": "x", "title": "x"})
    assert (s.years[0], s.years[-1]) == (2023, 2035)


def test_unknown_key_suggests_the_nearest_valid_key_with_line(tmp_path):
    path = write(tmp_path, "s.yaml", "name: x\ntitle: x\nquota_per_vilage:\n  desa: {2024: 100}\n")
    with pytest.raises(InputError) as err:
        load_scenario(path)
    msg = str(err.value)
    assert "unknown key 'quota_per_vilage'" in msg and "line 3" in msg
    assert "did you mean 'quota_per_village'?" in msg


def test_nested_unknown_key_suggests_within_its_section(tmp_path):
    path = write(tmp_path, "s.yaml", "name: x\ntitle: x\nhorizon:\n  start_yr: 2023\n")
    with pytest.raises(InputError, match="did you mean 'start_year'"):
        load_scenario(path)


def test_negative_quota_is_refused_with_its_key(tmp_path):
    path = write(tmp_path, "s.yaml", "name: x\ntitle: x\nquota_per_village:\n  desa: {2024: -100}\n")
    with pytest.raises(InputError, match=r"quota_per_village.desa.*outside 0-100000"):
        load_scenario(path)


def test_fractional_quota_is_refused(tmp_path):
    path = write(tmp_path, "s.yaml", "name: x\ntitle: x\nquota_per_village:\n  desa: {2024: 100.5}\n")
    with pytest.raises(InputError, match="fractional part"):
        load_scenario(path)


def test_reversed_horizon_is_refused(tmp_path):
    path = write(tmp_path, "s.yaml", "name: x\ntitle: x\nhorizon: {start_year: 2030, end_year: 2025}\n")
    with pytest.raises(InputError, match="before start_year"):
        load_scenario(path)


def test_duplicate_key_is_refused_with_both_lines(tmp_path):
    path = write(tmp_path, "s.yaml", "name: x\ntitle: x\nname: y\n")
    with pytest.raises(InputError, match=r"key 'name' \(line 3\).*first written on line 1"):
        load_scenario(path)


def test_object_constructing_tag_is_refused(tmp_path):
    path = write(tmp_path, "s.yaml", "name: !!python/object/apply:os.system ['true']\ntitle: x\n")
    with pytest.raises(InputError, match="tag"):
        load_scenario(path)


def test_all_problems_are_reported_together(tmp_path):
    path = write(tmp_path, "s.yaml", "name: x\ntitle: x\ninclude_jht: maybe\ntransport_worker_share: 2\n")
    with pytest.raises(InputError) as err:
        load_scenario(path)
    assert len(err.value.problems) == 2


def test_scenario_round_trips_through_yaml(tmp_path):
    s = load_scenario(tp.config.SCENARIOS_DIR / "satu-miliar-150.yaml")
    path = write(tmp_path, "again.yaml", scenario_to_yaml(s))
    assert load_scenario(path) == s
