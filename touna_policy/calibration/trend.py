"""Trend of the other channels: a binomial-logit GLM of the share covered through each (statsmodels).

:func:`fit_coverage_trend` fits a binomial GLM with a logit link (quasi-likelihood scale from
Pearson's chi-squared, so over-dispersion widens the intervals) to the share covered through each
other channel in ``data/raw/coverage_series.csv``. The results are statsmodels results objects
(``.summary()``); :meth:`CoverageTrend.predict` gives the fitted share with its confidence and
prediction interval for any years. The shipped series is SYNTHETIC (generated from the coverage
assumptions): replace it with the branch office's real series (same columns) and the fit, projection
and reports use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from touna_policy import config
from touna_policy.data.coverage import CHANNELS, COVERAGE_SERIES_CSV, load_coverage_series
from touna_policy.errors import InputError


@dataclass
class CoverageTrend:
    """Binomial-logit GLM fits of the share covered through each other channel.

    Attributes
    ----------
    results : ``{channel: statsmodels GLMResults}`` (``results['self_paid_bpu'].summary()``)
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
        import statsmodels.api as sm  # heavy (about 1 s): loaded only when a trend is fitted or read

        years = np.asarray(years, dtype=float)
        return sm.add_constant(years - self.reference_year, has_constant="add")

    def predict(self, years, alpha: float = 0.10) -> pd.DataFrame:
        """Fitted share per channel and year with confidence (``mean_ci_*``) and prediction (``obs_ci_*``) intervals.

        The prediction interval adds the binomial variation of one year's share around the trend
        (scaled by the fit's dispersion) for a denominator equal to the last observed one.
        """
        from scipy import stats  # heavy: loaded only for prediction intervals

        years = np.asarray(years, dtype=int)
        z = stats.norm.ppf(1 - alpha / 2)
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
    """
    import statsmodels.api as sm  # heavy (about 1 s): loaded only when a trend is fitted

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
    results = {}
    for channel in CHANNELS:
        d = rows[rows["channel"] == channel].sort_values("year")
        trials = d["denominator"].to_numpy(dtype=float)
        share = d["participants"].to_numpy(dtype=float) / trials
        exog = sm.add_constant(d["year"].to_numpy(dtype=float) - reference, has_constant="add")
        # shares with the number of trials as variance weights: the binomial likelihood, and a Pearson
        # scale that measures dispersion around the trend correctly
        results[channel] = sm.GLM(share, exog, family=sm.families.Binomial(), var_weights=trials).fit(scale="X2")
    order = {"synthetic": 0, "estimated": 1, "observed": 2}
    status = min(rows["status"], key=order.__getitem__)
    return CoverageTrend(results, rows.reset_index(drop=True), reference, status)


@lru_cache(maxsize=4)
def shipped_trend(area: str) -> CoverageTrend:
    """The fit of the shipped series for ``area`` (cached)."""
    return fit_coverage_trend(area=area)


def series_available(area: str) -> bool:
    """Whether the coverage series has at least three years of every channel for ``area``."""
    series = load_coverage_series()
    rows = series[series["area"] == area]
    return all((rows["channel"] == c).sum() >= 3 for c in CHANNELS)
