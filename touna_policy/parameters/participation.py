"""Participation parameters (issue 12) from ``data/parameters/participation.yaml``.

The BPU grace period (3 months, BPJS Perdir 22/PERDIR.02/072022), the months of arrears a desa pays
after its workers were closed (assumption), the yearly churn of a desa's places (assumption), the
probability that a village pays a month's premiums (0.95, assumption: the central payment compliance)
and the self-paying BPU non-active share (9.6 %, derived; the monthly non-payment probability of
self-paying places). Each entry carries its status, reference and
retrieval date; :func:`load_participation_parameters` validates the file.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from touna_policy import config
from touna_policy.parameters.base import ParameterModel
from touna_policy.parameters.loading import load_validated

PARTICIPATION_YAML = config.PARAMETERS_DIR / "participation.yaml"


class _Entry(ParameterModel):
    model_config = ConfigDict(extra="forbid")
    description: str = Field(min_length=3)
    unit: Literal["months", "/1"]
    status: Literal["regulation", "assumption", "derived"]
    reference: str = Field(min_length=3)
    retrieved: dt.date


class MonthsEntry(_Entry):
    """A whole number of months, 0-24."""

    value: int = Field(ge=0, le=24)


class ShareEntry(_Entry):
    """A share, 0-1."""

    value: float = Field(ge=0.0, le=1.0)


class ParticipationParameters(ParameterModel):
    """The whole ``participation.yaml`` file."""

    model_config = ConfigDict(extra="forbid")
    source: str = Field(min_length=3)
    grace_period_months: MonthsEntry
    arrears_after_closure_paid_months: MonthsEntry
    churn_share_per_year: ShareEntry
    monthly_payment_probability: ShareEntry
    self_paid_lapse_share: ShareEntry

    @model_validator(mode="after")
    def _arrears_within_grace(self) -> ParticipationParameters:
        paid, grace = self.arrears_after_closure_paid_months.value, self.grace_period_months.value
        if paid > grace:
            raise ValueError(
                f"arrears_after_closure_paid_months {paid} is more than grace_period_months {grace}"
                " (only the months owed while registered can be paid)"
            )
        if self.monthly_payment_probability.value <= 0:
            raise ValueError("monthly_payment_probability 0: a default must leave villages a chance to pay (above 0)")
        return self

    def default_payment_probability(self, payer: str) -> float:
        """Probability that a place of ``payer`` is paid in a month when the scenario names none: the
        self-paying lapse anchor for ``self`` (1 - 0.096), else the monthly payment probability."""
        if payer == "self":
            return 1.0 - self.self_paid_lapse_share.value
        return self.monthly_payment_probability.value


@lru_cache(maxsize=4)
def load_participation_parameters(path: Path = PARTICIPATION_YAML) -> ParticipationParameters:
    """Read and validate the participation parameters."""
    return load_validated(ParticipationParameters, Path(path))
