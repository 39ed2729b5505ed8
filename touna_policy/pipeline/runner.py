"""Run scenario reports: notebooks executed by papermill in this process, one atomic run folder each.

``touna-policy run SCENARIO.yaml`` writes ``reports/<scenario>/<run-id>/`` holding the executed
notebooks, ``report.html`` (and ``report.pdf`` with ``--pdf``), ``figures/*.png``, the notebooks'
tables, ``summary.csv`` (district by year, as ``touna-policy project --csv``), ``villages.csv`` and
``manifest.json`` (parameters, seed, checksums of every input file, versions, timings).

Safety: the run is built in ``reports/<scenario>/.partial-<run-id>/`` and renamed into place only
when complete. A failed or interrupted run is renamed to ``<run-id>.failed/`` with ``error.txt``
(which notebook, which cell, the error); earlier runs are never touched. Notebook parameters are
checked (:mod:`touna_policy.pipeline.notebook_params`) before any kernel starts.

Speed: one kernel per run, started from the running interpreter (no kernelspec lookup, so a fresh
virtual environment never hits ``NoSuchKernel``), shared by the run's notebooks with the namespace
cleared between them (imports stay loaded), and stopped at the end.

``touna-policy batch`` runs many scenarios through an executor from :data:`EXECUTORS` (a name ->
factory mapping: add ``"dask"`` there) calling the picklable :func:`run_one`, then writes a
comparison report (``reports/comparison/<run-id>/``) and ``reports/index.html``.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import contextlib
import datetime as dt
import os
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from touna_policy import config
from touna_policy.errors import EXIT_OK, EXIT_RUN_FAILED, InputError, RunError, TounaError
from touna_policy.parameters.ranges import scenario_name_problem

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
COMPARISON_NOTEBOOK = "04-scenario-comparison.ipynb"
COMPARISON_DIR = "comparison"
KERNEL_NAME = "python3"
# papermill rewrites the output notebook before and after every cell when true (about 0.1 s a run), so a
# run that times out or loses its kernel still leaves the partly executed notebook; false saves it only
# at the end or on a failing cell.
SAVE_EVERY_CELL = True
_SAFE_RUN_ID = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}(-[0-9]+)?$")


# ------------------------------------------------------------------------------------------------
# Results
# ------------------------------------------------------------------------------------------------


@dataclass
class RunResult:
    """What happened to one scenario (small and picklable: it travels back from worker processes)."""

    scenario_path: str
    scenario: str = ""
    status: str = "failed"  # complete | failed | skipped
    run_dir: str = ""  # the run folder (complete/skipped) or the failed folder
    seconds: float = 0.0
    error: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in ("complete", "skipped")


@dataclass
class BatchResult:
    results: list[RunResult]
    comparison: RunResult | None
    index: str

    @property
    def failed(self) -> list[RunResult]:
        return [r for r in self.results + ([self.comparison] if self.comparison else []) if not r.ok]


# ------------------------------------------------------------------------------------------------
# Paths and ids
# ------------------------------------------------------------------------------------------------


def safe_child(base: Path, name: str, what: str = "scenario name") -> Path:
    """``base / name`` for a plain folder name; refuses anything that could leave ``base``."""
    problem = scenario_name_problem(name)  # the one scenario-name rule (reserved names included)
    if problem is not None:
        raise InputError.single("<run>", what, repr(name), problem)
    base_resolved = Path(base).resolve()
    child = (base_resolved / name).resolve()
    if child.parent != base_resolved:
        raise InputError.single("<run>", what, repr(name), f"a folder inside {base_resolved}")
    return Path(base) / name


def new_run_id(parent: Path, fingerprint: str, now: dt.datetime | None = None) -> str:
    """``20261125T143000Z-1a2b3c4d``: sortable UTC time, then the inputs fingerprint; unique in ``parent``."""
    now = now or dt.datetime.now(dt.timezone.utc)
    base = f"{now:%Y%m%dT%H%M%SZ}-{fingerprint[:8]}"
    run_id, n = base, 1
    from touna_policy.pipeline.manifest import FAILED_SUFFIX, PARTIAL_PREFIX

    while any((parent / name).exists() for name in (run_id, run_id + FAILED_SUFFIX, PARTIAL_PREFIX + run_id)):
        n += 1
        run_id = f"{base}-{n}"
    if not _SAFE_RUN_ID.match(run_id):  # pragma: no cover - guarded by construction
        raise RunError(f"bad run id {run_id!r}")
    return run_id


# ------------------------------------------------------------------------------------------------
# Kernel and notebook execution
# ------------------------------------------------------------------------------------------------


def kernel_spec():
    """A kernelspec for the running interpreter (``sys.executable -m ipykernel_launcher``)."""
    from jupyter_client.kernelspec import KernelSpec

    return KernelSpec(
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        display_name=f"Python {sys.version_info.major}.{sys.version_info.minor} (touna-policy)",
        language="python",
        metadata={},
    )


def _kernel_spec_manager():
    from jupyter_client.kernelspec import KernelSpecManager

    class InterpreterKernelSpecManager(KernelSpecManager):
        """Resolves the notebooks' ``python3`` kernel to this interpreter, whatever is installed."""

        def get_kernel_spec(self, kernel_name):
            if kernel_name == KERNEL_NAME:
                return kernel_spec()
            return super().get_kernel_spec(kernel_name)

    return InterpreterKernelSpecManager()


