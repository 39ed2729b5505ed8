"""The measures every table uses: :func:`share_of` (``num / den`` where ``den > 0``, else ``nan``), the
coverage and UCJ shares (the model's, and BPJS's count over its worker denominator), and their
inverse for goal seeking."""

from __future__ import annotations

import numpy as np


def share_of(num, den) -> np.ndarray:
    """``num / den`` elementwise where ``den > 0``; ``nan`` where there is nothing to divide by.

    A 0-1 share for coverage, a ratio for budgets and benefits; a tiny positive ``den`` may give
    ``inf`` (a cost far above its budget) without a warning.
    """
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def coverage_share(covered_workers, eligible_workers) -> np.ndarray:
    """Coverage of vulnerable workers: covered / eligible (``nan`` without eligible workers)."""
    return share_of(covered_workers, eligible_workers)


def ucj_coverage_share(covered_workers, wage_earners_covered, working_population) -> np.ndarray:
    """Universal Coverage Jamsostek: (covered vulnerable workers + wage earners covered) / working population."""
    return share_of(np.asarray(covered_workers, dtype=float) + wage_earners_covered, working_population)


def worker_denominator(working_population, ratio_to_employed: float) -> np.ndarray:
    """BPJS's worker denominator: employed persons x its ratio to them (0.6239: Central Sulawesi 2021)."""
    return np.asarray(working_population, dtype=float) * float(ratio_to_employed)


def ucj_bpjs_share(active_participants, worker_denominator_) -> np.ndarray:
    """UCJ as BPJS Ketenagakerjaan counts it: active participants of all segments / worker denominator."""
    return share_of(active_participants, worker_denominator_)


def covered_for_share(measure: str, share: float, eligible_workers, working_population, wage_earners_covered):
    """Covered vulnerable workers that give ``share`` of ``measure`` (the inverse of the two shares above)."""
    if measure == "coverage_share":
        return share * eligible_workers
    return share * working_population - wage_earners_covered
