"""The printed report: A4 with the draft header and page numbers, tables within the A4 printable width,
readable text, local time, per-language scenario titles, the glossary, villages.xlsx and the map."""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
import pytest

from touna_policy.errors import InputError
from touna_policy.model.inputs import load_inputs
from touna_policy.model.projection import project
from touna_policy.report import browser_check as bc
from touna_policy.report import html as rh
from touna_policy.report import i18n, maps
from touna_policy.report import tables as rt
from touna_policy.report.workbook import RUPIAH_FORMAT, SHARE_FORMAT, WORKERS_FORMAT, write_villages_xlsx
from touna_policy.scenario import load_scenario, scenario_from_dict

needs_chromium = pytest.mark.skipif(bc.find_chromium() is None, reason="no headless Chromium: apt-get install chromium")


@lru_cache(maxsize=1)
def shipped_result():
    scenario = load_scenario("data/scenarios/satu-miliar-150.yaml")
    return project(scenario, load_inputs(scenario.area))


def page(body: str, lang: str = "id") -> str:
    head = f"<meta charset='utf-8'>{rh.CSS}{rh.print_css(lang)}"
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


# --- print stylesheet ----------------------------------------------------------------------------


def test_printable_width_is_170_mm_at_96_dpi():
    assert (rh.PRINTABLE_WIDTH_MM, rh.PRINTABLE_WIDTH_PX) == (170, 643)


def test_print_css_is_a4_with_the_draft_header_and_page_counters_in_the_report_language():
    css = rh.print_css("id")
    assert "size: A4" in css and "margin: 20mm" in css
    assert '"Draf untuk pembahasan"' in css
    assert '"Halaman " counter(page) " dari " counter(pages) ""' in css
    assert '"Draft for discussion"' in rh.print_css("en") and '"Page " counter(page) " of "' in rh.print_css("en")


def test_headings_are_kept_with_what_follows():
    assert "h1, h2, h3, h4 { break-after: avoid" in rh.CSS


def test_title_page_time_is_local_wita_not_utc():
    assert rh.local_time("2026-12-01T18:29:16Z", "id") == "2 Desember 2026, 02.29 WITA"
    assert rh.local_time("2026-12-01T03:05:00Z", "en") == "1 December 2026, 11:05 WITA"


def test_thirteen_columns_split_into_two_groups_repeating_the_label_column():
    frame = pd.DataFrame([list(range(13))], columns=[f"c{i}" for i in range(13)])
    groups = rt.column_groups(frame)
    assert [list(g.columns) for g in groups] == [
        ["c0", *[f"c{i}" for i in range(1, 7)]],
        ["c0", *[f"c{i}" for i in range(7, 13)]],
    ]
    assert rt.column_groups(frame.iloc[:, :8])[0].shape == (1, 8)


def test_sixteen_columns_split_evenly_into_three_groups():
    frame = pd.DataFrame([list(range(16))], columns=[f"c{i}" for i in range(16)])
    assert [g.shape[1] for g in rt.column_groups(frame)] == [6, 6, 6]


def test_object_column_of_numbers_is_shown_as_a_number_not_a_raw_float():
    frame = pd.DataFrame({"eligible_workers": pd.Series([58379.034927813525, None], dtype=object)})
    assert rt.display_table(frame, "id").iloc[:, 0].tolist() == ["58.379", "–"]


# --- readable text -------------------------------------------------------------------------------


def test_text_scan_finds_raw_floats_nan_snake_case_paths_and_yaml_keys():
    body = (
        "<p>Nilai 50014.6754913898 dan NaN; kolom coverage_share di data/raw/coverage_series.csv; "
        "other_channels.source: seed</p>"
    )
    kinds = " ".join(p.detail for p in bc.text_problems(page(body)))
    for what in ("a float with more digits", "NaN", "snake_case", "file path", "YAML key"):
        assert what in kinds


def test_text_scan_passes_planner_text_and_a_run_table_named_without_path():
    body = "<p>Desa/kelurahan: 21.900 pekerja, 3,02%, Rp 4,42 miliar; daftar lengkap di allocation.csv.</p>"
    assert bc.text_problems(page(body)) == []


# --- widths at A4 ----------------------------------------------------------------------------------


