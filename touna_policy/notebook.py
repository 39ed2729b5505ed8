"""The report notebooks' one setup call.

Every notebook runs, right after its ``parameters`` cell::

    from touna_policy.notebook import setup

    nb = setup(globals())

:func:`setup` checks the parameters first, under any client (JupyterLab, plain papermill, nbval, the
project runner): a name papermill injected that the notebook does not declare, or a value of the wrong
type, stops the notebook in that cell with the project's message (``did you mean 'scenario_path'?``).
Then it resolves relative paths (from ``notebooks/`` or the project root) and hands back a
:class:`Notebook` whose scenario, inputs and projection are loaded on first use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import touna_policy as tp
from touna_policy.config import locate_input
from touna_policy.model.inputs import ModelInputs
from touna_policy.model.projection import ProjectionResult
from touna_policy.pipeline.notebook_params import NotebookParameters, check_namespace
from touna_policy.report import i18n
from touna_policy.report import levels as rl
from touna_policy.scenario import Scenario


@dataclass
class Notebook:
    """A report notebook's checked parameters and what it reads (scenario, inputs, projection, level)."""

    params: NotebookParameters
    scenario_file: Path | None = None
    _loaded: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def lang(self) -> str:
        return self.params.lang

    @property
    def seed(self) -> int:
        return self.params.seed

    @property
    def output_dir(self) -> str:
        return self.params.output_dir

    @property
    def run_dirs(self) -> list[str]:
        """The run folders to compare, each located like a scenario path."""
        return [str(locate_input(d, "run folder")) for d in self.params.run_dirs]

    def T(self, key: str, **values: Any) -> str:  # noqa: N802 - the notebooks' short name for catalogue text
        """Catalogue text in the report language."""
        return i18n.text(key, self.lang, **values)

    @cached_property
    def scenario(self) -> Scenario:
        if self.scenario_file is None:
            self.scenario_file = locate_input(self.params.scenario_path, "scenario YAML file")
        return tp.load_scenario(self.scenario_file)

    @cached_property
    def inputs(self) -> ModelInputs:
        return tp.load_inputs(self.scenario.area)

    @cached_property
    def result(self) -> ProjectionResult:
        return tp.project(self.scenario, self.inputs)

    @cached_property
    def level(self) -> str:
        """Kecamatan of a kabupaten, kabupaten of a province, provinces of Indonesia."""
        return rl.report_level(self.scenario.area)


def setup(namespace: Mapping[str, Any], *, label: str | None = None) -> Notebook:
    """Check a notebook's parameters (pass ``globals()``) and return its :class:`Notebook`.

    Raises
    ------
    InputError
        an injected parameter the notebook does not declare (with the nearest valid name), a value of
        the wrong type or range, or a scenario file found neither from the working directory nor from
        the project root (both places named).
    """
    where = label or str(namespace.get("__session__") or "<notebook parameters>")
    params = check_namespace(namespace, where)
    scenario_file = locate_input(params.scenario_path, "scenario YAML file") if "scenario_path" in namespace else None
    return Notebook(params, scenario_file)
