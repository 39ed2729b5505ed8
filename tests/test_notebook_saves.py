"""Notebooks as committed: valid nbformat, stripped, pinned metadata, a named kernel; saves after Run All
strip back to the committed file; nbval still compares the golden cells; papermill parameters are strict."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from touna_policy import config
from touna_policy.pipeline.kernel import interpreter_kernel
from touna_policy.pipeline.notebook_params import (
    KERNEL_SPEC_NAME,
    NOTEBOOK_METADATA,
    PARAMETERS_HEADER,
    is_golden,
    strip_notebook,
)

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
REPORT_NOTEBOOKS = [p for p in NOTEBOOKS if p.name[:2].isdigit()]


def _stripped_text(nb) -> str:
    return nbformat.writes(strip_notebook(nb)) + "\n"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_valid_nbformat_4(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)  # raises on e.g. an execution_count on a stream output
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_is_already_stripped_by_the_project_rule(path):
    text = path.read_text(encoding="utf-8")
    assert _stripped_text(nbformat.reads(text, as_version=4)) == text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_names_the_touna_policy_kernel_and_pins_what_jupyterlab_fills_in(path):
    metadata = json.loads(path.read_text(encoding="utf-8"))["metadata"]
    assert metadata == NOTEBOOK_METADATA
    assert metadata["kernelspec"]["name"] == KERNEL_SPEC_NAME == "touna-policy"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_golden_cells_keep_their_output_and_a_count_so_nbval_compares_them(path):
    golden = [c for c in nbformat.read(path, as_version=4).cells if is_golden(c)]
    assert golden
    for cell in golden:
        assert cell.metadata.get("keep_output") is True and cell.execution_count == 1 and cell.outputs


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_opens_with_what_the_reader_learns_then_parameters_then_one_setup_call(path):
    cells = nbformat.read(path, as_version=4).cells
    assert cells[0].cell_type == "markdown" and "What you learn here" in cells[0].source
    assert cells[1].metadata.get("tags") == ["parameters"] and cells[1].source.startswith(PARAMETERS_HEADER)
    assert "nb = setup(globals())" in cells[2].source
    sources = "\n".join(c.source for c in cells if c.cell_type == "code")
    assert sources.count("setup(globals())") == 1
    assert "load_scenario(" not in sources and "lambda key" not in sources  # the old setup cell is gone


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_parameter_has_a_type_hint_for_papermill_help(path):
    import papermill as pm

    params = pm.inspect_notebook(str(path))  # what `papermill --help-notebook` prints
    assert params and all(p["inferred_type_name"] not in ("None", "", None) for p in params.values())
    assert params["seed"]["inferred_type_name"] == "int" and params["scenario_path"]["inferred_type_name"] == "str"


@pytest.mark.parametrize("path", REPORT_NOTEBOOKS, ids=lambda p: p.name)
def test_guide_cells_between_outputs_are_left_out_of_the_html_report(path):
    from touna_policy.report.html import report_cells

    nb = nbformat.read(path, as_version=4)
    guides = [c for c in nb.cells if "notebook-guide" in c.metadata.get("tags", [])]
    assert len(guides) >= 3  # the opening cell and at least two between tables and charts
    assert not any("notebook-guide" in c.metadata.get("tags", []) for c in report_cells(nb))


def test_kernelspec_search_path_includes_the_virtual_environment():
    # `make install` registers the kernel with --sys-prefix; papermill resolves kernel names through this path
    from jupyter_core.paths import jupyter_path

    assert str(Path(sys.prefix) / "share" / "jupyter" / "kernels") in jupyter_path("kernels")


def _run_all(path: Path, tmp_path: Path):
    """Run All in a fresh kernel of this interpreter, working directory notebooks/, as JupyterLab would."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with interpreter_kernel(tmp_path / "kernel.log") as km:
        NotebookClient(nb, km=km, resources={"metadata": {"path": str(path.parent)}}, timeout=600).execute()
    return nb


@pytest.mark.slow
@pytest.mark.parametrize("name", ["01-data-overview.ipynb", "explorer.ipynb"])
def test_save_after_run_all_strips_back_to_the_committed_file(name, tmp_path):
    path = config.NOTEBOOKS_DIR / name
    executed = _run_all(path, tmp_path)
    assert any(c.get("outputs") for c in executed.cells if not is_golden(c))  # it did run
    saved = tmp_path / name
    nbformat.write(executed, saved)  # what JupyterLab writes on save
    assert _stripped_text(nbformat.read(saved, as_version=4)) == path.read_text(encoding="utf-8")


