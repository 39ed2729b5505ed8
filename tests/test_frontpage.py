"""The report's front page: three key figures, one chart, one paragraph, in both languages."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from touna_policy.report import browser_check
from touna_policy.report.frontpage import front_page_figures, front_page_html, headline_year


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_headline_year_skips_the_2026_relief_year(satu_miliar, baseline):
    assert headline_year(satu_miliar) == 2027
    assert headline_year(baseline) == 2027


def test_satu_miliar_front_page_figures(satu_miliar):
    f = front_page_figures(satu_miliar)
    assert f.funded_workers == 21_900
    assert f.premium_cost_idr == 21_900 * 201_600  # Rp 4,415,040,000
    assert f.budget_share == pytest.approx(4_415_040_000 / (146 * 1e9))
    assert (f.relief_year, f.relief_cost_idr) == (2026, 21_900 * 126_000)


def test_indonesian_front_page_has_three_figures_one_chart_one_paragraph(satu_miliar):
    page = soup(front_page_html(satu_miliar, "id"))
    values = [v.get_text() for v in page.select(".tp-key-figure .tp-value")]
    assert values == ["23.426 pekerja", "Rp 4,42 miliar", "3,02%"]
    assert len(page.find_all("img")) == 1
    paragraphs = page.select(".tp-paragraph")
    assert len(paragraphs) == 1
    text = paragraphs[0].get_text()
    assert "21.900 pekerja di 146 desa dan kelurahan" in text and "Rp 4,42 miliar" in text
    notes = " ".join(n.get_text() for n in page.select(".tp-note"))
    assert "Pada 2026 biaya lebih rendah (Rp 2,76 miliar)" in notes
    assert "PERKIRAAN" in notes and "SINTETIS" in notes


def test_english_front_page(satu_miliar):
    page = soup(front_page_html(satu_miliar, "en"))
    assert [v.get_text() for v in page.select(".tp-value")] == ["23,426 workers", "IDR 4.42 billion", "3.02%"]
    assert "In 2026 the cost is lower (IDR 2.76 billion)" in page.get_text()
    assert "ESTIMATED" in page.get_text() and "SYNTHETIC" in page.get_text()


def test_scenario_without_budget_says_so_instead_of_a_share(baseline):
    page = soup(front_page_html(baseline, "id"))
    assert [v.get_text() for v in page.select(".tp-value")] == ["16.403 pekerja", "Rp 2,94 miliar", "–"]
    assert "tidak menetapkan anggaran program desa" in page.select_one(".tp-paragraph").get_text()


def test_front_page_chart_passes_the_static_browser_checks(satu_miliar, tmp_path):
    problems, images = browser_check.static_problems(front_page_html(satu_miliar, "id"), tmp_path)
    assert (problems, images) == ([], 1)
