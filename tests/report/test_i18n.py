"""Catalogues in both languages agree; numbers and money are formatted for each language; place names
are shown exactly as in the registry."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from touna_policy import config
from touna_policy.errors import InputError
from touna_policy.report import i18n


def _flat(path):
    out = {}

    def walk(obj, prefix):
        for key, value in obj.items():
            dotted = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict):
                walk(value, dotted)
            else:
                out[dotted] = value

    walk(yaml.safe_load(path.read_text(encoding="utf-8")) or {}, "")
    return out


def test_both_catalogue_folders_hold_the_same_files():
    files = {lang: sorted(p.name for p in (i18n.LOCALES_DIR / lang).glob("*.yaml")) for lang in i18n.LANGUAGES}
    assert files["id"] == files["en"]
    assert "units.yaml" in files["id"]


@pytest.mark.parametrize("name", sorted(p.name for p in (i18n.LOCALES_DIR / "id").glob("*.yaml")))
def test_each_catalogue_file_has_the_same_keys_in_both_languages(name):
    id_keys = set(_flat(i18n.LOCALES_DIR / "id" / name))
    en_path = i18n.LOCALES_DIR / "en" / name
    assert en_path.exists(), f"locales/en/{name} missing"
    en_keys = set(_flat(en_path))
    assert sorted(id_keys - en_keys) == [], f"in id/{name} only"
    assert sorted(en_keys - id_keys) == [], f"in en/{name} only"


def test_merged_catalogues_have_the_same_keys_and_placeholders():
    assert i18n.catalogue_differences() == []
    assert set(i18n.catalogue("id")) == set(i18n.catalogue("en"))


def test_no_catalogue_text_is_empty():
    for lang in i18n.LANGUAGES:
        empty = [k for k, v in i18n.catalogue(lang).items() if not str(v).strip()]
        assert empty == [], f"empty texts in {lang}"


def test_catalogue_differences_reports_a_missing_key_and_a_placeholder_mismatch(tmp_path, monkeypatch):
    for lang, body in (("id", "s:\n  a: 'satu {n}'\n  b: dua\n"), ("en", "s:\n  a: 'one {count}'\n")):
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "s.yaml").write_text(body, encoding="utf-8")
    (tmp_path / "id" / "only_id.yaml").write_text("t:\n  x: y\n", encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        problems = i18n.catalogue_differences()
    finally:
        i18n.catalogue.cache_clear()
    assert "locales/en/only_id.yaml is missing (it exists for another language)" in problems
    assert "key 's.b' is missing in the en catalogue (present in id)" in problems
    assert any(p.startswith("key 's.a' has different placeholders") for p in problems)


@pytest.mark.parametrize("lang, expected", [("id", "Rp 4,42 miliar"), ("en", "IDR 4.42 billion")])
def test_money_satu_miliar_2027_premium_in_words_of_scale(lang, expected):
    # 21,900 workers x Rp 201,600 = Rp 4,415,040,000 (README table)
    assert i18n.money(21_900 * 201_600, lang) == expected


@pytest.mark.parametrize("lang, expected", [("id", "21.900 pekerja"), ("en", "21,900 workers")])
def test_workers_use_the_language_thousands_separator(lang, expected):
    assert i18n.workers(146 * 150, lang) == expected


@pytest.mark.parametrize(
    "value, lang, expected",
    [
        (2_759_400_000, "id", "Rp 2,76 miliar"),
        (2_759_400_000, "en", "IDR 2.76 billion"),
        (30_240_000, "id", "Rp 30,24 juta"),
        (30_240_000, "en", "IDR 30.24 million"),
        (1.5e12, "id", "Rp 1,50 triliun"),
        (1.5e12, "en", "IDR 1.50 trillion"),
        (201_600, "id", "Rp 201.600"),
        (201_600, "en", "IDR 201,600"),
        (1_000_000_000, "id", "Rp 1 miliar"),  # a whole number of the scale: no ",00"
        (134_000_000_000, "en", "IDR 134 billion"),
        (1_000_000, "id", "Rp 1 juta"),
        (4_999_999_999, "id", "Rp 5 miliar"),
    ],
)
def test_money_scales_and_small_amounts(value, lang, expected):
    assert i18n.money(value, lang) == expected


@pytest.mark.parametrize("lang, expected", [("id", "3,02%"), ("en", "3.02%")])
def test_share_decimal_comma_in_indonesian(lang, expected):
    assert i18n.share(4_415_040_000 / 146e9, lang, decimals=2) == expected


@pytest.mark.parametrize("lang, expected", [("id", "1.234.567,5"), ("en", "1,234,567.5")])
def test_number_with_decimals(lang, expected):
    assert i18n.number(1_234_567.5, lang, decimals=1) == expected


def test_workers_round_half_workers_to_whole_people():
    assert i18n.workers(23_087.776, "id") == "23.088 pekerja"


def test_unknown_language_is_refused_with_the_nearest():
    with pytest.raises(InputError, match="did you mean 'en'"):
        i18n.money(1e9, "eng")


def test_missing_key_names_the_nearest_key():
    with pytest.raises(KeyError, match="units.workers"):
        i18n.text("units.worker", "id")


def test_text_fills_placeholders():
    assert i18n.text("frontpage.covered_label", "id", year=2027) == "pekerja rentan terlindungi pada 2027"
    assert i18n.text("frontpage.covered_label", "en", year=2027) == "vulnerable workers covered in 2027"


def test_village_and_kecamatan_names_exactly_as_in_the_registry(satu_miliar):
    raw = pd.read_csv(config.TOUNA_VILLAGES_CSV, dtype=str, keep_default_na=False)
    shown = satu_miliar.villages.drop_duplicates("code").set_index("code")
    raw = raw.set_index("code").loc[shown.index]
    assert (shown["village"] == raw["village"]).all()
    assert (shown["kecamatan"] == raw["kecamatan"]).all()
    kec = set(satu_miliar.kecamatan()["kecamatan"])
    assert kec == set(raw["kecamatan"])
    assert "Una Una" in kec and "Una-Una" in set(shown["village"])  # the registry's own spellings


def test_catalogues_never_translate_a_place_name():
    raw = pd.read_csv(config.TOUNA_VILLAGES_CSV, dtype=str, keep_default_na=False)
    names = set(raw["village"]) | set(raw["kecamatan"]) | {"Tojo Una-Una", "Ampana"}
    cat_id, cat_en = i18n.catalogue("id"), i18n.catalogue("en")
    for key, text_id in cat_id.items():
        for name in names:
            if len(name) > 3 and name in text_id:
                assert name in cat_en[key], f"'{name}' in id text '{key}' is not in the en text"


def test_catalogue_read_with_libyaml_holds_the_same_texts_as_pyyamls_own_loader():
    for lang in i18n.LANGUAGES:
        texts = {}
        for path in sorted((i18n.LOCALES_DIR / lang).glob("*.yaml")):
            stack = [("", yaml.safe_load(path.read_text(encoding="utf-8")) or {})]
            while stack:
                prefix, obj = stack.pop()
                for key, value in obj.items():
                    dotted = f"{prefix}.{key}" if prefix else str(key)
                    if isinstance(value, dict):
                        stack.append((dotted, value))
                    else:
                        texts[dotted] = str(value)
        assert i18n.catalogue(lang) == texts


@pytest.mark.parametrize("lang, locale", [("id", "id_ID"), ("en", "en_US")])
def test_numbers_and_shares_read_as_babels_own_formatting_with_the_pattern_text(lang, locale):
    from babel.numbers import format_decimal, format_percent

    for value in (0.0, -0.5, 0.1234, 21_900.0, 4_415_040_000.0, 1e12 + 0.5):
        for decimals in (0, 1, 2):
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            assert i18n.number(value, lang, decimals) == format_decimal(value, format=pattern, locale=locale)
            assert i18n.share(value, lang, decimals) == format_percent(value, format=pattern + "%", locale=locale)