def _data_copy_with_baseline_quota(tmp_path: Path, quota: int) -> Path:
    data = tmp_path / "data"
    data.mkdir(parents=True)
    for sub in ("raw", "processed", "parameters"):
        (data / sub).symlink_to(config.DATA_DIR / sub)
    shutil.copytree(config.SCENARIOS_DIR, data / "scenarios")
    yaml = data / "scenarios" / "baseline-100.yaml"
    text = yaml.read_text(encoding="utf-8")
    assert "desa: {2024: 100}" in text
    yaml.write_text(text.replace("desa: {2024: 100}", f"desa: {{2024: {quota}}}"), encoding="utf-8")
    return data


def _nbval(notebook: Path, data_dir: Path) -> subprocess.CompletedProcess:
    env = {**__import__("os").environ, "TOUNA_DATA_DIR": str(data_dir), "PYTHONPATH": str(config.PROJECT_ROOT)}
    # -vv: nbval shows the whole diff of a golden cell, so the changed figure is in the output
    cmd = [sys.executable, "-m", "pytest", "-q", "-vv", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env"]
    cmd += ["--nbval-sanitize-with", str(config.NOTEBOOKS_DIR / "nbval_sanitize.cfg"), str(notebook)]
    return subprocess.run(cmd, cwd=notebook.parent, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_nbval_still_fails_the_comparison_golden_cell_when_a_quota_of_90_replaces_100(tmp_path):
    # the committed notebook passed through the project's stripping, then nbval with baseline quota 90
    copy = tmp_path / "nb" / "04-scenario-comparison.ipynb"
    copy.parent.mkdir()
    copy.write_text(_stripped_text(nbformat.read(config.NOTEBOOKS_DIR / copy.name, as_version=4)), encoding="utf-8")
    same = _nbval(copy, _data_copy_with_baseline_quota(tmp_path / "same", 100))
    assert same.returncode == 0, same.stdout[-2000:]
    changed = _nbval(copy, _data_copy_with_baseline_quota(tmp_path / "changed", 90))
    assert changed.returncode != 0, changed.stdout[-2000:]
    assert "Cell outputs differ" in changed.stdout
    assert "2024 baseline-100: funded_workers 12060" in changed.stdout  # 134 desa x 90 instead of 13400


def _papermill(name: str, parameters: dict, tmp_path: Path):
    import papermill as pm

    with interpreter_kernel(tmp_path / "kernel.log") as km:
        return pm.execute_notebook(
            str(config.NOTEBOOKS_DIR / name),
            str(tmp_path / name),
            parameters=parameters,
            km=km,
            kernel_name=KERNEL_SPEC_NAME,
            cwd=str(config.NOTEBOOKS_DIR),
            progress_bar=False,
        )


@pytest.mark.slow
@pytest.mark.parametrize(
    "parameters, message",
    [
        ({"scenaro_path": "x.yaml"}, "did you mean 'scenario_path'?"),
        ({"seed": "abc"}, "parameter 'seed': found 'abc'; expected a valid integer"),
        ({"scenario_path": 42}, "parameter 'scenario_path': found 42; expected a valid string"),
    ],
)
def test_plain_papermill_stops_in_the_setup_cell_on_a_bad_parameter(parameters, message, tmp_path):
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as err:
        _papermill("02-coverage-projection.ipynb", parameters, tmp_path)
    assert err.value.ename == "InputError" and message in err.value.evalue
    assert "setup(globals())" in err.value.source


@pytest.mark.slow
def test_explorer_html_export_without_widget_state_shows_a_note_and_the_static_figures(tmp_path):
    from nbconvert import HTMLExporter

    executed = _run_all(config.NOTEBOOKS_DIR / "explorer.ipynb", tmp_path)
    executed.metadata.pop("widgets", None)  # the saved, stripped notebook keeps no widget state
    body, _ = HTMLExporter().from_notebook_node(executed)
    assert "Kontrol interaktif: buka notebook ini di JupyterLab" in body
    assert 'type="application/vnd.jupyter.widget-view+json"' not in body  # no empty widget box offline
    assert "Gambar statis dari pengaturan awal" in body and "data:image/png;base64" in body
