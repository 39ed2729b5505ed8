"""Typed scenario sections for the analysis: uncertain inputs, goal-seek targets, the capped-mix rule.

Kept apart from :mod:`touna_policy.scenario` (which only adds the fields) so that the scenario module
stays small and these models can be used by the defaults file ``data/parameters/uncertainty.yaml``.

A :class:`Distribution` describes one uncertain input. Its centre may be left out (``mean`` or
``mode`` or ``value`` omitted): it is then the value the deterministic projection uses, so a
distribution can be declared around whatever the scenario or the data say. Every distribution is
evaluated through its quantile function (:func:`quantile`), so Monte Carlo draws and Sobol samples go
through the same code.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import ConfigDict, Field, ValidationInfo, field_validator, model_validator

from touna_policy.parameters.base import ParameterModel
from touna_policy.parameters.ranges import (
    ANNUAL_CHANGE_MAX,
    QUOTA_MAX,
    WORKFORCE_GROWTH_MAX,
    WORKFORCE_GROWTH_MIN,
    Integer,
    Number,
    Share,
    Year,
)

DistributionName = Literal["fixed", "normal", "uniform", "triangular", "beta", "fitted", "bernoulli"]

# Valid range of every uncertain input (inclusive), its unit and what it means for a planner.
UNCERTAIN_INPUTS: dict[str, tuple[float, float, str]] = {
    "workforce_growth_share_per_year": (
        WORKFORCE_GROWTH_MIN,
        WORKFORCE_GROWTH_MAX,
        "yearly growth of the working population (0-1 units)",
    ),
    "vulnerable_share_factor": (0.0, 2.0, "multiplier on the estimated vulnerable workers (1 = the estimate)"),
    "payment_compliance_factor": (0.0, 1.0, "multiplier on the scenario's payment compliance (1 = as planned)"),
    "self_paid_bpu_annual_change": (
        -ANNUAL_CHANGE_MAX,
        ANNUAL_CHANGE_MAX,
        "yearly change of the self-paying share (self-enrolment trend, 0-1 units)",
    ),
    "self_paid_lapse_share": (0.0, 1.0, "0-1 share of self-paying participants whose membership lapses"),
    "mortality_rate_per_year": (0.0, 0.1, "deaths per covered worker per year (0-1)"),
    "work_accident_rate_per_year": (0.0, 0.2, "work accidents (JKK claims) per covered worker per year (0-1)"),
    "apbdes_relief_granted": (
        0.0,
        1.0,
        "1 if the PP 50/2025 relief applies to APBDes-paid places, 0 if not (not settled publicly)",
    ),
}
SD_REACH = 4.0  # an untruncated normal must stay inside its input's range within this many sd


class Distribution(ParameterModel):
    """One uncertain input: a distribution and its parameters (same unit as the input).

    - ``fixed``: ``value`` (omitted: the deterministic value)
    - ``normal``: ``mean`` (omitted: deterministic value), ``sd`` >= 0, optional ``low``/``high`` truncation
    - ``uniform``: ``low`` <= ``high``
    - ``triangular``: ``low`` <= ``mode`` <= ``high`` (``mode`` omitted: deterministic value)
    - ``beta`` (shares in 0-1 only): ``mean`` (omitted: deterministic value) and ``sd``
    - ``fitted`` (``self_paid_bpu_annual_change`` only): a normal whose mean and sd come from the
      statsmodels trend fitted to ``data/raw/coverage_series.csv``
    - ``bernoulli`` (a yes/no input, 0 or 1): 1 with ``probability``; its deterministic value is the
      scenario's answer, so the band spans both answers
    """

    model_config = ConfigDict(extra="forbid")

    distribution: DistributionName
    value: Number | None = Field(None, description="fixed value")
    mean: Number | None = Field(None, description="mean (normal, beta); omitted: the deterministic value")
    sd: Number | None = Field(None, ge=0, description="standard deviation (normal, beta)")
    low: Number | None = Field(None, description="lower bound (uniform, triangular, truncated normal)")
    high: Number | None = Field(None, description="upper bound (uniform, triangular, truncated normal)")
    mode: Number | None = Field(None, description="most likely value (triangular); omitted: the deterministic value")
    probability: Number | None = Field(None, ge=0, le=1, description="probability of 1 (bernoulli)")
    note: str = Field("", max_length=1000, description="where the range comes from")

    @model_validator(mode="after")
    def _parameters(self) -> Distribution:
        for name in ("value", "mean", "sd", "low", "high", "mode", "probability"):
            v = getattr(self, name)
            if v is not None and not math.isfinite(v):
                raise ValueError(f"{name} {v} is not a finite number")
        kind = self.distribution
        if kind in ("normal", "beta") and self.sd is None:
            raise ValueError(f"a {kind} distribution needs 'sd'")
        if kind == "bernoulli" and self.probability is None:
            raise ValueError("a bernoulli distribution needs 'probability'")
        if kind in ("uniform", "triangular") and (self.low is None or self.high is None):
            raise ValueError(f"a {kind} distribution needs 'low' and 'high'")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        if kind == "normal" and (self.low is None) != (self.high is None):
            raise ValueError("a truncated normal needs both 'low' and 'high'")
        if (
            kind == "normal"
            and self.low is not None
            and self.mean is not None
            and not self.low <= self.mean <= self.high
        ):
            raise ValueError(f"mean {self.mean} is outside low-high {self.low}-{self.high} of the truncated normal")
        if kind == "triangular" and self.mode is not None and not self.low <= self.mode <= self.high:
            raise ValueError(f"mode {self.mode} is outside low-high {self.low}-{self.high}")
        if kind == "beta" and self.mean is not None:
            _beta_shape(self.mean, self.sd or 0.0)
        unused = {
            "fixed": ("mean", "sd", "low", "high", "mode", "probability"),
            "normal": ("value", "mode", "probability"),
            "uniform": ("value", "mean", "sd", "mode", "probability"),
            "triangular": ("value", "mean", "sd", "probability"),
            "beta": ("value", "low", "high", "mode", "probability"),
            "fitted": ("value", "mean", "sd", "low", "high", "mode", "probability"),
            "bernoulli": ("value", "mean", "sd", "low", "high", "mode"),
        }[kind]
        given = [name for name in unused if getattr(self, name) is not None]
        if given:
            raise ValueError(f"a {kind} distribution takes no {', '.join(repr(g) for g in given)}")
        return self

    def support(self, central: float | None = None) -> tuple[float, float]:
        """Smallest and largest value the distribution can give (normal: mean +/- 4 sd unless truncated)."""
        c = self._centre(central)
        kind = self.distribution
        if kind == "fixed":
            return c, c
        if kind == "normal":
            if self.low is not None:
                return self.low, self.high
            return c - SD_REACH * self.sd, c + SD_REACH * self.sd
        if kind in ("uniform", "triangular"):
            return self.low, self.high
        if kind == "beta":
            return (c, c) if self.sd == 0 else (0.0, 1.0)
        if kind == "bernoulli":
            return (0.0, 1.0)
        return -math.inf, math.inf

    def _centre(self, central: float | None) -> float:
        own = {"fixed": self.value, "normal": self.mean, "beta": self.mean, "triangular": self.mode}.get(
            self.distribution
        )
        value = own if own is not None else central
        if value is None and self.distribution not in ("uniform", "fitted", "bernoulli"):
            raise ValueError(f"a {self.distribution} distribution without its centre needs the deterministic value")
        return value

    def check_range(self, name: str, central: float | None = None) -> None:
        """Raise ``ValueError`` if the distribution can give values outside ``name``'s valid range."""
        lo, hi, meaning = UNCERTAIN_INPUTS[name]
        if self.distribution == "fitted":
            if name != "self_paid_bpu_annual_change":
                raise ValueError("'fitted' is available only for self_paid_bpu_annual_change")
            return
        if self.distribution == "beta" and (lo, hi) != (0.0, 1.0):
            raise ValueError(f"a beta distribution needs a 0-1 share; {name} is {meaning}")
        if self.distribution == "bernoulli" and name != "apbdes_relief_granted":
            raise ValueError(f"a bernoulli distribution is for yes/no inputs; {name} is {meaning}")
        if central is None and self._needs_centre():
            self._check_without_centre(name)  # the rest is checked again when the deterministic value is known
            return
        s_lo, s_hi = self.support(central)
        if s_lo < lo - 1e-12 or s_hi > hi + 1e-12:
            how = (
                f" (mean +/- {SD_REACH:g} sd; give low/high to truncate, or use beta)"
                if (self.distribution == "normal" and self.low is None)
                else ""
            )
            raise ValueError(
                f"{self.distribution} reaches {s_lo:.6g}-{s_hi:.6g}{how}, outside the valid "
                f"range {lo:g}-{hi:g} of {name} ({meaning})"
            )
        if self.distribution == "beta":
            _beta_shape(self._centre(central), self.sd)

    def _check_without_centre(self, name: str) -> None:
        """What can be checked of a distribution whose centre is left out (the deterministic value):
        bounds that do not move with the centre, and a spread that fits the range wherever it is centred."""
        lo, hi, meaning = UNCERTAIN_INPUTS[name]
        kind = self.distribution
        if self.low is not None and self.high is not None:  # triangular, truncated normal: support is low-high
            if self.low < lo - 1e-12 or self.high > hi + 1e-12:
                raise ValueError(
                    f"{kind} low-high {self.low:.6g}-{self.high:.6g} is outside the valid range {lo:g}-{hi:g} "
                    f"of {name} ({meaning})"
                )
        elif kind == "normal" and 2 * SD_REACH * self.sd > (hi - lo) + 1e-12:
            raise ValueError(
                f"normal with sd {self.sd:g} spans {2 * SD_REACH * self.sd:.6g} (mean +/- {SD_REACH:g} sd), wider than "
                f"the valid range {lo:g}-{hi:g} of {name} ({meaning}) wherever it is centred; give low/high to truncate"
            )
        if kind == "beta" and self.sd >= 0.5:
            raise ValueError(f"sd {self.sd} is too large for any beta: sd must be below 0.5")

    def _needs_centre(self) -> bool:
        return {"fixed": self.value, "normal": self.mean, "beta": self.mean, "triangular": self.mode}.get(
            self.distribution, 0.0
        ) is None

    @property
    def is_fixed(self) -> bool:
        """True when every draw gives the same value."""
        if self.distribution == "fixed":
            return True
        if self.distribution in ("normal", "beta"):
            return self.sd == 0
        if self.distribution in ("uniform", "triangular"):
            return self.low == self.high
        if self.distribution == "bernoulli":
            return self.probability in (0.0, 1.0)
        return False

    def centre(self, deterministic: float) -> float:
        """The one central value of this input, used by the deterministic projection and as the Monte
        Carlo's centre: the distribution's own centre (a fixed ``value``, a ``mean``, a triangular
        ``mode``, a uniform's midpoint), else ``deterministic`` (the distribution is centred on it; a
        bernoulli's deterministic value is the scenario's answer, a fitted trend's the channel's)."""
        if self.distribution == "uniform":
            return 0.5 * (self.low + self.high)
        if self.distribution in ("fitted", "bernoulli"):
            return deterministic
        return float(self._centre(deterministic))


