"""The benefit side: expected deaths and work accidents among covered workers, and what families receive.

Per scenario and year, for the programme's funded workers (whose premiums the villages pay):

- expected deaths = funded workers x working-age mortality (WPP 2024 age-specific rates over the
  participants' age range, :func:`touna_policy.parameters.benefit_rates.working_age_mortality_rate`);
- expected work accidents = funded workers x accident rate; a fatal share of them are JKK deaths, paid
  the JKK death benefit (Rp 70 million) instead of the JKM one;
- expected JKM claims = deaths - JKK deaths, paid the JKM death benefit in force (Rp 42 million,
  ``data/parameters/bpjs_bpu.yaml``); other accidents are paid the average JKK payment per accident;
- the scholarship: JKK deaths at once, JKM claims only for workers funded for the waiting years (3);
- benefit-to-premium ratio = (JKM + JKK + scholarship payments) / premiums paid.

The arithmetic is the kernel's (:func:`touna_policy.model.kernel.benefit_payments`). The same counts are
given for all covered workers (funded plus self-paying). Rates are sourced national figures and rules
(``data/parameters/benefit_rates.yaml``), labelled as such in every report. :func:`halmahera_check`
sets the expected JKM claims against the one observed record of a village-funded scheme.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from touna_policy.model.kernel import benefit_payments, scholarship_entitled_share
from touna_policy.model.measures import share_of
from touna_policy.parameters.benefit_rates import BenefitRates, load_benefit_rates
from touna_policy.parameters.contributions import jkm_death_benefit_idr

BENEFIT_COLUMNS = [
    "scenario",
    "year",
    "funded_workers",
    "covered_workers",
    "mortality_rate_per_year",
    "mortality_period",
    "work_accident_rate_per_year",
    "expected_deaths",
    "expected_work_accidents",
    "expected_jkk_deaths",
    "expected_jkm_claims",
    "jkm_death_benefit_idr",
    "jkk_payment_per_accident_idr",
    "jkk_death_benefit_idr",
    "scholarship_entitled_share",
    "expected_jkm_payments_idr",
    "expected_jkk_payments_idr",
    "expected_jkk_death_payments_idr",
    "expected_scholarship_payments_idr",
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
    **rules,
) -> dict[str, np.ndarray]:
    """The benefit arithmetic on arrays that broadcast together (years on the last axis).

    ``rules`` are the keyword arguments of :func:`~touna_policy.model.kernel.benefit_payments` (fatal
    share, JKK death benefit, scholarship). Returns its results, the benefit-to-premium ratio
    (``nan`` where no premium is paid) and the deaths and accidents among all covered workers.
    """
    out = benefit_payments(funded_workers, mortality_rate, accident_rate, jkm_benefit_idr, jkk_payment_idr, **rules)
    return {
        **out,
        "benefit_premium_ratio": share_of(out["expected_benefits_idr"], premium_cost_idr),
        "expected_deaths_all_covered": covered_workers * mortality_rate,
        "expected_work_accidents_all_covered": covered_workers * accident_rate,
    }


def benefit_rules(years, funded_by_year, rates: BenefitRates) -> dict[str, np.ndarray]:
    """The rule arguments of :func:`~touna_policy.model.kernel.benefit_payments` for ``years``."""
    return {
        "jkk_fatal_share": rates.jkk_fatal_share(years),
        "jkk_death_benefit_idr": rates.jkk_death_benefit(years),
        "scholarship_entitled_share": scholarship_entitled_share(
            funded_by_year, int(rates.scholarship_waiting_years.value)
        ),
        "scholarship_per_death_idr": rates.scholarship_per_death_idr(years),
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
    # entitlement follows the places billed (as the kernel's engine inputs do), not this year's arrears
    rules = benefit_rules(years, d["billed_places"].to_numpy(dtype=float), rates)
    out = expected_benefits(
        funded,
        d["covered_workers"].to_numpy(dtype=float),
        d["premium_cost_idr"].to_numpy(dtype=float),
        years,
        mort,
        acc,
        jkm_b,
        jkk_p,
        **rules,
    )
    frame = pd.DataFrame(
        {
            "scenario": result.scenario.name,
            "year": years,
            "funded_workers": funded,
            "covered_workers": d["covered_workers"].to_numpy(dtype=float),
            "mortality_rate_per_year": mort,
            "mortality_period": rates.mortality_period(years),
            "work_accident_rate_per_year": acc,
            "jkm_death_benefit_idr": jkm_b,
            "jkk_payment_per_accident_idr": jkk_p,
            "jkk_death_benefit_idr": rules["jkk_death_benefit_idr"],
            "scholarship_entitled_share": rules["scholarship_entitled_share"],
            "premium_cost_idr": d["premium_cost_idr"].to_numpy(dtype=float),
            **out,
        }
    )
    return frame[BENEFIT_COLUMNS]


HALMAHERA_WORKERS = 19_000
"""Active village-funded BPJS Ketenagakerjaan participants in Halmahera Selatan, 2023 - November 2025."""
HALMAHERA_MONTHS_BY_YEAR = {2023: 12, 2024: 12, 2025: 11}
"""Months observed in each year (January 2023 - November 2025: 35 months, about 2.9 years)."""
HALMAHERA_OBSERVED_JKM_CLAIMS = 120
"""JKM claims recorded over those months (with 1 JKK claim and 1 scholarship); SOURCES_research.md."""


def halmahera_check(rates: BenefitRates | None = None) -> dict[str, float]:
    """Expected JKM claims among 19,000 workers over January 2023 - November 2025 against the 120 observed.

    Exposure per year = 19,000 x months / 12, through :func:`~touna_policy.model.kernel.benefit_payments`
    at each year's mortality and accident rates. Returns the expected and observed claims, the
    observed / expected ratio, the worker-years and the observed and expected claims per 1,000 a year.
    """
    rates = rates or load_benefit_rates()
    years = np.array(list(HALMAHERA_MONTHS_BY_YEAR))
    exposure = HALMAHERA_WORKERS * np.array(list(HALMAHERA_MONTHS_BY_YEAR.values()), dtype=float) / 12.0
    out = benefit_payments(
        exposure,
        rates.mortality(years),
        rates.accidents(years),
        0.0,
        0.0,
        jkk_fatal_share=rates.jkk_fatal_share(years),
        jkk_death_benefit_idr=0.0,
        scholarship_entitled_share=0.0,
        scholarship_per_death_idr=0.0,
    )
    expected = float(out["expected_jkm_claims"].sum())
    worker_years = float(exposure.sum())
    return {
        "workers": float(HALMAHERA_WORKERS),
        "worker_years": worker_years,
        "expected_jkm_claims": expected,
        "observed_jkm_claims": float(HALMAHERA_OBSERVED_JKM_CLAIMS),
        "observed_over_expected": HALMAHERA_OBSERVED_JKM_CLAIMS / expected,
        "expected_per_1000_per_year": 1000.0 * expected / worker_years,
        "observed_per_1000_per_year": 1000.0 * HALMAHERA_OBSERVED_JKM_CLAIMS / worker_years,
    }
