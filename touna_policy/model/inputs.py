"""Everything a projection reads, loaded and validated once: :class:`ModelInputs`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from touna_policy import config
from touna_policy.data.boundaries import VILLAGE_BOUNDARIES_GEOJSON
from touna_policy.data.kecamatan import KECAMATAN_POPULATION_CSV
from touna_policy.data.labour import LABOUR_CSV
from touna_policy.data.population import load_regency_population
from touna_policy.data.registry import load_registry
from touna_policy.data.tables import file_sha256
from touna_policy.data.workforce import load_village_workforce
from touna_policy.data.workforce_estimate import estimate_village_workforce
from touna_policy.parameters.contributions import BpuParameters, load_bpu_parameters
from touna_policy.parameters.coverage_assumptions import CoverageAssumptions, load_coverage_assumptions


@dataclass(frozen=True)
class ModelInputs:
    """Validated inputs for one area.

    Attributes
    ----------
    area_code : Kemendagri code of the area ("72.09", "72" or "" for Indonesia)
    villages : one row per village: registry columns plus ``base_year, population,
        working_population, vulnerable_workers, estimated``
    rates : the dated BPU contribution schedule
    assumptions : other-channel coverage assumptions (``status`` says whether synthetic)
    workforce_growth_share_per_year : default yearly growth, derived from the BPS population series
    files : every file read, for checksums
    """

    area_code: str
    villages: pd.DataFrame
    rates: BpuParameters
    assumptions: CoverageAssumptions
    workforce_growth_share_per_year: float
    files: tuple[Path, ...]
    workforce_estimated: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)

    def checksums(self) -> dict[str, str]:
        """SHA-256 of every input file, keyed by path relative to the project."""
        out = {}
        for path in self.files:
            path = Path(path)
            try:
                key = str(path.resolve().relative_to(config.PROJECT_ROOT))
            except ValueError:
                key = str(path)
            out[key] = file_sha256(path)
        return dict(sorted(out.items()))

    @property
    def synthetic_inputs(self) -> list[str]:
        """Names of inputs that are synthetic (labelled in every report)."""
        out = []
        if self.assumptions.status == "synthetic":
            out.append(f"other-channel coverage assumptions ({Path(config.COVERAGE_ASSUMPTIONS_YAML).name})")
        return out

    @property
    def estimated_inputs(self) -> list[str]:
        """Names of inputs that are estimates rather than observations."""
        out = []
        if self.workforce_estimated:
            out.append(
                "per-village population, working population and vulnerable workers (documented split of regency totals)"
            )
        return out


def derived_growth_share_per_year() -> float:
    """Compound yearly growth between the two latest BPS rows (census or estimate) of the population series."""
    table = load_regency_population()
    bps = table[table["kind"].isin(["census", "estimate"])].tail(2)
    (y0, p0), (y1, p1) = bps[["year", "population"]].to_numpy()
    return float((p1 / p0) ** (1.0 / (y1 - y0)) - 1.0)


@lru_cache(maxsize=8)
def load_inputs(area_code: str = config.DEFAULT_AREA_CODE, workforce_csv: str | None = None) -> ModelInputs:
    """Load and validate every input for ``area_code`` (cached; treat the result as read-only).

    For Tojo Una-Una (72.09) the per-village workforce is read from
    ``data/processed/village_workforce.csv`` (replaceable with real figures); for any other area the
    same documented estimate is computed from the national registry.
    """
    area_code = "" if area_code in ("0", None) else area_code
    registry = load_registry(area_code)
    files: list[Path] = []
    if area_code == config.DEFAULT_AREA_CODE or workforce_csv:
        path = Path(workforce_csv) if workforce_csv else config.VILLAGE_WORKFORCE_CSV
        villages = load_village_workforce(registry, path)
        files += [config.TOUNA_VILLAGES_CSV, path]
        estimated = bool(villages["estimated"].any())
    else:
        work = estimate_village_workforce(registry)
        villages = registry.merge(work.drop(columns=["village", "type", "kecamatan"]), on="code")
        files += [config.NATIONAL_VILLAGES_CSV, config.KABUPATEN_POPULATION_CSV, config.REGENCY_INDICATORS_CSV]
        files += [LABOUR_CSV, KECAMATAN_POPULATION_CSV, VILLAGE_BOUNDARIES_GEOJSON]
        estimated = True
    files += [
        config.REGENCY_POPULATION_CSV,
        config.BPU_PARAMETERS_YAML,
        config.COVERAGE_ASSUMPTIONS_YAML,
        # read when other_channels.source is seed_calibration or fitted_trend
        config.COVERAGE_HISTORY_CSV,
        config.COVERAGE_SERIES_CSV,
    ]
    return ModelInputs(
        area_code=area_code,
        villages=villages.reset_index(drop=True),
        rates=load_bpu_parameters(),
        assumptions=load_coverage_assumptions(),
        workforce_growth_share_per_year=derived_growth_share_per_year(),
        files=tuple(files),
        workforce_estimated=estimated,
    )
