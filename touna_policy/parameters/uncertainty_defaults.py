"""``data/parameters/uncertainty.yaml``: the shipped distribution of every uncertain input.

A scenario's ``uncertainty`` section takes these for the inputs it does not declare (labelled
synthetic in every report) unless it says ``defaults: none``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import ConfigDict

from touna_policy import config
from touna_policy.errors import InputError
from touna_policy.parameters.base import ParameterModel
from touna_policy.parameters.distributions import UNCERTAIN_INPUTS, Distribution
from touna_policy.parameters.loading import load_validated

UNCERTAINTY_YAML = config.UNCERTAINTY_YAML


class UncertaintyDefaults(ParameterModel):
    """``data/parameters/uncertainty.yaml``: a distribution for every uncertain input."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["synthetic", "estimated", "observed"]
    source: str
    workforce_growth_share_per_year: Distribution
    vulnerable_share_factor: Distribution
    payment_compliance_factor: Distribution
    self_paid_bpu_annual_change: Distribution
    self_paid_lapse_share: Distribution
    mortality_rate_per_year: Distribution
    work_accident_rate_per_year: Distribution
    apbdes_relief_granted: Distribution


@lru_cache(maxsize=4)
def load_uncertainty_defaults(path: Path = UNCERTAINTY_YAML) -> UncertaintyDefaults:
    """Read and validate the shipped default distributions (each within its input's range)."""
    defaults = load_validated(UncertaintyDefaults, Path(path))
    for name in UNCERTAIN_INPUTS:
        try:
            getattr(defaults, name).check_range(name)
        except ValueError as exc:
            raise InputError.single(path, f"key '{name}'", getattr(defaults, name).distribution, str(exc)) from None
    return defaults
