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
