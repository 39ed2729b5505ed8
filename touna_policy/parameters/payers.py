"""Payers of funded places and the PP 50/2025 relief eligibility of each, from ``relief_eligibility.yaml``.

:data:`PAYERS` are the budgets a place can be paid from. :func:`load_relief_eligibility` reads the
dated eligibility per payer (1: the relief applies, 0: excluded); for ``apbdes`` the file says
``scenario`` and :func:`relief_eligible_by_month` takes the scenario's ``relief_for_apbdes_paid``.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import ConfigDict, Field, model_validator

from touna_policy import config
from touna_policy.parameters.base import ParameterModel
from touna_policy.parameters.dated import month_starts, step_values
from touna_policy.parameters.loading import load_validated

RELIEF_ELIGIBILITY_YAML = config.PARAMETERS_DIR / "relief_eligibility.yaml"

Payer = Literal["apbdes", "apbd", "apbd_province", "self"]
PAYERS: tuple[Payer, ...] = ("apbdes", "apbd", "apbd_province", "self")
"""Every payer, in the order of the per-payer arrays."""

PUBLIC_PAYERS: tuple[str, ...] = ("apbdes", "apbd", "apbd_province")
"""The payers with a ``premium_<payer>_idr`` column in the district and village tables."""


class DatedFlag(ParameterModel):
    model_config = ConfigDict(extra="forbid")
    value: Literal[0, 1]
    reference: str = Field(min_length=3)


class PayerEntry(ParameterModel):
    model_config = ConfigDict(extra="forbid")
    description: str
    label: str
    relief_eligible: dict[dt.date, DatedFlag] | Literal["scenario"]


class ReliefEligibility(ParameterModel):
    """The whole ``relief_eligibility.yaml`` file: one entry per payer."""

    model_config = ConfigDict(extra="forbid")
    source: str
    payers: dict[Payer, PayerEntry]

    @model_validator(mode="after")
    def _every_payer(self) -> ReliefEligibility:
        missing = [p for p in PAYERS if p not in self.payers]
        if missing:
            raise ValueError(f"payers {', '.join(missing)} are missing")
        return self


@lru_cache(maxsize=4)
def load_relief_eligibility(path: Path = RELIEF_ELIGIBILITY_YAML) -> ReliefEligibility:
    """Read and validate the relief eligibility per payer."""
    return load_validated(ReliefEligibility, Path(path))


def relief_eligible_by_month(
    years: np.ndarray, relief_for_apbdes_paid: bool, params: ReliefEligibility | None = None
) -> np.ndarray:
    """Relief eligibility (0/1) per payer and month: array (payers, years, 12) in the order of :data:`PAYERS`.

    Months before a payer's first dated value count as not eligible.
    """
    params = params or load_relief_eligibility()
    dates = month_starts(years)
    out = np.zeros((len(PAYERS), *dates.shape))
    for k, payer in enumerate(PAYERS):
        flags = params.payers[payer].relief_eligible
        if flags == "scenario":
            out[k] = float(bool(relief_for_apbdes_paid))
        else:
            out[k] = np.nan_to_num(step_values(flags, dates), nan=0.0)
    return out