@contextlib.contextmanager
def interpreter_kernel(log_path: Path, start_timeout: float = 60):
    """A started kernel of the running interpreter, its stderr in ``log_path``; shut down on exit."""
    from jupyter_client.manager import KernelManager

    # nbclient (inside papermill) polls the kernel with asyncio: it needs an async client, or a kernel
    # that dies or a cell that exceeds --timeout blocks the run forever. Our own calls use blocking_client().
    km = KernelManager(
        kernel_name=KERNEL_NAME,
        kernel_spec_manager=_kernel_spec_manager(),
        client_class="jupyter_client.asynchronous.AsyncKernelClient",
    )
    env = dict(os.environ, PYTHONUNBUFFERED="1", MPLBACKEND="Agg")
    with open(log_path, "ab") as log:
        km.start_kernel(stdout=log, stderr=log, env=env)
        try:
            _skip_slow_optional_imports()
            import papermill  # noqa: F401  - imported while the kernel process boots, not after

            kc = km.blocking_client()
            kc.start_channels()
            try:
                kc.wait_for_ready(timeout=start_timeout)
            finally:
                kc.stop_channels()
            yield km
        finally:
            with contextlib.suppress(Exception):
                km.shutdown_kernel(now=True)


def _reset_namespace(km, timeout: float = 60) -> None:
    """Clear the kernel's user namespace between notebooks (loaded modules stay: that is the point)."""
    kc = km.blocking_client()
    kc.start_channels()
    try:
        reply = kc.execute_interactive("%reset -f", store_history=False, timeout=timeout, output_hook=lambda msg: None)
        if reply["content"].get("status") != "ok":
            raise RunError("could not clear the kernel between notebooks")
    finally:
        kc.stop_channels()


def _skip_slow_optional_imports() -> None:
    """Keep jsonschema (via nbformat) from importing ``rfc3987_syntax``: an optional checker of the
    'iri' string format that nbformat's schemas never use and whose import builds a grammar for ~2 s."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def describe_failure(exc: BaseException, notebook: str) -> str:
    """``02-coverage-projection.ipynb, cell 5: ZeroDivisionError: division by zero``."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        first = next(
            (line for line in (exc.source or "").splitlines() if line.strip() and not line.startswith("#")), ""
        )
        where = f"cell {exc.cell_index}" + (f" (`{first.strip()[:80]}`)" if first else "")
        return f"{notebook}, {where}: {exc.ename}: {exc.evalue}"
    name = type(exc).__name__
    if name in ("CellTimeoutError", "TimeoutError"):
        return f"{notebook}: timed out ({exc})".strip()
    if name == "DeadKernelError":
        return f"{notebook}: the kernel died ({exc})"
    if isinstance(exc, KeyboardInterrupt):
        return f"{notebook}: interrupted"
    return f"{notebook}: {name}: {exc}"


class NotebookFailed(RunError):
    def __init__(self, message: str, notebook: str):
        super().__init__(message)
        self.notebook = notebook


