"""The one share computation every table uses: ``num / den`` where ``den > 0``, else ``nan``."""

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
