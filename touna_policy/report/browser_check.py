"""Check a report the way a person sees it: open ``report.html`` in headless Chromium.

``check_report(path)`` (and ``make report-check`` / ``touna-policy check-report``) fails when the page
shows

- an error output: a cell's traceback or stderr text (nbconvert renders both with
  ``data-mime-type="application/vnd.jupyter.stderr"``; the classic template uses ``output_error`` /
  ``output_stderr``), or a Python traceback in the page text;
- a missing image: an ``<img>`` without ``src``, an empty or undecodable data URI, a file that does not
  exist next to the report, or a remote address (a report must be self-contained);
- an empty chart: an embedded image that is tiny, blank (one colour, or almost: fewer than 0.5 % of
  its pixels differ from the background) or holds no coloured pixel at all (axes drawn, no data: the
  house style draws data in colour, axes and text in grey);
- HTML shown as text: escaped markup (``<h1>``, ``<style>``...) in the visible text, as when nbconvert
  sanitises a raw cell;
- a blank first screen: the screenshot Chromium takes (1280 x 900) is blank;
- raw text a planner cannot read (:func:`text_problems`): floats with more digits than matter, NaN,
  snake_case names, file paths, YAML keys, and the language rules of :mod:`touna_policy.report.text_rules`;
- a main body too long: more than :data:`~touna_policy.report.html.MAX_BODY_CHARTS` charts between
  the brief and the first annex heading, or, when ``report.pdf`` lies beside the page and ``pdftotext``
  (poppler-utils) is installed, more than :data:`~touna_policy.report.html.MAX_BODY_PAGES` printed pages;
- a too-wide element: laid out with the report's print stylesheet at the A4 printable width
  (:data:`touna_policy.report.html.PRINTABLE_WIDTH_PX`, 170 mm = 643 px), an element reaches past the
  right margin or scrolls sideways (a table that would be cut or get a scrollbar on paper).

The HTML is parsed for the static checks; the PNG of the first screen is kept (``--png``) so a person
can look at it, and it is itself checked for being blank. Chromium is Debian's ``chromium`` (``apt-get
install chromium``); ``TOUNA_CHROMIUM`` names another binary.
"""

from __future__ import annotations

import base64
import binascii
import io
import os
import re
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import numpy as np

from touna_policy.errors import InputError, RunError
from touna_policy.report.chromium import CHROMIUM_FLAGS as BASE_FLAGS
from touna_policy.report.chromium import find_chromium
from touna_policy.report.html import (
    ANNEX_CLASS,
    BODY_MARK,
    MAX_BODY_CHARTS,
    MAX_BODY_PAGES,
    PRINT_CLASS,
    PRINTABLE_WIDTH_PX,
)
from touna_policy.report.text_rules import page_problems

