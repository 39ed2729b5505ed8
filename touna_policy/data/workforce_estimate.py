"""The per-village workforce estimate: a documented rule, since no per-village figures are published.

Rule (applied to every kabupaten/kota the same way)
----------------------------------------------------
1. **Population.** The 2025 Kemendagri population of the kabupaten is split over its villages with
   weight 1 for a desa and weight *r* for a kelurahan. Kelurahan are the urban wards of the district
   capital (in Tojo Una-Una: Ampana Kota and Ratolindo), denser and more populous than rural desa.
   *r* is estimated, not assumed: an ordinary least squares fit without intercept of the 2025
   population of every Indonesian *kabupaten* (cities excluded) on its numbers of desa and kelurahan,
   ``population = a * n_desa + b * n_kelurahan``, gives the average population of a desa (*a*) and
   of a kelurahan (*b*); *r = b / a*. Desa within a kabupaten get equal shares, since no source
   separates them.
2. **Working population.** Population times the national ratio of employed persons (BPS Sakernas,
   August 2024: 144.64 million) to the registered population (Kemendagri 2025: 284,973,643). No
   Tojo Una-Una labour-force figure was found.
3. **Vulnerable (informal) workers.** Working population times the national informal share
   (57.95 %, BPS August 2024). Applied alike to desa and kelurahan, which likely overstates informal
   work in the kelurahan and understates it in remote desa.

Counts are whole people, apportioned by largest remainder so that each kabupaten's totals are exact.
Every row is written with ``estimated = true`` and the method named in the ``method`` column.

Run ``python -m touna_policy.data.workforce_estimate`` (or ``make data``) to rebuild
``data/processed/village_workforce.csv`` from ``data/raw``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from touna_policy import config
from touna_policy.data.population import indicator, load_kabupaten_population
from touna_policy.data.registry import load_registry
from touna_policy.data.workforce import WORKFORCE_COLUMNS
from touna_policy.rounding import apportion

METHOD = "estimate:kemendagri-2025-population-split(desa=1,kelurahan=r)*national-employed-ratio*national-informal-share"
BASE_YEAR = 2025


@dataclass(frozen=True)
class KelurahanWeight:
    """The fitted kelurahan-to-desa population ratio and the statsmodels fit it came from."""

    ratio: float
    desa_population: float
    kelurahan_population: float
    n_kabupaten: int
    results: object  # statsmodels RegressionResults


@lru_cache(maxsize=1)
def fit_kelurahan_weight() -> KelurahanWeight:
    """Fit ``population = a * n_desa + b * n_kelurahan`` over Indonesia's kabupaten (OLS, no intercept)."""
    import statsmodels.api as sm

    villages = load_registry("")
    counts = villages.groupby(["kabupaten_code", "type"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=["desa", "kelurahan"], fill_value=0)
    population = load_kabupaten_population().set_index("code")
    table = counts.join(population[["name", "total"]], how="inner")
    table = table[table["name"].str.startswith("Kabupaten")]
    results = sm.OLS(table["total"].astype(float), table[["desa", "kelurahan"]].astype(float)).fit()
    a, b = float(results.params["desa"]), float(results.params["kelurahan"])
    return KelurahanWeight(
        ratio=b / a, desa_population=a, kelurahan_population=b, n_kabupaten=len(table), results=results
    )


def employed_share_of_population() -> float:
    """National employed persons (BPS, Aug 2024) over national registered population (Kemendagri 2025)."""
    national = load_kabupaten_population().set_index("code").at["0", "total"]
    return indicator("employed_persons", "0") / float(national)


def informal_share() -> float:
    """National informal share of workers (BPS, Aug 2024)."""
    return indicator("informal_worker_share", "0")


def estimate_village_workforce(registry: pd.DataFrame) -> pd.DataFrame:
    """Apply the documented rule to every village of ``registry`` (any area).

    Returns
    -------
    DataFrame with columns ``code, village, type, kecamatan, base_year, population,
    working_population, vulnerable_workers, estimated, method``, sorted by code.
    """
    registry = registry.sort_values("code", kind="stable").reset_index(drop=True)
    weight = fit_kelurahan_weight().ratio
    kab_pop = load_kabupaten_population().set_index("code")["total"]
    kab_codes, groups = np.unique(registry["kabupaten_code"].to_numpy(), return_inverse=True)
    totals = kab_pop.reindex(kab_codes).to_numpy(dtype=float)
    if np.isnan(totals).any():
        missing = kab_codes[np.isnan(totals)]
        from touna_policy.errors import InputError

        raise InputError.single(
            config.KABUPATEN_POPULATION_CSV,
            f"code '{missing[0]}'",
            "no population row",
            "a 2025 population for every kabupaten of the registry",
        )
    village_weight = np.where(registry["type"].to_numpy() == "kelurahan", weight, 1.0)
    population = apportion(totals, village_weight, groups)
    working_totals = np.rint(totals * employed_share_of_population())
    working = apportion(working_totals, population, groups)
    vulnerable_totals = np.rint(working_totals * informal_share())
    vulnerable = apportion(vulnerable_totals, working, groups)
    out = registry[["code", "village", "type", "kecamatan"]].copy()
    out["base_year"] = BASE_YEAR
    out["population"] = population
    out["working_population"] = working
    out["vulnerable_workers"] = vulnerable
    out["estimated"] = True
    out["method"] = METHOD
    return out[WORKFORCE_COLUMNS]


def build_processed(path: Path = config.VILLAGE_WORKFORCE_CSV) -> Path:
    """Rebuild ``data/processed/village_workforce.csv`` for Tojo Una-Una from ``data/raw``."""
    from touna_policy.io import atomic_write_text

    table = estimate_village_workforce(load_registry(config.DEFAULT_AREA_CODE))
    atomic_write_text(path, table.to_csv(index=False, lineterminator="\n"))
    return path


if __name__ == "__main__":  # pragma: no cover - exercised by `make data`
    fit = fit_kelurahan_weight()
    written = build_processed()
    print(
        f"kelurahan weight r = {fit.ratio:.4f} (desa {fit.desa_population:,.0f}, kelurahan "
        f"{fit.kelurahan_population:,.0f} people on average; {fit.n_kabupaten} kabupaten)"
    )
    print(f"wrote {written}")
