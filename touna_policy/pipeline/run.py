"""One scenario's report run: plan (every input checked before anything is written), project, execute
the notebooks, write ``report.html``, and leave one complete run folder.

``touna-policy run SCENARIO.yaml`` writes ``reports/<scenario>/<run-id>/`` holding the executed
notebooks, ``report.html`` (and ``report.pdf`` with ``--pdf``), ``figures/*.png``, the notebooks'
tables, ``summary.csv`` (district by year, as ``touna-policy project --csv``), ``villages.csv``, ``villages.xlsx``
(the same tables for Excel, one sheet per level, :mod:`touna_policy.report.workbook`) and
``manifest.json`` (parameters, seed, checksums of every input file, versions, timings, flags).
Folder rules (atomic build, ``.failed`` folders): :mod:`touna_policy.pipeline.run_folder`.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from touna_policy import __version__, config
from touna_policy.analysis.uncertainty import prepare
from touna_policy.data.tables import file_sha256
from touna_policy.errors import InputError, TounaError
from touna_policy.io import atomic_write_csv
from touna_policy.model.inputs import load_inputs
from touna_policy.model.projection import project
from touna_policy.model.schedules import override_masks
from touna_policy.model.village_table import write_villages_csv
from touna_policy.pipeline.execute import NotebookFailed, execute_notebooks
from touna_policy.pipeline.manifest import (
    FAILED_SUFFIX,
    file_checksums,
    git_commit,
    inputs_fingerprint,
    model_version,
    relative_key,
)
from touna_policy.pipeline.notebook_params import check_parameters
from touna_policy.pipeline.result_flags import report_flag_keys, result_flags
from touna_policy.pipeline.results import RunResult
from touna_policy.pipeline.run_folder import (
    claim_run_folder,
    fail_run,
    finish_run,
    reap_stale_partials,
    scenario_folder,
    utc_now,
)
from touna_policy.report import i18n
from touna_policy.report.brief import brief_html, load_options, read_fan
from touna_policy.report.chromium import CHROMIUM_HINT, find_chromium
from touna_policy.report.html import write_html, write_pdf
from touna_policy.report.narrative import area_name
from touna_policy.report.tables import REPORT_INPUT_FILES
from touna_policy.report.workbook import write_villages_xlsx
from touna_policy.scenario import load_scenario

SCENARIO_NOTEBOOKS = (
    "01-data-overview.ipynb",
    "02-coverage-projection.ipynb",
    "03-budget.ipynb",
    "05-estimation.ipynb",
    "06-uncertainty.ipynb",
    "07-sensitivity.ipynb",
    "08-goal-seek-and-allocation.ipynb",
    "09-benefits.ipynb",
)
RUN_OUTPUTS = ("summary.csv", "villages.csv", "villages.xlsx")
"""Files a run writes before its notebooks (they must not be inputs)."""


def plan_run(scenario_path: str | Path, seed: int | None, lang: str, notebooks: Sequence[Path]) -> dict:
    """Validate everything a run needs before it starts; return what the run and ``--resume`` need.

    Checked here, each an :class:`InputError` (exit 2) before any kernel starts: the scenario, the
    language, the notebooks and their parameters, the override villages, and the Monte Carlo's
    uncertainty distributions (as notebook 06 would resolve them).
    """
    path = Path(scenario_path)
    if path.is_dir() or not path.exists():  # anything else that is not a regular file: load_scenario says what
        raise InputError.single(
            path, "scenario", "a folder" if path.is_dir() else "no such file", "a scenario YAML file"
        )
    scenario = load_scenario(path)
    lang = i18n.check_language(lang)
    seed = scenario.seed if seed is None else seed
    for nb in notebooks:
        if not nb.is_file():
            raise InputError.single(nb, "notebook", "no such file", "a report notebook")
    params = {"scenario_path": str(path.resolve()), "output_dir": "", "seed": seed, "lang": lang}
    for nb in notebooks:
        check_parameters(nb, params)
    inputs = load_inputs(scenario.area)
    override_masks(scenario, inputs.villages, str(path))  # unknown override villages: exit 2 before anything is written
    if any(nb.name == "06-uncertainty.ipynb" for nb in notebooks):
        prepare(scenario, inputs, group_by=None)  # an invalid uncertainty distribution: exit 2 here, not in notebook 06
    report_inputs = [Path(p) for p in REPORT_INPUT_FILES if Path(p).is_file()]
    data = {**inputs.checksums(), **file_checksums(report_inputs)}
    scenario_sha = file_sha256(path)
    nb_sums = file_checksums(notebooks)
    fingerprint = inputs_fingerprint(scenario_sha, data, nb_sums, __version__, seed, lang)
    return {
        "scenario": scenario,
        "inputs": inputs,
        "params": params,
        "data": data,
        "scenario_sha": scenario_sha,
        "notebook_checksums": nb_sums,
        "fingerprint": fingerprint,
        "seed": seed,
        "lang": lang,
        "path": path,
    }


def inputs_fingerprint_for(
    scenario_path: str | Path, seed: int | None = None, lang: str = "id", notebooks_dir: str | Path | None = None
) -> tuple[str, str]:
    """``(scenario name, inputs fingerprint)`` of a scenario as :func:`run` would compute them."""
    nb_dir = Path(notebooks_dir or config.NOTEBOOKS_DIR)
    plan = plan_run(scenario_path, seed, lang, [nb_dir / n for n in SCENARIO_NOTEBOOKS])
    return plan["scenario"].name, plan["fingerprint"]


def area_label(code: str) -> str:
    """``Tojo Una-Una (72.09)`` for a title page; the bare code when the name cannot be found."""
    try:
        return f"{area_name(code)} ({code})" if code else area_name(code)
    except Exception:  # noqa: BLE001 - a title page must not fail on a missing name
        return code


def write_pdf_beside(html: Path, warnings: list[str], timings: dict) -> None:
    """``report.pdf`` beside ``html`` with headless Chromium; a warning (never a failure) when it cannot."""
    t0 = time.perf_counter()
    if not find_chromium():
        warnings.append(CHROMIUM_HINT)
        return
    try:
        write_pdf(html, html.with_suffix(".pdf"))
    except (RuntimeError, OSError) as exc:
        warnings.append(f"report.pdf not written: {exc}")
    timings["pdf"] = round(time.perf_counter() - t0, 3)


def _flag_texts(flags: dict, lang: str) -> list[str]:
    out = []
    for key, values in report_flag_keys(flags):
        shown = {k: i18n.number(v, lang) if k != "year" else v for k, v in values.items()}
        out.append(i18n.text(key, lang, **shown))
    return out


def run(
    scenario_path: str | Path,
    out: str | Path | None = None,
    seed: int | None = None,
    lang: str = "id",
    pdf: bool = False,
    timeout: float | None = None,
    notebooks_dir: str | Path | None = None,
    notebooks: Sequence[str] = SCENARIO_NOTEBOOKS,
    reuse_kernel: bool = True,
) -> RunResult:
    """Run one scenario's report into ``out/<scenario>/<run-id>/``.

    Raises
    ------
    InputError
        bad scenario, language, seed, notebook parameters or output folder (nothing is written)
    RunError
        a notebook failed; its partial results are in ``out/<scenario>/<run-id>.failed/``
    RunInterrupted
        Ctrl-C; the partial results are in the ``.failed`` folder too
    """
    import nbformat  # lazy: the notebook stack is heavy

    t_start = time.perf_counter()
    deadline = None if timeout is None else time.monotonic() + float(timeout)
    nb_dir = Path(notebooks_dir or config.NOTEBOOKS_DIR)
    nb_paths = [nb_dir / n for n in notebooks]
    plan = plan_run(scenario_path, seed, lang, nb_paths)
    scenario, inputs = plan["scenario"], plan["inputs"]
    out = Path(out or config.REPORTS_DIR)
    scenario_dir = scenario_folder(out, scenario.name, plan["path"])
    reap_stale_partials(scenario_dir)
    run_id, build = claim_run_folder(scenario_dir, plan["fingerprint"])
    target, failed = scenario_dir / run_id, scenario_dir / (run_id + FAILED_SUFFIX)
    timings: dict[str, float] = {}
    warnings: list[str] = []
    created = utc_now()
    manifest = {
        "kind": "scenario",
        "status": "running",
        "run_id": run_id,
        "created": created,
        "scenario": {
            "name": scenario.name,
            "title": scenario.title,
            "titles": {lang: scenario.title_in(lang) for lang in i18n.LANGUAGES},  # what reports show
            "short_titles": {lang: scenario.short_title_in(lang) for lang in i18n.LANGUAGES},  # tables, legends
            "description": scenario.description,
            "file": relative_key(plan["path"]),
            "sha256": plan["scenario_sha"],
        },
        "parameters": {k: v for k, v in plan["params"].items() if k != "output_dir"},
        "seed": plan["seed"],
        "lang": plan["lang"],
        "inputs_fingerprint": plan["fingerprint"],
        "input_checksums": {**plan["data"], relative_key(plan["path"]): plan["scenario_sha"]},
        "notebook_checksums": plan["notebook_checksums"],
        "package_version": __version__,
        "model_version": model_version(),
        "git_commit": git_commit(),
        "python": sys.version.split()[0],
        "estimated_inputs": inputs.estimated_inputs,
        "synthetic_inputs": inputs.synthetic_inputs,
    }
    current = "projection"
    try:
        t0 = time.perf_counter()
        result = project(scenario, inputs)
        flags = result_flags(result)
        manifest["flags"] = flags
        atomic_write_csv(build / "summary.csv", result.district)
        write_villages_csv(build / "villages.csv", result)  # same bytes, one slice of villages at a time
        write_villages_xlsx(build / "villages.xlsx", result, plan["lang"])
        timings["projection"] = round(time.perf_counter() - t0, 3)
        params = dict(plan["params"], output_dir=str(build.resolve()))
        jobs = [(src, build / src.name, params) for src in nb_paths]
        current = "notebooks"
        timings.update(execute_notebooks(jobs, build, deadline, reuse_kernel))
        current = "report.html"
        t0 = time.perf_counter()
        executed = [nbformat.read(build / src.name, as_version=4) for src in nb_paths]
        info = {
            "scenario": scenario.name,
            "title": scenario.title_in(plan["lang"]),
            "description": scenario.description_in(plan["lang"]),
            "area": area_label(scenario.area),
            "created": created,
            "run_id": run_id,
            "data_version": plan["fingerprint"][:16],
            "model_version": manifest["model_version"],
            "seed": plan["seed"],
            # the estimated and synthetic inputs are named once, in the brief's data box
            "flags": _flag_texts(flags, plan["lang"]),
        }
        # the brief reads the Monte Carlo notebook 06 wrote (fan.csv), so its ranges are the body's
        fan = read_fan(build)
        brief = brief_html(result, plan["lang"], fan, load_options(result, fan, seed=plan["seed"]))
        html = write_html(executed, build / "report.html", info, plan["lang"], front_page=brief)
        timings["html"] = round(time.perf_counter() - t0, 3)
        if pdf:
            current = "report.pdf"
            write_pdf_beside(html, warnings, timings)
        finish_run(build, target, manifest, timings, warnings, t_start)
    except BaseException as exc:  # noqa: BLE001 - every failure, Ctrl-C too, leaves a .failed folder
        message = str(exc) if isinstance(exc, NotebookFailed) else f"{current}: {type(exc).__name__}: {exc}"
        if isinstance(exc, KeyboardInterrupt):
            message = f"{current}: interrupted (Ctrl-C)"
        fail_run(build, failed, manifest, timings, message, exc, f"run of {scenario.name}")
    return RunResult(
        str(scenario_path),
        scenario.name,
        "complete",
        str(target),
        round(time.perf_counter() - t_start, 3),
        warnings=warnings,
    )


def scenario_label(path: str | Path) -> str:
    """What a batch table calls a scenario whose run never started: its file's stem."""
    return Path(path).stem


def run_one(
    scenario_path: str,
    out: str,
    seed: int | None = None,
    lang: str = "id",
    pdf: bool = False,
    timeout: float | None = None,
    notebooks_dir: str | None = None,
) -> RunResult:
    """:func:`run` for executors: never raises for a failed scenario, returns a :class:`RunResult`."""
    t0 = time.perf_counter()
    try:
        return run(scenario_path, out, seed, lang, pdf, timeout, notebooks_dir)
    except TounaError as exc:
        failed = re.search(r"partial results: (.+)$", str(exc))
        return RunResult(
            str(scenario_path),
            scenario_label(scenario_path),
            "failed",
            failed.group(1) if failed else "",
            round(time.perf_counter() - t0, 3),
            str(exc).split("\n  partial results:")[0],
        )
    except Exception as exc:  # noqa: BLE001 - one bad scenario must not stop a batch
        return RunResult(
            str(scenario_path),
            scenario_label(scenario_path),
            "failed",
            "",
            round(time.perf_counter() - t0, 3),
            f"{type(exc).__name__}: {exc}",
        )
