"""The report's main body and annexes: combine() prints the untagged cells first (sections numbered in
printed order), then each annex under its lettered heading; the browser check counts the body's charts
and printed pages."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from touna_policy.report import browser_check as bc
from touna_policy.report import html as rh


def md_cell(text: str, *tags: str):
    cell = new_code_cell("display(Markdown(...))", outputs=[new_output("display_data", data={"text/markdown": text})])
    cell.metadata["tags"] = list(tags)
    return cell


def notebook(*cells):
    return new_notebook(cells=list(cells))


def texts(combined) -> list[str]:
    out = []
    for cell in combined.cells[1:]:
        data = cell.outputs[0]["data"]
        out.append(data.get("text/markdown") or data.get("text/html"))
    return out


def test_combine_prints_the_body_of_every_notebook_first_then_the_annexes_in_their_fixed_order():
    first = notebook(
        md_cell("## 2. Coverage"),
        md_cell("sensitivity detail", rh.ANNEX_TAG, "annex-sensitivity"),
        md_cell("coverage table", rh.ANNEX_TAG),
    )
    second = notebook(md_cell("## 3. Budget"), md_cell("village tables", rh.ANNEX_TAG, "annex-villages"))
    shown = texts(rh.combine([first, second], "<p>brief</p>", "id", about_html="<p>run metadata</p>"))
    assert shown == [
        "## 1. Coverage",
        "## 2. Budget",
        rh.annex_heading_html("about", "A", "id") + "<p>run metadata</p>",
        rh.annex_heading_html("tables", "B", "id"),
        "coverage table",
        rh.annex_heading_html("sensitivity", "C", "id"),
        "sensitivity detail",
        rh.annex_heading_html("villages", "D", "id"),
        "village tables",
    ]


def test_annex_headings_are_lettered_in_the_report_language():
    assert "Lampiran A. Tentang laporan ini" in rh.annex_heading_html("about", "A", "id")
    assert "Annex G. By desa and kelurahan" in rh.annex_heading_html("villages", "G", "en")


def test_a_section_heading_moved_to_an_annex_loses_its_number():
    nb = notebook(md_cell("## 5. Estimasi: tren", rh.ANNEX_TAG, "annex-estimation"))
    assert texts(rh.combine([nb], ""))[-1] == "## Estimasi: tren"


def test_the_head_cell_carries_the_mark_where_the_body_starts():
    head = rh.combine([notebook(md_cell("## 1. A"))], "<p>brief</p>").cells[0].outputs[0]["data"]["text/html"]
    assert head.endswith(f'<p>brief</p><div id="{rh.BODY_MARK}"></div>')


def test_an_unknown_annex_tag_names_the_tags_that_exist():
    with pytest.raises(ValueError, match="annex-sensitivity"):
        rh.annex_of(md_cell("x", rh.ANNEX_TAG, "annex-appendix"))


def page(images_in_body: int, annex: bool = True) -> str:
    img = '<img src="data:image/png;base64,AAAA">'
    annex_html = f'<h2 class="{rh.ANNEX_CLASS}">Lampiran A. Tentang laporan ini</h2>{img * 5}' if annex else ""
    return (
        f"<html><body>{img}<div id='{rh.BODY_MARK}'></div><h2>1. Proyeksi kepesertaan</h2>"
        f"{img * images_in_body}{annex_html}</body></html>"
    )


def test_the_body_counts_the_charts_between_the_brief_and_the_first_annex_only():
    layout = bc.body_layout(page(8))
    assert (layout.body_images, layout.first_heading, layout.annex_heading) == (
        8,
        "1. Proyeksi kepesertaan",
        "Lampiran A. Tentang laporan ini",
    )
    assert bc.body_problems(layout) == []


def test_nine_charts_in_the_body_fail_the_check():
    (problem,) = bc.body_problems(bc.body_layout(page(9)))
    assert problem.kind == "body-too-long" and "9 charts" in problem.detail


def test_a_report_without_annexes_counts_all_its_charts_as_body():
    layout = bc.body_layout(page(9, annex=False))
    assert layout.body_images == 9 and layout.annex_heading == ""
    assert [p.kind for p in bc.body_problems(layout)] == ["body-too-long"]


def test_a_page_without_the_body_mark_is_not_measured():
    assert bc.body_problems(bc.body_layout("<html><body><img src='x.png'></body></html>")) == []


def test_the_printed_body_runs_from_its_first_heading_to_the_page_before_the_first_annex():
    pages = [
        "Ringkasan: lihat Lampiran A. Tentang laporan ini dan 1. Proyeksi kepesertaan",
        "lanjutan",
        "  1. Proyeksi\nkepesertaan",
        "x",
        "y",
        "Lampiran A. Tentang laporan ini",
        "z",
    ]
    assert bc.body_page_span(pages, "1. Proyeksi kepesertaan", "Lampiran A. Tentang laporan ini") == (3, 5)
    assert bc.body_page_span(pages, "1. Proyeksi kepesertaan", "Lampiran Z") is None
    assert bc.body_page_span(pages, "1. Proyeksi kepesertaan", "") == (3, 7)  # no annex: to the last page


def test_combine_keeps_the_notebook_valid():
    nb = rh.combine([notebook(md_cell("## 1. A"), md_cell("b", rh.ANNEX_TAG))], "")
    nbformat.validate(nb)


def test_with_a_front_page_the_title_page_moves_to_annex_a_and_without_one_it_opens_the_report(tmp_path):
    nb = notebook(md_cell("## 1. A"), md_cell("b", rh.ANNEX_TAG))
    info = {"scenario": "satu-miliar-150", "title": "Satu Miliar", "run_id": "run-77xq"}
    with_brief = rh.write_html([nb], tmp_path / "a.html", info, "id", front_page="<div>brief</div>").read_text()
    assert (
        with_brief.index("brief")
        < with_brief.index("1. A")
        < with_brief.index("Lampiran A.")
        < with_brief.index("run-77xq")
    )
    alone = rh.write_html([nb], tmp_path / "b.html", info, "id").read_text()
    assert alone.index("run-77xq") < alone.index("1. A") < alone.index("Lampiran A. Tabel model")
