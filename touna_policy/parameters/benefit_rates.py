"""``data/parameters/benefit_rates.yaml``: mortality, work-accident rates and the benefit rules.

The mortality basis in force is the latest entry of ``mortality_basis`` (the history is kept):

- ``working_age``: the WPP 2024 age-specific death rates of Indonesia weighted by the age and sex mix
  of the employed over the participants' age range (:func:`working_age_mortality_rate`), the WPP
  period following the projection year (2020-2025 up to 2024, the 2025-2030 projection from 2025);
- ``crude_all_ages``: the leaf ``mortality_rate_per_year`` (Indonesia's crude death rate, all ages).

The JKK death benefit and the scholarship rules sit in the same file (rule-derived values with their
rule, and labelled assumptions with the reason). :func:`load_benefit_rates` reads and validates it
(errors name the file, key and line).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import ConfigDict, Field, model_validator

from touna_policy import config
from touna_policy.data.mortality import load_age_mix, load_mortality_table
from touna_policy.errors import InputError
from touna_policy.parameters.base import ParameterModel
from touna_policy.parameters.dated import Leaf, step_values
from touna_policy.parameters.loading import load_validated
from touna_policy.parameters.ranges import Number

BENEFIT_RATES_YAML = config.BENEFIT_RATES_YAML
OPEN_GROUP_WIDTH_YEARS = 5
"""The open last group of the age mix (60+) is taken as a 5-year group (60-64), at the 60-64 rate."""


class BasisEntry(ParameterModel):
    model_config = ConfigDict(extra="forbid")
    basis: Literal["working_age", "crude_all_ages"]
    reference: str = Field(min_length=3)


class MortalityBasis(ParameterModel):
    """Which mortality the benefit side uses, dated by the decision (the latest entry is in force)."""

    model_config = ConfigDict(extra="forbid")
    description: str
    values: dict[dt.date, BasisEntry] = Field(min_length=1)

    @property
    def in_force(self) -> str:
        return self.values[max(self.values)].basis


class AgeRange(ParameterModel):
    """The participants' age range (whole ages, both included): a labelled assumption."""

    model_config = ConfigDict(extra="forbid")
    label: str
    status: Literal["assumption", "rule"]
    age_from: int = Field(ge=0, le=120)
    age_to: int = Field(ge=0, le=120)
    reason: str = Field(min_length=3)

    @model_validator(mode="after")
    def _ordered(self):
        if self.age_to < self.age_from:
            raise ValueError(f"age_to {self.age_to} is below age_from {self.age_from}")
        return self


class Assumption(ParameterModel):
    """One labelled value: a rule-derived figure or an assumption, with the reason."""

    model_config = ConfigDict(extra="forbid")
    label: str
    status: Literal["assumption", "rule", "sourced-national"]
    unit: Literal["/1", "currency-IDR", "years"]
    value: Number = Field(ge=0)
    reason: str = Field(min_length=3)


class BenefitRates(ParameterModel):
    """The whole ``benefit_rates.yaml`` file."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["sourced-national", "observed", "synthetic"]
    mortality_basis: MortalityBasis
    participant_age_range: AgeRange
    mortality_rate_per_year: Leaf
    work_accident_rate_per_year: Leaf
    jkk_payment_per_accident_idr: Leaf
    jkk_fatal_share_of_accidents: Leaf
    jkk_death_benefit_idr: Leaf
    scholarship_waiting_years: Assumption
    scholarship_share_of_deaths_with_school_age_children: Assumption
    scholarship_value_per_family_idr: Assumption

    def _at(self, leaf: Leaf, years) -> np.ndarray:
        """Value of a leaf in each year: the latest value dated on or before 1 July, else the earliest."""
        years = np.asarray(years, dtype=int)
        dates = (years - 1970).astype("datetime64[Y]").astype("datetime64[D]") + 181
        out = step_values(leaf.values, dates)
        first = leaf.values[min(leaf.values)].value
        return np.where(np.isnan(out), first, out)

    def mortality(self, years) -> np.ndarray:
        """Deaths per participant per year in each year, on the basis in force."""
        if self.mortality_basis.in_force == "crude_all_ages":
            return self._at(self.mortality_rate_per_year, years)
        r = self.participant_age_range
        return shipped_working_age_rate(years, r.age_from, r.age_to)[0]

    def mortality_period(self, years) -> np.ndarray:
        """The source period of each year's rate (a WPP period, or ``crude`` on the crude basis)."""
        if self.mortality_basis.in_force == "crude_all_ages":
            return np.full(len(np.atleast_1d(years)), "crude")
        r = self.participant_age_range
        return shipped_working_age_rate(years, r.age_from, r.age_to)[1]

    def accidents(self, years) -> np.ndarray:
        return self._at(self.work_accident_rate_per_year, years)

    def jkk_payment(self, years) -> np.ndarray:
        return self._at(self.jkk_payment_per_accident_idr, years)

    def jkk_fatal_share(self, years) -> np.ndarray:
        return self._at(self.jkk_fatal_share_of_accidents, years)

    def jkk_death_benefit(self, years) -> np.ndarray:
        return self._at(self.jkk_death_benefit_idr, years)

    def scholarship_per_death_idr(self, years) -> np.ndarray:
        """Expected scholarship per entitled death: share of deaths with school-age children x value per family."""
        value = (
            self.scholarship_share_of_deaths_with_school_age_children.value
            * self.scholarship_value_per_family_idr.value
        )
        return np.full(len(np.atleast_1d(years)), float(value))


