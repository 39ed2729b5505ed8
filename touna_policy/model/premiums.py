"""Premium cost and budget arithmetic, at monthly resolution."""

from __future__ import annotations

import numpy as np

from touna_policy.parameters.contributions import BpuParameters, MonthlyRates, monthly_rates


def premium_schedule(scenario, rates: BpuParameters) -> MonthlyRates:
    """Per-worker monthly contributions for every month of the scenario's horizon."""
    return monthly_rates(
        scenario.years, scenario.declared_income_idr, scenario.include_jht, scenario.transport_worker_share, rates
    )


def premium_cost_idr(funded_workers: np.ndarray, premium_per_worker_year_idr: np.ndarray) -> np.ndarray:
    """Annual premium cost: funded workers (villages x years) times the year's per-worker premium.

    ``premium_per_worker_year_idr`` is the sum of the twelve monthly contributions of that year, so a
    relief that starts in April counts for exactly nine months.
    """
    return funded_workers * premium_per_worker_year_idr[None, :]
