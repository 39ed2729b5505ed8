"""The BPU contribution schedule (``data/parameters/bpjs_bpu.yaml``) and per-worker monthly rates.

JKK by declared-income band, JKM, optional JHT, the PP 50/2025 relief by sector and the JKM death
benefit, each a dated leaf (:mod:`touna_policy.parameters.dated`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import ConfigDict, Field

from touna_policy import config
from touna_policy.errors import InputError
from touna_policy.parameters.base import ParameterModel
from touna_policy.parameters.dated import DatedValue, Leaf, month_starts, step_values
from touna_policy.parameters.loading import load_validated
from touna_policy.parameters.ranges import Number, Share

# the leaves every projection month needs (JHT and the relief default to 0 before their first date)
REQUIRED_LEAVES = ("jkm_contribution", "jkk_contribution_by_declared_income")


class JkkBandValue(ParameterModel):
    model_config = ConfigDict(extra="forbid")

    class Band(ParameterModel):
        model_config = ConfigDict(extra="forbid")
        declared_income_up_to_idr: Number = Field(gt=0)
        contribution_idr: Number = Field(ge=0)

    bands: list[Band] = Field(min_length=1)
    share_above_last_band: Share
    share_above_last_band_verified: bool
    reference: str


class JkkLeaf(ParameterModel):
    model_config = ConfigDict(extra="forbid")
    description: str
    label: str
    unit: Literal["currency-IDR"]
    period: Literal["month"]
    values: dict[dt.date, JkkBandValue]


class ReliefLeaf(ParameterModel):
    model_config = ConfigDict(extra="forbid")
    description: str
    label: str
    unit: Literal["/1"]
    period: Literal["month"]
    applies_to: list[Literal["jkk", "jkm"]]
    by_sector: dict[Literal["non_transport", "transport"], dict[dt.date, DatedValue]]


class BpuParameters(ParameterModel):
    """The whole ``bpjs_bpu.yaml`` file."""

    model_config = ConfigDict(extra="forbid")
    jkm_contribution: Leaf
    jkk_contribution_by_declared_income: JkkLeaf
    jht_contribution_share: Leaf
    relief_share: ReliefLeaf
    jkm_death_benefit: Leaf


@lru_cache(maxsize=8)
def load_bpu_parameters(path: Path = config.BPU_PARAMETERS_YAML) -> BpuParameters:
    """Read and validate the BPU contribution schedule."""
    return load_validated(BpuParameters, Path(path))


def first_full_rate_year(params: BpuParameters | None = None) -> tuple[int, str, dt.date]:
    """``(year, leaf, date)``: the first year whose every month has a contribution rate, and the
    required leaf (and its first date) that sets it. A horizon starting earlier cannot be priced."""
    params = params or load_bpu_parameters()
    firsts = {name: min(getattr(params, name).values) for name in REQUIRED_LEAVES}
    leaf = max(firsts, key=lambda name: firsts[name])
    date = firsts[leaf]
    return (date.year if (date.month, date.day) == (1, 1) else date.year + 1), leaf, date


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
    jkk = step_values(dict(zip(keys, per_key, strict=True)), dates, get=lambda v: v[0])
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
