"""The validation cache: an unchanged table is not validated again, a changed one always is, a corrupt
or unwritable cache only costs a full validation."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from touna_policy import config
from touna_policy.data import validation_cache
from touna_policy.data.tables import read_csv_text, validate_frame
from touna_policy.errors import InputError

COLUMNS = ["year", "population", "kind", "source", "source_date"]
CALLS: list[int] = []


def counting_schema():
    """A small schema that counts how often it is built (once per full validation)."""
    import pandera.pandas as pa

    CALLS.append(1)
    return pa.DataFrameSchema({"population": pa.Column(float, pa.Check.gt(0))}, strict=False)


@pytest.fixture
def table(tmp_path, monkeypatch):
    monkeypatch.setenv(validation_cache.CACHE_ENV, str(tmp_path / "cache"))
    CALLS.clear()
    path = tmp_path / "regency_population.csv"
    shutil.copy(config.REGENCY_POPULATION_CSV, path)
    return path


def read_and_validate(path):
    return validate_frame(read_csv_text(path, COLUMNS, whole=["year", "population"]), counting_schema, path)


def test_an_unchanged_table_is_validated_once_and_then_taken_from_the_cache(table):
    first = read_and_validate(table)
    second = read_and_validate(table)
    assert len(CALLS) == 1
    pd.testing.assert_frame_equal(first, second)
    assert second.attrs == {}  # the checksum is not left on the returned table


def test_a_changed_table_is_validated_in_full_and_its_problem_reported(table):
    read_and_validate(table)
    table.write_text(table.read_text().replace(",134945,", ",-5,"))
    with pytest.raises(InputError, match="row 2, column 'population'"):
        read_and_validate(table)
    assert len(CALLS) == 2


def test_a_failing_table_is_never_remembered(table):
    table.write_text(table.read_text().replace(",134945,", ",-5,"))
    for _ in range(2):
        with pytest.raises(InputError):
            read_and_validate(table)
    assert len(CALLS) == 2


def test_a_corrupt_cache_entry_is_ignored_and_rewritten(table, tmp_path):
    read_and_validate(table)
    (entry,) = (tmp_path / "cache" / "validated").iterdir()
    entry.write_bytes(b"\xff\x00 not an entry")
    read_and_validate(table)
    assert len(CALLS) == 2
    read_and_validate(table)
    assert len(CALLS) == 2  # the full validation wrote a good entry again


def test_an_unwritable_cache_folder_only_means_validating_in_full(table, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(validation_cache.CACHE_ENV, str(blocker))  # cache/validated cannot be made under a file
    read_and_validate(table)
    read_and_validate(table)
    assert len(CALLS) == 2


def test_the_cache_switched_off_validates_every_time(table, monkeypatch):
    monkeypatch.setenv(validation_cache.CACHE_ENV, "off")
    read_and_validate(table)
    read_and_validate(table)
    assert len(CALLS) == 2


def test_an_unchanged_csv_is_read_back_from_the_cache_equal_without_parsing(table, monkeypatch):
    first = read_csv_text(table, COLUMNS, whole=["year", "population"])

    def no_parse(*_args, **_kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(pd, "read_csv", no_parse)
    again = read_csv_text(table, COLUMNS, whole=["year", "population"])
    pd.testing.assert_frame_equal(again, first)
    assert again.attrs == first.attrs  # the file's SHA-256 travels with it, for validate_frame


def test_a_csv_changed_after_it_was_cached_is_parsed_again_and_its_bad_cell_reported(table):
    read_csv_text(table, COLUMNS, whole=["year", "population"])
    lines = table.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[COLUMNS.index("population")] = "1.983"  # Indonesian thousands: refused, never read as 1.983 people
    table.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 2, column 'population'.*1\.983"):
        read_csv_text(table, COLUMNS, whole=["year", "population"])


def test_the_same_csv_read_with_other_columns_as_numbers_is_not_served_the_cached_table(table):
    as_numbers = read_csv_text(table, COLUMNS, whole=["year", "population"])
    as_text = read_csv_text(table, COLUMNS)
    assert as_numbers["population"].dtype == float
    assert as_text["population"].dtype != float
