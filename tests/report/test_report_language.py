"""The text a planner reads follows the language rules (issue 13): the catalogues, and the sentences the
narrative functions write for every shipped Tojo Una-Una scenario, in both languages.

Fast: the texts are filled from projections, not from rendered reports; the browser check applies the
same rules (touna_policy.report.text_rules) to a rendered page.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

import touna_policy as tp
from touna_policy import config
from touna_policy.analysis import benefits as benefit_analysis
from touna_policy.analysis.allocation import compare_allocations
from touna_policy.analysis.goalseek import GoalSeekAnswer
from touna_policy.calibration import estimation
from touna_policy.report import analysis_text as at
from touna_policy.report import browser_check as bc
from touna_policy.report import comparison as cmp
from touna_policy.report import comparison_charts as cc
from touna_policy.report import i18n, narrative, text_rules
from touna_policy.report import tables as rt

TOJO_SCENARIOS = ("satu-miliar-150", "baseline-100", "proportional-150", "arrears-2025")


def rule_breaks(texts, lang, names=TOJO_SCENARIOS):
    """Language rules and the browser check's raw-text patterns, over ``texts``."""
    found = text_rules.language_problems(texts, lang, names)
    for what, pattern in bc.RAW_TEXT_PATTERNS:
        hits = sorted({m.group(0) for t in texts for m in pattern.finditer(t)})
        if hits:
            found.append((what, hits))
    return found


@pytest.fixture(scope="module")
def projected():
    inputs = tp.load_inputs()
    out = {}
    for name in TOJO_SCENARIOS:
        scenario = tp.load_scenario(config.SCENARIOS_DIR / f"{name}.yaml")
        out[name] = (scenario, tp.project(scenario, inputs), rt.rate_schedule(scenario, inputs))
    return inputs, out


def narrative_texts(inputs, scenario, result, schedule, lang) -> list[str]:
    year = rt.target_year(result)
    return [
        narrative.registry(inputs, lang),
        narrative.workforce(inputs, lang),
        narrative.method(inputs, lang),
        narrative.assumptions(inputs, lang),
        narrative.rates(schedule, scenario, lang),
        narrative.coverage_key(result, lang),
        narrative.coverage_shares(result, lang),
        narrative.coverage_district(result, rt.reported_milestones("72.09"), lang),
        narrative.coverage_kecamatan(result, year, lang),
        narrative.budget_district(result, schedule, lang),
        narrative.budget_share(result, lang),
        narrative.budget_kecamatan(result, year, lang),
        at.target_heading(scenario, lang),
        at.calibration(estimation.seed_calibration_table(inputs, scenario), lang),
        at.reading_used(scenario, lang),
        at.allocation(compare_allocations(scenario, inputs, year).summary, lang),
        at.benefits(benefit_analysis.benefits_table(result), year, lang),
    ]


# --- the rules themselves ------------------------------------------------------------------------


def test_rules_find_a_doubled_word_a_spaced_percent_premi_an_id_and_a_long_decimal():
    text = "58.379 pekerja pekerja rentan; 50 % iuran; premi; skenario satu-miliar-150; nilai 0,0205"
    assert dict(text_rules.language_problems([text], "id")) == {
        "a doubled word": ["pekerja pekerja"],
        "a percent written with a space": ["0 %"],
        "a scenario id instead of its title": ["satu-miliar-150"],
        "a number with more than three decimals": ["0,0205"],
        "a word the id glossary avoids": ["premi"],
    }


def test_rules_pass_place_names_ordinals_year_ranges_and_thousands():
    text = "Kecamatan Una Una, persentil ke-5, BPS 2023-2024, usia 15-59, 21.900 pekerja, Rp 4.415.040.000, 3,02%"
    assert text_rules.language_problems([text], "id") == []
    assert text_rules.language_problems(["a premium of IDR 201,600 (50%)"], "en") == []


def test_page_language_is_the_one_whose_report_subtitle_the_page_shows():
    assert text_rules.page_language([i18n.text("report.subtitle", "id"), "x"]) == "id"
    assert text_rules.page_language(["no subtitle"]) is None


