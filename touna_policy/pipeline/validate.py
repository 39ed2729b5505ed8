"""``touna-policy validate``: check scenario, parameter and data files, reporting every problem."""

from __future__ import annotations

from pathlib import Path

from touna_policy import config
from touna_policy.errors import InputError, InputProblem
from touna_policy.io import read_input_text


def _kind_of(path: Path) -> str:
    """Which validator a file needs, from its name and (for CSV) its header."""
    name = path.name
    if name.endswith((".yaml", ".yml")):
        if path.resolve() == Path(config.BPU_PARAMETERS_YAML).resolve() or name == "bpjs_bpu.yaml":
            return "bpu_parameters"
        if name == "coverage_assumptions.yaml":
            return "coverage_assumptions"
        return "scenario"
    if name.endswith((".csv", ".csv.gz")):
        try:
            header = read_input_text(path, "CSV file").splitlines()[0] if name.endswith(".csv") else ""
        except (InputError, IndexError):  # unreadable, not a regular file...: the loader says so
            header = ""
        columns = {c.strip() for c in header.split(",")}
        if "vulnerable_workers" in columns or "workforce" in name:
            return "workforce"
        if {"year", "population", "kind"} <= columns:
            return "regency_population"
        if "indicator" in columns:
            return "indicators"
        if {"male", "female", "total"} <= columns:
            return "kabupaten_population"
        return "registry"
    return "unknown"


def validate_file(path: str | Path) -> list[InputProblem]:
    """All problems of one file (empty list if valid)."""
    from touna_policy.data import population, registry, workforce
    from touna_policy.parameters import contributions, coverage_assumptions
    from touna_policy.scenario import load_scenario

    path = Path(path)
    if not path.exists():
        return [InputProblem(str(path), "", "no such file", "an existing scenario YAML or data CSV file")]
    if path.is_dir():
        return [InputProblem(str(path), "", "a folder", "a file")]
    kind = _kind_of(path)
    try:
        if kind == "scenario":
            from touna_policy.model.inputs import load_inputs
            from touna_policy.model.schedules import override_masks

            scenario = load_scenario(path)
            inputs = load_inputs(scenario.area)
            override_masks(scenario, inputs.villages, str(path))
        elif kind == "bpu_parameters":
            contributions.load_bpu_parameters.__wrapped__(path)
        elif kind == "coverage_assumptions":
            coverage_assumptions.load_coverage_assumptions.__wrapped__(path)
        elif kind == "workforce":
            workforce.load_village_workforce(registry.load_registry(), path)
        elif kind == "regency_population":
            population.load_regency_population.__wrapped__(path)
        elif kind == "indicators":
            population.load_indicators.__wrapped__(path)
        elif kind == "kabupaten_population":
            population.load_kabupaten_population.__wrapped__(path)
        elif kind == "registry":
            registry.load_registry_file.__wrapped__(str(path))
        else:
            return [
                InputProblem(
                    str(path),
                    "",
                    f"a file of unknown kind ('{path.suffix}')",
                    "a scenario .yaml, a parameter .yaml or a data .csv",
                )
            ]
    except InputError as exc:
        return exc.problems
    return []


def validate_files(paths: list[str | Path]) -> list[InputProblem]:
    """Problems of every file, in order."""
    problems: list[InputProblem] = []
    for path in paths:
        problems.extend(validate_file(path))
    return problems