def shipped_working_age_rate(years, age_from: int, age_to: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`working_age_mortality_rate` of the shipped mortality table and age mix, computed once per
    years and age range in a process (every projection asks for it: a report makes about thirty)."""
    y = np.asarray(years, dtype=int)
    rate, period = _working_age_rate(y.shape, tuple(y.ravel().tolist()), age_from, age_to)
    return rate.copy(), period.copy()


@lru_cache(maxsize=32)
def _working_age_rate(shape: tuple, years: tuple, age_from: int, age_to: int) -> tuple[np.ndarray, np.ndarray]:
    grid = np.array(years, dtype=int).reshape(shape)
    return working_age_mortality_rate(grid, load_mortality_table(), load_age_mix(), age_from, age_to)


def working_age_mortality_rate(
    years, table: pd.DataFrame, mix: pd.DataFrame, age_from: int, age_to: int
) -> tuple[np.ndarray, np.ndarray]:
    """Deaths per person-year of participants aged ``age_from``-``age_to`` in each year, and its period.

    rate(period) = sum over sex and age group of w x mx / sum of w, with w = the group's share of the
    employed (``mix``, male and female rows) x the fraction of the group's ages inside the range
    (ages spread evenly in a group; the open last group taken as 60-64) and mx the group's death
    rate in ``table`` for that sex and period. Each year takes the period it falls in (the latest
    period starting on or before it; years before the first period take the first).

    Raises
    ------
    InputError
        a group weighted into the rate has no death rate in the table, or no group falls in the range.
    """
    mix = mix[mix["sex"] != "both"]
    rates = table[table["sex"] != "both"]
    lo = mix["age_from"].to_numpy(dtype=float)
    hi = np.where(mix["age_to"].isna(), lo + OPEN_GROUP_WIDTH_YEARS - 1, mix["age_to"].to_numpy(dtype=float)) + 1
    inside = np.clip(np.minimum(hi, age_to + 1) - np.maximum(lo, age_from), 0.0, None) / (hi - lo)
    weight = mix["share"].to_numpy(dtype=float) * inside
    if weight.sum() <= 0:
        raise InputError.single(
            "benefit_rates.yaml",
            "key 'participant_age_range'",
            f"ages {age_from}-{age_to}",
            "a range the age mix covers",
        )
    wide = rates.pivot_table(index=["sex", "age_from"], columns="period", values="rate_per_year", aggfunc="first")
    keys = pd.MultiIndex.from_arrays([mix["sex"].to_numpy(), mix["age_from"].to_numpy()])
    mx = wide.reindex(keys)
    missing = mx.isna().any(axis=1).to_numpy() & (weight > 0)
    if missing.any():
        sex, age = keys[np.flatnonzero(missing)[0]]
        raise InputError.single(
            "mortality_working_age.csv",
            f"sex '{sex}', age group from {age:g}",
            "no death rate in every period",
            "a rate for every age group and sex of the participants' age range",
        )
    by_period = weight @ np.nan_to_num(mx.to_numpy(dtype=float)) / weight.sum()
    periods = np.asarray(mx.columns, dtype=str)
    starts = periods.astype("U4").astype(int)  # '2020-2025' -> 2020
    idx = np.clip(np.searchsorted(starts, np.asarray(years, dtype=int), side="right") - 1, 0, None)
    return by_period[idx], periods[idx]


@lru_cache(maxsize=4)
def load_benefit_rates(path: Path = BENEFIT_RATES_YAML) -> BenefitRates:
    """Read and validate the benefit rates (errors name the file, key and line)."""
    return load_validated(BenefitRates, Path(path))
