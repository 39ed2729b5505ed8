"""Allocation rules: how a district's funded places are spread over its villages.

Three rules at the same total places (and so the same cost where no place is left unused):

- ``equal``: every village its type's quota (today's rule);
- ``proportional``: the year's places split in proportion to each village's eligible workers;
- ``capped_mix``: a share of the places split equally, the rest in proportion to eligible workers,
  and no village above its eligible workers (or an optional cap); places above a village's cap go to
  the other villages by the same weights.

Comparing the rules on a scenario is analysis: :mod:`touna_policy.analysis.allocation`.
"""

from __future__ import annotations

import numpy as np

from touna_policy.rounding import apportion

ALLOCATION_RULES = ("equal", "proportional", "capped_mix")


def allocate_quota(quota: np.ndarray, eligible: np.ndarray, rule: str, mix=None) -> np.ndarray:
    """Quota places per village and year under an allocation rule, at the same total places.

    Parameters
    ----------
    quota : places per village and year under the equal rule (villages x years)
    eligible : eligible vulnerable workers (villages x years)
    rule : ``equal`` (today's rule: every village its type's quota) or ``proportional`` (the same
        total places per year split in proportion to each village's eligible workers, whole places,
        largest remainder) or ``capped_mix`` (see :func:`capped_mix_quota`)
    mix : :class:`~touna_policy.parameters.distributions.AllocationMix` for ``capped_mix`` (default: half equal)
    """
    if rule == "equal":
        return quota
    if rule == "proportional":
        n, t = quota.shape
        totals = np.rint(quota.sum(axis=0))
        groups = np.tile(np.arange(t), n)  # year index per (village, year) cell, row-major
        cells = apportion(totals, eligible.ravel(), groups).reshape(n, t)
        return cells.astype(float)
    if rule == "capped_mix":
        equal_share = 0.5 if mix is None else mix.equal_share
        cap = None if mix is None else mix.max_places_per_village
        return capped_mix_quota(quota, eligible, equal_share, cap)
    raise ValueError(f"unknown allocation rule {rule!r}; expected one of {ALLOCATION_RULES}")


def capped_mix_quota(
    quota: np.ndarray, eligible: np.ndarray, equal_share: float = 0.5, max_places_per_village: int | None = None
) -> np.ndarray:
    """Places per village and year: part equal, part proportional, capped at eligible workers.

    Each year's total places (the sum of ``quota``) are split with weight
    ``equal_share / n + (1 - equal_share) * eligible_i / sum(eligible)`` (whole places, largest
    remainder). A village whose share is above its cap (its eligible workers rounded down, and
    ``max_places_per_village`` if given) keeps its cap and the excess is split again over the others,
    until no village is above its cap. Places that fit under no cap stay unallocated.
    """
    n, t = quota.shape
    totals = np.rint(quota.sum(axis=0))
    cap = np.floor(eligible + 1e-9)
    if max_places_per_village is not None:
        cap = np.minimum(cap, float(max_places_per_village))
    e_sum = eligible.sum(axis=0, keepdims=True)
    weights = equal_share / n + (1.0 - equal_share) * np.divide(
        eligible, e_sum, out=np.zeros_like(eligible), where=e_sum > 0
    )
    groups = np.tile(np.arange(t), n)
    fixed = np.zeros((n, t))
    active = np.ones((n, t), dtype=bool)
    for _ in range(n + 1):  # each round fixes at least one village at its cap, or stops
        remaining = np.maximum(totals - fixed.sum(axis=0), 0.0)
        alloc = apportion(remaining, (weights * active).ravel(), groups).reshape(n, t).astype(float)
        over = active & (alloc > cap)
        if not over.any():
            return fixed + np.where(active, alloc, 0.0)
        fixed[over] = cap[over]
        active &= ~over
    return fixed  # pragma: no cover - the loop always ends within n rounds