def _beta_shape(mean: float, sd: float) -> tuple[float, float]:
    if not 0 < mean < 1:
        raise ValueError(f"a beta distribution needs a mean strictly between 0 and 1, found {mean}")
    var = sd * sd
    if var >= mean * (1 - mean):
        raise ValueError(
            f"sd {sd} is too large for a beta with mean {mean}: sd must be below {math.sqrt(mean * (1 - mean)):.4f}"
        )
    k = mean * (1 - mean) / var - 1 if var > 0 else math.inf
    return mean * k, (1 - mean) * k


def quantile(
    dist: Distribution, u: np.ndarray, central: float, fitted: tuple[float, float] | None = None
) -> np.ndarray:
    """Values of ``dist`` at probabilities ``u`` (0-1), the inverse of its distribution function.

    ``central`` is the deterministic value (the centre of a distribution declared without one);
    ``fitted`` the (mean, sd) of a ``fitted`` trend.
    """
    from scipy import stats

    u = np.asarray(u, dtype=float)
    kind = dist.distribution
    if kind == "fitted":
        if fitted is None:
            raise ValueError("a fitted distribution needs the (mean, sd) of the fitted trend")
        dist = Distribution(distribution="normal", mean=fitted[0], sd=fitted[1])
        kind = "normal"
    if kind == "bernoulli":
        return (u >= 1.0 - dist.probability).astype(float) if dist.probability < 1 else np.ones(u.shape)
    c = dist._centre(central)
    if dist.is_fixed:
        value = c if kind in ("fixed", "normal", "beta") else dist.low
        return np.full(u.shape, float(value))
    if kind == "normal":
        if dist.low is None:
            return stats.norm.ppf(u, loc=c, scale=dist.sd)
        a, b = (dist.low - c) / dist.sd, (dist.high - c) / dist.sd
        return stats.truncnorm.ppf(u, a, b, loc=c, scale=dist.sd)
    if kind == "uniform":
        return dist.low + u * (dist.high - dist.low)
    if kind == "triangular":
        width = dist.high - dist.low
        return stats.triang.ppf(u, (c - dist.low) / width, loc=dist.low, scale=width)
    if kind == "beta":
        a, b = _beta_shape(c, dist.sd)
        return stats.beta.ppf(u, a, b)
    raise ValueError(f"unknown distribution {kind!r}")


