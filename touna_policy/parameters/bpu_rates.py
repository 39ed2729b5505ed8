"""Dated policy parameters (contribution rates, reliefs, benefits) read from ``data/parameters``.

Each leaf holds values keyed by the date they take effect; the value on a date is the last one set on
or before it. :func:`monthly_values` evaluates a leaf on the first day of every month of a range of
years, vectorised, so a change in April is exact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from touna_policy import config
from touna_policy.errors import InputError
from touna_policy.yamlio import load_yaml

Unit = Literal["currency-IDR", "/1"]


class DatedValue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: float
    reference: str = Field(min_length=3)


class Leaf(BaseModel):
    """One parameter: description, unit, period and dated values with references."""

    model_config = ConfigDict(extra="forbid")
    description: str
    label: str
    unit: Unit
    period: Literal["month", "year", "event"]
    values: dict[dt.date, DatedValue]


class JkkBandValue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    class Band(BaseModel):
        model_config = ConfigDict(extra="forbid")
        declared_income_up_to_idr: float = Field(gt=0)
        contribution_idr: float = Field(ge=0)

    bands: list[Band] = Field(min_length=1)
    share_above_last_band: float = Field(ge=0, le=1)
    share_above_last_band_verified: bool
    reference: str


class JkkLeaf(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str
    label: str
    unit: Literal["currency-IDR"]
    period: Literal["month"]
    values: dict[dt.date, JkkBandValue]


class ReliefLeaf(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str
    label: str
    unit: Literal["/1"]
    period: Literal["month"]
    applies_to: list[Literal["jkk", "jkm"]]
    by_sector: dict[Literal["non_transport", "transport"], dict[dt.date, DatedValue]]


class BpuParameters(BaseModel):
    """The whole ``bpjs_bpu.yaml`` file."""

    model_config = ConfigDict(extra="forbid")
    jkm_contribution: Leaf
    jkk_contribution_by_declared_income: JkkLeaf
    jht_contribution_share: Leaf
    relief_share: ReliefLeaf
    jkm_death_benefit: Leaf


class ChannelAssumption(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str
    unit: Literal["/1"]
    base_year: int = Field(ge=1990, le=2100)
    value: float = Field(ge=0, le=1)
    annual_change: float = Field(ge=-0.2, le=0.2)
    note: str = ""


class CoverageAssumptions(BaseModel):
    """``coverage_assumptions.yaml``: coverage through other channels (synthetic until replaced)."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["synthetic", "estimated", "observed"]
    source: str
    self_paid_bpu_share: ChannelAssumption
    wage_earner_coverage_share: ChannelAssumption


def _validated(model: type[BaseModel], path: Path) -> Any:
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError.single(path, "", f"a {type(data).__name__}", "a mapping of parameter names")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        from touna_policy.scenario import problems_from_validation  # one wording, with the nearest valid key

        raise InputError(problems_from_validation(exc, str(path), lines, root=model)) from None


@lru_cache(maxsize=8)
def load_bpu_parameters(path: Path = config.BPU_PARAMETERS_YAML) -> BpuParameters:
    """Read and validate the BPU contribution schedule."""
    return _validated(BpuParameters, Path(path))


@lru_cache(maxsize=8)
def load_coverage_assumptions(path: Path = config.COVERAGE_ASSUMPTIONS_YAML) -> CoverageAssumptions:
    """Read and validate the other-channel coverage assumptions."""
    return _validated(CoverageAssumptions, Path(path))


def month_starts(years: np.ndarray) -> np.ndarray:
    """``datetime64[D]`` first days of every month of ``years``, shape ``(len(years), 12)``."""
    years = np.asarray(years, dtype=int)
    months = (years[:, None] - 1970) * 12 + np.arange(12)[None, :]
    return months.astype("datetime64[M]").astype("datetime64[D]")