WINDOW = (1280, 900)
CHROMIUM_FLAGS = (
    *BASE_FLAGS,
    "--hide-scrollbars",
    "--virtual-time-budget=5000",
)
STDERR_MIME = "application/vnd.jupyter.stderr"
MIN_CHART_PIXELS = 50  # an embedded chart narrower or lower than this is "tiny"
MIN_INK_SHARE = 0.005  # share of pixels that must differ from the background
MIN_COLOUR_SHARE = 0.0005  # share of coloured pixels a chart with data has at least
SCREENSHOT_NAME = "report-first-screen.png"
_PY_REPR = re.compile(r"\b(?:PosixPath|WindowsPath)\('[^']*'\)|<[\w.]+ object at 0x[0-9a-f]+>")
_TMP_PATH = re.compile(r"[\w/.-]*/\.partial-[\w.-]+[\w/.-]*")
# an HTML tag visible as text (escaped markup); pandas' "<NA>" is not one
_SHOWN_TAG = re.compile(
    r"</?(?:html|head|body|style|script|div|span|section|p|h[1-6]|img|table|thead|tbody|tr|td|th"
    r"|ul|ol|li|a|strong|em|br|code)(?:\s[^<>]*)?/?>",
    re.I,
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a page: ``kind`` is error-output, missing-image, empty-chart, raw-html, blank-screen,
    raw-text, too-wide or body-too-long."""

    kind: str
    where: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.where}: {self.detail}"


@dataclass
class CheckResult:
    """The outcome for one report: its problems and the screenshot of its first screen."""

    html_path: Path
    screenshot: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    images: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        head = f"{'ok' if self.ok else 'FAILED'}: {self.html_path} ({self.images} images"
        head += f", first screen {self.screenshot})" if self.screenshot else ")"
        return "\n".join([head, *(f"  - {p}" for p in self.problems), *(f"  note: {n}" for n in self.notes)])


# --- images ------------------------------------------------------------------------------------


def ink_share(pixels: np.ndarray) -> float:
    """Share of pixels that differ from the most common colour (the background), 0-1."""
    arr = np.asarray(pixels)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    if arr.dtype != np.uint8:
        arr = np.clip(np.asarray(arr, dtype=float) * (255 if arr.max() <= 1.0 else 1), 0, 255).astype(np.uint8)
    flat = arr.reshape(-1, arr.shape[-1])
    if arr.shape[-1] == 4:  # transparent pixels count as background
        flat = np.where(flat[:, 3:4] == 0, 0, flat)
    colours, counts = np.unique(flat, axis=0, return_counts=True)
    background = colours[np.argmax(counts)]
    differs = np.abs(flat.astype(int) - background.astype(int)).max(axis=1) > 8
    return float(differs.mean())


def decode_image(data: bytes) -> np.ndarray:
    """Pixels of a PNG/JPEG/GIF (Pillow, which matplotlib installs)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGBA"))


def image_problems(data: bytes, where: str, kind: str = "empty-chart") -> list[Problem]:
    """Problems of one image's bytes: undecodable, tiny or blank."""
    try:
        pixels = decode_image(data)
    except Exception as exc:  # noqa: BLE001 - any decoding failure means the browser shows a broken image
        return [Problem("missing-image", where, f"the image data cannot be decoded ({type(exc).__name__})")]
    height, width = pixels.shape[:2]
    if kind == "empty-chart" and (width < MIN_CHART_PIXELS or height < MIN_CHART_PIXELS):
        return [Problem(kind, where, f"a {width} x {height} pixel image, too small to be a chart")]
    share = ink_share(pixels)
    if share < MIN_INK_SHARE:
        return [Problem(kind, where, f"blank: {share:.2%} of its {width} x {height} pixels differ from the background")]
    if kind == "empty-chart" and colour_share(pixels) < MIN_COLOUR_SHARE:
        return [Problem(kind, where, "no coloured marks: axes, ticks and text only, no data drawn")]
    return []


def colour_share(pixels: np.ndarray) -> float:
    """Share of clearly coloured (not white, grey or black) opaque pixels, 0-1.

    The house style draws axes, grid and text in greys and data in the colours of
    :data:`touna_policy.report.charts.PALETTE`, so a chart without any coloured pixel has no data drawn.
    """
    arr = np.asarray(pixels)
    rgb = arr[..., :3].astype(int)
    opaque = arr[..., 3] > 0 if arr.shape[-1] == 4 else np.ones(arr.shape[:2], dtype=bool)
    saturated = (rgb.max(axis=-1) - rgb.min(axis=-1)) > 60
    return float((saturated & opaque).mean())


def _data_uri_bytes(src: str) -> tuple[bytes | None, str]:
    """Decode a ``data:`` URI; returns (bytes or None, media type)."""
    head, _, payload = src.partition(",")
    media = head[5:].split(";")[0] or "text/plain"
    if ";base64" in head:
        try:
            return base64.b64decode(payload.strip(), validate=False), media
        except (binascii.Error, ValueError):
            return None, media
    return unquote(payload).encode(), media


# --- the static checks -------------------------------------------------------------------------


def _describe(tag) -> str:
    alt = tag.get("alt")
    index = tag.get("data-tp-index")
    return f"image {index}" + (f" ('{alt[:60]}')" if alt else "")


def page_notes(html_text: str) -> list[str]:
    """Things a reader should not see but that do not fail the check: Python reprs and temporary
    paths printed by a cell (a notebook cell whose last line returns a value)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html_text, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    text = soup.get_text(" ")
    notes = []
    for pattern, what in ((_PY_REPR, "a Python value printed by a cell"), (_TMP_PATH, "a temporary build path")):
        found = sorted({m.group(0) for m in pattern.finditer(text)})
        if found:
            notes.append(f"{what} is shown ({len(found)}x), e.g. {found[0][:80]}")
    return notes + page_problems(visible_strings(html_text, False))[1]


def static_problems(html_text: str, base_dir: Path) -> tuple[list[Problem], int]:
    """Problems found by reading the HTML: error outputs, missing images, empty charts.

    Returns the problems and the number of ``<img>`` elements.
    """
    from bs4 import BeautifulSoup, Comment, Doctype

    soup = BeautifulSoup(html_text, "html.parser")
    problems: list[Problem] = []
    for n, tag in enumerate(soup.find_all(None, {"data-mime-type": STDERR_MIME}), start=1):
        text = " ".join(tag.get_text(" ", strip=True).split())
        problems.append(Problem("error-output", f"output {n} (stderr / error)", text[:200] or "(empty)"))
    for tag in soup.find_all(class_=["output_error", "output_stderr"]):
        text = " ".join(tag.get_text(" ", strip=True).split())
        problems.append(Problem("error-output", f"output ({' '.join(tag.get_attribute_list('class'))})", text[:200]))
    body_text = soup.get_text(" ")
    if "Traceback (most recent call last)" in body_text and not problems:
        problems.append(Problem("error-output", "page text", "a Python traceback is shown"))
    visible = " ".join(
        str(s)
        for s in soup.find_all(string=True)
        if s.parent is not None
        and s.parent.name not in ("script", "style", "title", "[document]")
        and not isinstance(s, (Comment, Doctype))
    )
    shown_tags = sorted({m.group(0)[:40] for m in _SHOWN_TAG.finditer(visible)})
    if shown_tags:
        problems.append(
            Problem(
                "raw-html", "page text", f"HTML source shown as text instead of rendered: {', '.join(shown_tags[:5])}"
            )
        )

    images = soup.find_all("img")
    for n, tag in enumerate(images, start=1):
        tag["data-tp-index"] = str(n)
        where = _describe(tag)
        src = str(tag.get("src") or "").strip()
        if not src:
            problems.append(Problem("missing-image", where, "no src"))
            continue
        if src.startswith("data:"):
            data, media = _data_uri_bytes(src)
            if not data:
                problems.append(Problem("missing-image", where, f"empty or undecodable data URI ({media})"))
            elif media == "image/svg+xml":
                if not any(s in data for s in (b"<path", b"<rect", b"<line", b"<circle", b"<poly", b"<text")):
                    problems.append(Problem("empty-chart", where, "an SVG that draws nothing"))
            else:
                problems.extend(image_problems(data, where))
            continue
        url = urlparse(src)
        if url.scheme in ("http", "https", "ftp") or src.startswith("//"):
            problems.append(
                Problem("missing-image", where, f"a remote address ({src[:80]}); the report must embed its images")
            )
            continue
        path = Path(unquote(url.path)) if url.scheme == "file" else base_dir / unquote(url.path)
        if not path.is_file():
            problems.append(Problem("missing-image", where, f"'{src[:80]}' does not exist next to the report"))
        elif path.suffix.lower() == ".svg":
            continue
        else:
            problems.extend(image_problems(path.read_bytes(), where))
    for n, svg in enumerate(soup.find_all("svg"), start=1):
        if not svg.find(["path", "rect", "line", "circle", "polyline", "polygon", "text", "use", "image"]):
            problems.append(Problem("empty-chart", f"inline svg {n}", "an SVG that draws nothing"))
    return problems, len(images)


# --- the main body and the annexes ---------------------------------------------------------------


@dataclass(frozen=True)
class BodyLayout:
    """Where a joined report's main body lies: its images, its first heading and the first annex heading."""

    has_body: bool
    body_images: int
    first_heading: str
    annex_heading: str


def body_layout(html_text: str) -> BodyLayout:
    """Read the body (from the ``touna-body`` mark to the first ``h2.touna-annex``) out of a report page.

    A page without the mark (a comparison report, an older run) has no body to measure."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html_text, "html.parser")
    mark = soup.find(id=BODY_MARK)
    if mark is None:
        return BodyLayout(False, 0, "", "")
    annex = soup.find("h2", class_=ANNEX_CLASS)
    images, heading = 0, ""
    for tag in mark.find_all_next(["img", "h1", "h2", "h3"]):
        if tag is annex:
            break
        if tag.name == "img":
            images += 1
        elif not heading:
            heading = " ".join(tag.get_text(" ", strip=True).split())
    return BodyLayout(True, images, heading, " ".join(annex.get_text(" ", strip=True).split()) if annex else "")


def body_problems(layout: BodyLayout, max_charts: int = MAX_BODY_CHARTS) -> list[Problem]:
    """Too many charts in the main body (the annexes may hold any number)."""
    if not layout.has_body or layout.body_images <= max_charts:
        return []
    return [
        Problem(
            "body-too-long",
            "main body",
            f"{layout.body_images} charts before the first annex; at most {max_charts} (tag the rest report-annex)",
        )
    ]


def _squash(text: str) -> str:
    return " ".join(text.split())


def body_page_span(page_texts: Sequence[str], first_heading: str, annex_heading: str) -> tuple[int, int] | None:
    """First and last page (1-based) of the main body in a printed report: from the page where a line
    starts with the body's first heading to the page before the one where a line starts with the first
    annex heading (the last page when the report has no annex); ``None`` when a heading is not found.
    Headings are compared on their first 30 characters with whitespace squashed (a heading may wrap)."""
    first, annex = _squash(first_heading)[:30], _squash(annex_heading)[:30]
    start = next((n for n, t in enumerate(page_texts, 1) if first and _heads_a_line(t, first)), None)
    if start is None:
        return None
    if not annex:
        return start, len(page_texts)
    end = next((n for n, t in enumerate(page_texts, 1) if n > start and _heads_a_line(t, annex)), None)
    return None if end is None else (start, end - 1)


def _heads_a_line(page_text: str, heading: str) -> bool:
    """Whether ``heading`` starts a line of the page (not just any mention, e.g. in the title page)."""
    return heading in _squash(page_text) and any(
        _squash(line).startswith(heading[:10]) for line in page_text.splitlines()
    )


def pdf_page_texts(pdf_path: str | Path, timeout_s: float = 60.0) -> list[str] | None:
    """The text of every page of a PDF (``pdftotext``, poppler-utils); ``None`` when it is not installed."""
    import shutil

    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    proc = subprocess.run([tool, "-layout", str(pdf_path), "-"], capture_output=True, text=True, timeout=timeout_s)
    if proc.returncode != 0:
        raise RunError(f"pdftotext could not read {pdf_path}: {proc.stderr.strip()[:200]}")
    pages = proc.stdout.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_body_problems(
    pdf_path: str | Path, layout: BodyLayout, max_pages: int = MAX_BODY_PAGES
) -> tuple[list[Problem], str]:
    """The printed body's length: a problem when it takes more than ``max_pages`` pages; and a note
    (``"body: pages 3-9 of 31"``, or why it was not measured)."""
    if not layout.has_body:
        return [], ""
    texts = pdf_page_texts(pdf_path)
    if texts is None:
        return [], "body pages not measured: no pdftotext (apt-get install poppler-utils)"
    span = body_page_span(texts, layout.first_heading, layout.annex_heading)
    if span is None:
        return [
            Problem("body-too-long", Path(pdf_path).name, "the body's first heading or the first annex not found")
        ], ""
    pages = span[1] - span[0] + 1
    note = f"body: pages {span[0]}-{span[1]} of {len(texts)} ({pages} pages, at most {max_pages})"
    if pages > max_pages:
        return [
            Problem("body-too-long", Path(pdf_path).name, f"the main body takes {pages} A4 pages; at most {max_pages}")
        ], note
    return [], note


# --- text a planner cannot read ------------------------------------------------------------------

RAW_TEXT_PATTERNS = (
    ("a float with more digits than matter", re.compile(r"(?<![\w.,])\d+[.,]\d{5,}(?![\d])")),
    ("NaN or None", re.compile(r"\b(?:NaN|nan|None)\b|<NA>")),
    ("a snake_case identifier", re.compile(r"\b[a-zA-Z][a-zA-Z0-9]*(?:_[a-zA-Z0-9]+)+\b(?!\.(?:csv|xlsx))")),
    (
        "a file path or file name",
        re.compile(
            r"\b[\w.-]+(?:/[\w.-]+)+\.[a-z]{2,7}\b|\b\w+(?:/[\w.-]+){2,}|\b[\w.-]+\.(?:ya?ml|ipynb|json|py|geojson|txt)\b"
        ),
    ),
    ("a YAML key", re.compile(r"\b[a-z_]+(?:\.[a-z_]+)+:\s")),
)
"""What must not appear in a report's visible text: raw numbers, missing values, code names, paths."""


def visible_strings(html_text: str, code: bool = True) -> list[str]:
    """The text nodes a reader sees on the page (no scripts, styles or the title element; without
    ``<code>`` text when ``code`` is false: identifiers a title page shows as such)."""
    from bs4 import BeautifulSoup, Comment, Doctype

    soup = BeautifulSoup(html_text, "html.parser")
    hidden = ("script", "style", "title", "[document]") + (() if code else ("code",))
    return [
        str(s)
        for s in soup.find_all(string=True)
        if s.parent is not None and s.parent.name not in hidden and not isinstance(s, (Comment, Doctype))
    ]


def visible_text(html_text: str) -> str:
    """The text a reader sees on the page (no scripts, styles or the title element)."""
    return " ".join(visible_strings(html_text))


def text_problems(html_text: str, allowed: Sequence[str] = ()) -> list[Problem]:
    """``raw-text`` problems: each pattern of :data:`RAW_TEXT_PATTERNS` found in the visible text
    (up to five examples each); strings in ``allowed`` pass. A run folder's own table, named without a
    path (``allocation.csv``, ``villages.xlsx``), may be named to a reader."""
    text = visible_text(html_text)
    problems = []
    for what, pattern in RAW_TEXT_PATTERNS:
        found = sorted({m.group(0) for m in pattern.finditer(text)} - set(allowed))
        if found:
            problems.append(Problem("raw-text", "page text", f"{what} ({len(found)}x): {', '.join(found[:5])}"))
    problems.extend(Problem("raw-text", "page text", p) for p in page_problems(visible_strings(html_text, False))[0])
    return problems


# --- widths at A4 ------------------------------------------------------------------------------

WIDTH_RESULT_ID = "touna-width-result"
WIDTH_TOLERANCE_PX = 1
# Run by Chromium after the page has loaded: apply the print stylesheet, lay the page out at the A4
# printable width, and list the outermost elements that reach past it or scroll sideways.
_WIDTH_SCRIPT = """
<script>
window.addEventListener("load", function () {
  var limit = %(width)d, tolerance = %(tolerance)d, found = [];
  document.querySelectorAll("style.%(print_class)s").forEach(function (s) { s.media = "all"; });
  document.documentElement.style.width = limit + "px";
  document.body.style.margin = "0"; document.body.style.padding = "0"; document.body.style.width = limit + "px";
  var flagged = new Set();
  document.body.querySelectorAll("*").forEach(function (el) {
    if (el.closest("script, style, head")) return;
    for (var p = el.parentElement; p; p = p.parentElement) { if (flagged.has(p)) return; }
    var box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) return;
    var overflow = getComputedStyle(el).overflowX;
    var scrolls = (overflow === "auto" || overflow === "scroll" || overflow === "hidden")
      && el.scrollWidth > el.clientWidth + tolerance;
    if (box.right > limit + tolerance || scrolls) {
      flagged.add(el);
      var label = el.tagName.toLowerCase() + (el.className && typeof el.className === "string"
        ? "." + el.className.trim().split(/\\s+/).join(".") : "");
      found.push({element: label, width: Math.round(Math.max(box.right, el.scrollWidth)),
                  text: (el.innerText || "").replace(/\\s+/g, " ").slice(0, 80)});
    }
  });
  var out = document.createElement("pre");
  out.id = "%(result_id)s";
  out.textContent = JSON.stringify(found);
  document.body.appendChild(out);
});
</script>
"""


def width_problems(html_path: str | Path, chromium: str | None = None, timeout_s: float = 90.0) -> list[Problem]:
    """Elements of a report wider than an A4 printable width, measured by headless Chromium.

    The page is laid out with its print stylesheet at :data:`PRINTABLE_WIDTH_PX`; every outermost
    element whose right edge passes it, or that scrolls sideways, is a ``too-wide`` problem.
    """
    import json

    html_path = Path(html_path).resolve()
    text = html_path.read_text(encoding="utf-8", errors="replace")
    script = _WIDTH_SCRIPT % {
        "width": PRINTABLE_WIDTH_PX,
        "tolerance": WIDTH_TOLERANCE_PX,
        "print_class": PRINT_CLASS,
        "result_id": WIDTH_RESULT_ID,
    }
    at = text.lower().rfind("</body>")
    probe = text[:at] + script + text[at:] if at >= 0 else text + script
    with tempfile.NamedTemporaryFile(
        "w", suffix=".html", prefix=".touna-width-", dir=html_path.parent, encoding="utf-8", delete=False
    ) as tmp:
        tmp.write(probe)
    try:
        dom = run_chromium(
            Path(tmp.name), ["--dump-dom", f"--window-size={PRINTABLE_WIDTH_PX},900"], chromium, timeout_s
        )
    finally:
        Path(tmp.name).unlink(missing_ok=True)
    from bs4 import BeautifulSoup

    result = BeautifulSoup(dom, "html.parser").find(id=WIDTH_RESULT_ID)
    if result is None:
        return [Problem("too-wide", "page", "the width measurement did not run (no result in the page)")]
    return [
        Problem(
            "too-wide",
            item["element"][:60],
            f"{item['width']} px wide, more than the A4 printable width of {PRINTABLE_WIDTH_PX} px"
            + (f": '{item['text']}'" if item["text"] else ""),
        )
        for item in json.loads(result.get_text())
    ]


# --- Chromium ----------------------------------------------------------------------------------


def run_chromium(html_path: Path, args: Sequence[str], chromium: str | None = None, timeout_s: float = 90.0) -> str:
    """Run headless Chromium on ``html_path`` with ``args`` (a fresh profile); return its standard output.

    Raises
    ------
    RunError
        if no Chromium is found, it fails or does not finish within ``timeout_s``.
    """
    chromium = chromium or find_chromium()
    if chromium is None:
        raise RunError(
            "no headless Chromium found: install Debian's chromium (apt-get install -y chromium) "
            "or set TOUNA_CHROMIUM to a Chromium/Chrome binary"
        )
    with tempfile.TemporaryDirectory(prefix="touna-chromium-") as profile:
        cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}/profile", *args, html_path.as_uri()]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise RunError(f"Chromium did not finish rendering {html_path} within {timeout_s:.0f} s") from None
        if proc.returncode != 0:
            tail = "\n".join(
                line for line in err.decode(errors="replace").splitlines() if "dbus" not in line and line.strip()
            )[-600:]
            raise RunError(f"Chromium failed on {html_path} (exit {proc.returncode}): {tail}")
    return out.decode("utf-8", errors="replace")


