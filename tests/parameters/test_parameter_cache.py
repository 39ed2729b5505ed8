"""A parameter file that validated once is read back from the cache; a changed one is read in full."""

import pytest

from touna_policy.errors import InputError
from touna_policy.parameters import loading
from touna_policy.parameters.participation import PARTICIPATION_YAML, ParticipationParameters


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TOUNA_POLICY_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "parameters"


def test_an_unchanged_file_is_read_back_equal_without_parsing_the_yaml(cache, monkeypatch):
    first = loading.load_validated(ParticipationParameters, PARTICIPATION_YAML)
    assert len(list(cache.glob("*.pickle"))) == 1

    def no_parse(*_args, **_kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(loading, "load_yaml", no_parse)
    assert loading.load_validated(ParticipationParameters, PARTICIPATION_YAML) == first


def test_a_changed_file_is_validated_in_full_and_its_problem_reported(cache, tmp_path):
    copy = tmp_path / "participation.yaml"
    text = PARTICIPATION_YAML.read_text(encoding="utf-8")
    copy.write_text(text, encoding="utf-8")
    loading.load_validated(ParticipationParameters, copy)
    copy.write_text(text + "\nnot_a_parameter: 1\n", encoding="utf-8")
    with pytest.raises(InputError, match="not_a_parameter"):
        loading.load_validated(ParticipationParameters, copy)


def test_a_corrupt_entry_is_ignored(cache):
    first = loading.load_validated(ParticipationParameters, PARTICIPATION_YAML)
    (entry,) = cache.glob("*.pickle")
    entry.write_bytes(entry.read_bytes()[:40])
    assert loading.load_validated(ParticipationParameters, PARTICIPATION_YAML) == first


def test_an_unchanged_scenario_is_read_back_with_its_key_lines_and_not_validated_again(cache, monkeypatch):
    from touna_policy import config
    from touna_policy.scenario import Scenario, load_scenario

    path = config.SCENARIOS_DIR / "satu-miliar-150.yaml"
    first = load_scenario(path)

    def no_validation(*_args, **_kwargs):
        raise AssertionError("validated again")

    monkeypatch.setattr(Scenario, "model_validate", no_validation)
    again = load_scenario(path)
    assert again == first
    assert again.source_path == first.source_path
    where = first.key_location("quota_per_village")
    assert again.key_location("quota_per_village") == where != "key 'quota_per_village'"  # the line came back too


def test_a_cached_scenario_is_still_checked_against_the_shipped_data(cache, tmp_path, monkeypatch):
    from touna_policy import config
    from touna_policy.scenario import load_scenario

    path = tmp_path / "scenario.yaml"
    path.write_text((config.SCENARIOS_DIR / "satu-miliar-150.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    load_scenario(path)
    monkeypatch.setattr("touna_policy.scenario.known_area_codes", lambda _area: frozenset({"0", "71"}))
    with pytest.raises(InputError, match="72.09"):
        load_scenario(path)
