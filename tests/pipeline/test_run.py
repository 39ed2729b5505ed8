"""One run with a one-cell notebook: the run's manifest and report flag capped quotas and the unverified JKK band."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from touna_policy import config
from touna_policy.pipeline.run import run

SATU = config.SCENARIOS_DIR / "satu-miliar-150.yaml"
PARAMETERS_CELL = 'scenario_path = ""\noutput_dir = ""\nseed = 20250626\nlang = "id"\n'


@pytest.fixture
def notebooks(tmp_path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(PARAMETERS_CELL)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("print('ok')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "01-data-overview.ipynb")
    return folder


def test_a_capped_run_at_an_unverified_income_is_flagged_in_manifest_and_report(tmp_path, notebooks):
    text = SATU.read_text(encoding="utf-8").replace("desa: {2024: 100, 2026: 150}", "desa: {2024: 100, 2026: 5000}")
    scenario = tmp_path / "capped.yaml"
    scenario.write_text(text.replace("declared_income_idr: 1000000", "declared_income_idr: 50000000"))
    result = run(scenario, tmp_path / "reports", notebooks_dir=notebooks, notebooks=["01-data-overview.ipynb"])
    folder = Path(result.run_dir)
    flags = json.loads((folder / "manifest.json").read_text())["flags"]
    assert flags["uses_unverified_jkk_band"] is True
    assert flags["unused_quota"]["year"] == 2026 and flags["unused_quota"]["places"] > 0
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "KUOTA DIBATASI" in page and "TARIF JKK BELUM TERVERIFIKASI" in page
