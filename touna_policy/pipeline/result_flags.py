"""What a projection's reader must be told besides its tables: capped quotas, an unverified JKK rate.

A quota larger than a village's eligible workers is capped at the workers (the places go unused);
an income above the verified JKK band is priced with the unverified rule. :func:`result_flags`
condenses both from a :class:`~touna_policy.model.projection.ProjectionResult`; ``touna-policy
project`` prints :func:`flag_lines`, and a run records the flags in its manifest and on its report's
title page.
"""

from __future__ import annotations

import numpy as np

from touna_policy.model.projection import ProjectionResult


def result_flags(result: ProjectionResult) -> dict:
    """``{"unused_quota": {...} | None, "uses_unverified_jkk_band": bool}`` for one projection.

    ``unused_quota``: ``places`` unused in the year with the most (``year``), ``villages`` whose quota
    exceeds their eligible workers in that year, and ``villages_any_year``.
    """
    a = result.arrays
    quota = np.asarray(a.quota_places, dtype=float)
    unused = quota - np.minimum(quota, np.asarray(a.eligible_workers, dtype=float))  # villages x years
    capped = unused > 0.5
    by_year = unused.sum(axis=0)
    unused_quota = None
    if capped.any():
        worst = int(np.argmax(by_year))
        unused_quota = {
            "year": int(a.years[worst]),
            "places": int(round(float(by_year[worst]))),
            "villages": int(capped[:, worst].sum()),
            "villages_any_year": int(capped.any(axis=1).sum()),
        }
    return {"unused_quota": unused_quota, "uses_unverified_jkk_band": bool(a.uses_unverified_jkk_band)}


def flag_lines(flags: dict) -> list[str]:
    """The flags as terminal lines (``CAPPED: ...``, ``UNVERIFIED: ...``); empty when there is nothing to say."""
    lines = []
    unused = flags.get("unused_quota")
    if unused:
        lines.append(
            f"CAPPED: {unused['places']:,} quota places unused in {unused['year']} in {unused['villages']:,} "
            f"villages whose quota exceeds their eligible workers ({unused['villages_any_year']:,} villages in "
            "some year); each village's places are capped at its workers"
        )
    if flags.get("uses_unverified_jkk_band"):
        lines.append(
            "UNVERIFIED: an income above the verified JKK band is priced with the unverified JKK rule; "
            "the premium figures depend on it"
        )
    return lines


def report_flag_keys(flags: dict) -> list[tuple[str, dict]]:
    """``(text key, values)`` of each flag for the report's title page (``report.flag_...``)."""
    keys = []
    unused = flags.get("unused_quota")
    if unused:
        keys.append(("run_flags.unused_quota", dict(unused)))
    if flags.get("uses_unverified_jkk_band"):
        keys.append(("run_flags.unverified_jkk", {}))
    return keys