def test_browser_check_fails_a_page_with_a_doubled_word_and_with_a_scenario_id():
    html = "<html><body><h1>{}</h1><p>22.260 pekerja pekerja rentan</p><p>baseline-100</p></body></html>"
    html = html.format(i18n.text("report.subtitle", "id"))
    assert [p.detail for p in bc.text_problems(html)] == [
        "a doubled word (1x): pekerja pekerja",
        "a scenario id instead of its title (1x): baseline-100",
    ]
    assert not any("scenario id" in note for note in bc.page_notes(html))  # a failure now, not a note


def test_a_scenario_id_in_the_comparison_s_summary_sentence_fails_the_page():
    html = "<p>{}</p><p>Dibanding kebijakan sekarang, satu-miliar-150 menambah 7.300 kuota</p>"
    html = html.format(i18n.text("report.subtitle", "id"))
    assert [p.detail for p in bc.text_problems(html)] == ["a scenario id instead of its title (1x): satu-miliar-150"]


def test_browser_check_reads_each_text_node_alone_and_skips_code():
    # a key figure and its label are two nodes ("22.260 pekerja" / "pekerja rentan"); a run id is code
    html = "<div><b>22.260 pekerja</b><span>pekerja rentan</span><code>satu-miliar-150</code></div>"
    assert bc.text_problems(html) == [] and bc.page_notes(html) == []


# --- catalogues and narrative --------------------------------------------------------------------


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_catalogue_text_breaks_the_language_rules(lang):
    texts = [v for k, v in i18n.catalogue(lang).items() if not k.endswith(".avoid")]  # the glossary names them
    assert text_rules.language_problems(texts, lang) == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_narrative_of_every_shipped_scenario_reads_cleanly(projected, lang):
    inputs, by_name = projected
    for name, (scenario, result, schedule) in by_name.items():
        texts = narrative_texts(inputs, scenario, result, schedule, lang)
        assert rule_breaks(texts, lang) == [], name
        assert not any(re.search(r"[{}]", t) for t in texts), name


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_comparison_texts_name_each_scenario_by_its_title_or_short_name_in_the_report_language(lang):
    names = ("baseline-100", "satu-miliar-150", "proportional-150")
    options = cmp.project_options([config.SCENARIOS_DIR / f"{n}.yaml" for n in names], lang)
    district = rt.project_scenarios([config.SCENARIOS_DIR / f"{n}.yaml" for n in names])
    fmt = lambda v: i18n.workers(v, lang)  # noqa: E731
    funded = cmp.option_frame(options, "funded_workers")
    ties = cmp.find_ties(options.district, options.kecamatan, 2026)
    texts = [
        narrative.comparison_intro(district, lang),
        cmp.option_reading(funded, 2027, "funded", lang, fmt),
        cc.lines_note(funded, 2027, lang),
        *cmp.ties_text(ties, lang, options.names),
    ]
    assert rule_breaks(texts, lang) == []
    satu = tp.load_scenario(config.SCENARIOS_DIR / "satu-miliar-150.yaml")
    assert satu.title_in(lang) in texts[0] and satu.short_title_in(lang) in texts[1]


# --- the relief sentence of section 3 (true in every case) --------------------------------------


def budget_sentence(projected, lang, **changes):
    inputs, by_name = projected
    scenario = by_name["satu-miliar-150"][0]
    if "kelurahan" in changes:
        changes["payers"] = scenario.payers.model_copy(update={"kelurahan": changes.pop("kelurahan")})
    variant = scenario.model_copy(update=changes)
    return narrative.budget_district(tp.project(variant, inputs), rt.rate_schedule(variant, inputs), lang)


def test_default_budget_says_the_relief_is_not_counted_and_prices_2026_at_the_full_rate(projected):
    text = budget_sentence(projected, "id")
    assert "pada 2026 biaya iuran program Rp 4,42 miliar untuk 21.900 kuota yang ditagih" in text
    assert "dengan tarif penuh Rp 201.600 per kuota setahun" in text
    assert "Keringanan PP 50/2025 tidak diperhitungkan: bagi peserta yang iurannya dibayar APBDes" in text
    assert "dibayar APBD, keringanan tidak berlaku" in text and "menurunkan" not in text
    en = budget_sentence(projected, "en")
    assert "IDR 4.42 billion for 21,900 billed places, at the full rate of IDR 201,600" in en
    assert "relief is not counted" in en


