"""The comparison report of finished runs: ``reports/comparison/<run-id>/`` (same atomic rules as a run).

The report opens with a summary page (:func:`touna_policy.report.comparison_page.summary_page_html`,
read from the runs' ``summary.csv``, ``kecamatan.csv`` and ``villages.csv``), then notebook 04.

The folder name :data:`~touna_policy.pipeline.run_folder.COMPARISON_DIR` is reserved: no scenario can
take it (:func:`~touna_policy.pipeline.run_folder.scenario_folder` refuses it), and a comparison
reuses (``--resume``) only a folder whose manifest says it is a comparison.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from pathlib import Path

from touna_policy import __version__, config
from touna_policy.errors import InputError
from touna_policy.io import make_folder
from touna_policy.pipeline.execute import NotebookFailed, execute_notebooks
from touna_policy.pipeline.manifest import (
    FAILED_SUFFIX,
    file_checksums,
    find_matching_run,
    model_version,
    read_manifest,
)
from touna_policy.pipeline.notebook_params import check_parameters
from touna_policy.pipeline.results import RunResult
from touna_policy.pipeline.run import write_pdf_beside
from touna_policy.pipeline.run_folder import (
    COMPARISON_DIR,
    claim_run_folder,
    fail_run,
    finish_run,
    reap_stale_partials,
    utc_now,
)
from touna_policy.report.comparison import read_options
from touna_policy.report.comparison_page import summary_page_html
from touna_policy.report.html import write_html
from touna_policy.report.i18n import check_language, text

COMPARISON_NOTEBOOK = "04-scenario-comparison.ipynb"


def compare(
    run_dirs: Sequence[str | Path],
    out: str | Path | None = None,
    lang: str = "id",
    pdf: bool = False,
    timeout: float | None = None,
    notebooks_dir: str | Path | None = None,
    resume: bool = False,
) -> RunResult:
    """Comparison report of finished runs into ``out/comparison/<run-id>/``.

    With ``resume``, a complete comparison of the same runs (same notebook, language and version) is reused.
    """
    import nbformat  # lazy: the notebook stack is heavy

    t_start = time.perf_counter()
    lang = check_language(lang)
    nb = Path(notebooks_dir or config.NOTEBOOKS_DIR) / COMPARISON_NOTEBOOK
    runs = [Path(d).resolve() for d in run_dirs]
    manifests = []
    for d in runs:
        m = read_manifest(d)
        if not m or m.get("status") != "complete" or m.get("kind", "scenario") != "scenario":
            raise InputError.single(d, "run folder", "no complete manifest.json", "a finished scenario run folder")
        manifests.append(m)
    first = manifests[0]
    params = {
        "scenario_path": str(config.PROJECT_ROOT / first["scenario"]["file"]),
        "output_dir": "",
        "seed": int(first["seed"]),
        "lang": lang,
        "run_dirs": [str(d) for d in runs],
    }
    check_parameters(nb, params)
    nb_sums = file_checksums([nb])
    fingerprint = hashlib.sha256(
        json.dumps(
            {
                "runs": sorted(m["inputs_fingerprint"] for m in manifests),
                "notebook": list(nb_sums.values()),
                "lang": lang,
                "package_version": __version__,
            },
            sort_keys=True,
        ).encode()
    ).hexdigest()
    out = Path(out or config.REPORTS_DIR)
    if resume:
        match = find_matching_run(out, COMPARISON_DIR, fingerprint)
        if match is not None and (read_manifest(match) or {}).get("kind") == "comparison":
            return RunResult("", COMPARISON_DIR, "skipped", str(match))
    base = make_folder(out / COMPARISON_DIR, "the comparison report folder")
    reap_stale_partials(base)
    run_id, build = claim_run_folder(base, fingerprint)
    target, failed = base / run_id, base / (run_id + FAILED_SUFFIX)
    created = utc_now()
    timings: dict[str, float] = {}
    warnings: list[str] = []
    manifest = {
        "kind": "comparison",
        "status": "running",
        "run_id": run_id,
        "created": created,
        "scenario": {"name": COMPARISON_DIR, "title": text("report.comparison_title", lang)},
        "runs": [
            {"scenario": m["scenario"]["name"], "run_id": m["run_id"], "path": str(d)}
            for m, d in zip(manifests, runs, strict=True)
        ],
        "lang": lang,
        "inputs_fingerprint": fingerprint,
        "notebook_checksums": nb_sums,
        "package_version": __version__,
        "model_version": model_version(),
        "estimated_inputs": any(m.get("estimated_inputs") for m in manifests),
        "synthetic_inputs": any(m.get("synthetic_inputs") for m in manifests),
    }
    try:
        timings.update(
            execute_notebooks(
                [(nb, build / nb.name, dict(params, output_dir=str(build.resolve())))],
                build,
                None if timeout is None else time.monotonic() + timeout,
            )
        )
        t0 = time.perf_counter()
        options = read_options(runs, lang)  # from the runs' saved tables
        shown = [options.names.get(m["scenario"]["name"], m["scenario"]["name"]) for m in manifests]
        info = {
            "scenario": text("report.comparison_title", lang),
            "title": ", ".join(shown),
            "description": text("report.comparison_runs", lang)
            + ": "
            + "; ".join(f"{name} ({m['run_id']})" for name, m in zip(shown, manifests, strict=True)),
            "created": created,
            "run_id": run_id,
            "data_version": fingerprint[:16],
            "model_version": manifest["model_version"],
            "flags": [text(f"report.flag_{k}", lang) for k in ("estimated", "synthetic") if manifest[f"{k}_inputs"]],
        }
        summary = summary_page_html(options, lang)
        html = write_html(
            [nbformat.read(build / nb.name, as_version=4)], build / "report.html", info, lang, front_page=summary
        )
        timings["html"] = round(time.perf_counter() - t0, 3)
        if pdf:
            write_pdf_beside(html, warnings, timings)
        finish_run(build, target, manifest, timings, warnings, t_start)
    except BaseException as exc:  # noqa: BLE001 - every failure, Ctrl-C too, leaves a .failed folder
        message = str(exc) if isinstance(exc, NotebookFailed) else f"comparison: {type(exc).__name__}: {exc}"
        if isinstance(exc, KeyboardInterrupt):
            message = "comparison: interrupted (Ctrl-C)"
        fail_run(build, failed, manifest, timings, message, exc, "comparison report")
    return RunResult(
        "", COMPARISON_DIR, "complete", str(target), round(time.perf_counter() - t_start, 3), warnings=warnings
    )