def screenshot(
    html_path: str | Path,
    png_path: str | Path,
    chromium: str | None = None,
    window: tuple[int, int] = WINDOW,
    timeout_s: float = 90.0,
) -> Path:
    """Render ``html_path`` in headless Chromium and save its first screen as ``png_path``.

    A fresh, temporary browser profile is used and removed; on a timeout the whole browser process
    group is ended.

    Raises
    ------
    RunError
        if no Chromium is found, it fails or writes no picture.
    """
    chromium = chromium or find_chromium()
    if chromium is None:
        raise RunError(
            "no headless Chromium found: install Debian's chromium (apt-get install -y chromium) "
            "or set TOUNA_CHROMIUM to a Chromium/Chrome binary"
        )
    html_path = Path(html_path).resolve()
    png_path = Path(png_path).resolve()
    png_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="touna-chromium-") as profile:
        tmp_png = Path(profile) / "shot.png"
        cmd = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}/profile",
            f"--screenshot={tmp_png}",
            f"--window-size={window[0]},{window[1]}",
            html_path.as_uri(),
        ]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _out, err = proc.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise RunError(f"Chromium did not finish rendering {html_path} within {timeout_s:.0f} s") from None
        if proc.returncode != 0 or not tmp_png.is_file():
            tail = "\n".join(
                line for line in err.decode(errors="replace").splitlines() if "dbus" not in line and line.strip()
            )[-600:]
            raise RunError(f"Chromium failed on {html_path} (exit {proc.returncode}): {tail}")
        from touna_policy.io import atomic_write_bytes

        atomic_write_bytes(png_path, tmp_png.read_bytes())
    return png_path


