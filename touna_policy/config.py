"""Project paths, derived from the package location so that no other module hard-codes one."""

from __future__ import annotations

import os
from pathlib import Path

from touna_policy.errors import InputError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(os.environ.get("TOUNA_DATA_DIR", PROJECT_ROOT / "data"))
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
PARAMETERS_DIR = DATA_DIR / "parameters"
SCENARIOS_DIR = DATA_DIR / "scenarios"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"

TOUNA_VILLAGES_CSV = RAW_DIR / "touna_villages.csv"
NATIONAL_VILLAGES_CSV = RAW_DIR / "indonesia_villages.csv.gz"
KABUPATEN_POPULATION_CSV = RAW_DIR / "kabupaten_population_2025.csv"
REGENCY_POPULATION_CSV = RAW_DIR / "regency_population.csv"
REGENCY_INDICATORS_CSV = RAW_DIR / "regency_indicators.csv"
COVERAGE_HISTORY_CSV = RAW_DIR / "coverage_history.csv"
VILLAGE_WORKFORCE_CSV = PROCESSED_DIR / "village_workforce.csv"
BPU_PARAMETERS_YAML = PARAMETERS_DIR / "bpjs_bpu.yaml"
COVERAGE_ASSUMPTIONS_YAML = PARAMETERS_DIR / "coverage_assumptions.yaml"
COVERAGE_SERIES_CSV = RAW_DIR / "coverage_series.csv"
BENEFIT_RATES_YAML = PARAMETERS_DIR / "benefit_rates.yaml"
UNCERTAINTY_YAML = PARAMETERS_DIR / "uncertainty.yaml"
PLANNING_TARGETS_YAML = PARAMETERS_DIR / "planning_targets.yaml"

DEFAULT_AREA_CODE = "72.09"


def locate_input(path: str | os.PathLike[str], what: str = "input file") -> Path:
    """The file a path names: as given (relative to the working directory), else relative to the project root.

    A kernel started in ``notebooks/`` (JupyterLab, papermill, nbval) can so use the same relative paths
    as the command line (``data/scenarios/satu-miliar-150.yaml``). An absolute path is used as given.

    Raises
    ------
    InputError
        when the file is in neither place; the message names both places looked in.
    """
    given = Path(path)
    if given.exists() or given.is_absolute():
        if given.exists():
            return given
        raise InputError.single(given, "", "no such file", f"an existing {what}")
    from_root = PROJECT_ROOT / given
    if from_root.exists():
        return from_root
    looked = f"{(Path.cwd() / given).resolve()} and {from_root}"
    raise InputError.single(given, "", f"no such file (looked in {looked})", f"an existing {what}")
