"""Execute a run's notebooks with papermill in one kernel, and describe a failure in one line."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from touna_policy.errors import RunError
from touna_policy.pipeline.kernel import KERNEL_NAME, interpreter_kernel, reset_namespace, skip_slow_optional_imports

# papermill rewrites the output notebook before and after every cell when true (about 0.1 s a run), so a
# run that times out or loses its kernel still leaves the partly executed notebook; false saves it only
# at the end or on a failing cell.
SAVE_EVERY_CELL = True

SHARED_IMPORTS = (
    "IPython.display",
    "touna_policy.config",
    "touna_policy.notebook",
    "touna_policy.report.charts",
    "touna_policy.report.tables",
)
"""Modules every report notebook imports: loaded once into the reused kernel while it starts (about
1 s of pandas, pydantic and matplotlib), so no notebook's first cell pays for them."""


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
    """Import ``modules`` in the kernel without binding a name, echoing, or counting an execution.

    A module that fails to import is left to the notebook that imports it (its cell names the error).
    """
    names = ", ".join(repr(m) for m in modules)
    code = f"for _module in ({names},):\n    __import__(_module)\ndel _module"
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