class UncertaintySpec(ParameterModel):
    """The scenario's ``uncertainty`` section: Monte Carlo draws and the distribution of each input.

    An input left out takes its distribution from ``data/parameters/uncertainty.yaml`` when
    ``defaults`` is ``shipped`` (the default), or stays at its deterministic value when ``none``.
    """

    model_config = ConfigDict(extra="forbid")

    draws: Integer = Field(1000, ge=1, le=100_000, description="Monte Carlo draws")
    defaults: Literal["shipped", "none"] = Field(
        "shipped",
        description="inputs not declared here: 'shipped' ranges of data/parameters/uncertainty.yaml, or 'none' (fixed)",
    )
    workforce_growth_share_per_year: Distribution | None = None
    vulnerable_share_factor: Distribution | None = None
    payment_compliance_factor: Distribution | None = None
    self_paid_bpu_annual_change: Distribution | None = None
    self_paid_lapse_share: Distribution | None = None
    mortality_rate_per_year: Distribution | None = None
    work_accident_rate_per_year: Distribution | None = None
    apbdes_relief_granted: Distribution | None = None

    @field_validator(*UNCERTAIN_INPUTS)
    @classmethod
    def _range(cls, dist: Distribution | None, info: ValidationInfo) -> Distribution | None:
        """Each declared distribution within its input's range (the error names the input's own key)."""
        if dist is not None:
            dist.check_range(str(info.field_name))
        return dist

    def declared(self) -> dict[str, Distribution]:
        return {name: getattr(self, name) for name in UNCERTAIN_INPUTS if getattr(self, name) is not None}


class TargetSpec(ParameterModel):
    """The scenario's ``targets`` section: a coverage target for goal seeking."""

    model_config = ConfigDict(extra="forbid")

    measure: Literal["coverage_share", "ucj_coverage_share"] = Field(
        "coverage_share",
        description=(
            "coverage_share: covered / vulnerable workers; ucj_coverage_share: all covered / working population"
        ),
    )
    share: Number = Field(gt=0, le=1, description="target share (0-1)")
    year: Year = Field(description="year by which the target is to be reached")


class AllocationMix(ParameterModel):
    """Parameters of the ``capped_mix`` allocation rule."""

    model_config = ConfigDict(extra="forbid")

    equal_share: Share = Field(
        0.5,
        description="0-1 share of the places split equally; the rest in proportion to vulnerable workers",
    )
    max_places_per_village: Integer | None = Field(
        None,
        ge=0,
        le=QUOTA_MAX,
        description="cap on places per village (workers); places are never above a village's eligible workers",
    )
