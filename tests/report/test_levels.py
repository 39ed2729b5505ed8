"""Scenario reports break an area down at its report level: kecamatan of a kabupaten (Tojo Una-Una,
unchanged), kabupaten/kota of a province (Sulawesi Tengah, area 72), provinces of Indonesia.

Fast: the province tables come from one projection of area 72 (2,017 villages), no report is run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import touna_policy as tp
from touna_policy import config
from touna_policy.analysis import uncertainty
from touna_policy.analysis.allocation import compare_allocations
from touna_policy.report import levels as rl
from touna_policy.report import tables as rt

SULTENG = config.SCENARIOS_DIR / "scale" / "sulteng-150.yaml"
KABUPATEN_OF_SULTENG = 13  # 12 kabupaten and Kota Palu (Kemendagri codes 72.01-72.12, 72.71)


@pytest.fixture(scope="module")
def province():
    scenario = tp.load_scenario(SULTENG)
    inputs = tp.load_inputs(scenario.area)
    return tp.project(scenario, inputs)


@pytest.mark.parametrize("area, level", [("72.09", "kecamatan"), ("72", "kabupaten"), ("0", "province")])
def test_report_level_follows_the_area_code(area, level):
    assert rl.report_level(area) == level


def test_province_coverage_table_has_one_row_per_kabupaten_summing_to_the_province(province):
    year = rt.target_year(province)
    table = rl.area_year(province, year, "kabupaten")
    district = province.district.set_index("year").loc[year]
    assert len(table) == KABUPATEN_OF_SULTENG
    assert list(table.columns)[0] == "kabupaten" and "Kota Palu" in set(table["kabupaten"])
    assert table["funded_workers"].sum() == pytest.approx(district["funded_workers"])
    assert table["premium_cost_idr"].sum() == pytest.approx(district["premium_cost_idr"])
    # shares are recomputed from the sums, not averaged over villages
    np.testing.assert_allclose(table["coverage_share"], table["covered_workers"] / table["eligible_workers"])


def test_province_registry_is_by_kabupaten_with_a_total_row_of_all_2017_villages(province):
    table = rl.registry(province.inputs.villages, "kabupaten")
    assert list(table.columns) == [
        "kabupaten_code",
        "kabupaten",
        "desa",
        "kelurahan",
        "population",
        "working_population",
        "vulnerable_workers",
    ]
    assert len(table) == KABUPATEN_OF_SULTENG + 1
    total = table.iloc[-1]
    assert total["kabupaten_code"] == "" and total["desa"] + total["kelurahan"] == 2017
    assert total["vulnerable_workers"] == int(province.inputs.villages["vulnerable_workers"].sum())
    assert (table.iloc[:-1]["kabupaten_code"].str.startswith("72.")).all()


def test_province_premiums_by_kabupaten_cover_every_village_and_the_province_cost(province):
    year = rt.target_year(province)
    table = rl.area_premiums(province, year, "kabupaten")
    assert len(table) == KABUPATEN_OF_SULTENG and table["villages"].sum() == 2017
    assert table["premium_cost_idr"].sum() == pytest.approx(
        province.district.set_index("year").loc[year, "premium_cost_idr"]
    )
    assert (table["premium_cost_idr_min_village"] <= table["premium_cost_idr_max_village"]).all()


def test_province_allocation_by_kabupaten_sums_each_rule_to_its_total(province):
    year = rt.target_year(province)
    comparison = compare_allocations(province.scenario, province.inputs, year)
    table = rl.allocation_by_area(comparison, province.inputs.villages, "kabupaten")
    rules = list(comparison.summary["rule"])
    assert list(dict.fromkeys(table["rule"])) == rules
    for rule in rules:
        rows = table[table["rule"] == rule]
        assert len(rows) == KABUPATEN_OF_SULTENG and rows["kabupaten_code"].is_monotonic_increasing
        expected = comparison.summary.set_index("rule").loc[rule, "funded_workers"]
        assert rows["funded_workers"].sum() == pytest.approx(expected)


def test_province_monte_carlo_table_names_the_kabupaten(province):
    setup = uncertainty.prepare(province.scenario, province.inputs, group_by=rl.monte_carlo_group("kabupaten"))
    mc = uncertainty.run_monte_carlo(province.scenario, province.inputs, draws=20, seed=1, setup=setup)
    table = rl.area_fan(mc, province.inputs.villages, "kabupaten", "coverage_share", 2026)
    assert list(table.columns) == ["kabupaten", "p05", "p50", "p95"]
    assert len(table) == KABUPATEN_OF_SULTENG and "Kota Palu" in set(table["kabupaten"])


def test_province_village_list_is_bounded_and_says_how_many_villages_there_are(province):
    comparison = compare_allocations(province.scenario, province.inputs, 2026)
    moves, total = rl.village_moves(comparison.villages)
    assert len(moves) == 2 * rl.MOVES_EACH and total == 2017
    assert "10 dari 2.017 desa" in rl.moves_note(len(moves), total, "id")
    assert "10 of 2,017 villages" in rl.moves_note(len(moves), total, "en")
    assert rl.moves_note(8, 8, "en") == ""


@pytest.mark.parametrize(
    "level, lang, expected",
    [
        ("kabupaten", "id", "Cakupan pekerja rentan per kabupaten/kota, 2026"),
        ("kabupaten", "en", "Coverage of vulnerable workers by kabupaten/kota, 2026"),
        ("province", "id", "Cakupan pekerja rentan per provinsi, 2026"),
        ("province", "en", "Coverage of vulnerable workers by province, 2026"),
        ("kecamatan", "en", "Coverage of vulnerable workers by kecamatan, 2026"),
    ],
)
def test_chart_titles_name_the_level_in_both_languages(level, lang, expected):
    assert rl.text("chart_coverage_title", level, lang, year=2026) == expected


@pytest.mark.parametrize("lang", ["id", "en"])
def test_province_headers_name_the_kabupaten_column(lang, province):
    shown = rt.display_table(rl.area_year(province, 2026, "kabupaten").head(2), lang)
    assert shown.columns[0] == "Kabupaten/kota"


@pytest.mark.parametrize(
    "name, level, expected",
    [
        ("kecamatan.csv", "kecamatan", "kecamatan.csv"),
        ("kecamatan.csv", "kabupaten", "kabupaten.csv"),
        ("registry_by_kecamatan.csv", "province", "registry_by_province.csv"),
        ("allocation_kecamatan.csv", "kecamatan", "allocation_kecamatan.csv"),
        ("coverage-kecamatan", "province", "coverage-province"),
    ],
)
def test_report_files_keep_their_kabupaten_names_and_take_the_level_elsewhere(name, level, expected):
    assert rl.file_name(name, level) == expected


# ------------------------------------------------------------------------------------------------
# Tojo Una-Una (72.09): the kecamatan report is unchanged
# ------------------------------------------------------------------------------------------------


def test_tojo_una_una_tables_are_the_kecamatan_tables_of_before(satu_miliar):
    year = rt.target_year(satu_miliar)
    villages = satu_miliar.inputs.villages
    level = rl.report_level(satu_miliar.scenario.area)
    assert level == "kecamatan"
    pd.testing.assert_frame_equal(rl.registry(villages, level), rt.registry_by_kecamatan(villages))
    pd.testing.assert_frame_equal(rl.area_year(satu_miliar, year, level), rt.kecamatan_year(satu_miliar, year))
    pd.testing.assert_frame_equal(rl.area_premiums(satu_miliar, year, level), rt.kecamatan_premiums(satu_miliar, year))
    pd.testing.assert_frame_equal(rl.area_by_year(satu_miliar, level), satu_miliar.kecamatan())
    assert len(rl.area_year(satu_miliar, year, level)) == 12
    assert list(rl.area_year(satu_miliar, year, level).columns)[0] == "kecamatan"
    assert rl.monte_carlo_group(level) == uncertainty.report_group(villages) == "kecamatan_code"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_tojo_una_una_texts_are_the_kecamatan_texts_of_before(lang, satu_miliar):
    from touna_policy.report import i18n, narrative

    inputs = satu_miliar.inputs
    assert rl.text("chart_workforce_title", "kecamatan", lang) == i18n.text("overview.chart_workforce_title", lang)
    assert rl.text("budget_heading", "kecamatan", lang, year=2026) == i18n.text(
        "budget.kecamatan_heading", lang, year=2026
    )
    assert rl.registry_text(inputs, "kecamatan", lang) == narrative.registry(inputs, lang)
    assert rl.read_coverage(satu_miliar, 2026, "kecamatan", lang) == narrative.coverage_kecamatan(
        satu_miliar, 2026, lang
    )


def test_tojo_una_una_village_list_keeps_its_ten_villages_of_146(satu_miliar):
    comparison = compare_allocations(satu_miliar.scenario, satu_miliar.inputs, 2026)
    moves, total = rl.village_moves(comparison.villages)
    assert (len(moves), total) == (10, 146)
    assert "146" in rl.moves_note(len(moves), total, "en")


@pytest.mark.parametrize(
    "lang, phrase",
    [("id", "Untuk seluruh Sulawesi Tengah biayanya"), ("en", "For the whole of Sulawesi Tengah the cost is")],
)
def test_province_budget_sentence_names_the_province_not_a_kabupaten(lang, phrase, province):
    assert phrase in rl.read_budget_share(province, "kabupaten", lang)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_tojo_una_una_budget_sentence_is_the_one_of_before(lang, satu_miliar):
    from touna_policy.report import narrative

    assert rl.read_budget_share(satu_miliar, "kecamatan", lang) == narrative.budget_share(satu_miliar, lang)
