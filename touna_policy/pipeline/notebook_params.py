"""Notebook parameters: one typed model, checked before a run and again inside every notebook.

papermill only warns when a parameter is not in a notebook's ``parameters`` cell and injects it
anyway; this project refuses it, with the nearest valid name, and checks every value's type and
range against one typed model (:class:`NotebookParameters`, whose ``seed`` carries the same
constraints as :class:`~touna_policy.scenario.Scenario`'s):

- :func:`check_parameters`: by ``touna-policy run`` before any kernel starts (from the notebook file);
- :func:`check_namespace`: by ``touna_policy.notebook.setup(globals())``, the first call after the
  parameters cell, under any client (plain papermill, nbval, JupyterLab), from the kernel's history.

Also here: the committed form of a notebook (:data:`NOTEBOOK_METADATA`, :func:`strip_notebook`, the git
filter and pre-commit hook) and the refresh of the nbval golden cells.
"""

from __future__ import annotations

import ast
import json
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import ConfigDict, Field, ValidationError

from touna_policy.errors import InputError, InputProblem, did_you_mean
from touna_policy.parameters.base import ParameterModel
from touna_policy.parameters.ranges import Seed
from touna_policy.scenario import Scenario

PARAMETERS_TAG = "parameters"
_COMPUTED = object()  # a default computed in the cell (e.g. a path from touna_policy.config)


class NotebookParameters(ParameterModel):
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


def _value_problems(
    label: str, declared: Mapping[str, Any], values: Mapping[str, Any]
) -> tuple[list[InputProblem], Any]:
    """Validate ``values`` against :class:`NotebookParameters`: the problems found and the model (or ``None``)."""
    problems: list[InputProblem] = []
    try:
        return problems, NotebookParameters.model_validate(dict(values))
    except ValidationError as exc:
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"])
            if err["type"] == "missing" and declared.get(name) is _COMPUTED:
                continue  # the notebook computes this default itself (e.g. a path from touna_policy.config)
            found = "nothing" if err["type"] == "missing" else repr(err.get("input"))[:80]
            expected = err["msg"].replace("Value error, ", "").replace("Input should be ", "")
            problems.append(
                InputProblem(label, f"parameter '{name}'", found, "a value" if err["type"] == "missing" else expected)
            )
    return problems, None


def _unknown(label: str, names: Iterable[str], declared: Iterable[str]) -> list[InputProblem]:
    declared = list(declared)
    return [
        InputProblem(
            label,
            f"parameter '{name}'",
            f"unknown parameter '{name}'",
            f"one of: {', '.join(declared)}",
            did_you_mean(name, declared),
        )
        for name in names
        if name not in declared
    ]


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
    problems = _unknown(str(path), parameters, declared)
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
    problems, model = _value_problems(str(path), declared, values)
    if problems:
        raise InputError(problems) from None
    if model is None:
        model = NotebookParameters.model_construct(**values)
    return {name: getattr(model, name) for name in declared if name in values}


# ------------------------------------------------------------------------------------------------
# Inside a running notebook: the namespace after the parameters cell (and papermill's injected cell)
# ------------------------------------------------------------------------------------------------

PARAMETERS_HEADER = "# Parameters of this notebook"
"""First line of every notebook's ``parameters`` cell: how :func:`check_namespace` finds it in the history."""
INJECTED_HEADER = "# Parameters\n"
"""How papermill's injected cell begins (``papermill.translators.PythonTranslator.codify``)."""


