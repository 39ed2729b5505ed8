"""The report's front page: three key figures, one chart, one paragraph, in both languages."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from touna_policy.report import browser_check
from touna_policy.report.frontpage import front_page_figures, front_page_html, headline_year


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_headline_year_is_the_first_full_year_2026_has_no_relief_by_default(satu_miliar, baseline, inputs):
    import touna_policy as tp

    assert headline_year(satu_miliar) == 2026  # APBDes- and APBD-paid places get no relief (issue 11)
    assert headline_year(baseline) == 2025
    relieved = tp.project(satu_miliar.scenario.model_copy(update={"relief_for_apbdes_paid": True}), inputs)
    assert headline_year(relieved) == 2027  # the relief year is skipped


def test_satu_miliar_front_page_figures(satu_miliar):
    f = front_page_figures(satu_miliar)
    assert f.funded_workers == 21_900  # places paid for
    assert f.premium_cost_idr == 21_900 * 201_600  # Rp 4,415,040,000
    assert f.budget_share == pytest.approx(20_100 * 201_600 / (134 * 1e9))  # desa premium / 134 desa budgets
    assert (f.relief_year, f.relief_cost_idr) == (None, None)


def test_indonesian_front_page_has_three_figures_one_chart_one_paragraph(satu_miliar):
    page = soup(front_page_html(satu_miliar, "id"))
    values = [v.get_text() for v in page.select(".tp-key-figure .tp-value")]
    assert values == ["24.142 pekerja", "Rp 4,42 miliar", "3,02%"]
    assert len(page.find_all("img")) == 1
    paragraphs = page.select(".tp-paragraph")
    assert len(paragraphs) == 1
    text = paragraphs[0].get_text()
    assert "21.900 pekerja di 146 desa dan kelurahan" in text and "Rp 4,42 miliar" in text
    # the budget share is over the 134 desa's own budgets, not over every village
    details = [d.get_text() for d in page.select(".tp-detail")]
    assert details[2] == "Rp 134 miliar untuk 134 desa (APBDes masing-masing)"
    notes = " ".join(n.get_text() for n in page.select(".tp-note"))
    assert "PERKIRAAN" in notes and "SINTETIS" in notes


def test_english_front_page(satu_miliar):
    page = soup(front_page_html(satu_miliar, "en"))
    assert [v.get_text() for v in page.select(".tp-value")] == ["24,142 workers", "IDR 4.42 billion", "3.02%"]
    assert "IDR 134 billion" in page.get_text()  # the 134 desa budgets, not 146
    assert "ESTIMATED" in page.get_text() and "SYNTHETIC" in page.get_text()


def test_scenario_without_budget_says_so_instead_of_a_share(baseline):
    page = soup(front_page_html(baseline, "id"))
    assert [v.get_text() for v in page.select(".tp-value")] == ["16.457 pekerja", "Rp 2,94 miliar", "–"]
    assert "tidak menetapkan anggaran program desa" in page.select_one(".tp-paragraph").get_text()


def test_front_page_chart_passes_the_static_browser_checks(satu_miliar, tmp_path):
    problems, images = browser_check.static_problems(front_page_html(satu_miliar, "id"), tmp_path)
    assert (problems, images) == ([], 1)
