"""Whole-number apportionment (largest remainder), vectorised."""

from __future__ import annotations

import numpy as np


def apportion(totals: np.ndarray, weights: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
    """Split whole-number totals over rows in proportion to weights, keeping every total exact.

    Hamilton's largest-remainder method: each row gets the floor of its exact share, then the rows
    with the largest remainders get one more until the group's total is met. Ties go to the earlier
    row, so the result depends only on row order, which callers fix by sorting on village code.

    Parameters
    ----------
    totals : whole-number total per group, shape ``(n_groups,)`` (or a scalar with ``groups=None``)
    weights : non-negative weight per row, shape ``(n_rows,)``
    groups : group index per row (0..n_groups-1); ``None`` means one group

    Returns
    -------
    int64 array of shape ``(n_rows,)`` whose per-group sums equal ``totals`` (groups with zero total
    weight get zeros).
    """
    weights = np.asarray(weights, dtype=float)
    if groups is None:
        groups = np.zeros(len(weights), dtype=np.int64)
    groups = np.asarray(groups, dtype=np.int64)
    totals = np.atleast_1d(np.asarray(totals, dtype=float))
    weight_sums = np.bincount(groups, weights=weights, minlength=len(totals))
    safe = np.where(weight_sums > 0, weight_sums, 1.0)
    exact = totals[groups] * weights / safe[groups]
    exact = np.where(weight_sums[groups] > 0, exact, 0.0)
    base = np.floor(exact + 1e-9)
    remainder = exact - base
    deficit = np.rint(np.where(weight_sums > 0, totals, 0) - np.bincount(groups, weights=base, minlength=len(totals)))
    order = np.lexsort((np.arange(len(weights)), -remainder, groups))
    sorted_groups = groups[order]
    group_start = np.searchsorted(sorted_groups, np.arange(len(totals)))
    rank = np.arange(len(weights)) - group_start[sorted_groups]
    extra = np.zeros(len(weights))
    extra[order] = (rank < deficit[sorted_groups]).astype(float)
    return (base + extra).astype(np.int64)
