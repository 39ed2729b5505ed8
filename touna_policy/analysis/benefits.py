"""The benefit side: expected deaths and work accidents among covered workers, and what families receive.

Per scenario and year, for the programme's funded workers (whose premiums the villages pay):

- expected deaths = funded workers x mortality rate; expected JKM payments = deaths x the JKM death
  benefit in force (Rp 42 million, ``data/parameters/bpjs_bpu.yaml``);
- expected work accidents = funded workers x accident rate; expected JKK payments = accidents x the
  average JKK payment per accident;
- benefit-to-premium ratio = (JKM + JKK payments) / premiums paid.

The same counts are given for all covered workers (funded plus self-paying). Rates are sourced
national figures (``data/parameters/benefit_rates.yaml``), labelled as such in every report.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from touna_policy import config
from touna_policy.model.measures import share_of
from touna_policy.parameters.contributions import jkm_death_benefit_idr
from touna_policy.parameters.dated import Leaf, step_values
from touna_policy.parameters.loading import load_validated

BENEFIT_RATES_YAML = config.BENEFIT_RATES_YAML

BENEFIT_COLUMNS = [
    "scenario",
    "year",
    "funded_workers",
    "covered_workers",
    "mortality_rate_per_year",
    "work_accident_rate_per_year",
    "expected_deaths",
    "expected_work_accidents",
    "jkm_death_benefit_idr",
    "jkk_payment_per_accident_idr",
    "expected_jkm_payments_idr",
    "expected_jkk_payments_idr",
    "expected_benefits_idr",
    "premium_cost_idr",
    "benefit_premium_ratio",
    "expected_deaths_all_covered",
    "expected_work_accidents_all_covered",
]


class BenefitRates(BaseModel):
    """The whole ``benefit_rates.yaml`` file."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["sourced-national", "observed", "synthetic"]
    mortality_rate_per_year: Leaf
    work_accident_rate_per_year: Leaf
    jkk_payment_per_accident_idr: Leaf

    def _at(self, leaf: Leaf, years) -> np.ndarray:
        """Value of a leaf in each year: the latest value dated on or before 1 July, else the earliest."""
        years = np.asarray(years, dtype=int)
        dates = (years - 1970).astype("datetime64[Y]").astype("datetime64[D]") + 181
        out = step_values(leaf.values, dates)
        first = leaf.values[min(leaf.values)].value
        return np.where(np.isnan(out), first, out)

    def mortality(self, years) -> np.ndarray:
        return self._at(self.mortality_rate_per_year, years)

    def accidents(self, years) -> np.ndarray:
        return self._at(self.work_accident_rate_per_year, years)

    def jkk_payment(self, years) -> np.ndarray:
        return self._at(self.jkk_payment_per_accident_idr, years)


@lru_cache(maxsize=4)
def load_benefit_rates(path: Path = BENEFIT_RATES_YAML) -> BenefitRates:
    """Read and validate the benefit rates (errors name the file, key and line)."""
    return load_validated(BenefitRates, Path(path))


def expected_benefits(
    funded_workers,
    covered_workers,
    premium_cost_idr,
    years,
    mortality_rate,
    accident_rate,
    jkm_benefit_idr,
    jkk_payment_idr,
) -> dict[str, np.ndarray]:
    """The benefit arithmetic on arrays that broadcast together (years on the last axis).

    Returns expected deaths, accidents, JKM and JKK payments, total benefits and the
    benefit-to-premium ratio (``nan`` where no premium is paid).
    """
    deaths = funded_workers * mortality_rate
    accidents = funded_workers * accident_rate
    jkm = deaths * jkm_benefit_idr
    jkk = accidents * jkk_payment_idr
    total = jkm + jkk
    ratio = share_of(total, premium_cost_idr)
    return {
        "expected_deaths": deaths,
        "expected_work_accidents": accidents,
        "expected_jkm_payments_idr": jkm,
        "expected_jkk_payments_idr": jkk,
        "expected_benefits_idr": total,
        "benefit_premium_ratio": ratio,
        "expected_deaths_all_covered": covered_workers * mortality_rate,
        "expected_work_accidents_all_covered": covered_workers * accident_rate,
    }


def benefits_table(result, rates: BenefitRates | None = None) -> pd.DataFrame:
    """Expected benefits by year for a :class:`~touna_policy.model.projection.ProjectionResult` (``benefits.csv``)."""
    rates = rates or load_benefit_rates()
    d = result.district
    years = d["year"].to_numpy()
    mort, acc = rates.mortality(years), rates.accidents(years)
    jkm_b = jkm_death_benefit_idr(years, result.inputs.rates)
    jkk_p = rates.jkk_payment(years)
    funded = d["funded_workers"].to_numpy(dtype=float)
    out = expected_benefits(
        funded,
        d["covered_workers"].to_numpy(dtype=float),
        d["premium_cost_idr"].to_numpy(dtype=float),
        years,
        mort,
        acc,
        jkm_b,
        jkk_p,
    )
    frame = pd.DataFrame(
        {
            "scenario": result.scenario.name,
            "year": years,
            "funded_workers": funded,
            "covered_workers": d["covered_workers"].to_numpy(dtype=float),
            "mortality_rate_per_year": mort,
            "work_accident_rate_per_year": acc,
            "jkm_death_benefit_idr": jkm_b,
            "jkk_payment_per_accident_idr": jkk_p,
            "premium_cost_idr": d["premium_cost_idr"].to_numpy(dtype=float),
            **out,
        }
    )
    return frame[BENEFIT_COLUMNS]


def benefits_comparison(scenarios, inputs=None) -> pd.DataFrame:
    """:func:`benefits_table` for several scenarios, stacked (per scenario and year)."""
    from touna_policy.model.projection import project

    return pd.concat([benefits_table(project(s, inputs)) for s in scenarios], ignore_index=True)
