"""``touna-policy validate``: check scenario, parameter and data files, reporting every problem.

Each kind of file is known through one explicit registry, :data:`FILE_KINDS`: the kind's name, the
file names it ships under (``data/parameters/bpjs_bpu.yaml`` is ``bpu_parameters`` wherever it is
copied), and the loader that validates it. A YAML file of no other kind is a scenario (scenario
files are the user's, under any name); any other file must be named with ``--kind``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from touna_policy import config
from touna_policy.analysis.goalseek import load_planning_target
from touna_policy.analysis.uncertainty import prepare
from touna_policy.calibration.seed import SEED_READING_ANCHORS_YAML, load_seed_reading_anchors
from touna_policy.data.coverage import load_coverage_history, load_coverage_series
from touna_policy.data.kecamatan import KECAMATAN_POPULATION_CSV, load_kecamatan_population
from touna_policy.data.labour import LABOUR_CSV, load_labour
from touna_policy.data.mortality import AGE_MIX_CSV, MORTALITY_CSV, load_age_mix, load_mortality_table
from touna_policy.data.population import load_indicators, load_kabupaten_population, load_regency_population
from touna_policy.data.registry import load_registry
from touna_policy.data.workforce import load_village_workforce
from touna_policy.errors import InputError, InputProblem, did_you_mean
from touna_policy.model.inputs import load_inputs
from touna_policy.model.schedules import override_masks
from touna_policy.parameters.benefit_rates import load_benefit_rates
from touna_policy.parameters.contributions import load_bpu_parameters
from touna_policy.parameters.coverage_assumptions import load_coverage_assumptions
from touna_policy.parameters.participation import PARTICIPATION_YAML, load_participation_parameters
from touna_policy.parameters.payers import RELIEF_ELIGIBILITY_YAML, load_relief_eligibility
from touna_policy.parameters.ucj_segments import UCJ_SEGMENTS_YAML, load_ucj_segments
from touna_policy.parameters.uncertainty_defaults import load_uncertainty_defaults
from touna_policy.scenario import load_scenario


@dataclass(frozen=True)
class FileKind:
    """One kind of input file: its ``name``, the file ``names`` it ships under, and its ``check``."""

    name: str
    names: tuple[str, ...]
    check: Callable[[Path], object]
    description: str


def _check_scenario(path: Path) -> None:
    scenario = load_scenario(path)
    inputs = load_inputs(scenario.area)
    override_masks(scenario, inputs.villages, str(path))
    prepare(scenario, inputs, group_by=None)  # the uncertainty distributions, as a run's plan checks them


def _check_bpu_parameters(path: Path) -> None:
    load_bpu_parameters.__wrapped__(path)  # uncached: the file as it is now


def _check_coverage_assumptions(path: Path) -> None:
    load_coverage_assumptions.__wrapped__(path)


def _check_benefit_rates(path: Path) -> None:
    load_benefit_rates.__wrapped__(path)


def _check_planning_targets(path: Path) -> None:
    load_planning_target.__wrapped__(path)


def _check_uncertainty_defaults(path: Path) -> None:
    load_uncertainty_defaults.__wrapped__(path)


def _check_workforce(path: Path) -> None:
    load_village_workforce(load_registry(), path)


def _check_registry(path: Path) -> None:
    load_registry("", path)


def _check_regency_population(path: Path) -> None:
    load_regency_population.__wrapped__(path)


def _check_relief_eligibility(path: Path) -> None:
    load_relief_eligibility.__wrapped__(path)


def _check_participation(path: Path) -> None:
    load_participation_parameters.__wrapped__(path)


def _check_ucj_segments(path: Path) -> None:
    load_ucj_segments.__wrapped__(path)


def _check_seed_reading_anchors(path: Path) -> None:
    load_seed_reading_anchors(path)


def _check_kecamatan_population(path: Path) -> None:
    load_kecamatan_population(path)


def _check_labour(path: Path) -> None:
    load_labour(path)


def _check_mortality(path: Path) -> None:
    load_mortality_table(path)


def _check_age_mix(path: Path) -> None:
    load_age_mix(path)


def _check_indicators(path: Path) -> None:
    load_indicators.__wrapped__(path)


def _check_kabupaten_population(path: Path) -> None:
    load_kabupaten_population.__wrapped__(path)


def _check_coverage_history(path: Path) -> None:
    load_coverage_history(path)


def _check_coverage_series(path: Path) -> None:
    load_coverage_series(path)


def _name(path: Path) -> str:
    return Path(path).name


FILE_KINDS: dict[str, FileKind] = {
    kind.name: kind
    for kind in (
        FileKind("scenario", (), _check_scenario, "a scenario YAML (any other .yaml or .yml file)"),
        FileKind("bpu_parameters", (_name(config.BPU_PARAMETERS_YAML),), _check_bpu_parameters, "BPU rates"),
        FileKind(
            "coverage_assumptions",
            (_name(config.COVERAGE_ASSUMPTIONS_YAML),),
            _check_coverage_assumptions,
            "other-channel coverage assumptions",
        ),
        FileKind("benefit_rates", (_name(config.BENEFIT_RATES_YAML),), _check_benefit_rates, "benefit rates"),
        FileKind(
            "participation",
            (_name(PARTICIPATION_YAML),),
            _check_participation,
            "participation over time (grace period, churn, self-paying lapse)",
        ),
        FileKind(
            "ucj_segments",
            (_name(UCJ_SEGMENTS_YAML),),
            _check_ucj_segments,
            "UCJ segments, worker denominator, provincial programme and UCJ targets",
        ),
        FileKind(
            "planning_targets", (_name(config.PLANNING_TARGETS_YAML),), _check_planning_targets, "planning target"
        ),
        FileKind(
            "uncertainty_defaults",
            (_name(config.UNCERTAINTY_YAML),),
            _check_uncertainty_defaults,
            "shipped uncertainty distributions",
        ),
        FileKind("workforce", (_name(config.VILLAGE_WORKFORCE_CSV),), _check_workforce, "per-village workforce"),
        FileKind(
            "registry",
            (_name(config.TOUNA_VILLAGES_CSV), _name(config.NATIONAL_VILLAGES_CSV)),
            _check_registry,
            "village registry",
        ),
        FileKind(
            "regency_population",
            (_name(config.REGENCY_POPULATION_CSV),),
            _check_regency_population,
            "regency population series",
        ),
        FileKind("indicators", (_name(config.REGENCY_INDICATORS_CSV),), _check_indicators, "regency indicators"),
        FileKind(
            "kabupaten_population",
            (_name(config.KABUPATEN_POPULATION_CSV),),
            _check_kabupaten_population,
            "kabupaten populations",
        ),
        FileKind("coverage_history", (_name(config.COVERAGE_HISTORY_CSV),), _check_coverage_history, "coverage facts"),
        FileKind("coverage_series", (_name(config.COVERAGE_SERIES_CSV),), _check_coverage_series, "coverage series"),
        FileKind(
            "kecamatan_population",
            (_name(KECAMATAN_POPULATION_CSV),),
            _check_kecamatan_population,
            "kecamatan census populations",
        ),
        FileKind("labour", (_name(LABOUR_CSV),), _check_labour, "labour-force figures (BPS)"),
        FileKind(
            "relief_eligibility",
            (_name(RELIEF_ELIGIBILITY_YAML),),
            _check_relief_eligibility,
            "PP 50/2025 relief eligibility by payer",
        ),
        FileKind(
            "seed_reading_anchors",
            (_name(SEED_READING_ANCHORS_YAML),),
            _check_seed_reading_anchors,
            "public anchors for the 22.27 % readings",
        ),
        FileKind(
            "mortality_working_age",
            (_name(MORTALITY_CSV),),
            _check_mortality,
            "age-specific death rates (UN WPP 2024)",
        ),
        FileKind("age_mix", (_name(AGE_MIX_CSV),), _check_age_mix, "age and sex mix of the employed (BPS)"),
    )
}
"""Every kind of file ``validate`` knows: kind name -> :class:`FileKind`."""

_BY_FILE_NAME = {name: kind for kind in FILE_KINDS.values() for name in kind.names}


def kind_of(path: str | Path, kind: str | None = None) -> FileKind | None:
    """The registered kind of ``path``: the one named (``--kind``), else by its shipped file name, else
    ``scenario`` for a YAML file; ``None`` when the file is of no known kind."""
    if kind is not None:
        if kind not in FILE_KINDS:
            raise InputError.single(
                "--kind", "", repr(kind), f"one of {', '.join(FILE_KINDS)}", did_you_mean(kind, FILE_KINDS)
            )
        return FILE_KINDS[kind]
    name = Path(path).name
    if name in _BY_FILE_NAME:
        return _BY_FILE_NAME[name]
    if name.endswith((".yaml", ".yml")):
        return FILE_KINDS["scenario"]
    return None


def validate_file(path: str | Path, kind: str | None = None) -> list[InputProblem]:
    """All problems of one file (empty list if valid)."""
    path = Path(path)
    if not path.exists():
        return [InputProblem(str(path), "", "no such file", "an existing scenario YAML or data CSV file")]
    if path.is_dir():
        return [InputProblem(str(path), "", "a folder", "a file")]
    found = kind_of(path, kind)
    if found is None:
        known = ", ".join(sorted(_BY_FILE_NAME))
        return [
            InputProblem(
                str(path),
                "",
                f"a file of unknown kind ('{path.suffix}')",
                f"a scenario .yaml, or a file named as a shipped one ({known}); or name its kind with --kind",
            )
        ]
    try:
        found.check(path)
    except InputError as exc:
        return exc.problems
    return []


def validate_files(paths: list[str | Path], kind: str | None = None) -> list[InputProblem]:
    """Problems of every file, in order."""
    problems: list[InputProblem] = []
    for path in paths:
        problems.extend(validate_file(path, kind))
    return problems
