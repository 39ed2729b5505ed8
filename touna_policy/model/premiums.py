"""Premium cost and budget arithmetic, at monthly resolution."""

from __future__ import annotations

import numpy as np

from touna_policy.parameters.contributions import BpuParameters, MonthlyRates, monthly_rates


def premium_schedule(scenario, rates: BpuParameters) -> MonthlyRates:
    """Per-worker monthly contributions for every month of the scenario's horizon."""
    return monthly_rates(
        scenario.years, scenario.declared_income_idr, scenario.include_jht, scenario.transport_worker_share, rates
    )


def premium_cost_idr(billed_places: np.ndarray, premium_per_worker_idr: np.ndarray) -> np.ndarray:
    """Annual premium cost: billed places (villages x years, or draws x villages x years) times each
    village's premium per worker (villages x years: its payer's; or a by-year vector for all villages).

    A premium per worker is the sum of the twelve monthly contributions of that year, so a relief that
    starts in April counts for exactly nine months.
    """
    premium = np.asarray(premium_per_worker_idr)
    return billed_places * (premium[None, :] if premium.ndim == 1 else premium)
