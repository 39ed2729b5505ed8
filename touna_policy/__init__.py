"""touna-policy: coverage, cost and budget of village-funded BPJS Ketenagakerjaan for vulnerable workers.

Public API
----------
load_scenario(path) -> Scenario
load_inputs(area_code) -> ModelInputs
project(scenario, inputs=None) -> ProjectionResult
"""


def __getattr__(name: str) -> str:
    """``__version__`` read from the installed metadata on first use (importlib.metadata costs about
    30 ms, which a CLI start that never shows the version should not pay)."""
    if name != "__version__":
        raise AttributeError(f"module 'touna_policy' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version  # lazy: see above

    try:
        found = version("touna-policy")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        found = "0.0.0+unknown"
    globals()["__version__"] = found
    return found


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
