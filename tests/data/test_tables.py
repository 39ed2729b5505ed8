"""data.tables: CSV text, shape checks and plain whole numbers."""

import gzip
import os
import time

import pandas as pd
import pytest

from touna_policy.data.tables import read_csv_strings, read_csv_text, whole_number_problems
from touna_policy.errors import InputError
from touna_policy.io import read_input_bytes


def test_indonesian_thousands_and_fractions_are_not_whole_numbers_but_a_trailing_zero_decimal_is():
    text = pd.DataFrame({"n": ["1983", "1983.0", "1.000", "1.983", "12.5", "1e3", "2.815.060", "n/a", "-289"]})
    bad = [p.location for p in whole_number_problems(text, ["n"], "f.csv")]
    assert bad == [
        "row 4, column 'n'",
        "row 5, column 'n'",
        "row 6, column 'n'",
        "row 7, column 'n'",
        "row 8, column 'n'",
    ]


def test_thousands_are_suggested_without_their_dots():
    (problem,) = whole_number_problems(pd.DataFrame({"n": ["1.000"]}), ["n"], "f.csv", "a whole number of people")
    assert (problem.found, problem.expected) == ("1.000", "a whole number of people (write 1000, not 1.983 or 1,983)")


def test_a_fractional_year_is_refused_not_truncated(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("year,value\n2020.5,1\n")
    with pytest.raises(InputError) as info:
        read_csv_text(path, ["year", "value"], numeric=["value"], whole=["year"])
    assert "row 2, column 'year': found 2020.5; expected a whole year such as 2025" in str(info.value)


def test_a_column_named_twice_is_refused_naming_both_positions(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("code,value,value\na,1,2\n")
    with pytest.raises(InputError) as info:
        read_csv_strings(path, ["code", "value"])
    assert "the column 'value' 2 times (columns 2, 3)" in str(info.value)


def test_a_named_pipe_is_refused_at_once_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "village_workforce.csv"
    os.mkfifo(fifo)
    start = time.monotonic()
    with pytest.raises(InputError) as info:
        read_csv_strings(fifo, ["code"])
    assert time.monotonic() - start < 1
    assert "found a named pipe (FIFO); expected a regular CSV file" in str(info.value)


def test_a_device_is_refused_as_not_a_regular_file():
    with pytest.raises(InputError) as info:
        read_input_bytes("/dev/zero", "YAML file")
    assert "found a character device; expected a regular YAML file" in str(info.value)


def test_a_gzip_bomb_is_refused_by_its_decompressed_size(tmp_path):
    path = tmp_path / "villages.csv.gz"
    path.write_bytes(gzip.compress(b"0" * 100_000))
    assert len(read_input_bytes(path, "CSV file", max_bytes=100_000)) == 100_000
    with pytest.raises(InputError) as info:
        read_input_bytes(path, "CSV file", max_bytes=99_999)
    assert "decompresses to more than 99,999 bytes" in str(info.value)


def test_a_permission_error_becomes_the_projects_message(tmp_path, monkeypatch):
    path = tmp_path / "touna_villages.csv"
    path.write_text("code\n")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(InputError) as info:
        read_input_bytes(path, "CSV file")
    assert str(info.value) == (
        f"{path}: found a file this user may not read (permission denied); expected a readable CSV file: "
        "give read permission (chmod a+r) or run as a user who may read it"
    )
