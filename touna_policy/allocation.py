"""Allocation rules: how a district's funded places are spread over its villages."""

from __future__ import annotations

import numpy as np

from .rounding import apportion

ALLOCATION_RULES = ("equal", "proportional")


def allocate_quota(quota: np.ndarray, eligible: np.ndarray, rule: str) -> np.ndarray:
    """Quota places per village and year under an allocation rule, at the same total places.

    Parameters
    ----------
    quota : places per village and year under the equal rule (villages x years)
    eligible : eligible vulnerable workers (villages x years)
    rule : ``equal`` (today's rule: every village its type's quota) or ``proportional`` (the same
        total places per year split in proportion to each village's eligible workers, whole places,
        largest remainder)
    """
    if rule == "equal":
        return quota
    if rule == "proportional":
        n, t = quota.shape
        totals = np.rint(quota.sum(axis=0))
        groups = np.tile(np.arange(t), n)  # year index per (village, year) cell, row-major
        cells = apportion(totals, eligible.ravel(), groups).reshape(n, t)
        return cells.astype(float)
    raise ValueError(f"unknown allocation rule {rule!r}; expected one of {ALLOCATION_RULES}")
