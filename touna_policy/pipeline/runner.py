"""The pipeline's public face: one import for notebooks, benchmarks and scripts.

Each job lives in its own module; this one only gathers their public names:

- :mod:`~touna_policy.pipeline.run` - one scenario's run (:func:`run`, :func:`run_one`);
- :mod:`~touna_policy.pipeline.compare` - the comparison report (:func:`compare`);
- :mod:`~touna_policy.pipeline.batch` - many runs through an executor (:func:`batch`, :data:`EXECUTORS`);
- :mod:`~touna_policy.pipeline.run_folder` - run ids, build and failed folders, reaping;
- :mod:`~touna_policy.pipeline.execute` and :mod:`~touna_policy.pipeline.kernel` - notebooks in one kernel.
"""

from __future__ import annotations

from touna_policy.pipeline.batch import batch, format_table
from touna_policy.pipeline.compare import COMPARISON_NOTEBOOK, compare
from touna_policy.pipeline.execute import NotebookFailed, describe_failure, execute_notebooks
from touna_policy.pipeline.executors import EXECUTORS
from touna_policy.pipeline.kernel import KERNEL_NAME
from touna_policy.pipeline.results import BatchResult, RunResult
from touna_policy.pipeline.run import SCENARIO_NOTEBOOKS, inputs_fingerprint_for, run, run_one
from touna_policy.pipeline.run_folder import (
    COMPARISON_DIR,
    OWNER_FILE,
    RunInterrupted,
    claim_run_folder,
    new_run_id,
    reap_stale_partials,
    safe_child,
)

__all__ = [
    "COMPARISON_DIR",
    "COMPARISON_NOTEBOOK",
    "EXECUTORS",
    "KERNEL_NAME",
    "OWNER_FILE",
    "SCENARIO_NOTEBOOKS",
    "BatchResult",
    "NotebookFailed",
    "RunInterrupted",
    "RunResult",
    "batch",
    "claim_run_folder",
    "compare",
    "describe_failure",
    "execute_notebooks",
    "format_table",
    "inputs_fingerprint_for",
    "new_run_id",
    "reap_stale_partials",
    "run",
    "run_one",
    "safe_child",
]
