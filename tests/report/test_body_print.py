"""The satu-miliar-150 report as printed: the brief, then a main body of at most 10 A4 pages with at
most 8 charts and no ESTIMASI / SINTETIS box, then the annexes with the village tables (slow: one run
with its PDF). Also, without running anything: every body notebook reads the one reference year."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from touna_policy import config
from touna_policy.pipeline.run import run
from touna_policy.report import browser_check as bc
from touna_policy.report import html as rh
from touna_policy.report import i18n

NOTEBOOKS = config.NOTEBOOKS_DIR
YEAR_NOTEBOOKS = ("02", "03", "06", "07", "08", "09")


def notebook(prefix: str):
    (path,) = sorted(NOTEBOOKS.glob(f"{prefix}-*.ipynb"))
    return nbformat.read(path, as_version=4)


def code(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("prefix", YEAR_NOTEBOOKS)
def test_every_section_reads_the_briefs_reference_year_and_no_other(prefix):
    source = code(notebook(prefix))
    assert "year = findings.reference_year(result)" in source
    assert not re.search(r"\byear = (rt\.target_year|budget_year|narrative\.budget_year)", source)


@pytest.mark.parametrize("prefix", ("01", "02", "03", "05", "06", "07", "08", "09"))
def test_no_section_prints_the_estimated_or_synthetic_box_again(prefix):
    assert "flags_markdown" not in code(notebook(prefix))


def test_the_village_annex_is_printed_from_a_cell_tagged_for_its_annex():
    cells = [c for c in notebook("03").cells if "show_village_annex(" in c.source]
    assert len(cells) == 1 and {rh.ANNEX_TAG, "annex-villages"} <= set(cells[0].metadata["tags"])


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Path:
    if bc.find_chromium() is None:
        pytest.skip("no headless Chromium: apt-get install chromium")
    result = run(config.SCENARIOS_DIR / "satu-miliar-150.yaml", tmp_path_factory.mktemp("reports"), pdf=True)
    return Path(result.run_dir)


@pytest.mark.slow
def test_the_body_shows_at_most_8_charts_and_is_followed_by_the_annexes(printed):
    layout = bc.body_layout((printed / "report.html").read_text(encoding="utf-8"))
    assert layout.has_body and layout.body_images <= rh.MAX_BODY_CHARTS
    assert layout.annex_heading == "Lampiran A. Tentang laporan ini"


@pytest.mark.slow
def test_the_printed_body_takes_at_most_10_a4_pages_right_after_the_brief(printed):
    pages = bc.pdf_page_texts(printed / "report.pdf")
    if pages is None:
        pytest.skip("no pdftotext: apt-get install poppler-utils")
    layout = bc.body_layout((printed / "report.html").read_text(encoding="utf-8"))
    start, end = bc.body_page_span(pages, layout.first_heading, layout.annex_heading)
    assert start <= 3  # the brief takes pages 1-2
    assert end - start + 1 <= rh.MAX_BODY_PAGES
    annexes = [n for n, t in enumerate(pages, 1) if re.search(r"^\s*Lampiran [A-G]\. ", t, re.M)]
    assert len(annexes) == 7 and annexes[0] == end + 1


@pytest.mark.slow
def test_the_official_estimated_and_synthetic_box_is_stated_once_in_the_brief(printed):
    text = (printed / "report.html").read_text(encoding="utf-8")
    brief = text[: text.index(f'id="{rh.BODY_MARK}"')]
    rest = text[text.index(f'id="{rh.BODY_MARK}"') :]
    for key in ("report.flag_estimated", "report.flag_synthetic"):  # the old per-section boxes
        words = i18n.text(key, "id").split("**")[-1].strip()[:60]
        assert words not in rest
    for label in ("RESMI.", "ESTIMASI.", "SINTETIS."):  # the brief's one box
        box = f"<strong>{label}</strong>"
        assert brief.count(box) == 1 and box not in rest


@pytest.mark.slow
def test_the_village_annex_lists_all_146_villages_in_12_tables(printed):
    text = (printed / "report.html").read_text(encoding="utf-8")
    annex = text[text.index('id="annex-villages"') :]
    assert annex.count("<section>") == 12
    assert annex.count("<tr>") - annex.count("<thead><tr>") == 146
