"""Execute a run's notebooks with papermill in one kernel, and describe a failure in one line."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from touna_policy.errors import RunError
from touna_policy.pipeline.kernel import KERNEL_NAME, interpreter_kernel, reset_namespace, skip_slow_optional_imports

SHARED_IMPORTS = (
    "IPython.display",
    "touna_policy.config",
    "touna_policy.notebook",
    "touna_policy.report.charts",
    "touna_policy.report.tables",
    "touna_policy.report.i18n",
    "touna_policy.report.narrative",
    "touna_policy.report.analysis_text",
    "touna_policy.report.levels",
    "touna_policy.report.figures",
    "touna_policy.analysis.uncertainty",
    "scipy.stats",
)
"""Modules the report notebooks import (each of them in most notebooks): loaded once into the reused
kernel while it starts (about 1 s of pandas, pydantic and matplotlib), so no notebook's first cell
pays for them. ``scipy.stats`` (about 0.8 s) is among them because every report run needs it: the
uncertain inputs' quantile functions of notebooks 06, 07 and 08 and SALib's Sobol in 07; the cost moves
into the kernel's start, it is not saved. The heavy libraries only one notebook needs (statsmodels,
SALib beyond scipy) are not among them."""

WARM_UP = """
for _module in ({names},):
    __import__(_module)
del _module
import gc as _gc
_gc.collect()
_gc.freeze()
del _gc
"""
"""What the kernel runs once it starts: the shared imports, then :func:`gc.freeze`, which moves every
object alive at that point (modules, classes, caches: over a million objects) out of the cyclic
garbage collector's sight. Collections (the kernel's ``%reset`` between notebooks runs one; pandas and
matplotlib trigger many) then traverse only what the notebooks create: 0.2 s less per ``%reset``."""


class NotebookFailed(RunError):
    """A notebook of a run failed; ``notebook`` names it."""

    def __init__(self, message: str, notebook: str):
        super().__init__(message)
        self.notebook = notebook


def describe_failure(exc: BaseException, notebook: str) -> str:
    """``02-coverage-projection.ipynb, cell 5: ZeroDivisionError: division by zero``."""
    from papermill.exceptions import PapermillExecutionError  # lazy: papermill is heavy

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


def import_shared_modules(km, modules: Sequence[str] = SHARED_IMPORTS, timeout: float = 120) -> None:
    """Import ``modules`` in the kernel without binding a name, echoing, or counting an execution, then
    freeze what is alive (:data:`WARM_UP`).

    A module that fails to import is left to the notebook that imports it (its cell names the error).
    """
    code = WARM_UP.format(names=", ".join(repr(m) for m in modules))
    kc = km.blocking_client()
    kc.start_channels()
    try:
        kc.execute_interactive(code, silent=True, store_history=False, timeout=timeout, output_hook=lambda msg: None)
    except TimeoutError:  # a kernel too slow to import them: each notebook then imports its own
        pass
    finally:
        kc.stop_channels()


def execute_notebooks(
    jobs: Sequence[tuple[Path, Path, dict]], build_dir: Path, deadline: float | None, reuse_kernel: bool = True
) -> dict[str, float]:
    """Execute ``(source, target, parameters)`` in order with papermill; returns seconds per notebook.

    Raises :class:`NotebookFailed` naming the notebook, the cell and the error; the partly executed
    notebook is left at its target path. An interrupt (Ctrl-C) is raised as itself, not as a failure.
    """
    skip_slow_optional_imports()
    import papermill as pm  # lazy: papermill is heavy

    from touna_policy.pipeline.papermill_engine import ENGINE_NAME  # lazy: imports papermill

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
                engine_name=ENGINE_NAME,  # writes the notebook when it starts and ends, not around each cell
                request_save_on_cell_execute=True,  # passes the output path to the engine
                progress_bar=False,
                log_output=False,
                execution_timeout=remaining,
                start_timeout=60,
            )
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:
            raise NotebookFailed(describe_failure(exc, src.name), src.name) from exc
        finally:
            timings[src.name] = round(time.perf_counter() - t0, 3)
        if deadline is not None and time.monotonic() > deadline:
            raise NotebookFailed(f"{src.name}: the run exceeded its time limit", src.name)

    if reuse_kernel:
        t0 = time.perf_counter()
        with interpreter_kernel(log_path) as km:
            import_shared_modules(km)  # counted with the kernel's start: every notebook needs them
            timings["kernel_start"] = round(time.perf_counter() - t0, 3)
            for n, (src, dst, params) in enumerate(jobs):
                if n:
                    reset_namespace(km)
                one(km, src, dst, params)
    else:
        for src, dst, params in jobs:
            with interpreter_kernel(log_path) as km:
                one(km, src, dst, params)
    return timings