def step_values(values: dict[dt.date, Any], dates: np.ndarray, get=lambda v: v.value) -> np.ndarray:
    """Evaluate a dated leaf at ``dates`` (any shape): the last value set on or before each date.

    Dates before the first entry get ``nan``.
    """
    keys = sorted(values)
    starts = np.array(keys, dtype="datetime64[D]")
    vals = np.array([get(values[k]) for k in keys], dtype=float)
    idx = np.searchsorted(starts, dates, side="right") - 1
    out = np.where(idx >= 0, vals[np.clip(idx, 0, None)], np.nan)
    return out


@dataclass(frozen=True)
class MonthlyRates:
    """Per-worker monthly contributions for each month of the projection years (IDR), shape (years, 12)."""

    years: np.ndarray
    jkk_idr: np.ndarray
    jkm_idr: np.ndarray
    jht_idr: np.ndarray
    relief_share: np.ndarray
    uses_unverified_jkk_band: bool

    @property
    def premium_per_worker_month_idr(self) -> np.ndarray:
        """JKK + JKM after relief, plus JHT if chosen."""
        return (self.jkk_idr + self.jkm_idr) * (1.0 - self.relief_share) + self.jht_idr

    @property
    def premium_per_worker_year_idr(self) -> np.ndarray:
        return self.premium_per_worker_month_idr.sum(axis=1)


def jkk_for_income(value: JkkBandValue, declared_income_idr: float) -> tuple[float, bool]:
    """JKK monthly contribution for a declared income under one dated band table; ``(idr, verified)``."""
    for band in sorted(value.bands, key=lambda b: b.declared_income_up_to_idr):
        if declared_income_idr <= band.declared_income_up_to_idr:
            return band.contribution_idr, True
    return declared_income_idr * value.share_above_last_band, value.share_above_last_band_verified


def monthly_rates(
    years: np.ndarray,
    declared_income_idr: float,
    include_jht: bool,
    transport_worker_share: float,
    params: BpuParameters | None = None,
) -> MonthlyRates:
    """Per-worker contributions for every month of ``years``.

    Parameters
    ----------
    years : projection years
    declared_income_idr : monthly income declared by the participant (sets the JKK band and JHT)
    include_jht : whether the optional JHT savings contribution is paid
    transport_worker_share : 0-1 share of funded workers in the transport sector (their relief
        period under PP 50/2025 differs)
    """
    params = params or load_bpu_parameters()
    dates = month_starts(years)
    jkm = step_values(params.jkm_contribution.values, dates)
    leaf = params.jkk_contribution_by_declared_income.values
    keys = sorted(leaf)
    per_key = [jkk_for_income(leaf[k], declared_income_idr) for k in keys]
    jkk = step_values(dict(zip(keys, per_key)), dates, get=lambda v: v[0])
    starts = np.array(keys, dtype="datetime64[D]")
    used = np.unique(np.searchsorted(starts, dates, side="right") - 1)
    unverified = any(not per_key[i][1] for i in used if i >= 0)
    jht = step_values(params.jht_contribution_share.values, dates) * declared_income_idr * bool(include_jht)
    relief_nt = step_values(params.relief_share.by_sector["non_transport"], dates)
    relief_t = step_values(params.relief_share.by_sector["transport"], dates)
    relief = (1.0 - transport_worker_share) * relief_nt + transport_worker_share * relief_t
    for name, arr in (("jkm_contribution", jkm), ("jkk_contribution_by_declared_income", jkk)):
        if np.isnan(arr).any():
            first = sorted(params.model_dump()[name]["values"])[0]
            raise InputError.single(
                config.BPU_PARAMETERS_YAML,
                f"key '{name}'",
                f"no value before {first}",
                f"a value in force for every projection year from {int(years[0])}",
            )
    return MonthlyRates(np.asarray(years), jkk, jkm, np.nan_to_num(jht), np.nan_to_num(relief), unverified)


def jkm_death_benefit_idr(years: np.ndarray, params: BpuParameters | None = None) -> np.ndarray:
    """JKM death benefit in force on 1 July of each year (IDR)."""
    params = params or load_bpu_parameters()
    dates = (np.asarray(years, dtype=int) - 1970).astype("datetime64[Y]").astype("datetime64[D]") + 181
    return step_values(params.jkm_death_benefit.values, dates)
