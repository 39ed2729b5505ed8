"""reports/index.html: each run's headline figures from its saved tables, and a page that fits 1280 px."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from touna_policy.pipeline.index import read_headline, write_index
from touna_policy.report.chromium import find_chromium

RATE_IDR = 201_600.0
LONG_TITLE = "Satu Miliar Satu Desa: 150 pekerja per desa dan kelurahan mulai 2026, " * 2


def _run_folder(out: Path, scenario: str, run_id: str, places: tuple[float, float, float], title: str = LONG_TITLE):
    """A finished run folder as `touna-policy run` leaves it (only the tables the index reads)."""
    d = out / scenario / run_id
    d.mkdir(parents=True)
    years = [2025, 2026, 2027]
    pd.DataFrame(
        {
            "scenario": scenario,
            "year": years,
            "quota_places": places,
            "funded_workers": places,
            "premium_cost_idr": [p * RATE_IDR for p in places],
            "premium_per_worker_year_idr": RATE_IDR,
            "coverage_share": [0.269142, 0.363660, 0.358405],
            "budget_share": [float("nan"), 0.03024, 0.03024],
        }
    ).to_csv(d / "summary.csv", index=False)
    per_desa = [places[i] / 146 * RATE_IDR for i in range(3)]
    pd.DataFrame(
        {
            "type": ["desa", "desa", "kelurahan"] * 3,
            "year": [y for y in years for _ in range(3)],
            "premium_apbdes_idr": [v for v in per_desa for v in (v, v, 0.0)],
        }
    ).to_csv(d / "villages.csv", index=False)
    manifest = {
        "kind": "scenario",
        "status": "complete",
        "run_id": run_id,
        "created": "2026-12-01T18:29:16Z",
        "scenario": {"name": scenario, "title": title},
    }
    (d / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (d / "report.html").write_text("<html></html>", encoding="utf-8")
    return d


@pytest.fixture
def reports(tmp_path):
    out = tmp_path / "reports"
    _run_folder(out, "satu-miliar-150", "20261201T182916Z-72af5b04", (14_600, 21_900, 21_900))
    _run_folder(out, "baseline-100", "20261201T182900Z-efd06037", (14_600, 14_600, 14_600), "Dasar")
    failed = out / "baseline-100" / "20261201T170000Z-00000000.failed"
    failed.mkdir(parents=True)
    (failed / "error.txt").write_text("boom", encoding="utf-8")
    comp = out / "comparison" / "20261201T183000Z-485b55b5"
    comp.mkdir(parents=True)
    runs = [{"scenario": "baseline-100"}, {"scenario": "satu-miliar-150"}]
    (comp / "manifest.json").write_text(
        json.dumps({"kind": "comparison", "status": "complete", "run_id": comp.name, "created": "2026-12-01T18:30:00Z",
                    "scenario": {"name": "comparison", "title": "Perbandingan"}, "runs": runs}),
        encoding="utf-8",
    )  # fmt: skip
    (comp / "report.html").write_text("<html></html>", encoding="utf-8")
    return out


def test_headline_figures_are_read_in_the_run_s_reference_year_from_its_saved_tables(reports):
    f = read_headline(reports / "satu-miliar-150" / "20261201T182916Z-72af5b04")
    assert f.year == 2026 and f.quota_places == 21_900 and f.premium_cost_idr == 21_900 * RATE_IDR
    assert f.coverage_share == pytest.approx(0.363660)
    assert f.desa_budget_share == pytest.approx(21_900 / 146 * RATE_IDR / 1e9)


def test_a_run_folder_without_summary_has_no_headline(tmp_path):
    assert read_headline(tmp_path) is None


def test_index_rows_carry_places_cost_coverage_desa_share_status_and_wita_date(reports):
    page = write_index(reports, "id").read_text(encoding="utf-8")
    row = page[page.index("<code>satu-miliar-150</code>") :].split("</tr>")[0]
    for cell in ("2026", "21.900", "Rp 4,42 miliar", "36,4%", "3,02%", "selesai", "2 Desember 2026, 02.29 WITA"):
        assert cell in row, cell
    base = page[page.index("<code>baseline-100</code>") :].split("</tr>")[0]
    assert "2025" in base and "14.600" in base and "Rp 2,94 miliar" in base
    assert 'href="baseline-100/20261201T170000Z-00000000.failed/error.txt"' in page and "gagal" in page
    assert "baseline-100, satu-miliar-150" in page  # the comparison names the options it compares


def test_index_in_english_formats_the_figures_for_english(reports):
    page = write_index(reports, "en").read_text(encoding="utf-8")
    assert "IDR 4.42 billion" in page and "21,900" in page and "2 December 2026, 02:29 WITA" in page


_SCROLL_SCRIPT = """<script>window.addEventListener("load", function () {
  var out = document.createElement("pre"); out.id = "tp-scroll";
  out.textContent = document.documentElement.scrollWidth + " " + document.documentElement.clientWidth;
  document.body.appendChild(out); });</script>"""


@pytest.mark.slow
@pytest.mark.skipif(find_chromium() is None, reason="needs headless Chromium")
def test_index_has_no_horizontal_scroll_on_a_1280_px_screen(reports):
    from bs4 import BeautifulSoup

    from touna_policy.report.browser_check import run_chromium

    page = write_index(reports, "id")
    probe = page.with_name("probe.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", _SCROLL_SCRIPT + "</body>"), encoding="utf-8")
    dom = run_chromium(probe, ["--dump-dom", "--window-size=1280,900"])
    scroll, client = map(int, BeautifulSoup(dom, "html.parser").find(id="tp-scroll").get_text().split())
    assert client <= 1280 and scroll <= client, (scroll, client)


def test_index_names_runs_and_compared_options_by_their_short_names(reports):
    run = reports / "satu-miliar-150" / "20261201T182916Z-72af5b04"
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    manifest["scenario"]["short_titles"] = {"id": "Satu Miliar (150 sama rata)", "en": "Satu Miliar (150 each)"}
    (run / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    comp = reports / "comparison" / "20261201T183000Z-485b55b5"
    meta = json.loads((comp / "manifest.json").read_text(encoding="utf-8"))
    meta["runs"][1]["path"] = str(run)
    (comp / "manifest.json").write_text(json.dumps(meta), encoding="utf-8")
    page = write_index(reports, "id").read_text(encoding="utf-8")
    assert "<strong>Satu Miliar (150 sama rata)</strong> <small><code>satu-miliar-150</code></small>" in page
    assert "baseline-100, Satu Miliar (150 sama rata)" in page  # a run without short names keeps its id