def test_relief_for_apbdes_places_only_lowers_the_average_premium(projected):
    # 134 desa x 150 x Rp 126,000 + 12 kelurahan x 150 x Rp 201,600 (APBD: no relief) = Rp 2,895,480,000
    text = budget_sentence(projected, "id", relief_for_apbdes_paid=True)
    assert "Rp 2,90 miliar untuk 21.900 kuota yang ditagih" in text
    assert "hanya menjangkau sebagian peserta (bagi peserta yang iurannya dibayar APBD" in text
    assert "rata-rata per kuota turun menjadi Rp 132.214" in text  # 2,895,480,000 / 21,900
    assert "Pada 2027 iuran kembali penuh (Rp 201.600) dan biayanya menjadi Rp 4,42 miliar" in text


def test_relief_for_every_place_lowers_the_premium_to_the_relief_rate(projected):
    # 21,900 x (12 x 16,800 - 9 x 8,400) = 21,900 x 126,000 = Rp 2,759,400,000
    text = budget_sentence(projected, "id", relief_for_apbdes_paid=True, kelurahan="apbdes")
    assert "Rp 2,76 miliar untuk 21.900 kuota yang ditagih, karena keringanan PP 50/2025 menurunkan" in text
    assert "iuran tahunan per kuota menjadi Rp 126.000" in text
    assert "because the PP 50/2025 relief lowers the yearly premium per place to IDR 126,000" in budget_sentence(
        projected, "en", relief_for_apbdes_paid=True, kelurahan="apbdes"
    )


def test_without_a_relief_year_the_budget_text_names_the_headline_year_cost(projected):
    _, by_name = projected
    _, result, schedule = by_name["satu-miliar-150"]
    text = narrative.budget_district(result, schedule.assign(relief_months=0), "id")
    assert text == (
        "**Cara membaca:** setiap batang adalah biaya iuran seluruh program dalam setahun; "
        "pada 2026 biayanya Rp 4,42 miliar."
    )


# --- zero and edge cases read naturally ----------------------------------------------------------


def test_no_simulation_reaching_the_target_reads_as_such_not_as_zero_percent():
    prob = pd.DataFrame({"year": [2029, 2030, 2035], "probability_reached": [0.0, 0.0, 0.2]})
    text = at.probability(prob, "coverage_share", 0.5, 2030, "id")
    assert text == (
        "**Cara membaca:** targetnya cakupan pekerja rentan 50% pada 2030. "
        "Tidak satu pun simulasi mencapainya paling lambat 2030. Sampai 2035, peluangnya tetap di bawah 50%."
    )
    assert "No simulation reaches it by 2030. Up to 2035 the chance stays below 50%." in at.probability(
        prob, "coverage_share", 0.5, 2030, "en"
    )


def test_a_likely_target_names_the_year_it_becomes_likely():
    prob = pd.DataFrame({"year": [2029, 2030], "probability_reached": [0.3, 0.62]})
    text = at.probability(prob, "coverage_share", 0.425, 2030, "id")
    assert text.endswith(
        "Target itu tercapai paling lambat 2030 pada 62% simulasi. Mulai 2030, peluang tercapainya 50% atau lebih."
    )
    assert "cakupan pekerja rentan 42,5% pada 2030" in text


def test_allocation_without_unused_quota_says_every_place_is_used(projected):
    inputs, by_name = projected
    summary = compare_allocations(by_name["satu-miliar-150"][0], inputs, 2026).summary
    assert at.allocation(summary, "id").endswith("Dengan aturan kuota sama, semua kuota terpakai.")
    assert "0 di 0 desa" not in at.allocation(summary, "id")
    unused = summary.assign(unused_quota_places=[120.0, 0.0, 0.0], villages_with_unused_quota=[3, 0, 0])
    assert at.allocation(unused, "id").endswith(
        "Dengan aturan kuota sama, 120 kuota tidak terpakai di 3 desa yang pekerja rentannya lebih sedikit "
        "daripada kuotanya."
    )


