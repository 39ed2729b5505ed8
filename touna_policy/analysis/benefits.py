"""The benefit side: expected deaths and work accidents among covered workers, and what families receive.

Per scenario and year, for the programme's funded workers (whose premiums the villages pay):

- expected deaths = funded workers x mortality rate; expected JKM payments = deaths x the JKM death
  benefit in force (Rp 42 million, ``data/parameters/bpjs_bpu.yaml``);
- expected work accidents = funded workers x accident rate; expected JKK payments = accidents x the
  average JKK payment per accident;
- benefit-to-premium ratio = (JKM + JKK payments) / premiums paid.

The arithmetic is the kernel's (:func:`touna_policy.model.kernel.benefit_payments`). The same counts are
given for all covered workers (funded plus self-paying). Rates are sourced
national figures (``data/parameters/benefit_rates.yaml``), labelled as such in every report.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from touna_policy.model.kernel import benefit_payments
from touna_policy.model.measures import share_of
from touna_policy.parameters.benefit_rates import BenefitRates, load_benefit_rates
from touna_policy.parameters.contributions import jkm_death_benefit_idr

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
    out = benefit_payments(funded_workers, mortality_rate, accident_rate, jkm_benefit_idr, jkk_payment_idr)
    return {
        **out,
        "benefit_premium_ratio": share_of(out["expected_benefits_idr"], premium_cost_idr),
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