def check_report(
    html_path: str | Path, png_path: str | Path | None = None, chromium: str | None = None, min_images: int = 1
) -> CheckResult:
    """Check one report page: static checks on its HTML, then a Chromium screenshot of the first screen.

    Parameters
    ----------
    html_path : the report (``report.html``)
    png_path : where to save the first screen (default: ``report-first-screen.png`` beside the report)
    chromium : the browser binary (default :func:`find_chromium`)
    min_images : fewer images than this is a problem (a report without its charts)
    """
    html_path = Path(html_path)
    if not html_path.is_file():
        raise InputError.single(
            str(html_path), "", "no such file" if not html_path.exists() else "a folder", "an HTML report (report.html)"
        )
    png_path = Path(png_path) if png_path else html_path.with_name(SCREENSHOT_NAME)
    problems, n_images = static_problems(html_path.read_text(encoding="utf-8", errors="replace"), html_path.parent)
    if n_images < min_images:
        problems.append(
            Problem("missing-image", "page", f"{n_images} images; a report shows at least {min_images} chart")
        )
    shot = screenshot(html_path, png_path, chromium)
    problems.extend(image_problems(shot.read_bytes(), f"first screen ({shot.name})", kind="blank-screen"))
    problems.extend(text_problems(html_path.read_text(encoding="utf-8", errors="replace")))
    problems.extend(width_problems(html_path, chromium))
    text = html_path.read_text(encoding="utf-8", errors="replace")
    layout = body_layout(text)
    problems.extend(body_problems(layout))
    notes = page_notes(text)
    pdf = html_path.with_suffix(".pdf")
    if pdf.is_file():
        pdf_problems, note = pdf_body_problems(pdf, layout)
        problems.extend(pdf_problems)
        notes += [note] if note else []
    return CheckResult(html_path, shot, problems, n_images, notes)


def find_reports(paths: Sequence[str | Path]) -> list[Path]:
    """The report pages to check: files as given; in a folder every ``report.html`` below it, keeping
    only the newest run of each scenario folder (``<scenario>/<run-id>/report.html``)."""
    found: list[Path] = []
    for item in paths:
        item = Path(item)
        if item.is_file():
            found.append(item)
            continue
        if not item.is_dir():
            raise InputError.single(str(item), "", "no such file or folder", "a report.html or a reports folder")
        newest: dict[Path, Path] = {}
        for page in sorted(item.rglob("report.html")):
            if any(part.startswith(".") or "failed" in part for part in page.relative_to(item).parts[:-1]):
                continue
            key = page.parent.parent
            if key not in newest or page.stat().st_mtime > newest[key].stat().st_mtime:
                newest[key] = page
        found.extend(sorted(newest.values()))
    return found
