"""yamlio: YAML 1.2 core numbers, duplicate keys across spellings, bounded aliases and nesting."""

import pytest

from touna_policy.errors import InputError
from touna_policy.yamlio import load_yaml


@pytest.mark.parametrize(
    "text, words",
    [
        ("q: 0150", "YAML 1.1 reads 0150 as octal 104"),
        ("q: 0190", "YAML 1.1 reads 0190 as text"),
        ("q:\n  2024: 2:30", "YAML 1.1 reads 2:30 as 150"),
        ("q: 0x96", "a hexadecimal, octal or binary number"),
        ("q: 1_000", "a number with '_' separators"),
    ],
)
def test_yaml_1_1_numbers_are_refused_with_their_line(text, words):
    with pytest.raises(InputError) as info:
        load_yaml("s.yaml", text)
    assert words in str(info.value) and f"line {text.count(chr(10)) + 1}" in str(info.value)


def test_scalars_resolve_by_the_yaml_1_2_core_schema():
    data, _ = load_yaml("s.yaml", "a: [yes, no, on, off, true, False, ~, 150, 1.5e3, .inf, '0150', 2015-07-01]")
    assert data["a"][:10] == ["yes", "no", "on", "off", True, False, None, 150, 1500.0, float("inf")]
    assert data["a"][10] == "0150" and str(data["a"][11]) == "2015-07-01"


def test_a_year_written_as_number_and_as_text_is_a_duplicate():
    with pytest.raises(InputError, match="a duplicate of the key first written on line 1"):
        load_yaml("s.yaml", 'q: {2024: 1, "2024": 2}')


def test_an_alias_bomb_is_refused_quickly():
    text = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for x, y in zip("bcdefghi", "abcdefgh", strict=True):
        text += f"{x}: &{x} [{', '.join(['*' + y] * 9)}]\n"
    with pytest.raises(InputError, match="expand to more than 200,000 values"):
        load_yaml("s.yaml", text)


def test_a_few_aliases_are_still_read():
    data, lines = load_yaml("s.yaml", "a: &x {b: 1}\nc: *x\n")
    assert data == {"a": {"b": 1}, "c": {"b": 1}} and lines["c.b"] == 1


def test_5000_nested_lists_give_a_message_not_a_recursion_error():
    with pytest.raises(InputError, match="nested more than 40 deep"):
        load_yaml("s.yaml", "a: " + "[" * 5000 + "]" * 5000)