def wide_table(columns: int) -> str:
    head = "".join(f"<th>Kolom_panjang_nomor_{i}</th>" for i in range(columns))
    row = "".join(f"<td>Rp&nbsp;1.234.567.890&nbsp;{i}</td>" for i in range(columns))
    return f'<table class="touna-table"><tr>{head}</tr><tr>{row}</tr></table>'


@needs_chromium
def test_width_check_fails_a_report_with_a_deliberately_wide_table(tmp_path):
    report = tmp_path / "report.html"
    report.write_text(page("<h1>Uji</h1>" + wide_table(20)), encoding="utf-8")
    problems = bc.width_problems(report)
    assert [p.kind for p in problems] == ["too-wide"]
    assert "table" in problems[0].where and "643 px" in problems[0].detail


@needs_chromium
def test_width_check_passes_a_table_that_fits_a4(tmp_path):
    report = tmp_path / "report.html"
    report.write_text(page("<h1>Uji</h1>" + wide_table(3)), encoding="utf-8")
    assert bc.width_problems(report) == []


# --- scenario titles per language, glossary --------------------------------------------------------


def test_scenario_title_per_language_keeps_the_english_plain_title_for_files():
    s = scenario_from_dict({"name": "x", "title": {"id": "Judul", "en": "Title"}, "description": {"id": "Uraian"}})
    assert (s.title, s.title_in("id"), s.title_in("en")) == ("Title", "Judul", "Title")
    assert (s.description, s.description_in("id"), s.description_in("en")) == ("Uraian", "Uraian", "Uraian")


def test_plain_scenario_title_is_still_valid_and_used_for_every_language():
    s = scenario_from_dict({"name": "x", "title": "Only one", "title_id": "Satu saja"})
    assert (s.title_in("id"), s.title_in("en")) == ("Satu saja", "Only one")


def test_shipped_scenarios_have_titles_and_descriptions_in_both_languages():
    for path in ("baseline-100", "proportional-150", "satu-miliar-150"):
        s = load_scenario(f"data/scenarios/{path}.yaml")
        assert s.title_id and s.title_en and s.description_id and s.description_en, path
        assert s.title_id != s.title_en


def test_short_title_per_language_is_read_from_a_mapping_and_leaves_no_plain_short_title():
    s = scenario_from_dict({"name": "x", "title": {"id": "Judul panjang", "en": "Long title"},
                            "short_title": {"id": "Pendek", "en": "Short"}})  # fmt: skip
    assert (s.short_title, s.short_title_in("id"), s.short_title_in("en")) == (None, "Pendek", "Short")


def test_short_title_falls_back_to_the_title_in_the_same_language():
    s = scenario_from_dict({"name": "x", "title": {"id": "Judul panjang", "en": "Long title"},
                            "short_title": {"en": "Short"}})  # fmt: skip
    assert (s.short_title_in("id"), s.short_title_in("en")) == ("Judul panjang", "Short")
    plain = scenario_from_dict({"name": "x", "title": {"id": "Judul", "en": "Title"}})
    assert (plain.short_title_in("id"), plain.short_title_in("en")) == ("Judul", "Title")


def test_a_plain_short_title_serves_every_language():
    s = scenario_from_dict({"name": "x", "title": {"id": "Judul", "en": "Title"}, "short_title": "Opsi A"})
    assert (s.short_title_in("id"), s.short_title_in("en")) == ("Opsi A", "Opsi A")


def test_a_short_title_longer_than_a_legend_label_is_refused_naming_the_key():
    with pytest.raises(InputError, match="short_title_id"):
        scenario_from_dict({"name": "x", "title": "T", "short_title": {"id": "x" * 41}})


def test_shipped_scenarios_have_their_short_titles_in_both_languages():
    expected = {
        "baseline-100": ("Kebijakan sekarang (100)", "Current policy (100)"),
        "satu-miliar-150": ("Satu Miliar (150 sama rata)", "Satu Miliar (150 each)"),
        "proportional-150": ("150 sebanding pekerja rentan", "150 by vulnerable workers"),
        "arrears-2025": ("Tunggakan 2025", "Arrears 2025"),
    }
    for name, names in expected.items():
        s = load_scenario(f"data/scenarios/{name}.yaml")
        assert (s.short_title_in("id"), s.short_title_in("en")) == names, name


