"""Notebook parameters, checked before a notebook runs.

papermill only warns when a parameter is not in a notebook's ``parameters`` cell and injects it
anyway; this project refuses it, with the nearest valid name, and checks every value's type and
range against one typed model (:class:`NotebookParameters`, whose ``seed`` carries the same
constraints as :class:`~touna_policy.scenario.Scenario`'s) before any kernel starts.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from touna_policy.errors import InputError, InputProblem, did_you_mean
from touna_policy.parameters.ranges import Seed

PARAMETERS_TAG = "parameters"
_COMPUTED = object()  # a default computed in the cell (e.g. a path from touna_policy.config)


class NotebookParameters(BaseModel):
    """Every parameter a report notebook may declare, with its type and range."""

    model_config = ConfigDict(extra="forbid", strict=True)

    scenario_path: str = Field(min_length=1, description="scenario YAML file")
    output_dir: str = Field("", description="folder for the notebook's tables and figures; empty: write nothing")
    seed: Seed = Field(description="random seed (same range as a scenario's seed)")
    lang: Literal["id", "en"] = Field("id", description="report language")
    run_dirs: list[str] = Field(default_factory=list, description="run folders to compare (comparison notebook)")


KNOWN_PARAMETERS = tuple(NotebookParameters.model_fields)


def _parameters_source(nb: Mapping[str, Any]) -> str | None:
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and PARAMETERS_TAG in cell.get("metadata", {}).get("tags", []):
            src = cell.get("source", "")
            return "".join(src) if isinstance(src, list) else src
    return None


def declared_parameters(notebook: str | Path) -> dict[str, Any]:
    """The names (and literal defaults) assigned in a notebook's cell tagged ``parameters``.

    A default that is not a literal (computed in the cell) is represented by a private sentinel.

    Raises :class:`InputError` if the notebook has no such cell.
    """
    path = Path(notebook)
    nb = json.loads(path.read_text(encoding="utf-8"))
    source = _parameters_source(nb)
    if source is None:
        raise InputError.single(
            path, "cells", "no cell tagged 'parameters'", "one code cell tagged 'parameters' holding the defaults"
        )
    out: dict[str, Any] = {}
    for node in ast.parse(source).body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        value = getattr(node, "value", None)
        for target in targets:
            if isinstance(target, ast.Name):
                try:
                    out[target.id] = ast.literal_eval(value) if value is not None else _COMPUTED
                except ValueError:
                    out[target.id] = _COMPUTED
    return out


def check_parameters(notebook: str | Path, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """Refuse parameters the notebook does not declare and values of the wrong type or range.

    Returns the parameters as validated values (the notebook's declared defaults filled in).

    Raises
    ------
    InputError
        one problem per bad parameter: ``unknown parameter 'sed'`` with ``did you mean 'seed'?``, or
        the value found and the type/range expected.
    """
    path = Path(notebook)
    declared = declared_parameters(path)
    problems: list[InputProblem] = []
    for name in parameters:
        if name not in declared:
            problems.append(
                InputProblem(
                    str(path),
                    f"parameter '{name}'",
                    f"unknown parameter '{name}'",
                    f"one of: {', '.join(declared)}",
                    did_you_mean(name, declared),
                )
            )
    for name in declared:
        if name not in KNOWN_PARAMETERS:
            problems.append(
                InputProblem(
                    str(path),
                    f"parameters cell, '{name}'",
                    f"undeclared parameter '{name}'",
                    f"one of the typed parameters: {', '.join(KNOWN_PARAMETERS)}",
                    did_you_mean(name, KNOWN_PARAMETERS),
                )
            )
    if problems:
        raise InputError(problems)
    values = {k: v for k, v in declared.items() if v is not _COMPUTED}
    values.update(parameters)
    try:
        model = NotebookParameters.model_validate(values)
    except ValidationError as exc:
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"])
            if err["type"] == "missing" and declared.get(name) is _COMPUTED:
                continue  # the notebook computes this default itself (e.g. a path from touna_policy.config)
            found = "nothing" if err["type"] == "missing" else repr(err.get("input"))[:80]
            expected = err["msg"].replace("Value error, ", "").replace("Input should be ", "")
            problems.append(
                InputProblem(
                    str(path), f"parameter '{name}'", found, "a value" if err["type"] == "missing" else expected
                )
            )
        if problems:
            raise InputError(problems) from None
        model = NotebookParameters.model_construct(**values)
    return {name: getattr(model, name) for name in declared if name in values}


def refresh_checked_outputs(notebook: str | Path) -> int:
    """Re-execute a notebook with its default parameters and store the new reference output of every
    cell marked ``# NBVAL_CHECK_OUTPUT`` (other cells stay without output). Returns the cells updated.

    For after a deliberate change of a published number: ``python -m touna_policy.pipeline.notebook_params
    notebooks/03-budget.ipynb``; review the diff before committing.
    """
    import tempfile

    import nbformat

    from touna_policy.pipeline.kernel import KERNEL_NAME, skip_slow_optional_imports

    skip_slow_optional_imports()
    import papermill as pm

    path = Path(notebook)
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="touna-refresh-") as tmp:
        executed = pm.execute_notebook(
            str(path), str(Path(tmp) / path.name), kernel_name=KERNEL_NAME, progress_bar=False
        )
    done = [c for c in executed.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    updated = 0
    for cell, ran in zip(nb.cells, done):
        if cell.cell_type == "code" and cell.source.lstrip().startswith("# NBVAL_CHECK_OUTPUT"):
            cell.outputs = [o for o in ran.outputs if o.get("output_type") == "stream"]
            cell.execution_count = 1  # nbval skips stored outputs of cells that look unrun
            updated += 1
    nbformat.write(nb, path)
    return updated


if __name__ == "__main__":  # pragma: no cover - maintenance command
    import sys

    for arg in sys.argv[1:]:
        print(f"{arg}: {refresh_checked_outputs(arg)} checked cell(s) refreshed")
