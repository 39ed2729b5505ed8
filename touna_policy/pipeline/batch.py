"""``touna-policy batch``: many scenarios through an executor, then the comparison report and the index.

Runs go through an executor from :data:`~touna_policy.pipeline.executors.EXECUTORS` (``process``,
``serial``, ``dask``) calling the picklable :func:`~touna_policy.pipeline.run.run_one`. A batch that
names one scenario twice, or two files sharing one scenario ``name``, is refused before any run.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from touna_policy import config
from touna_policy.errors import InputError, TounaError, did_you_mean
from touna_policy.pipeline.compare import compare
from touna_policy.pipeline.executors import EXECUTORS
from touna_policy.pipeline.index import write_index
from touna_policy.pipeline.manifest import find_matching_run
from touna_policy.pipeline.results import BatchResult, RunResult
from touna_policy.pipeline.run import inputs_fingerprint_for, run_one, scenario_label
from touna_policy.pipeline.run_folder import COMPARISON_DIR, RESERVED_NAMES
from touna_policy.report.i18n import check_language
from touna_policy.scenario import load_scenario, shipped_scenarios


def check_distinct_scenarios(paths: list[str]) -> None:
    """Refuse (exit 2) a batch naming one scenario file twice, two files that share one ``name``, or a
    scenario named as a folder the tool uses itself (:data:`RESERVED_NAMES`).

    A file that cannot be read is left for its run to report.
    """
    seen_files: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    for path in paths:
        key = os.path.realpath(path)
        if key in seen_files:
            raise InputError.single(
                path, "scenarios", f"the same file as {seen_files[key]}", "each scenario file once in a batch"
            )
        seen_files[key] = path
        try:
            name = load_scenario(path).name
        except InputError as exc:
            # a reserved name would collide with the tool's own folders: refused for the whole batch;
            # any other problem is left for the scenario's own run to report
            if any(p.location.startswith("key 'name'") and p.found.strip("'") in RESERVED_NAMES for p in exc.problems):
                raise
            continue
        except (TounaError, OSError):
            continue
        if name in seen_names:
            raise InputError.single(
                path,
                "key 'name'",
                f"{name!r}, the name of {seen_names[name]} too",
                "a different name for each scenario of a batch (their runs share reports/<name>/)",
            )
        seen_names[name] = path


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
    from tqdm import tqdm  # lazy: only a batch shows a progress bar

    lang = check_language(lang)
    if executor not in EXECUTORS:
        raise InputError.single(
            "<batch>", "--executor", repr(executor), f"one of {', '.join(EXECUTORS)}", did_you_mean(executor, EXECUTORS)
        )
    paths = [str(p) for p in (scenarios or shipped_scenarios())]
    if not paths:
        raise InputError.single("<batch>", "scenarios", "none", "at least one scenario YAML file")
    check_distinct_scenarios(paths)
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
                        paths[n], scenario_label(paths[n]), "failed", "", 0.0, f"{type(exc).__name__}: {exc}"
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