def execute_notebooks(
    jobs: Sequence[tuple[Path, Path, dict]], build_dir: Path, deadline: float | None, reuse_kernel: bool = True
) -> dict[str, float]:
    """Execute ``(source, target, parameters)`` in order with papermill; returns seconds per notebook.

    Raises :class:`NotebookFailed` naming the notebook, the cell and the error; the partly executed
    notebook is left at its target path.
    """
    _skip_slow_optional_imports()
    import papermill as pm

    timings: dict[str, float] = {}
    log_path = build_dir / "kernel.log"

    def one(km, src, dst, params):
        remaining = None if deadline is None else max(1, int(deadline - time.monotonic()))  # papermill wants an int
        t0 = time.perf_counter()
        try:
            pm.execute_notebook(
                str(src),
                str(dst),
                parameters=params,
                kernel_name=KERNEL_NAME,
                km=km,
                request_save_on_cell_execute=SAVE_EVERY_CELL,
                progress_bar=False,
                log_output=False,
                execution_timeout=remaining,
                start_timeout=60,
            )
        except BaseException as exc:
            raise NotebookFailed(describe_failure(exc, src.name), src.name) from exc
        finally:
            timings[src.name] = round(time.perf_counter() - t0, 3)
        if deadline is not None and time.monotonic() > deadline:
            raise NotebookFailed(f"{src.name}: the run exceeded its time limit", src.name)

    if reuse_kernel:
        t0 = time.perf_counter()
        with interpreter_kernel(log_path) as km:
            timings["kernel_start"] = round(time.perf_counter() - t0, 3)
            for n, (src, dst, params) in enumerate(jobs):
                if n:
                    _reset_namespace(km)
                one(km, src, dst, params)
    else:
        for src, dst, params in jobs:
            with interpreter_kernel(log_path) as km:
                one(km, src, dst, params)
    return timings


# ------------------------------------------------------------------------------------------------
# One run
# ------------------------------------------------------------------------------------------------


def _utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _plan(scenario_path: str | Path, seed: int | None, lang: str, notebooks: Sequence[Path]):
    """Validate everything a run needs before it starts; return what the run and ``--resume`` need."""
    from touna_policy import __version__
    from touna_policy.data.tables import file_sha256
    from touna_policy.model.inputs import load_inputs
    from touna_policy.pipeline.manifest import file_checksums, inputs_fingerprint
    from touna_policy.pipeline.notebook_params import check_parameters
    from touna_policy.report.i18n import check_language
    from touna_policy.report.tables import REPORT_INPUT_FILES
    from touna_policy.scenario import load_scenario

    path = Path(scenario_path)
    if path.is_dir() or not path.exists():  # anything else that is not a regular file: load_scenario says what
        raise InputError.single(
            path, "scenario", "a folder" if path.is_dir() else "no such file", "a scenario YAML file"
        )
    scenario = load_scenario(path)
    lang = check_language(lang)
    seed = scenario.seed if seed is None else seed
    for nb in notebooks:
        if not nb.is_file():
            raise InputError.single(nb, "notebook", "no such file", "a report notebook")
    params = {"scenario_path": str(path.resolve()), "output_dir": "", "seed": seed, "lang": lang}
    for nb in notebooks:
        check_parameters(nb, params)
    inputs = load_inputs(scenario.area)
    from touna_policy.model.schedules import override_masks

    override_masks(scenario, inputs.villages, str(path))  # unknown override villages: exit 2 before anything is written
    data = {**inputs.checksums(), **file_checksums(p for p in REPORT_INPUT_FILES if Path(p).is_file())}
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
    plan = _plan(scenario_path, seed, lang, [nb_dir / n for n in SCENARIO_NOTEBOOKS])
    return plan["scenario"].name, plan["fingerprint"]


OWNER_FILE = ".owner-pid"


