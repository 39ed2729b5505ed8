"""The brief: the Bupati's two A4 pages, its numbers from the model, both languages, at most two pages."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup

import touna_policy as tp
from touna_policy import config
from touna_policy.report import brief as rb
from touna_policy.report import browser_check as bc
from touna_policy.report import html as rh


@pytest.fixture(scope="module")
def fan(satu_miliar):
    return rb.option_fan(satu_miliar.scenario, satu_miliar.inputs)  # as notebook 06 writes it (whole area)


@pytest.fixture(scope="module")
def options(satu_miliar, fan):
    return rb.load_options(satu_miliar, fan)


@pytest.fixture(scope="module")
def figures(satu_miliar, fan, options):
    return rb.brief_figures(satu_miliar, fan, options)


@pytest.fixture(scope="module")
def page_id(satu_miliar, fan, options):
    return rb.brief_html(satu_miliar, "id", fan, options)


@pytest.fixture(scope="module")
def page_en(satu_miliar, fan, options):
    return rb.brief_html(satu_miliar, "en", fan, options)


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", BeautifulSoup(page, "html.parser").get_text(" ")).replace("\u00a0", " ")


def test_reference_year_is_2026_the_first_year_of_the_promise_for_every_shipped_option(satu_miliar, baseline, options):
    assert rb.reference_year(satu_miliar) == 2026
    # baseline keeps today's rule: it is read in the year after the last reported year, as the options
    assert rb.reference_year(baseline) == 2026
    assert {rb.reference_year(r) for r, _ in options} == {2026}


def test_headline_is_21900_places_7300_more_than_the_14600_of_2025(figures):
    assert (figures.year, figures.places, figures.previous_year, figures.previous_places) == (
        2026,
        21_900,
        2025,
        14_600,
    )
    assert figures.places_change == 7_300


def test_annual_iuran_by_payer_and_per_desa_as_a_share_of_its_1_billion(figures):
    assert figures.cost_idr == 4_415_040_000
    assert figures.cost_by_payer_idr == {"apbdes": 134 * 150 * 201_600, "apbd": 12 * 150 * 201_600}
    assert figures.cost_per_desa_idr == figures.cost_per_desa_highest_idr == 30_240_000
    assert figures.desa_budget_idr == 1e9 and figures.desa_budget_share == pytest.approx(0.03024)


def test_relief_caveat_gives_the_full_rate_and_the_apbdes_relief_reading_from_the_model(figures):
    assert not figures.relief_for_apbdes_paid
    assert (figures.cost_full_rate_idr, figures.cost_with_relief_idr) == (4_415_040_000, 2_895_480_000)
    assert figures.relief_changes_cost


def test_relief_reading_of_the_scenario_does_not_change_which_figure_is_full_rate(satu_miliar, inputs):
    relieved = tp.project(satu_miliar.scenario.model_copy(update={"relief_for_apbdes_paid": True}), inputs)
    f = rb.brief_figures(relieved)
    assert f.relief_for_apbdes_paid and f.cost_idr == 2_895_480_000
    assert (f.cost_full_rate_idr, f.cost_with_relief_idr) == (4_415_040_000, 2_895_480_000)


def test_recommended_2027_apbdes_line_is_150_places_times_201600_and_the_apbd_line_the_kelurahan_total(figures):
    assert figures.budget_year == 2027 and figures.iuran_per_worker_budget_year_idr == 201_600
    assert figures.apbdes_line_per_desa_lowest_idr == figures.apbdes_line_per_desa_highest_idr == 30_240_000
    assert figures.apbdes_places_per_desa_lowest == 150
    assert (figures.apbd_line_idr, figures.apbd_places) == (12 * 150 * 201_600, 1_800)


def test_ranges_come_from_the_fan_and_none_are_invented_without_one(satu_miliar, options):
    fan = pd.DataFrame(
        {
            "year": [2026, 2026, 2026],
            "measure": list(rb.RANGE_MEASURES),
            "p05": [21_000.0, 0.30, 0.33],
            "p95": [23_000.0, 0.42, 0.42],
        }
    )
    f = rb.brief_figures(satu_miliar, fan)
    assert (f.covered_workers.p05, f.covered_workers.p95) == (21_000.0, 23_000.0)
    assert (f.coverage_share.p05, f.ucj_coverage_share.p95) == (0.30, 0.42)
    assert "Rentang 21.000–23.000" in text_of(rb.brief_html(satu_miliar, "id", fan, options=options))
    without = rb.brief_figures(satu_miliar)
    assert not without.covered_workers.has_range and not without.ucj_coverage_share.has_range
    assert text_of(rb.brief_html(satu_miliar, "id", options=())).count("Rentang tidak tersedia") == 3


def test_read_fan_reads_the_run_folder_table_and_is_none_without_it(tmp_path):
    assert rb.read_fan(tmp_path) is None
    pd.DataFrame({"year": [2026], "measure": ["covered_workers"], "p05": [1.0], "p95": [2.0]}).to_csv(
        tmp_path / "fan.csv", index=False
    )
    assert rb.read_fan(tmp_path)["p95"].tolist() == [2.0]


def test_options_table_lists_every_shipped_option_or_says_why_not(figures):
    shipped = {tp.load_scenario(p).name for p in config.SCENARIOS_DIR.glob("*.yaml")}
    listed = [o.scenario.name for o in figures.options]
    left = {x.scenario.name: (x.same_as.name, x.differing_years) for x in figures.left_out}
    assert set(listed) | set(left) == shipped
    assert listed[:2] == ["baseline-100", "satu-miliar-150"]  # today first, then this report's option
    # the arrears scenario equals satu-miliar-150 in 2026: left out, with the one year they differ
    assert left == {"arrears-2025": ("satu-miliar-150", (2025,))}
    today, this = figures.options[0], figures.options[1]
    assert today.is_today and this.is_this_run
    assert (this.places - today.places, this.cost_idr - today.cost_idr) == (7_300, 1_471_680_000)
    assert today.cost_per_desa_idr == 100 * 201_600
    assert today.covered_workers.has_range and this.covered_workers.has_range


def test_options_table_in_the_page_has_every_listed_option_and_the_difference_from_today(page_id, satu_miliar):
    table = BeautifulSoup(page_id, "html.parser").select_one("table.tp-brief-options")
    rows = table.select("tbody tr")
    assert len(rows) == 3
    text = text_of(str(table))
    for name in ("Kebijakan sekarang (100)", "Satu Miliar (150 sama rata)", "150 sebanding pekerja rentan"):
        assert name in text  # each option by its short name
    assert "satu-miliar-150" not in text and "Satu Miliar Satu Desa: 150" not in text
    assert "+7.300" in text and "keadaan sekarang" in text


def test_indonesian_brief_states_the_headline_caveat_and_recommendation(page_id):
    text = text_of(page_id)
    assert "Tahun acuan: 2026" in text and text.count("Tahun acuan") == 1
    assert "21.900" in text and "+7.300 dari 14.600 pada 2025" in text
    assert "Rp 4,42 miliar" in text and "Rp 30,24 juta" in text and "3,02%" in text
    assert "Rp 4.415.040.000" in text and "Rp 2.895.480.000" in text
    assert "APBDes 2027: Rp 30.240.000 per desa." in text and "150 pekerja × Rp 201.600" in text
    assert "APBD 2027: Rp 362.880.000 untuk kelurahan." in text
    assert "23.605 pekerja pernah terlindungi" in text
    assert "premi" not in text.lower()


def test_english_brief(page_en):
    text = text_of(page_en)
    assert "Reference year: 2026" in text and "+7,300 on 14,600 in 2025" in text
    assert "IDR 4,415,040,000" in text and "IDR 2,895,480,000" in text
    assert "APBDes 2027: IDR 30,240,000 per desa." in text and "iuran" not in text


def test_one_data_box_names_official_estimated_and_synthetic_inputs(page_id, page_en):
    for page, words in (
        (page_id, ("RESMI", "ESTIMASI", "SINTETIS")),
        (page_en, ("OFFICIAL", "ESTIMATED", "SYNTHETIC")),
    ):
        soup = BeautifulSoup(page, "html.parser")
        assert len(soup.select(".tp-brief-data")) == 1
        box = text_of(str(soup.select_one(".tp-brief-data")))
        assert all(w in box for w in words)
        assert all(text_of(page).count(w) == 1 for w in words)
    box = text_of(str(BeautifulSoup(page_id, "html.parser").select_one(".tp-brief-data")))
    assert "13.400 pada 2024 dan 14.600 pada 2025" in box and "134 desa dan 12 kelurahan di 12 kecamatan" in box


def test_brief_text_has_nothing_a_planner_cannot_read(page_id, page_en):
    assert bc.text_problems(page_id) == [] and bc.text_problems(page_en) == []


def test_brief_chart_passes_the_static_browser_checks(page_id, tmp_path):
    assert bc.static_problems(page_id, tmp_path) == ([], 1)


def test_two_pages_each_ending_in_a_page_break(page_id):
    assert len(BeautifulSoup(page_id, "html.parser").select(".tp-brief > .tp-brief-page")) == 2
    assert ".tp-brief-page{break-after:page" in rb.BRIEF_CSS


def test_money_drops_empty_decimals_only():
    assert (rb.money(1e9, "id"), rb.money(12e9, "en"), rb.money(4.41504e9, "id")) == (
        "Rp 1 miliar",
        "IDR 12 billion",
        "Rp 4,42 miliar",
    )
    assert (rb.rupiah(30_240_000, "id"), rb.signed(-1200, "1.200"), rb.signed(0.2, "0")) == (
        "Rp 30.240.000",
        "−1.200",
        "±0",
    )


needs_chromium = pytest.mark.skipif(bc.find_chromium() is None, reason="no headless Chromium: apt-get install chromium")


@pytest.mark.slow
@needs_chromium
@pytest.mark.parametrize("lang", ["id", "en"])
def test_brief_prints_on_exactly_two_a4_pages(satu_miliar, fan, options, lang, tmp_path):
    body = rb.brief_html(satu_miliar, lang, fan, options)
    head = f"<meta charset='utf-8'>{rh.CSS}{rh.print_css(lang)}"
    page = f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"
    (tmp_path / "brief.html").write_text(page, encoding="utf-8")
    pdf = rh.write_pdf(tmp_path / "brief.html", tmp_path / "brief.pdf").read_bytes()
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    assert len(pages) == 2
    sizes = {
        tuple(round(float(x)) for x in m) for m in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    }
    assert sizes == {(595, 842)}  # A4 in points


def test_scenario_title_is_escaped_in_the_brief(satu_miliar, inputs):
    title = '<script>alert("x")</script> & <b>bold</b>'
    scenario = satu_miliar.scenario.model_copy(update={"title": title, "title_id": None, "title_en": None})
    page = rb.brief_html(tp.project(scenario, inputs), "en", options=())
    assert "<script>" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page


def test_baseline_is_read_in_2026_and_says_its_places_hold_since_2025(baseline):
    f = rb.brief_figures(baseline)
    assert (f.year, f.promise_year, f.places_change) == (2026, 2025, 0)
    text = text_of(rb.brief_html(baseline, "id", options=()))
    assert (
        "Tahun acuan: 2026" in text and "sudah berlaku penuh sejak 2025" in text and "tidak berubah dari 2025" in text
    )
