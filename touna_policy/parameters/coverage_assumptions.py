"""Coverage through other channels (``data/parameters/coverage_assumptions.yaml``, synthetic until replaced)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import ConfigDict

from touna_policy import config
from touna_policy.parameters.base import ParameterModel
from touna_policy.parameters.loading import load_validated
from touna_policy.parameters.ranges import AnnualChange, Share, Year


class ChannelAssumption(ParameterModel):
    model_config = ConfigDict(extra="forbid")
    description: str
    unit: Literal["/1"]
    base_year: Year
    value: Share
    annual_change: AnnualChange
    note: str = ""


class CoverageAssumptions(ParameterModel):
    """``coverage_assumptions.yaml``: coverage through other channels (synthetic until replaced)."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["synthetic", "estimated", "observed"]
    source: str
    self_paid_bpu_share: ChannelAssumption
    wage_earner_coverage_share: ChannelAssumption


@lru_cache(maxsize=8)
def load_coverage_assumptions(path: Path = config.COVERAGE_ASSUMPTIONS_YAML) -> CoverageAssumptions:
    """Read and validate the other-channel coverage assumptions."""
    return load_validated(CoverageAssumptions, Path(path))