def test_proportional_150_describes_its_twin_by_title_not_by_id():
    s = load_scenario("data/scenarios/proportional-150.yaml")
    for lang in i18n.LANGUAGES:
        text = s.description_in(lang)
        assert "satu-miliar-150" not in text and "Satu Miliar Satu Desa (150" in text


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_catalogue_text_uses_a_word_the_glossary_avoids(lang):
    cat = i18n.catalogue(lang)
    for term in rh.GLOSSARY_TERMS:
        for word in filter(None, (w.strip() for w in cat.get(f"glossary.{term}.avoid", "").split(","))):
            used = [k for k, v in cat.items() if not k.startswith("glossary.") and re.search(rf"\b{word}\b", v, re.I)]
            assert used == [], f"{lang}: '{word}' in {used[:3]}"


def test_title_page_defines_ucj_once_in_the_glossary():
    page_html = rh.title_page({"scenario": "x", "created": "2026-12-01T00:00:00Z"}, "id")
    assert page_html.count("Universal Coverage Jamsostek") == 1 and "<th>iuran</th>" in page_html


# --- villages.xlsx and the map -----------------------------------------------------------------------


def test_villages_xlsx_has_indonesian_headers_numbers_and_formats_one_sheet_per_level(tmp_path):
    from openpyxl import load_workbook

    path = write_villages_xlsx(tmp_path / "villages.xlsx", shipped_result(), "id")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Kabupaten", "Kecamatan", "Desa dan kelurahan"]
    village = wb["Desa dan kelurahan"]
    head = [c.value for c in village[1]]
    assert head[:3] == ["Kode", "Desa/kelurahan", "Jenis"]
    assert "Pekerja rentan (estimasi)" in head and "Kuota" in head and "Biaya iuran" in head
    row = dict(zip(head, village[3], strict=True))  # Taningkola, 2024
    assert row["Desa/kelurahan"].value == "Taningkola" and row["Tahun"].value == 2024
    assert isinstance(row["Biaya iuran"].value, (int, float)) and row["Biaya iuran"].value == 20_160_000
    assert row["Biaya iuran"].number_format == RUPIAH_FORMAT
    assert row["Kuota"].number_format == WORKERS_FORMAT and row["Kuota"].value == 100
    assert row["Cakupan pekerja rentan (estimasi)"].number_format == SHARE_FORMAT
    assert village.max_row == 146 * 13 + 1
    assert wb["Kecamatan"].max_row == 12 * 13 + 1 and wb["Kabupaten"].max_row == 13 + 1


def test_villages_xlsx_bytes_depend_on_the_tables_only(tmp_path):
    first = write_villages_xlsx(tmp_path / "a.xlsx", shipped_result(), "id").read_bytes()
    assert write_villages_xlsx(tmp_path / "b.xlsx", shipped_result(), "id").read_bytes() == first


def test_villages_xlsx_headers_follow_the_report_language(tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(write_villages_xlsx(tmp_path / "v.xlsx", shipped_result(), "en"))
    assert wb.sheetnames[0] == "District" and "Vulnerable workers (estimated)" in [c.value for c in wb["District"][1]]


def test_map_draws_the_12_kecamatan_with_the_licence_credit():
    fig = maps.kecamatan_map(shipped_result(), 2027, "id")
    drawn = [c.get_gid() for c in fig.axes[0].collections if c.get_gid()]
    assert len(drawn) == 12 and drawn[0] == "72.09.01"
    assert "Cahya DSN" in fig._supxlabel.get_text()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_workbook_column_of_a_shipped_scenario_has_a_planner_header(lang):
    # a new model column (payer, cost by payer, participation) must not reach Excel as its snake_case name
    from touna_policy import config
    from touna_policy.report.workbook import DROPPED_COLUMNS, column_header, level_frames
    from touna_policy.scenario import load_scenario

    result = project(load_scenario(config.SCENARIOS_DIR / "satu-miliar-150.yaml"))
    for frame in level_frames(result).values():
        for column in frame.columns:
            if column not in DROPPED_COLUMNS:
                assert column_header(column, lang, estimated=False) != column, column
