"""Dated parameter leaves: values keyed by the date they take effect, evaluated as step functions.

The value on a date is the last one set on or before it. :func:`step_values` evaluates a leaf at
any dates, vectorised; over the first day of every month (:func:`month_starts`) a change in April
is exact.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import numpy as np
from pydantic import ConfigDict, Field

from touna_policy.parameters.base import ParameterModel
from touna_policy.parameters.ranges import Number

Unit = Literal["currency-IDR", "/1"]


class DatedValue(ParameterModel):
    model_config = ConfigDict(extra="forbid")
    value: Number
    reference: str = Field(min_length=3)


class Leaf(ParameterModel):
    """One parameter: description, unit, period and dated values with references."""

    model_config = ConfigDict(extra="forbid")
    description: str
    label: str
    unit: Unit
    period: Literal["month", "year", "event"]
    values: dict[dt.date, DatedValue]


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
