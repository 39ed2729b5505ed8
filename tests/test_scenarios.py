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


def test_source_path_and_lines_travel_as_private_attributes_with_public_readers(tmp_path):
    path = write(tmp_path, "s.yaml", "name: x\ntitle: x\nhorizon: {start_year: 2024}\n")
    s = load_scenario(path)
    assert s.source_path == str(path.resolve())
    assert (s.source_line("horizon.start_year"), s.source_line("nowhere")) == (3, None)
    assert s.key_location("horizon") == "key 'horizon' (line 3)"
    assert "source_path" not in s.model_dump() and "_source_lines" not in s.model_dump()
    assert s.model_copy().source_path == s.source_path


def test_a_scenario_built_in_code_has_no_source():
    s = tp.scenario.scenario_from_dict({"name": "x", "title": "x"})
    assert (s.source_path, s.key_location("area")) == (None, "key 'area'")


def test_the_name_comparison_is_reserved_for_the_batch_comparison_folder(tmp_path):
    path = write(tmp_path, "s.yaml", "name: comparison\ntitle: x\n")
    with pytest.raises(InputError) as err:
        load_scenario(path)
    assert "key 'name' (line 1): found 'comparison'" in str(err.value)
    assert "(the tool's own report folders)" in str(err.value)


def test_the_same_override_written_twice_with_the_same_values_is_accepted():
    override = {"village": "72.09.01.2005", "quota": {2030: 200}}
    s = tp.scenario.scenario_from_dict({"name": "x", "title": "x", "overrides": [override, override]})
    assert len(s.overrides) == 2


def test_a_village_and_its_kecamatan_may_both_be_overridden_the_later_wins_as_documented():
    s = tp.scenario.scenario_from_dict(
        {
            "name": "x",
            "title": "x",
            "overrides": [
                {"kecamatan": "Una Una", "payment_compliance_share": {2025: 0.5}},
                {"village": "72.09.01.2005", "payment_compliance_share": {2025: 0.9}},
            ],
        }
    )
    assert "written later wins" in type(s.overrides[0]).__doc__


def test_a_target_year_inside_the_horizon_is_kept_as_written():
    s = tp.scenario.scenario_from_dict(
        {"name": "x", "title": "x", "targets": {"share": 0.5, "year": 2035}, "horizon": {"end_year": 2035}}
    )
    assert s.targets.year == 2035