def reap_stale_partials(folder: Path) -> list[Path]:
    """Rename build folders left by a killed run (their process is gone) to ``<run-id>.failed``.

    A run killed with SIGKILL cannot clean up; its ``.partial-<run-id>`` folder records the process
    id, and the next run in the same folder marks it failed with an ``error.txt``. Returns the
    renamed folders. Folders of runs still in progress are left alone.
    """
    from touna_policy.io import atomic_write_text
    from touna_policy.pipeline.manifest import FAILED_SUFFIX, PARTIAL_PREFIX

    reaped = []
    for build in folder.glob(PARTIAL_PREFIX + "*"):
        try:
            pid = int((build / OWNER_FILE).read_text().strip())
            os.kill(pid, 0)
            continue  # still running
        except ProcessLookupError:
            pass
        except (OSError, ValueError):
            continue  # unknown owner (or not ours to judge): leave it
        target = folder / (build.name[len(PARTIAL_PREFIX) :] + FAILED_SUFFIX)
        with contextlib.suppress(OSError):
            atomic_write_text(
                build / "error.txt",
                f"interrupted: the run's process ({pid}) ended before the run "
                "finished (killed?); these are its partial results\n",
            )
            os.replace(build, target)
            reaped.append(target)
    return reaped


def _finish(build: Path, target: Path, manifest: dict, timings: dict, warnings: list, t_start: float) -> None:
    """Complete a run: drop the files kept only for failed runs, record timings and output checksums
    in the manifest, then rename the build folder into place."""
    from touna_policy.io import atomic_write_json

    timings["total"] = round(time.perf_counter() - t_start, 3)
    (build / "kernel.log").unlink(missing_ok=True)
    (build / OWNER_FILE).unlink(missing_ok=True)  # kept only in failed runs
    manifest.update(
        status="complete", timings_seconds=timings, warnings=warnings, output_checksums=_output_checksums(build)
    )
    atomic_write_json(build / "manifest.json", manifest)
    os.replace(build, target)  # a rename within one folder: the run appears whole or not at all


def _fail(
    build: Path, failed: Path, manifest: dict, timings: dict, message: str, exc: BaseException, what: str
) -> NoReturn:
    """Keep a failed run's partial results as ``failed`` with the error in its manifest and error.txt,
    then raise: an interrupt as itself, anything else as :class:`RunError` naming ``what`` failed."""
    from touna_policy.io import atomic_write_json, atomic_write_text

    manifest.update(status="failed", error=message, timings_seconds=timings)
    with contextlib.suppress(Exception):
        atomic_write_json(build / "manifest.json", manifest)
    with contextlib.suppress(Exception):
        atomic_write_text(
            build / "error.txt",
            message + "\n\n" + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
        )
    with contextlib.suppress(OSError):
        os.replace(build, failed)
    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
        raise exc
    raise RunError(f"{what} failed: {message}\n  partial results: {failed}") from exc


def _output_checksums(run_dir: Path) -> dict[str, str]:
    from touna_policy.data.tables import file_sha256

    return {
        p.relative_to(run_dir).as_posix(): file_sha256(p)
        for p in sorted(run_dir.rglob("*"))
        if p.is_file() and p.name not in ("manifest.json", "kernel.log", OWNER_FILE)
    }


def _model_version() -> str:
    from touna_policy import __version__
    from touna_policy.pipeline.manifest import git_commit

    commit = git_commit()
    return f"touna-policy {__version__}" + (
        f" (git {commit[:12]}{'-dirty' if commit.endswith('-dirty') else ''})" if commit else ""
    )


