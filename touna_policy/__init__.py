"""touna-policy: coverage, cost and budget of village-funded BPJS Ketenagakerjaan for vulnerable workers.

Public API
----------
load_scenario(path) -> Scenario
load_inputs(area_code) -> ModelInputs
project(scenario, inputs=None) -> ProjectionResult
"""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("touna-policy")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

from .errors import InputError, RunError  # noqa: E402
from .inputs import ModelInputs, load_inputs  # noqa: E402
from .projection import ProjectionResult, project  # noqa: E402
from .scenario import Scenario, load_scenario  # noqa: E402

__all__ = ["InputError", "RunError", "ModelInputs", "load_inputs", "ProjectionResult", "project", "Scenario",
           "load_scenario", "__version__"]
