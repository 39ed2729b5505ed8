"""The report page's HTML exporter: the same document as nbconvert's HTMLExporter, without parsing and
re-serialising the page."""

import base64

from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from touna_policy.report import charts, html

PNG = base64.b64encode(charts.to_png(charts.figure(width=2, height=1)[0])).decode()


def notebook():
    return new_notebook(
        cells=[
            new_markdown_cell("# Heading\n\nA paragraph with **bold** text & an ampersand."),
            new_code_cell(
                "x",
                outputs=[
                    new_output("display_data", {"image/png": PNG}),
                    new_output("display_data", {"text/html": '<p>a</p><img src="a.png"><img alt="kept" src="b.png"/>'}),
                    new_output("display_data", {"text/markdown": "Some *markdown*"}),
                ],
            ),
        ],
        metadata={"language_info": {"name": "python"}},
    )


def nbconvert_page(nb) -> str:
    exporter = HTMLExporter(**html.EXPORTER_OPTIONS)
    page, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": "t"}})
    return html._EXTERNAL_SCRIPT.sub("", page)


def test_page_parses_to_the_same_document_as_nbconverts_exporter_gives():
    nb = notebook()  # one notebook: its cell ids are in both pages
    ours = html.to_html(nb, "t", "en")
    assert str(BeautifulSoup(ours, "html.parser")) == str(BeautifulSoup(nbconvert_page(nb), "html.parser"))


def test_images_without_alternative_text_get_nbconverts_text_and_others_keep_theirs():
    soup = BeautifulSoup(html.to_html(notebook(), "t", "en"), "html.parser")
    alts = [img.get("alt") for img in soup.find_all("img")]
    assert alts == [html.MISSING_ALT_TEXT, html.MISSING_ALT_TEXT, "kept"]


def test_every_output_area_is_reachable_by_keyboard():
    soup = BeautifulSoup(html.to_html(notebook(), "t", "en"), "html.parser")
    outputs = soup.select("div.jp-OutputArea-output")
    assert len(outputs) == 3 and all(div.get("tabindex") == "0" for div in outputs)