def test_sobol_text_when_first_order_is_at_or_above_total_says_on_its_own_and_caps_at_100_percent():
    table = pd.DataFrame(
        {
            "measure": ["premium_cost_idr"] * 2,
            "input": ["apbdes_relief_granted", "mortality_rate_per_year"],
            "S1": [1.03, 0.0],
            "ST": [1.006, 0.001],
        }
    )
    text = at.sobol(table, "premium_cost_idr", "id")
    assert text.startswith(
        "**Cara membaca:** Keringanan PP 50/2025 berlaku bagi peserta yang dibayar APBDes (ya/tidak) menjelaskan "
        "100% dari varians biaya iuran, hampir seluruhnya secara sendiri"
    )
    mixed = table.assign(S1=[0.6, 0.0], ST=[0.8, 0.001])
    assert "(60% secara sendiri, sisanya melalui interaksi" in at.sobol(mixed, "premium_cost_idr", "id")


def answer(**changes) -> GoalSeekAnswer:
    values = {
        "scenario": "satu-miliar-150",
        "measure": "coverage_share",
        "target_share": 0.5,
        "target_year": 2030,
        "reachable": True,
        "max_achievable_share": 0.95,
        "target_covered_workers": 31_000,
        "funded_workers_needed": 31_668,
        "places_needed": 33_434,
        "annual_budget_needed_idr": 6_384_268_800,
        "covered_at_workers_needed": 31_000,
        "uniform_quota_per_village": 229,
        "quota_from_year": 2030,
        "share_at_quota": 0.5,
        "share_at_quota_minus_one": 0.49,
        "funded_workers_at_quota": 31_700,
        "annual_premium_budget_at_quota_idr": 6_731_366_400,
        "premium_budget_per_village_at_quota_idr": 46_166_400,
        "scenario_share_in_target_year": 0.344,
        "year_reached_by_scenario": None,
        "probability_reaching_by_target_year": 0.0,
    }
    return GoalSeekAnswer(**(values | changes))


def test_goal_seek_answer_reads_as_a_planner_writes_it():
    text = at.goal_seek(answer(), "id")
    assert text == (
        "**Jawaban:** dengan skenario ini, cakupan pekerja rentan pada 2030 adalah 34,4%. Untuk mencapai 50% "
        "diperlukan sedikitnya **229 kuota di setiap desa dan kelurahan** mulai 2030, dengan anggaran iuran "
        "**Rp 6,73 miliar** setahun (Rp 46,17 juta per desa). Bila kuota hanya ditempatkan di desa yang "
        "membutuhkannya, cukup 31.668 pekerja yang didanai (Rp 6,38 miliar setahun). Tanpa perubahan, skenario "
        "ini tidak mencapai target sampai akhir jangka waktu proyeksi. Dengan memperhitungkan masukan yang "
        "tidak pasti, "
        "tidak satu pun simulasi mencapainya paling lambat tahun itu."
    )
    assert "peluang mencapainya paling lambat tahun itu 12%." in at.goal_seek(
        answer(probability_reaching_by_target_year=0.12), "id"
    )


def test_uncertain_input_values_read_in_their_units_not_as_four_decimal_floats():
    table = pd.DataFrame(
        {
            "input": ["workforce_growth_share_per_year", "payment_compliance_factor", "apbdes_relief_granted"],
            "deterministic": [0.0205, 0.95, 0.0],
            "p05": [0.014311, 0.874812, 0.0],
            "p50": [0.020416, 0.957717, 1.0],
            "p95": [0.026634, 0.992715, 1.0],
        }
    )
    assert at.input_values(table, "id") == {
        "deterministic": ["2,05%", "0,95", "tidak"],
        "p05": ["1,43%", "0,87", "tidak"],
        "p50": ["2,04%", "0,96", "ya"],
        "p95": ["2,66%", "0,99", "ya"],
    }
    assert at.input_values(table, "en")["p50"] == ["2.04%", "0.96", "yes"]


def test_a_rendered_page_fails_on_a_number_with_four_decimals_not_only_a_note():
    failures, notes = text_rules.page_problems([i18n.text("report.subtitle", "id"), "nilai proyeksi 0,0205"])
    assert failures == ["a number with more than three decimals (1x): 0,0205"] and notes == []