def assigned_names(source: str) -> list[str]:
    """The names a cell's source assigns at top level (``x = 1``, ``x: int = 1``), in order."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return []
    names: list[str] = []
    for node in body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        names += [t.id for t in targets if isinstance(t, ast.Name) and t.id not in names]
    return names


def parameter_cells(history: Sequence[str]) -> tuple[list[str] | None, list[str]]:
    """From a kernel's input history (IPython's ``In``, the current cell last): the names the last run
    ``parameters`` cell declares (``None`` if it is not in the history) and the names papermill injected
    after it."""
    past = list(history)[:-1]
    start = next((i for i in range(len(past) - 1, -1, -1) if past[i].startswith(PARAMETERS_HEADER)), None)
    if start is None:
        return None, []
    injected: list[str] = []
    for source in past[start + 1 :]:
        if source.startswith(INJECTED_HEADER):
            injected += [n for n in assigned_names(source) if n not in injected]
    return assigned_names(past[start]), injected


def check_namespace(namespace: Mapping[str, Any], label: str = "<notebook parameters>") -> NotebookParameters:
    """Check a running notebook's parameters: every name papermill injected must be one the notebook's
    ``parameters`` cell declares, and every declared value must have the type and range of
    :class:`NotebookParameters`. Returns the validated parameters (undeclared ones at their defaults).

    The names come from the kernel's input history (``In`` in the namespace); without one (a plain
    dict), only the values of the known parameters present are checked.

    Raises
    ------
    InputError
        ``unknown parameter 'scenaro_path'`` (did you mean 'scenario_path'?), or the value found and
        the type expected.
    """
    history = namespace.get("In")
    declared, injected = parameter_cells(history) if isinstance(history, list) else (None, [])
    if declared is None:
        declared = [n for n in KNOWN_PARAMETERS if n in namespace]
    problems = _unknown(label, injected, declared)
    problems += _unknown(label, [n for n in declared if n not in KNOWN_PARAMETERS], KNOWN_PARAMETERS)
    if problems:
        raise InputError(problems)
    missing = [n for n in declared if n not in namespace]
    if missing:
        raise InputError([InputProblem(label, f"parameter '{n}'", "nothing", "a value") for n in missing])
    values = {n: namespace[n] for n in declared}
    if "seed" not in values:
        values["seed"] = Scenario.model_fields["seed"].default
    problems, model = _value_problems(label, dict.fromkeys(declared), values)
    if problems:
        raise InputError(problems) from None
    return model


# ------------------------------------------------------------------------------------------------
# Committed form of a notebook: named kernel, pinned metadata, outputs only in the nbval golden cells
# ------------------------------------------------------------------------------------------------

KERNEL_SPEC_NAME = "touna-policy"
"""The kernelspec ``make install`` registers in the virtual environment (``--sys-prefix``)."""
NOTEBOOK_METADATA: dict[str, Any] = {
    "kernelspec": {"display_name": "Python (touna-policy)", "language": "python", "name": KERNEL_SPEC_NAME},
    "language_info": {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": "3.11.7",
    },
}
"""What JupyterLab writes into a notebook's metadata when its kernel starts; committed as is, so opening a
notebook changes nothing (the stripping restores it, e.g. a different Python version)."""
GOLDEN_MARK = "# NBVAL_CHECK_OUTPUT"
EXTRA_KEYS = (
    "metadata.signature",
    "metadata.widgets",
    "metadata.papermill",
    "metadata.toc",
    "cell.metadata.collapsed",
    "cell.metadata.scrolled",
    "cell.metadata.execution",
    "cell.metadata.ExecuteTime",
    "cell.metadata.papermill",
    "cell.metadata.heading_collapsed",
    "cell.metadata.hidden",
)
"""Metadata that papermill, JupyterLab or its extensions add and the committed notebooks never keep."""


def is_golden(cell: Mapping[str, Any]) -> bool:
    """A cell whose reference output nbval compares (``# NBVAL_CHECK_OUTPUT``, ``keep_output`` metadata)."""
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else source
    return cell.get("cell_type") == "code" and source.lstrip().startswith(GOLDEN_MARK)


def coalesce_streams(outputs: list) -> list:
    """Consecutive stream outputs of the same name as one (a kernel may send a print in several messages)."""
    merged: list = []
    for output in outputs:
        if merged and merged[-1].get("output_type") == "stream" and merged[-1].get("name") == output.get("name"):
            merged[-1]["text"] = _text(merged[-1]["text"]) + _text(output["text"])
        else:
            merged.append(output)
    return merged


def _text(text: str | list[str]) -> str:
    return "".join(text) if isinstance(text, list) else text


def strip_notebook(nb: Any) -> Any:
    """The project's stripping (the git filter and the pre-commit hook): nbstripout (outputs, counts and
    volatile metadata; outputs of cells with ``keep_output`` metadata stay), then the golden cells keep
    execution count 1 (nbval skips the reference output of a cell that looks unrun) and the notebook
    metadata is the pinned :data:`NOTEBOOK_METADATA`. Changes ``nb`` in place and returns it."""
    from nbstripout import strip_output  # dev tool, loaded only when stripping

    strip_output(nb, keep_output=None, keep_count=False, keep_id=True, extra_keys=list(EXTRA_KEYS))
    for cell in nb.cells:
        if cell.get("metadata", {}).get("tags") == []:
            del cell["metadata"]["tags"]  # papermill adds an empty list to every cell
        if is_golden(cell) and cell.get("metadata", {}).get("keep_output"):
            cell["execution_count"] = 1
            cell["outputs"] = coalesce_streams([o for o in cell["outputs"] if o.get("output_type") == "stream"])
    nb.metadata.update(json.loads(json.dumps(NOTEBOOK_METADATA)))
    return nb


def strip_file(path: str | Path) -> bool:
    """Strip one notebook file in place; ``True`` if it changed."""
    import nbformat  # heavy (jsonschema), loaded only when a notebook file is rewritten

    path = Path(path)
    before = path.read_text(encoding="utf-8")
    after = nbformat.writes(strip_notebook(nbformat.reads(before, as_version=4))) + "\n"
    if after != before:
        path.write_text(after, encoding="utf-8")
    return after != before


def refresh_checked_outputs(notebook: str | Path) -> int:
    """Re-execute a notebook with its default parameters and store the new reference output of every
    cell marked ``# NBVAL_CHECK_OUTPUT`` (other cells stay without output). Returns the cells updated.

    For after a deliberate change of a published number: ``python -m touna_policy.pipeline.notebook_params
    notebooks/03-budget.ipynb``; review the diff before committing.
    """
    import nbformat  # heavy (jsonschema), loaded only when a notebook file is rewritten
    import papermill as pm

    path = Path(notebook)
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="touna-refresh-") as tmp:
        executed = pm.execute_notebook(
            str(path), str(Path(tmp) / path.name), kernel_name=KERNEL_SPEC_NAME, progress_bar=False
        )
    done = [c for c in executed.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    updated = 0
    for cell, ran in zip(nb.cells, done, strict=True):
        if cell.cell_type == "code" and cell.source.lstrip().startswith("# NBVAL_CHECK_OUTPUT"):
            cell.outputs = coalesce_streams([o for o in ran.outputs if o.get("output_type") == "stream"])
            cell.execution_count = 1  # nbval skips stored outputs of cells that look unrun
            cell.metadata["keep_output"] = True  # nbstripout keeps it
            updated += 1
    nbformat.write(strip_notebook(nb), path)
    return updated


def main(argv: Sequence[str]) -> int:
    """``strip NB...``: the project's stripping in place (the pre-commit hook); ``strip --stdin``: as a git
    clean filter, stdin to stdout; ``strip --textconv NB``: as a git diff driver; ``NB...``: refresh the
    golden cells' reference outputs."""
    if argv[:1] == ["strip"]:
        if "--textconv" in argv:  # git diff driver: the stripped file on stdout
            import nbformat  # heavy (jsonschema), loaded only when a notebook file is rewritten

            path = Path(argv[-1])
            nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
            sys.stdout.write(nbformat.writes(strip_notebook(nb)) + "\n")
            return 0
        if "--stdin" in argv:
            import nbformat  # heavy (jsonschema), loaded only when a notebook file is rewritten

            sys.stdout.write(nbformat.writes(strip_notebook(nbformat.reads(sys.stdin.read(), as_version=4))) + "\n")
            return 0
        changed = [a for a in argv[1:] if strip_file(a)]
        for a in changed:
            print(f"stripped {a}")
        return 1 if changed else 0  # pre-commit: a changed file fails the hook once, then is staged stripped
    for arg in argv:
        print(f"{arg}: {refresh_checked_outputs(arg)} checked cell(s) refreshed")
    return 0


if __name__ == "__main__":  # pragma: no cover - maintenance command
    sys.exit(main(sys.argv[1:]))
