"""The shipped reports as printed: every report of the three shipped scenarios (and the comparison)
fits the A4 printable width, shows no raw identifiers, carries villages.xlsx and the kecamatan map,
and prints to an A4 PDF with page numbers. One batch run (slow)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import touna_policy as tp
from touna_policy.pipeline import runner
from touna_policy.pipeline.run import run
from touna_policy.report import browser_check as bc
from touna_policy.report.html import write_pdf

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bc.find_chromium() is None, reason="no headless Chromium: apt-get install chromium"),
]
SHIPPED = [str(p) for p in tp.scenario.shipped_scenarios()]


@pytest.fixture(scope="module")
def shipped_reports(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("reports")
    result = runner.batch(SHIPPED, out, jobs=2, progress=False)
    assert not result.failed, runner.format_table(result)
    english = run(SHIPPED[-1], tmp_path_factory.mktemp("reports-en"), lang="en")
    folders = [Path(r.run_dir) for r in result.results] + [Path(result.comparison.run_dir), Path(english.run_dir)]
    return [f / "report.html" for f in folders]


def test_every_shipped_report_shows_no_raw_floats_nan_snake_case_paths_or_yaml_keys(shipped_reports):
    found = {str(p.parent.parent.name): bc.text_problems(p.read_text(encoding="utf-8")) for p in shipped_reports}
    assert {k: [str(x) for x in v] for k, v in found.items() if v} == {}


def test_every_shipped_report_fits_the_a4_printable_width(shipped_reports):
    found = {str(p.parent.parent.name): bc.width_problems(p) for p in shipped_reports}
    assert {k: [str(x) for x in v] for k, v in found.items() if v} == {}


def test_every_scenario_run_has_villages_xlsx_in_its_manifest_and_the_kecamatan_map(shipped_reports):
    for report in shipped_reports:
        folder = report.parent
        manifest = json.loads((folder / "manifest.json").read_text())
        if manifest["kind"] == "comparison":
            continue
        assert (folder / "villages.xlsx").is_file()
        assert "villages.xlsx" in json.dumps(manifest)
        assert (folder / "figures" / "map-coverage-kecamatan.png").is_file()


def test_a_shipped_report_prints_on_a4_with_page_numbers_and_the_draft_header(shipped_reports, tmp_path):
    pdf = write_pdf(shipped_reports[-1], tmp_path / "report.pdf").read_bytes()
    boxes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf))
    assert boxes and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in boxes)  # A4 in points
    html = shipped_reports[-1].read_text(encoding="utf-8")
    assert "counter(page)" in html and "Draft for discussion" in html