def _pdf(html: Path, warnings: list[str], timings: dict) -> None:
    from touna_policy.report.html import CHROMIUM_HINT, find_chromium, write_pdf

    t0 = time.perf_counter()
    if not find_chromium():
        warnings.append(CHROMIUM_HINT)
        return
    try:
        write_pdf(html, html.with_suffix(".pdf"))
    except (RuntimeError, OSError) as exc:
        warnings.append(f"report.pdf not written: {exc}")
    timings["pdf"] = round(time.perf_counter() - t0, 3)


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
        bad scenario, language, seed or notebook parameters (nothing is written)
    RunError
        a notebook failed; its partial results are in ``out/<scenario>/<run-id>.failed/``
    """
    from touna_policy import __version__
    from touna_policy.io import atomic_write_csv
    from touna_policy.model.projection import project
    from touna_policy.model.village_table import write_villages_csv
    from touna_policy.pipeline.manifest import FAILED_SUFFIX, PARTIAL_PREFIX, git_commit, relative_key
    from touna_policy.report.html import write_html
    from touna_policy.report.i18n import text
    from touna_policy.report.tables import input_flags

    t_start = time.perf_counter()
    deadline = None if timeout is None else time.monotonic() + float(timeout)
    nb_dir = Path(notebooks_dir or config.NOTEBOOKS_DIR)
    nb_paths = [nb_dir / n for n in notebooks]
    plan = _plan(scenario_path, seed, lang, nb_paths)
    scenario, inputs = plan["scenario"], plan["inputs"]
    out = Path(out or config.REPORTS_DIR)
    scenario_dir = safe_child(out, scenario.name)
    scenario_dir.mkdir(parents=True, exist_ok=True)
    reap_stale_partials(scenario_dir)
    run_id = new_run_id(scenario_dir, plan["fingerprint"])
    build, target, failed = (
        scenario_dir / (PARTIAL_PREFIX + run_id),
        scenario_dir / run_id,
        scenario_dir / (run_id + FAILED_SUFFIX),
    )
    build.mkdir()
    (build / OWNER_FILE).write_text(f"{os.getpid()}\n")
    timings: dict[str, float] = {}
    warnings: list[str] = []
    created = _utc_now()
    manifest = {
        "kind": "scenario",
        "status": "running",
        "run_id": run_id,
        "created": created,
        "scenario": {
            "name": scenario.name,
            "title": scenario.title,
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
        "model_version": _model_version(),
        "git_commit": git_commit(),
        "python": sys.version.split()[0],
        "estimated_inputs": inputs.estimated_inputs,
        "synthetic_inputs": inputs.synthetic_inputs,
    }
    current = "projection"
    try:
        t0 = time.perf_counter()
        result = project(scenario, inputs)
        atomic_write_csv(build / "summary.csv", result.district)
        write_villages_csv(build / "villages.csv", result)  # same bytes, one slice of villages at a time
        timings["projection"] = round(time.perf_counter() - t0, 3)
        params = dict(plan["params"], output_dir=str(build.resolve()))
        jobs = [(src, build / src.name, params) for src in nb_paths]
        current = "notebooks"
        timings.update(execute_notebooks(jobs, build, deadline, reuse_kernel))
        current = "report.html"
        t0 = time.perf_counter()
        import nbformat

        executed = [nbformat.read(build / src.name, as_version=4) for src in nb_paths]
        flags = input_flags(inputs)
        info = {
            "scenario": scenario.name,
            "title": scenario.title,
            "description": scenario.description,
            "area": _area(scenario.area),
            "created": created,
            "run_id": run_id,
            "data_version": plan["fingerprint"][:16],
            "model_version": manifest["model_version"],
            "seed": plan["seed"],
            "flags": [text(f"report.flag_{k}", plan["lang"]) for k in ("estimated", "synthetic") if flags[k]],
        }
        from touna_policy.report.frontpage import (
            front_page_html,
        )  # the Bupati's one-minute summary comes first (issue 7)

        html = write_html(
            executed, build / "report.html", info, plan["lang"], front_page=front_page_html(result, plan["lang"])
        )
        timings["html"] = round(time.perf_counter() - t0, 3)
        if pdf:
            current = "report.pdf"
            _pdf(html, warnings, timings)
        _finish(build, target, manifest, timings, warnings, t_start)
    except BaseException as exc:
        message = str(exc) if isinstance(exc, NotebookFailed) else f"{current}: {type(exc).__name__}: {exc}"
        _fail(build, failed, manifest, timings, message, exc, f"run of {scenario.name}")
    return RunResult(
        str(scenario_path),
        scenario.name,
        "complete",
        str(target),
        round(time.perf_counter() - t_start, 3),
        warnings=warnings,
    )


def _area(code: str) -> str:
    from touna_policy.report.narrative import area_name

    try:
        return f"{area_name(code)} ({code})" if code else area_name(code)
    except Exception:  # noqa: BLE001 - a title page must not fail on a missing name
        return code


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
            _name_of(scenario_path),
            "failed",
            failed.group(1) if failed else "",
            round(time.perf_counter() - t0, 3),
            str(exc).split("\n  partial results:")[0],
        )
    except Exception as exc:  # noqa: BLE001 - one bad scenario must not stop a batch
        return RunResult(
            str(scenario_path),
            _name_of(scenario_path),
            "failed",
            "",
            round(time.perf_counter() - t0, 3),
            f"{type(exc).__name__}: {exc}",
        )


def _name_of(path: str | Path) -> str:
    return Path(path).stem


# ------------------------------------------------------------------------------------------------
# Comparison and batch
# ------------------------------------------------------------------------------------------------


def compare(
    run_dirs: Sequence[str | Path],
    out: str | Path | None = None,
    lang: str = "id",
    pdf: bool = False,
    timeout: float | None = None,
    notebooks_dir: str | Path | None = None,
    resume: bool = False,
) -> RunResult:
    """Comparison report of finished runs into ``out/comparison/<run-id>/`` (same atomic rules as :func:`run`).

    With ``resume``, a complete comparison of the same runs (same notebook, language and version) is reused.
    """
    import hashlib
    import json

    import nbformat

    from touna_policy import __version__
    from touna_policy.pipeline.manifest import FAILED_SUFFIX, PARTIAL_PREFIX, file_checksums, read_manifest
    from touna_policy.pipeline.notebook_params import check_parameters
    from touna_policy.report.html import write_html
    from touna_policy.report.i18n import check_language, text

    t_start = time.perf_counter()
    lang = check_language(lang)
    nb = Path(notebooks_dir or config.NOTEBOOKS_DIR) / COMPARISON_NOTEBOOK
    runs = [Path(d).resolve() for d in run_dirs]
    manifests = []
    for d in runs:
        m = read_manifest(d)
        if not m or m.get("status") != "complete":
            raise InputError.single(d, "run folder", "no complete manifest.json", "a finished run folder")
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
    if resume:
        from touna_policy.pipeline.manifest import find_matching_run

        match = find_matching_run(Path(out or config.REPORTS_DIR), COMPARISON_DIR, fingerprint)
        if match is not None:
            return RunResult("", COMPARISON_DIR, "skipped", str(match))
    base = Path(out or config.REPORTS_DIR) / COMPARISON_DIR
    base.mkdir(parents=True, exist_ok=True)
    reap_stale_partials(base)
    run_id = new_run_id(base, fingerprint)
    build, target, failed = base / (PARTIAL_PREFIX + run_id), base / run_id, base / (run_id + FAILED_SUFFIX)
    build.mkdir()
    (build / OWNER_FILE).write_text(f"{os.getpid()}\n")
    created = _utc_now()
    timings: dict[str, float] = {}
    warnings: list[str] = []
    manifest = {
        "kind": "comparison",
        "status": "running",
        "run_id": run_id,
        "created": created,
        "scenario": {"name": COMPARISON_DIR, "title": text("report.comparison_title", lang)},
        "runs": [
            {"scenario": m["scenario"]["name"], "run_id": m["run_id"], "path": str(d)} for m, d in zip(manifests, runs)
        ],
        "lang": lang,
        "inputs_fingerprint": fingerprint,
        "notebook_checksums": nb_sums,
        "package_version": __version__,
        "model_version": _model_version(),
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
        info = {
            "scenario": text("report.comparison_title", lang),
            "title": ", ".join(m["scenario"]["name"] for m in manifests),
            "description": text("report.comparison_runs", lang)
            + ": "
            + ", ".join(f"{m['scenario']['name']}/{m['run_id']}" for m in manifests),
            "created": created,
            "run_id": run_id,
            "data_version": fingerprint[:16],
            "model_version": manifest["model_version"],
            "flags": [text(f"report.flag_{k}", lang) for k in ("estimated", "synthetic") if manifest[f"{k}_inputs"]],
        }
        html = write_html([nbformat.read(build / nb.name, as_version=4)], build / "report.html", info, lang)
        timings["html"] = round(time.perf_counter() - t0, 3)
        if pdf:
            _pdf(html, warnings, timings)
        _finish(build, target, manifest, timings, warnings, t_start)
    except BaseException as exc:
        message = str(exc) if isinstance(exc, NotebookFailed) else f"comparison: {type(exc).__name__}: {exc}"
        _fail(build, failed, manifest, timings, message, exc, "comparison report")
    return RunResult(
        "", COMPARISON_DIR, "complete", str(target), round(time.perf_counter() - t_start, 3), warnings=warnings
    )


class _SerialExecutor(cf.Executor):
    """Runs each call at submit time in this process (``--jobs 1``, debugging, tests)."""

    def submit(self, fn, /, *args, **kwargs):
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001
            future.set_exception(exc)
        return future


def _process_executor(jobs: int, **_options) -> cf.Executor:
    import multiprocessing

    return cf.ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))


def _serial_executor(jobs: int, **_options) -> cf.Executor:
    return _SerialExecutor()


def _dask_executor(jobs: int, **options) -> cf.Executor:
    from touna_policy.pipeline.executors import (
        dask_pool,
    )  # issue 6: a LocalCluster, or the cluster at options["scheduler"]

    return dask_pool(jobs, **options)


# Executor name -> factory(jobs, **options) returning a concurrent.futures.Executor.
EXECUTORS: dict[str, Callable[..., cf.Executor]] = {
    "process": _process_executor,
    "serial": _serial_executor,
    "dask": _dask_executor,
}


def batch(
    scenarios: Iterable[str | Path] | None = None,
    out: str | Path | None = None,
    jobs: int | None = None,
    resume: bool = False,
    timeout: float | None = None,
    lang: str = "id",
    pdf: bool = False,
    seed: int | None = None,
    executor: str = "process",
    progress: bool = True,
    comparison: bool = True,
    notebooks_dir: str | Path | None = None,
    executor_options: dict | None = None,
) -> BatchResult:
    """Run many scenarios in parallel, continue past failures, then the comparison report and the index.

    With ``resume``, a scenario whose inputs fingerprint (scenario file, data checksums, notebooks,
    package version, seed, language) matches a complete run is skipped and that run is reused.
    """
    from tqdm import tqdm

    from touna_policy.pipeline.manifest import find_matching_run
    from touna_policy.report.html import write_index
    from touna_policy.report.i18n import check_language
    from touna_policy.scenario import shipped_scenarios

    lang = check_language(lang)
    if executor not in EXECUTORS:
        from touna_policy.errors import did_you_mean

        raise InputError.single(
            "<batch>", "--executor", repr(executor), f"one of {', '.join(EXECUTORS)}", did_you_mean(executor, EXECUTORS)
        )
    paths = [str(p) for p in (scenarios or shipped_scenarios())]
    if not paths:
        raise InputError.single("<batch>", "scenarios", "none", "at least one scenario YAML file")
    out = str(Path(out or config.REPORTS_DIR))
    jobs = max(1, int(jobs or os.cpu_count() or 1))
    results: dict[int, RunResult] = {}
    todo = []
    for n, path in enumerate(paths):
        if resume:
            try:
                name, fingerprint = inputs_fingerprint_for(path, seed, lang, notebooks_dir)
                match = find_matching_run(out, name, fingerprint)
            except TounaError:
                match = None  # the run itself reports the problem
            if match is not None:
                results[n] = RunResult(path, name, "skipped", str(match))
                continue
        todo.append(n)
    bar = tqdm(
        total=len(paths), initial=len(results), desc="scenarios", unit="run", disable=not progress, file=sys.stderr
    )
    if todo:
        pool = EXECUTORS[executor](min(jobs, len(todo)), **(executor_options or {}))
        try:
            futures = {
                pool.submit(
                    run_one,
                    paths[n],
                    out,
                    seed,
                    lang,
                    pdf,
                    timeout,
                    None if notebooks_dir is None else str(notebooks_dir),
                ): n
                for n in todo
            }
            for future in cf.as_completed(futures):
                n = futures[future]
                try:
                    results[n] = future.result()
                except Exception as exc:  # noqa: BLE001 - a worker that died
                    results[n] = RunResult(
                        paths[n], _name_of(paths[n]), "failed", "", 0.0, f"{type(exc).__name__}: {exc}"
                    )
                bar.set_postfix_str(f"{results[n].scenario}: {results[n].status}")
                bar.update(1)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        finally:
            bar.close()
        pool.shutdown(wait=True)
    else:
        bar.close()
    ordered = [results[n] for n in range(len(paths))]
    comp = None
    finished = [r.run_dir for r in ordered if r.ok]
    if comparison and finished:
        try:
            comp = compare(finished, out, lang, pdf, timeout, notebooks_dir, resume=resume)
        except TounaError as exc:
            comp = RunResult("", COMPARISON_DIR, "failed", "", 0.0, str(exc))
    index = write_index(out, lang)
    return BatchResult(ordered, comp, str(index))


def format_table(result: BatchResult) -> str:
    """The end-of-batch table: one line per scenario (and the comparison) with status, seconds, folder or error."""
    rows = result.results + ([result.comparison] if result.comparison else [])
    width = max([8] + [len(r.scenario) for r in rows])
    lines = [f"{'scenario':<{width}}  {'status':<8}  {'seconds':>7}  folder / error", "-" * (width + 40)]
    for r in rows:
        detail = r.run_dir if r.ok else f"{r.error}" + (f" [{r.run_dir}]" if r.run_dir else "")
        lines.append(f"{r.scenario:<{width}}  {r.status:<8}  {r.seconds:>7.1f}  {detail}")
    ok = sum(r.ok for r in rows)
    lines.append(f"{ok} succeeded, {len(rows) - ok} failed; index: {result.index}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------
# CLI
# ------------------------------------------------------------------------------------------------


def _positive_float(value: str) -> float:
    try:
        f = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not f > 0:
        raise argparse.ArgumentTypeError(f"{value!r}: expected a positive number of seconds")
    return f


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: expected 1 or more")
    return n


def _cmd_run(args: argparse.Namespace) -> int:
    from touna_policy.io import check_output_folder

    check_output_folder(args.out or config.REPORTS_DIR)
    result = run(args.scenario, args.out, args.seed, args.lang, args.pdf, args.timeout)
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    from touna_policy.report.html import write_index

    index = write_index(args.out or config.REPORTS_DIR, args.lang)
    print(f"wrote {result.run_dir} ({result.seconds:.1f} s); index: {index}")
    return EXIT_OK


def _cmd_batch(args: argparse.Namespace) -> int:
    from touna_policy.io import check_output_folder

    if args.scheduler and args.executor != "dask":  # refused before anything is created
        raise InputError.single(
            "<batch>", "--scheduler", f"--executor {args.executor}", "--executor dask with --scheduler"
        )
    check_output_folder(args.out or config.REPORTS_DIR)
    result = batch(
        args.scenarios or None,
        args.out,
        args.jobs,
        args.resume,
        args.timeout,
        args.lang,
        args.pdf,
        args.seed,
        args.executor,
        progress=not args.quiet,
        executor_options={"scheduler": args.scheduler} if args.scheduler else None,
    )
    print(format_table(result))
    for r in result.results + ([result.comparison] if result.comparison else []):
        for w in r.warnings:
            print(f"warning: {r.scenario}: {w}", file=sys.stderr)
    return EXIT_RUN_FAILED if result.failed else EXIT_OK


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default=None, help=f"reports folder (default {config.REPORTS_DIR})")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: the scenario's seed)")
    p.add_argument("--lang", default="id", help="report language: id (default) or en")
    p.add_argument("--pdf", action="store_true", help="also print report.pdf with headless Chromium")
    p.add_argument("--timeout", type=_positive_float, default=None, help="seconds a scenario's run may take")


def register_cli(sub) -> None:
    """Add ``run`` and ``batch`` to the ``touna-policy`` command."""
    p = sub.add_parser("run", help="run one scenario's report notebooks into reports/<scenario>/<run-id>/")
    p.add_argument("scenario", help="scenario YAML file")
    _common(p)
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("batch", help="run many scenarios in parallel, then a comparison report and reports/index.html")
    p.add_argument("scenarios", nargs="*", help="scenario YAML files (default: every shipped scenario)")
    _common(p)
    p.add_argument("--jobs", type=_positive_int, default=None, help="parallel runs (default: all cores)")
    p.add_argument("--resume", action="store_true", help="skip scenarios whose inputs match a finished run")
    p.add_argument("--executor", default="process", choices=sorted(EXECUTORS), help="where runs execute")
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="with --executor dask: a running scheduler (tcp://host:8786); default: a LocalCluster here",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_batch)
