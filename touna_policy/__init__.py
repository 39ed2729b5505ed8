"""touna-policy: coverage, cost and budget of village-funded BPJS Ketenagakerjaan for vulnerable workers.

Public API
----------
load_scenario(path) -> Scenario
load_inputs(area_code) -> ModelInputs
project(scenario, inputs=None) -> ProjectionResult
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

try:
    __version__ = _version("touna-policy")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

from touna_policy.errors import InputError, RunError  # noqa: E402
from touna_policy.model.inputs import ModelInputs, load_inputs  # noqa: E402
from touna_policy.model.projection import ProjectionResult, project  # noqa: E402
from touna_policy.scenario import Scenario, load_scenario  # noqa: E402

__all__ = [
    "InputError",
    "RunError",
    "ModelInputs",
    "load_inputs",
    "ProjectionResult",
    "project",
    "Scenario",
    "load_scenario",
    "__version__",
]
