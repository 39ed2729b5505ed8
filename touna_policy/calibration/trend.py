"""Trend of the other channels: a binomial-logit GLM of the share covered through each (statsmodels).

:func:`fit_coverage_trend` fits a binomial GLM with a logit link (quasi-likelihood scale from
Pearson's chi-squared, so over-dispersion widens the intervals) to the share covered through each
other channel in ``data/raw/coverage_series.csv``. Each channel's fit is a :class:`ChannelFit`
(coefficients, their covariance, the scale and statsmodels' ``.summary()`` text);
:meth:`CoverageTrend.predict` gives the fitted share with its confidence and prediction interval for
any years. The shipped series is SYNTHETIC (generated from the coverage assumptions): replace it with
the branch office's real series (same columns) and the fit, projection and reports use it.

A fit is made once per fitted data: it is kept in a small JSON file under the cache folder
(:func:`touna_policy.data.validation_cache.cache_root`, never in ``reports/``) named after the SHA-256
of the rows fitted, the area, this module's source and the statsmodels version, so a report whose
series did not change reads the fit back without importing statsmodels (about 1 s). Other rows
(a changed series) give another key and a new fit. Floats are written as JSON's shortest repr, which
reads back bit for bit: a fit read back is the same fit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from touna_policy import config
from touna_policy.data.coverage import CHANNELS, COVERAGE_SERIES_CSV, load_coverage_series
from touna_policy.data.validation_cache import cache_root, installed_versions, write_entry
from touna_policy.errors import InputError

CACHE_FORMAT = "touna-policy trend v1"
FITTED_COLUMNS = ["year", "area", "channel", "participants", "denominator", "status"]
"""The columns of the series the fit depends on (its cache key hashes them)."""


@dataclass(frozen=True)
class FitSummary:
    """statsmodels' summary of one fit, as text: ``str(summary)`` and ``summary.tables[k]`` print as
    statsmodels prints them."""

    text: str
    tables: tuple[str, ...]

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class ChannelFit:
    """One channel's binomial-logit GLM: what the projection, the Monte Carlo and the report read.

    Attributes
    ----------
    params : intercept (at the reference year) and slope per year, on the logit scale
    covariance : covariance of ``params``
    scale : Pearson chi-squared / residual degrees of freedom (over-dispersion when above 1)
    summary_text, summary_tables : statsmodels' summary and its tables, as text
    """

    params: np.ndarray
    covariance: np.ndarray
    scale: float
    summary_text: str
    summary_tables: tuple[str, ...]

    def cov_params(self) -> np.ndarray:
        """Covariance of the coefficients (named as statsmodels names it)."""
        return self.covariance

    def summary(self) -> FitSummary:
        return FitSummary(self.summary_text, self.summary_tables)

    @property
    def bse(self) -> np.ndarray:
        """Standard errors of the coefficients (statsmodels' name)."""
        return np.sqrt(np.diag(self.covariance))

    @property
    def pvalues(self) -> np.ndarray:
        """Two-sided p-values of the z statistics, as statsmodels' GLM gives them."""
        from scipy.special import ndtr  # imported lazily: heavy

        return 2.0 * ndtr(-np.abs(self.params / self.bse))

    def conf_int(self, alpha: float = 0.05) -> np.ndarray:
        """``1 - alpha`` normal intervals of the coefficients (rows: coefficients; columns: low, high)."""
        from scipy.special import ndtri  # imported lazily: heavy

        half = ndtri(1 - alpha / 2) * self.bse
        return np.column_stack([self.params - half, self.params + half])

    @classmethod
    def from_statsmodels(cls, res) -> ChannelFit:
        summary = res.summary()
        return cls(
            np.asarray(res.params, dtype=float),
            np.asarray(res.cov_params(), dtype=float),
            float(res.scale),
            str(summary),
            tuple(str(t) for t in summary.tables),
        )

    def to_json(self) -> dict:
        return {
            "params": [float(v) for v in self.params],
            "covariance": [[float(v) for v in row] for row in self.covariance],
            "scale": float(self.scale),
            "summary_text": self.summary_text,
            "summary_tables": list(self.summary_tables),
        }

    @classmethod
    def from_json(cls, data: dict) -> ChannelFit:
        return cls(
            np.array(data["params"], dtype=float),
            np.array(data["covariance"], dtype=float),
            float(data["scale"]),
            str(data["summary_text"]),
            tuple(str(t) for t in data["summary_tables"]),
        )


@dataclass
class CoverageTrend:
    """Binomial-logit GLM fits of the share covered through each other channel.

    Attributes
    ----------
    results : ``{channel: ChannelFit}`` (``results['self_paid_bpu'].summary()``)
    data : the series that was fitted
    reference_year : the year at which the intercept is read (last observed year)
    status : ``observed``, ``estimated`` or ``synthetic`` (the least certain status of the rows)
    """

    results: dict
    data: pd.DataFrame
    reference_year: int
    status: str

    def summary(self, channel: str = "self_paid_bpu"):
        """statsmodels summary of one channel's fit."""
        return self.results[channel].summary()

    def _exog(self, years) -> np.ndarray:
        years = np.asarray(years, dtype=float) - self.reference_year
        return np.column_stack([np.ones_like(years), years])  # statsmodels' add_constant(has_constant="add")

    def predict(self, years, alpha: float = 0.10) -> pd.DataFrame:
        """Fitted share per channel and year with confidence (``mean_ci_*``) and prediction (``obs_ci_*``) intervals.

        The prediction interval adds the binomial variation of one year's share around the trend
        (scaled by the fit's dispersion) for a denominator equal to the last observed one.
        """
        from scipy.special import ndtri  # imported lazily: heavy (scipy.stats.norm.ppf is this, bit for bit)

        years = np.asarray(years, dtype=int)
        z = ndtri(1 - alpha / 2)
        frames = []
        for channel, res in self.results.items():
            x = self._exog(years)
            eta = x @ res.params
            se_eta = np.sqrt(np.einsum("ij,jk,ik->i", x, res.cov_params(), x))
            p = 1.0 / (1.0 + np.exp(-eta))
            last_n = float(self.data.loc[self.data["channel"] == channel].sort_values("year")["denominator"].iloc[-1])
            se_obs = np.sqrt(se_eta**2 + res.scale / (last_n * p * (1 - p)))
            expit = lambda v: 1.0 / (1.0 + np.exp(-v))  # noqa: E731
            frames.append(
                pd.DataFrame(
                    {
                        "year": years,
                        "channel": channel,
                        "mean": p,
                        "mean_ci_lower": expit(eta - z * se_eta),
                        "mean_ci_upper": expit(eta + z * se_eta),
                        "obs_ci_lower": expit(eta - z * se_obs),
                        "obs_ci_upper": expit(eta + z * se_obs),
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)

    def annual_change(self, channel: str, first_year: int, last_year: int) -> tuple[float, float]:
        """Mean yearly change of the fitted share between two years and its standard error (delta method)."""
        res = self.results[channel]
        x = self._exog([first_year, last_year])
        p = 1.0 / (1.0 + np.exp(-(x @ res.params)))
        span = max(last_year - first_year, 1)
        slope = (p[1] - p[0]) / span
        grad = ((p[1] * (1 - p[1])) * x[1] - (p[0] * (1 - p[0])) * x[0]) / span
        return float(slope), float(np.sqrt(grad @ res.cov_params() @ grad))


def fit_coverage_trend(series: pd.DataFrame | None = None, area: str = config.DEFAULT_AREA_CODE) -> CoverageTrend:
    """Fit a binomial GLM (logit link, Pearson-scaled) of each channel's share on the year.

    Parameters
    ----------
    series : a coverage series as from :func:`load_coverage_series` (default: the shipped file)
    area : Kemendagri code of the rows to fit

    The fit of the same rows is read back from the cache when there (:func:`cached_fits`).
    """
    series = load_coverage_series() if series is None else series
    rows = series[series["area"] == area]
    problems = [c for c in CHANNELS if (rows["channel"] == c).sum() < 3]
    if problems:
        raise InputError.single(
            COVERAGE_SERIES_CSV,
            f"area '{area}'",
            f"fewer than 3 years for {', '.join(problems)}",
            "at least 3 years per channel to fit a trend",
        )
    reference = int(rows["year"].max())
    key = fit_key(rows, area)
    results = cached_fits(key)
    if results is None:
        results = fit_channels(rows, reference)
        remember_fits(key, results)
    order = {"synthetic": 0, "estimated": 1, "observed": 2}
    status = min(rows["status"], key=order.__getitem__)
    return CoverageTrend(results, rows.reset_index(drop=True), reference, status)


def fit_channels(rows: pd.DataFrame, reference: int) -> dict[str, ChannelFit]:
    """statsmodels' binomial GLM of each channel's share on the year (centred on ``reference``)."""
    import statsmodels.api as sm  # imported lazily: heavy (about 1 s), only when a trend is fitted

    results = {}
    for channel in CHANNELS:
        d = rows[rows["channel"] == channel].sort_values("year")
        trials = d["denominator"].to_numpy(dtype=float)
        share = d["participants"].to_numpy(dtype=float) / trials
        exog = sm.add_constant(d["year"].to_numpy(dtype=float) - reference, has_constant="add")
        # shares with the number of trials as variance weights: the binomial likelihood, and a Pearson
        # scale that measures dispersion around the trend correctly
        fit = sm.GLM(share, exog, family=sm.families.Binomial(), var_weights=trials).fit(scale="X2")
        results[channel] = ChannelFit.from_statsmodels(fit)
    return results


def fit_key(rows: pd.DataFrame, area: str) -> str:
    """SHA-256 of the fitted rows (:data:`FITTED_COLUMNS`, as CSV), the area and the fitting code."""
    digest = hashlib.sha256()
    digest.update(f"{CACHE_FORMAT}\0{area}\0".encode())
    digest.update(rows[FITTED_COLUMNS].sort_values(["channel", "year"]).to_csv(index=False).encode())
    digest.update(Path(__file__).read_bytes())
    digest.update(f"statsmodels={installed_versions('statsmodels')}".encode())
    return digest.hexdigest()


def trend_cache_dir() -> Path | None:
    """Folder of the cached fits, or ``None`` when the cache is switched off."""
    root = cache_root()
    return None if root is None else root / "trend"


def cached_fits(key: str) -> dict[str, ChannelFit] | None:
    """The fits stored under ``key``, or ``None`` (missing, switched off, unreadable or not exactly ours)."""
    folder = trend_cache_dir()
    if folder is None:
        return None
    try:
        data = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        if data.get("format") != CACHE_FORMAT or data.get("key") != key or set(data["channels"]) != set(CHANNELS):
            return None
        return {channel: ChannelFit.from_json(data["channels"][channel]) for channel in CHANNELS}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # a missing or corrupt entry only costs a new fit


def remember_fits(key: str, results: dict[str, ChannelFit]) -> None:
    """Store the fits under ``key`` (atomically); a folder that cannot be written only costs the next fit."""
    folder = trend_cache_dir()
    if folder is None:
        return
    text = json.dumps(
        {"format": CACHE_FORMAT, "key": key, "channels": {c: f.to_json() for c, f in results.items()}}, indent=1
    )
    write_entry(folder, f"{key}.json", text.encode("utf-8"))


@lru_cache(maxsize=4)
def shipped_trend(area: str) -> CoverageTrend:
    """The fit of the shipped series for ``area`` (cached)."""
    return fit_coverage_trend(area=area)


def series_available(area: str) -> bool:
    """Whether the coverage series has at least three years of every channel for ``area``."""
    series = load_coverage_series()
    rows = series[series["area"] == area]
    return all((rows["channel"] == c).sum() >= 3 for c in CHANNELS)
