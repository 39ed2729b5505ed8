"""Reports: executed notebooks joined into one HTML page (nbconvert), printed to PDF (headless
Chromium), and an index of every run.

The HTML hides all code and embeds every figure (PNG outputs are already base64 in the notebooks). It
opens with the brief (the front page), then the main body (cells without the ``report-annex`` tag, at
most :data:`MAX_BODY_CHARTS` charts and :data:`MAX_BODY_PAGES` A4 pages), then the lettered annexes,
the first of them the title page: scenario, date, data version (checksum of the inputs), model version.
Text that comes from scenario files is escaped. Nothing is fetched from the network when the page is
opened, so it works offline and prints the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from touna_policy.io import atomic_write_bytes, atomic_write_text
from touna_policy.report import i18n
from touna_policy.report.chromium import CHROMIUM_FLAGS, CHROMIUM_HINT, find_chromium

CSS = """
<style>
  body { font-family: "DejaVu Sans", Arial, sans-serif; }
  .touna-title { padding: 0.5em 0 1em 0; border-bottom: 3px solid #0072B2; margin-bottom: 1.5em; }
  h2.touna-annex { break-before: page; page-break-before: always; border-bottom: 2px solid #0072B2;
                   padding-bottom: 0.2em; }
  .touna-title h1 { font-size: 2em; margin-bottom: 0.2em; }
  .touna-title .subtitle { font-size: 1.2em; color: #555; margin-bottom: 1.5em; }
  .touna-title table { border-collapse: collapse; margin: 1em 0; }
  .touna-title th { text-align: left; padding: 0.25em 1em 0.25em 0; color: #555; font-weight: normal;
                    vertical-align: top; }
  .touna-title td { padding: 0.25em 0; }
  .touna-title table th, .touna-title table td { text-align: left !important; }
  .touna-glossary table { border-collapse: collapse; width: 100%; table-layout: auto !important; }
  .touna-glossary th, .touna-glossary td { text-align: left !important; vertical-align: top;
                                           padding: 0.15em 1em 0.15em 0;
                                           border: none !important; background: none !important; }
  .touna-glossary th { white-space: nowrap; font-weight: bold !important; color: #222 !important; width: 1%; }
  .touna-glossary tr { background: none !important; }
  .touna-glossary td { font-size: 0.95em; }
  .touna-flag { background: #fff4e5; border-left: 4px solid #E69F00; padding: 0.5em 1em; margin: 0.5em 0; }
  table.touna-table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0 1em 0; }
  table.touna-table th { border-bottom: 1px solid #999; padding: 0.3em 0.6em; text-align: right; }
  table.touna-table td { border-bottom: 1px solid #e5e5e5; padding: 0.25em 0.6em; text-align: right;
                         white-space: nowrap; }
  table.touna-table th:first-child, table.touna-table td:first-child { text-align: left; }
  table.touna-table th { white-space: normal; vertical-align: bottom; }
  .jp-OutputArea-output img { max-width: 100%; height: auto; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  .jp-MarkdownCell:has(h1:last-child, h2:last-child, h3:last-child, h4:last-child) { break-after: avoid; }
  table.touna-table tr, .jp-OutputArea-output img { break-inside: avoid; }
  table.touna-table thead { display: table-header-group; }
</style>
"""

A4_WIDTH_MM = 210
A4_HEIGHT_MM = 297
PAGE_MARGIN_MM = 20
PRINTABLE_WIDTH_MM = A4_WIDTH_MM - 2 * PAGE_MARGIN_MM
PRINTABLE_WIDTH_PX = round(PRINTABLE_WIDTH_MM / 25.4 * 96)
"""The A4 printable width (170 mm) in CSS pixels at 96 dpi: 643. No element of a report may be wider."""

LONG_TABLE_ROWS = 16
"""A table with this many rows may split across printed pages (its header repeats); a shorter one stays whole."""

PRINT_CLASS = "touna-print"
"""Class of the ``<style media="print">`` block; the browser check applies it on screen to measure widths."""


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def print_css(lang: str) -> str:
    """The print stylesheet: A4 pages with 20 mm margins, the draft header on every page and
    "Halaman 3 dari 27" at the foot (CSS page counters, printed by Chromium without its own header and
    footer), the notebook's screen padding removed and nothing scrolling (tables wrap instead)."""
    header = _css_string(i18n.text("report.print_header", lang))
    before, _, rest = i18n.text("report.print_page", lang).partition("{page}")
    middle, _, after = rest.partition("{pages}")
    footer = f"{_css_string(before)} counter(page) {_css_string(middle)} counter(pages) {_css_string(after)}"
    m = PAGE_MARGIN_MM
    return f"""
<style media="print" class="{PRINT_CLASS}">
  @page {{ size: A4; margin: {m}mm {m}mm {m}mm {m}mm;
    @top-right {{ content: {header}; font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8pt; color: #777; }}
    @bottom-center {{ content: {footer}; font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8pt; color: #555; }}
  }}
  html, body {{ margin: 0 !important; padding: 0 !important; width: auto !important; }}
  body {{ font-size: 10pt; }}
  .jp-Notebook, main {{ padding: 0 !important; margin: 0 !important; }}
  .jp-Cell, .jp-Cell-outputWrapper, .jp-OutputArea, .jp-OutputArea-child, .jp-OutputArea-output {{
    padding-left: 0 !important; padding-right: 0 !important; margin-left: 0 !important; overflow: visible !important;
  }}
  .jp-OutputPrompt, .jp-InputPrompt, .jp-Collapser {{ display: none !important; }}
  table.touna-table, .jp-RenderedHTMLCommon table {{ font-size: 8pt; max-width: 100%; }}
  table.touna-table td, table.touna-table th {{ padding: 0.15em 0.4em; white-space: normal; }}
  .jp-RenderedHTMLCommon pre, pre {{ white-space: pre-wrap; overflow-wrap: anywhere; }}
  .jp-RenderedHTMLCommon p, .jp-RenderedHTMLCommon li {{ overflow-wrap: anywhere; }}
  .jp-Cell:has(img) {{ break-inside: avoid; }}
  /* JupyterLab keeps every output whole (break-inside: avoid-page): a long table may split between its rows */
  .jp-OutputArea-child:has(table.touna-table tbody tr:nth-child({LONG_TABLE_ROWS})) {{ break-inside: auto; }}
</style>
"""


_EXTERNAL_SCRIPT = re.compile(r"<script[^>]+src=\"https?://[^\"]*\"[^>]*>\s*</script>", re.I)
_HTML_LANG = re.compile(r'<html lang="[^"]*"')
_NBVAL_MARK = "# NBVAL_CHECK_OUTPUT"


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def report_cells(nb) -> list:
    """The cells of an executed notebook that belong in a planner's report.

    Dropped: the parameters and injected-parameters cells, the notebook reader's guide (Markdown tagged
    ``notebook-guide``), cells whose output is a plain-text key
    figure kept for nbval, outputs on stderr (warnings) and cells left without output.
    """
    keep = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & {"parameters", "injected-parameters", "notebook-guide"}:
            continue
        if cell.cell_type == "code":
            if _source(cell).lstrip().startswith(_NBVAL_MARK):
                continue
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
            if not cell.outputs:
                continue
        keep.append(cell)
    return keep


def title_page(info: dict, lang: str) -> str:
    """HTML of the report's first page. ``info``: scenario, title, description, area, created, run_id,
    data_version, model_version, seed, flags (list of Markdown texts)."""
    e = lambda v: html.escape(str(v), quote=True)  # noqa: E731
    rows = [
        ("scenario", f"<code>{e(info['scenario'])}</code> &mdash; {e(info.get('title', ''))}"),
        ("description", e(info.get("description", ""))),
        ("area", e(info.get("area", ""))),
        ("generated", e(local_time(info["created"], lang) if info.get("created") else "")),
        ("run_id", f"<code>{e(info.get('run_id', ''))}</code>"),
        ("data_version", f"<code>{e(info.get('data_version', ''))}</code>"),
        ("model_version", e(info.get("model_version", ""))),
        ("seed", e(info.get("seed", ""))),
    ]
    table = "\n".join(f"<tr><th>{e(i18n.text('report.' + k, lang))}</th><td>{v}</td></tr>" for k, v in rows if v)
    flags = "\n".join(f'<div class="touna-flag">{_md_inline(f)}</div>' for f in info.get("flags", []))
    heading = i18n.text("report.title", lang, scenario=info.get("title") or info["scenario"])
    return (
        f'<div class="touna-title">\n<h1>{e(heading)}</h1>\n'
        f'<div class="subtitle">{e(i18n.text("report.subtitle", lang))}</div>\n<table>\n{table}\n</table>\n'
        f"{flags}\n<p>{e(i18n.text('report.how_to_read', lang))}</p>\n{glossary_html(lang)}\n</div>"
    )


LOCAL_TIMEZONE = dt.timezone(dt.timedelta(hours=8), "WITA")
"""Tojo Una-Una's time zone: Waktu Indonesia Tengah, UTC+8 (no daylight saving)."""


def local_time(created_utc: str, lang: str) -> str:
    """A run's UTC time stamp (``2026-12-01T18:29:16Z``) as the title page shows it, in WITA:
    ``2 Desember 2026, 02.29 WITA`` / ``2 December 2026, 02:29 WITA``."""
    from babel.dates import format_date

    when = dt.datetime.fromisoformat(created_utc.replace("Z", "+00:00")).astimezone(LOCAL_TIMEZONE)
    day = format_date(when.date(), format="d MMMM y", locale=i18n.babel_locale(lang))
    clock = f"{when.hour:02d}.{when.minute:02d}" if lang == "id" else f"{when.hour:02d}:{when.minute:02d}"
    return f"{day}, {clock} {LOCAL_TIMEZONE.tzname(None)}"


GLOSSARY_TERMS = ("contribution", "other_channels", "ucj", "vulnerable_workers")


def glossary_html(lang: str) -> str:
    """The glossary of ``lang`` (``locales/<lang>/glossary.yaml``) as a two-column table: the one place
    the report defines UCJ, iuran and the other channels."""
    e = lambda v: html.escape(str(v), quote=True)  # noqa: E731
    items = "".join(
        f"<tr><th>{e(i18n.text(f'glossary.{k}.term', lang))}</th>"
        f"<td>{e(i18n.text(f'glossary.{k}.definition', lang))}</td></tr>"
        for k in GLOSSARY_TERMS
    )
    return f'<div class="touna-glossary"><h3>{e(i18n.text("glossary.heading", lang))}</h3><table>{items}</table></div>'


def _md_inline(text: str) -> str:
    """Escape, then render the catalogue's only inline markup (``**bold**``)."""
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html.escape(text))


ANNEX_TAG = "report-annex"
"""Tag of a notebook cell printed in an annex after the main body (``report_cells`` keeps it)."""

ANNEXES = ("about", "data", "tables", "uncertainty", "sensitivity", "estimation", "villages")
"""The annexes in printed order; a cell names its annex with a second tag ``annex-<key>`` (default
``tables``). Each annex present gets a letter in this order: "Lampiran A. Tentang laporan ini"."""

DEFAULT_ANNEX = "tables"

BODY_MARK = "touna-body"
"""``id`` of the empty element between the brief and the main body (where the body's count starts)."""
ANNEX_CLASS = "touna-annex"
"""Class of every annex heading: the PDF check counts the body as the pages before the first one."""

MAX_BODY_PAGES = 10
"""Most A4 pages the main body may take (issue 13): the pages between the brief and the first annex."""
MAX_BODY_CHARTS = 8
"""Most charts the main body may show; the rest go to the annexes."""

_SECTION_NUMBER = re.compile(r"^(#{1,3} )\d+\. ", re.M)


def annex_of(cell) -> str | None:
    """The annex a cell is printed in (``None``: the main body)."""
    tags = set(cell.get("metadata", {}).get("tags", []))
    if ANNEX_TAG not in tags:
        return None
    named = [t.removeprefix("annex-") for t in tags if t.startswith("annex-")]
    if named and named[0] not in ANNEXES:
        raise ValueError(f"cell tag annex-{named[0]}: expected one of {', '.join('annex-' + a for a in ANNEXES)}")
    return named[0] if named else DEFAULT_ANNEX


def split_body_annex(cells: Sequence) -> tuple[list, dict[str, list]]:
    """``cells`` as the main body (in order) and the annex cells grouped by annex (in order)."""
    body: list = []
    annexes: dict[str, list] = {k: [] for k in ANNEXES}
    for cell in cells:
        key = annex_of(cell)
        (body if key is None else annexes[key]).append(cell)
    return body, annexes


def _renumber(cell, number: int | None) -> None:
    """Section headings (``## 2. Proyeksi``) numbered in printed order; annex cells lose the number."""
    for out in cell.get("outputs", []):
        md = out.get("data", {}).get("text/markdown")
        if isinstance(md, str) and _SECTION_NUMBER.search(md):
            out["data"]["text/markdown"] = _SECTION_NUMBER.sub(
                (lambda m: f"{m.group(1)}{number}. ") if number else (lambda m: m.group(1)), md, count=1
            )


def _has_section_heading(cell) -> bool:
    return any(
        isinstance(o.get("data", {}).get("text/markdown"), str) and _SECTION_NUMBER.search(o["data"]["text/markdown"])
        for o in cell.get("outputs", [])
    )


def annex_heading_html(key: str, letter: str, lang: str) -> str:
    """The heading that opens an annex on a new page: "Lampiran A. Tentang laporan ini"."""
    title = i18n.text("annex.heading", lang, letter=letter, title=i18n.text(f"annex.titles.{key}", lang))
    return f'<h2 class="{ANNEX_CLASS}" id="annex-{html.escape(key)}">{html.escape(title)}</h2>'


def _html_cell(markup: str):
    from nbformat.v4 import new_code_cell, new_output

    return new_code_cell("", outputs=[new_output("display_data", data={"text/html": markup})])


def combine(notebooks: Sequence, head_html: str, lang: str = i18n.DEFAULT_LANGUAGE, about_html: str = ""):
    """One notebook: a head cell (HTML output), the main body, then the annexes.

    The body is every report cell (:func:`report_cells`) not tagged ``report-annex``, notebook by
    notebook, its section headings numbered 1, 2, ... in printed order. Then each annex in the order
    of :data:`ANNEXES` opens on a new page with its heading ("Lampiran A. ..."): first ``about_html``
    (the run's metadata and the glossary) when given, then the tagged cells of that annex in order.

    HTML goes in a code cell's ``text/html`` output, not a raw cell: nbconvert's lab template runs
    raw cells through ``clean_html``, which escapes ``<style>``, ``<h1>``, ``<p>``, ``<th>``, ``<img>``.
    """
    import nbformat
    from nbformat.v4 import new_notebook

    body, annexes = split_body_annex([c for nb in notebooks for c in report_cells(nb)])
    number = 0
    for cell in body:
        if _has_section_heading(cell):
            number += 1
            _renumber(cell, number)
    cells = [_html_cell(CSS + head_html + f'<div id="{BODY_MARK}"></div>'), *body]
    letters = iter("ABCDEFGHIJ")
    for key in ANNEXES:
        extra = about_html if key == "about" else ""
        if not (annexes[key] or extra):
            continue
        cells.append(_html_cell(annex_heading_html(key, next(letters), lang) + extra))
        for cell in annexes[key]:
            _renumber(cell, None)
            cells.append(cell)
    combined = new_notebook(cells=cells, metadata=dict(notebooks[0].metadata) if notebooks else {})
    combined.metadata.pop("papermill", None)
    nbformat.validator.normalize(combined)  # cell ids etc.
    return combined


EXPORTER_OPTIONS = {
    "template_name": "lab",
    "exclude_input": True,
    "exclude_input_prompt": True,
    "exclude_output_prompt": True,
    "embed_images": True,
    "anchor_link_text": "",
}
"""nbconvert's HTML exporter options of a report page: code hidden, figures embedded, no anchor links."""


def to_html(nb, title: str, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """HTML with code hidden and figures embedded; no external scripts."""
    from nbconvert import HTMLExporter  # lazy: nbconvert is heavy

    exporter = HTMLExporter(**EXPORTER_OPTIONS)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = _HTML_LANG.sub(f'<html lang="{lang}"', body, count=1)  # the lab template always writes "en"
    return _EXTERNAL_SCRIPT.sub("", body)


TITLE_PAGE_BREAK = '<div class="touna-page-break" style="break-after: page; page-break-after: always"></div>'


def write_html(notebooks: Sequence, path: str | Path, info: dict, lang: str, front_page: str = "") -> Path:
    """Join executed notebooks into ``path`` (atomic).

    With a ``front_page`` (e.g. :func:`touna_policy.report.frontpage.front_page_html`, the brief the
    Bupati reads): the front page, the main body, then the annexes, the first of them the title page
    from ``info`` (scenario, run, data version, seed, the one ESTIMATED / SYNTHETIC box, the glossary).
    Without one (the comparison report), the title page opens the report on a page of its own.
    """
    title = title_page(info, lang)
    if front_page:
        nb = combine(notebooks, print_css(lang) + front_page, lang, about_html=title)
    else:
        nb = combine(notebooks, print_css(lang) + title + TITLE_PAGE_BREAK, lang)
    page_title = i18n.text("report.title", lang, scenario=info.get("title") or info["scenario"])
    return atomic_write_text(path, to_html(nb, page_title, lang))


def write_pdf(html_path: str | Path, pdf_path: str | Path, chromium: str | None = None, timeout: float = 180) -> Path:
    """Print ``html_path`` to ``pdf_path`` with headless Chromium (no network, throwaway profile).

    Raises
    ------
    FileNotFoundError
        when no Chromium is found (message says how to install one)
    RuntimeError
        when Chromium fails or writes no PDF
    """
    chromium = chromium or find_chromium()
    if not chromium:
        raise FileNotFoundError(CHROMIUM_HINT)
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path).resolve()
    with tempfile.TemporaryDirectory(prefix="touna-chromium-") as profile:
        tmp_pdf = Path(profile) / "out.pdf"
        cmd = [
            chromium,
            *CHROMIUM_FLAGS,
            "--disable-dev-shm-usage",
            "--no-pdf-header-footer",
            f"--user-data-dir={profile}/profile",
            f"--print-to-pdf={tmp_pdf}",
            html_path.as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"Chromium did not finish printing {html_path.name} within {timeout:.0f} s") from None
        if proc.returncode != 0 or not tmp_pdf.is_file() or tmp_pdf.stat().st_size == 0:
            tail = (proc.stderr or "").strip().splitlines()[-3:]
            raise RuntimeError(
                f"Chromium could not print {html_path.name} (exit {proc.returncode}): {' / '.join(tail)}"
            )
        atomic_write_bytes(pdf_path, tmp_pdf.read_bytes())
    return pdf_path
