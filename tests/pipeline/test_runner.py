"""The runner: run folders, manifest, atomic failure, resume, comparison, index, PDF.

One batch over the shipped scenarios (module fixture) feeds most tests, so the notebooks run a few
times only; the failure tests run a short copy of the notebooks.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import touna_policy as tp
from touna_policy import config
from touna_policy.cli import main
from touna_policy.errors import InputError, RunError
from touna_policy.pipeline import runner
from touna_policy.pipeline.manifest import all_runs, finished_runs
from touna_policy.pipeline.run import write_pdf_beside
from touna_policy.report.chromium import CHROMIUM_HINT, find_chromium
from touna_policy.report.html import write_pdf

pytestmark = pytest.mark.slow  # real report runs and kernels: `make test` runs them, `make test-fast` skips them

SHIPPED = [str(p) for p in tp.scenario.shipped_scenarios()]
SATU = str(config.SCENARIOS_DIR / "satu-miliar-150.yaml")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): _sha(p) for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    result = runner.batch(SHIPPED, out, jobs=2, progress=False)
    return out, result


@pytest.fixture(scope="module")
def satu_run(batch_run) -> Path:
    _, result = batch_run
    run = next(r for r in result.results if r.scenario == "satu-miliar-150")
    return Path(run.run_dir)


# ---------------------------------------------------------------------------------------------
# A finished run folder
# ---------------------------------------------------------------------------------------------


def test_batch_of_the_shipped_scenarios_succeeds(batch_run):
    out, result = batch_run
    assert [r.status for r in result.results] == ["complete"] * len(SHIPPED), runner.format_table(result)
    assert result.comparison is not None and result.comparison.status == "complete"
    assert not result.failed
    assert not list(out.glob("*/.partial-*")), "no build folder is left behind"


def test_run_folder_holds_notebooks_report_figures_tables_and_manifest(satu_run):
    names = {p.name for p in satu_run.iterdir()}
    assert {
        "01-data-overview.ipynb",
        "02-coverage-projection.ipynb",
        "03-budget.ipynb",
        "report.html",
        "summary.csv",
        "villages.csv",
        "manifest.json",
        "figures",
    } <= names
    assert "kernel.log" not in names and runner.OWNER_FILE not in names
    figures = sorted(p.name for p in (satu_run / "figures").glob("*.png"))
    assert "coverage-district.png" in figures and "budget-district.png" in figures and len(figures) >= 6
    assert satu_run.parent.name == "satu-miliar-150"


def test_summary_csv_is_the_projection_district_table(satu_run):
    summary = pd.read_csv(satu_run / "summary.csv")
    expected = tp.project(tp.load_scenario(SATU)).district
    assert list(summary.columns) == list(expected.columns)
    by_year = summary.set_index("year")
    # 2026: 21,900 places billed at 201,600 (no relief for APBDes- or APBD-paid places)
    assert by_year.at[2026, "billed_places"] == 21_900 and by_year.at[2026, "premium_cost_idr"] == 4_415_040_000
    villages = pd.read_csv(satu_run / "villages.csv")
    assert len(villages) == 146 * 13  # 146 villages x 2023-2035


def test_manifest_checksums_match_every_input_file_including_the_scenario(satu_run):
    m = json.loads((satu_run / "manifest.json").read_text())
    sums = m["input_checksums"]
    assert sums["data/scenarios/satu-miliar-150.yaml"] == _sha(Path(SATU))
    for key in (
        "data/processed/village_workforce.csv",
        "data/parameters/bpjs_bpu.yaml",
        "data/parameters/coverage_assumptions.yaml",
        "data/raw/coverage_history.csv",
    ):
        assert sums[key] == _sha(config.PROJECT_ROOT / key), key
    assert m["status"] == "complete" and m["run_id"] == satu_run.name
    assert m["seed"] == 20250626 and m["lang"] == "id" and m["package_version"] == tp.__version__
    assert m["run_id"].endswith(m["inputs_fingerprint"][:8])
    assert set(m["timings_seconds"]) >= {"01-data-overview.ipynb", "03-budget.ipynb", "html", "total"}
    assert m["output_checksums"]["summary.csv"] == _sha(satu_run / "summary.csv")
    assert m["estimated_inputs"] and m["synthetic_inputs"]


def test_the_manifest_is_sealed_and_records_the_result_flags(satu_run):
    from touna_policy.pipeline.manifest import DIGEST_KEY, manifest_digest

    m = json.loads((satu_run / "manifest.json").read_text())
    assert m[DIGEST_KEY] == manifest_digest(m)
    assert m["flags"] == {"unused_quota": None, "uses_unverified_jkk_band": False}


def test_report_html_has_title_page_embedded_figures_no_code_and_no_errors(satu_run):
    html = (satu_run / "report.html").read_text()
    assert "satu-miliar-150" in html and satu_run.name in html and "touna-policy " + tp.__version__ in html
    assert html.count('src="data:image/png;base64,') >= 6
    assert "Traceback" not in html
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in html  # no error or warning output
    assert "import touna_policy" not in html, "code is hidden"
    assert "ESTIMASI" in html and "SINTETIS" in html
    assert '<script src="http' not in html


def test_executed_notebooks_carry_the_injected_parameters(satu_run):
    nb = nbformat.read(satu_run / "02-coverage-projection.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert (
        len(injected) == 1 and "satu-miliar-150.yaml" in injected[0].source and "seed = 20250626" in injected[0].source
    )
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))


# ---------------------------------------------------------------------------------------------
# Comparison, index, resume
# ---------------------------------------------------------------------------------------------


def test_comparison_report_lists_every_scenario(batch_run):
    out, result = batch_run
    comp = Path(result.comparison.run_dir)
    assert comp.parent == out / "comparison"
    table = pd.read_csv(comp / "comparison.csv")
    names = {Path(p).stem for p in SHIPPED}
    assert set(table["scenario"]) == names
    html = (comp / "report.html").read_text()
    short = {tp.load_scenario(p).short_title_in("id") for p in SHIPPED}  # a planner reads names, not ids
    assert all(n in html for n in short)
    m = json.loads((comp / "manifest.json").read_text())
    assert {r["scenario"] for r in m["runs"]} == names and m["kind"] == "comparison"


def test_index_links_every_run(batch_run):
    out, result = batch_run
    html = (out / "index.html").read_text()
    for r in result.results + [result.comparison]:
        rel = Path(r.run_dir).relative_to(out).as_posix()
        assert f'href="{rel}/report.html"' in html


def test_resume_skips_scenarios_whose_inputs_match_a_finished_run(batch_run):
    out, first = batch_run
    again = runner.batch(SHIPPED, out, resume=True, executor="serial", progress=False, comparison=False)
    assert [r.status for r in again.results] == ["skipped"] * len(SHIPPED)
    assert [r.run_dir for r in again.results] == [r.run_dir for r in first.results]
    assert all(len(finished_runs(out, Path(p).stem)) == 1 for p in SHIPPED)
    comp = runner.compare([r.run_dir for r in again.results], out, resume=True)
    assert comp.status == "skipped" and comp.run_dir == first.comparison.run_dir


def test_a_different_seed_or_language_changes_the_inputs_fingerprint():
    base = runner.inputs_fingerprint_for(SATU)[1]
    assert runner.inputs_fingerprint_for(SATU, seed=1)[1] != base
    assert runner.inputs_fingerprint_for(SATU, lang="en")[1] != base
    assert runner.inputs_fingerprint_for(SATU)[1] == base


# ---------------------------------------------------------------------------------------------
# Failures never touch an earlier run
# ---------------------------------------------------------------------------------------------


def _notebook_copies(tmp_path: Path) -> Path:
    """A folder holding copies of the scenario report notebooks, for a test to break one of them."""
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    for name in runner.SCENARIO_NOTEBOOKS:
        shutil.copy(config.NOTEBOOKS_DIR / name, nb_dir / name)
    return nb_dir


def _failing_notebooks(tmp_path: Path) -> Path:
    """Copies of the notebooks in which 02 raises after its first cells."""
    nb_dir = _notebook_copies(tmp_path)
    path = nb_dir / "02-coverage-projection.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell('raise ValueError("made to fail by the test")'))
    nbformat.write(nb, path)
    return nb_dir


def test_a_run_that_fails_midway_leaves_the_previous_run_untouched(batch_run, satu_run, tmp_path):
    out, _ = batch_run
    before = _tree(satu_run)
    with pytest.raises(RunError) as err:
        runner.run(SATU, out, notebooks_dir=_failing_notebooks(tmp_path))
    message = str(err.value)
    assert "02-coverage-projection.ipynb" in message and "cell 4" in message
    assert "ValueError: made to fail by the test" in message
    assert _tree(satu_run) == before
    failed = [p for p in (out / "satu-miliar-150").iterdir() if p.name.endswith(".failed")]
    assert len(failed) == 1 and str(failed[0]) in message
    assert "made to fail by the test" in (failed[0] / "error.txt").read_text()
    assert (failed[0] / "01-data-overview.ipynb").is_file() and (failed[0] / "02-coverage-projection.ipynb").is_file()
    assert json.loads((failed[0] / "manifest.json").read_text())["status"] == "failed"
    assert not list((out / "satu-miliar-150").glob(".partial-*"))
    assert finished_runs(out, "satu-miliar-150") == [satu_run]
    statuses = {r["run_id"]: r["status"] for r in all_runs(out)}
    assert statuses[failed[0].name] == "failed"


def test_a_killed_runs_build_folder_is_marked_failed_by_the_next_run(tmp_path):
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    killed = tmp_path / ".partial-20261125T143000Z-abababab"
    killed.mkdir()
    (killed / runner.OWNER_FILE).write_text(dead.stdout)
    (killed / "01-data-overview.ipynb").write_text("{}")
    alive = tmp_path / ".partial-20261125T143001Z-abababab"
    alive.mkdir()
    (alive / runner.OWNER_FILE).write_text(f"{__import__('os').getpid()}\n")
    assert runner.reap_stale_partials(tmp_path) == [tmp_path / "20261125T143000Z-abababab.failed"]
    failed = tmp_path / "20261125T143000Z-abababab.failed"
    assert "interrupted" in (failed / "error.txt").read_text() and (failed / "01-data-overview.ipynb").is_file()
    assert alive.is_dir(), "a run still in progress is left alone"


def test_batch_continues_past_a_failing_scenario_and_reports_it(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("name: broken\ntitle: x\nquota_per_vilage: {}\n")
    result = runner.batch([str(bad)], tmp_path / "out", executor="serial", progress=False)
    assert [r.status for r in result.results] == ["failed"]
    assert "did you mean 'quota_per_village'?" in result.results[0].error
    assert result.comparison is None and result.failed
    assert "0 succeeded, 1 failed" in runner.format_table(result)
    assert main(["batch", str(bad), "--out", str(tmp_path / "out"), "--jobs", "1", "--quiet"]) == 1


# ---------------------------------------------------------------------------------------------
# Refusals before anything runs
# ---------------------------------------------------------------------------------------------


def test_bad_language_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(InputError, match="did you mean 'en'"):
        runner.run(SATU, tmp_path / "out", lang="eng")
    assert not (tmp_path / "out").exists()


def test_misspelled_notebook_parameter_stops_the_run(tmp_path):
    nb_dir = _notebook_copies(tmp_path)
    path = nb_dir / "01-data-overview.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace("lang: str = ", "langauge: str = ")
    nbformat.write(nb, path)
    with pytest.raises(InputError) as err:
        runner.run(SATU, tmp_path / "out", notebooks_dir=nb_dir)
    assert "unknown parameter 'lang'" in str(err.value)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["../escape", "a/b", "", ".hidden", "x" * 65])
def test_folder_names_cannot_leave_the_reports_folder(tmp_path, name):
    with pytest.raises(InputError):
        runner.safe_child(tmp_path, name)


def test_run_ids_sort_by_time_and_never_collide(tmp_path):
    import datetime as dt

    t = dt.datetime(2026, 11, 25, 14, 30, tzinfo=dt.timezone.utc)
    first = runner.new_run_id(tmp_path, "ab" * 32, t)
    assert first == "20261125T143000Z-abababab"
    (tmp_path / first).mkdir()
    assert runner.new_run_id(tmp_path, "ab" * 32, t) == first + "-2"
    assert runner.new_run_id(tmp_path, "ab" * 32, t + dt.timedelta(seconds=1)) > first


def test_cli_run_of_a_missing_scenario_exits_2(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope.yaml"), "--out", str(tmp_path)]) == 2
    assert "no such file" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------


def test_pdf_is_printed_when_chromium_is_present(satu_run, tmp_path):
    if not find_chromium():
        pytest.skip("no headless Chromium on this machine (apt-get install chromium); the PDF path is untested here")
    pdf = write_pdf(satu_run / "report.html", tmp_path / "report.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 50_000


def test_without_chromium_the_run_says_how_to_install_it(satu_run, tmp_path, monkeypatch):
    monkeypatch.setenv("TOUNA_CHROMIUM", str(tmp_path / "no-such-chromium"))
    html = tmp_path / "report.html"
    shutil.copy(satu_run / "report.html", html)
    warnings: list[str] = []
    write_pdf_beside(html, warnings, {})
    assert warnings == [CHROMIUM_HINT] and "apt-get install chromium" in CHROMIUM_HINT
    assert not html.with_suffix(".pdf").exists()


def test_every_data_file_a_report_reads_is_in_the_manifest_checksums(tmp_path):
    # the analysis notebooks read these besides the projection's inputs
    from touna_policy.model.inputs import load_inputs
    from touna_policy.report.tables import REPORT_INPUT_FILES

    recorded = {Path(p).name for p in load_inputs().files} | {Path(p).name for p in REPORT_INPUT_FILES}
    for name in (
        "benefit_rates.yaml",
        "uncertainty.yaml",
        "planning_targets.yaml",
        "coverage_series.csv",
        "coverage_history.csv",
        "bpjs_bpu.yaml",
        "village_workforce.csv",
    ):
        assert name in recorded
