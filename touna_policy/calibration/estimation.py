"""Estimation: the pre-programme coverage from the seed, and the trend of other channels (statsmodels).

Two questions the data can answer, each with its assumptions stated:

1. **Seed calibration.** The seed says coverage "rose 22.27 % in 2024 over 2023" while 13,400 workers
   were added by the programme. Read as a *relative* rise with all of it from the programme, the
   participants of 2023 were 13,400 / 0.2227 = 60,171; read as *percentage points*, 13,400 workers
   are 22.27 % of the population the share refers to, so that denominator is 60,171.
   :func:`seed_calibration` shows both readings next to the estimated working population and
   vulnerable workers. With ``other_channels.source: seed_calibration`` the projection uses the
   scenario's ``coverage_growth_reading``: *relative* sets the base-year (2023) coverage of both
   other channels to participants / working population; *percentage_points* scales the vulnerable
   workers so that the 2024 universe equals the implied denominator (the pre-programme level is not
   identified by the seed under this reading, so the other channels keep their assumed shares).
2. **Trend of the other channels.** :func:`fit_coverage_trend` fits a binomial GLM with a logit link
   (quasi-likelihood scale from Pearson's chi-squared, so over-dispersion widens the intervals) to the
   share covered through each other channel in ``data/raw/coverage_series.csv``. The results are
   statsmodels results objects (``.summary()``); :meth:`CoverageTrend.predict` gives the fitted share
   with its confidence and prediction interval for any years. With ``other_channels.source:
   fitted_trend`` the projection uses the fitted shares, and the Monte Carlo's ``fitted`` self-enrolment
   trend draws the yearly change from the fit.

The shipped series is SYNTHETIC (generated from the coverage assumptions): replace
``data/raw/coverage_series.csv`` with the branch office's real series (same columns) and the fit,
projection and reports use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from touna_policy import config
from touna_policy.data.tables import read_csv_text, validate_frame
from touna_policy.errors import InputError

COVERAGE_SERIES_CSV = config.COVERAGE_SERIES_CSV
CHANNELS = ("self_paid_bpu", "wage_earner")
READINGS = ("relative", "percentage_points")

_series_schema = pa.DataFrameSchema(
    {
        "year": pa.Column(float, [pa.Check.ge(1990), pa.Check.le(2100)]),
        "area": pa.Column(str, pa.Check.str_matches(r"^(0|\d{2}|\d{2}\.\d{2})$")),
        "channel": pa.Column(str, pa.Check.isin(list(CHANNELS))),
        "participants": pa.Column(float, pa.Check.ge(0)),
        "denominator": pa.Column(float, pa.Check.gt(0)),
        "source": pa.Column(str, pa.Check.str_length(min_value=3)),
        "status": pa.Column(str, pa.Check.isin(["observed", "estimated", "synthetic"])),
    },
    checks=[
        pa.Check(
            lambda f: f["participants"] <= f["denominator"], element_wise=False, error="participants <= denominator"
        )
    ],
    unique=["year", "area", "channel"],
    strict=False,
)


def load_coverage_series(path: str | Path = COVERAGE_SERIES_CSV) -> pd.DataFrame:
    """The coverage series by year and channel (participants out of a denominator, with source and status).

    Columns: ``year, area, channel (self_paid_bpu | wage_earner), participants, denominator, source,
    source_date, status (observed | estimated | synthetic)``.
    """
    frame = read_csv_text(
        path,
        ["year", "area", "channel", "participants", "denominator", "source", "status"],
        whole=["year", "participants", "denominator"],  # counts: 1.000 is refused, not read as 1
    )
    frame = validate_frame(frame, _series_schema, path)
    frame["year"] = frame["year"].astype(int)
    return frame.sort_values(["channel", "year"]).reset_index(drop=True)


def load_coverage_history(path: str | Path = config.COVERAGE_HISTORY_CSV) -> pd.DataFrame:
    """The coverage facts the sources support (``data/raw/coverage_history.csv``)."""
    frame = read_csv_text(
        path, ["year", "area", "measure", "value", "unit", "source", "source_date"], numeric=["value"], whole=["year"]
    )
    frame["year"] = frame["year"].astype(int)
    return frame


def _fact(history: pd.DataFrame, measure: str, area: str, path) -> tuple[int, float]:
    rows = history[(history["measure"] == measure) & (history["area"] == area)].sort_values("year")
    if rows.empty:
        raise InputError.single(
            path, f"measure '{measure}', area '{area}'", "no row", "a row with this measure for the study area"
        )
    row = rows.iloc[0]
    return int(row["year"]), float(row["value"])


def _growth(scenario, inputs) -> float:
    if scenario is not None and scenario.workforce_growth_share_per_year is not None:
        return float(scenario.workforce_growth_share_per_year)
    return float(inputs.workforce_growth_share_per_year)


def _workforce_in(inputs, year: int, growth: float) -> tuple[float, float]:
    """Estimated working population and vulnerable workers of the area in ``year``."""
    v = inputs.villages
    factor = (1.0 + growth) ** (year - v["base_year"].to_numpy(dtype=float))
    return (
        float((v["working_population"].to_numpy(dtype=float) * factor).sum()),
        float((v["vulnerable_workers"].to_numpy(dtype=float) * factor).sum()),
    )


@dataclass(frozen=True)
class SeedCalibration:
    """What the seed's coverage rise implies under one reading.

    Attributes
    ----------
    reading : ``relative`` or ``percentage_points``
    programme_year : first programme year (2024)
    programme_workers : workers added by the programme that year (13,400)
    reported_rise : the seed's figure as a 0-1 number (0.2227)
    participants_before : participants in the year before the programme (relative reading; nan otherwise)
    participants_programme_year : the same plus the programme's workers (relative reading)
    implied_denominator : workers the share refers to (percentage-points reading; nan otherwise)
    working_population_before, vulnerable_workers_before : estimated, year before the programme
    working_population_programme_year, vulnerable_workers_programme_year : estimated, programme year
    """

    reading: str
    programme_year: int
    programme_workers: float
    reported_rise: float
    participants_before: float
    participants_programme_year: float
    implied_denominator: float
    working_population_before: float
    vulnerable_workers_before: float
    working_population_programme_year: float
    vulnerable_workers_programme_year: float

    @property
    def pre_programme_coverage_share(self) -> float:
        """Participants before the programme / estimated working population (relative reading)."""
        return self.participants_before / self.working_population_before

    @property
    def denominator_to_vulnerable_workers(self) -> float:
        """Implied denominator / estimated vulnerable workers in the programme year (pp reading)."""
        return self.implied_denominator / self.vulnerable_workers_programme_year

    @property
    def denominator_to_working_population(self) -> float:
        return self.implied_denominator / self.working_population_programme_year

    def as_dict(self) -> dict:
        out = dict(self.__dict__)
        out.update(
            pre_programme_coverage_share=self.pre_programme_coverage_share,
            denominator_to_vulnerable_workers=self.denominator_to_vulnerable_workers,
            denominator_to_working_population=self.denominator_to_working_population,
        )
        return out


def calibrate_seed(
    reading: str,
    inputs,
    scenario=None,
    area: str = config.DEFAULT_AREA_CODE,
    history_path: str | Path = config.COVERAGE_HISTORY_CSV,
) -> SeedCalibration:
    """Calibrate the pre-programme coverage from the seed's 22.27 % rise under ``reading``.

    The programme's workers and the reported rise are read from ``coverage_history.csv``; the
    workforce is the estimate of ``inputs`` grown at the scenario's (or the BPS) growth rate.
    """
    if reading not in READINGS:
        raise InputError.single(
            "<scenario>", "key 'coverage_growth_reading'", repr(reading), f"one of {', '.join(READINGS)}"
        )
    history = load_coverage_history(history_path)
    year, workers = _fact(history, "programme_funded_workers", area, history_path)
    _, rise = _fact(history, "coverage_growth_over_previous_year", area, history_path)
    if not 0 < rise <= 10:
        raise InputError.single(
            history_path,
            "measure 'coverage_growth_over_previous_year'",
            repr(rise),
            "a rise above 0 given as a 0-1 number (0.2227 for 22.27 %)",
        )
    growth = _growth(scenario, inputs)
    w0, e0 = _workforce_in(inputs, year - 1, growth)
    w1, e1 = _workforce_in(inputs, year, growth)
    base = workers / rise
    relative = reading == "relative"
    return SeedCalibration(
        reading=reading,
        programme_year=year,
        programme_workers=workers,
        reported_rise=rise,
        participants_before=base if relative else np.nan,
        participants_programme_year=base + workers if relative else np.nan,
        implied_denominator=np.nan if relative else base,
        working_population_before=w0,
        vulnerable_workers_before=e0,
        working_population_programme_year=w1,
        vulnerable_workers_programme_year=e1,
    )


def seed_calibration_table(inputs, scenario=None) -> pd.DataFrame:
    """Both readings side by side, one row each (the notebook's calibration table)."""
    rows = [calibrate_seed(r, inputs, scenario).as_dict() for r in READINGS]
    return pd.DataFrame(rows)


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
        import statsmodels.api as sm

        years = np.asarray(years, dtype=float)
        return sm.add_constant(years - self.reference_year, has_constant="add")

    def predict(self, years, alpha: float = 0.10) -> pd.DataFrame:
        """Fitted share per channel and year with confidence (``mean_ci_*``) and prediction (``obs_ci_*``) intervals.

        The prediction interval adds the binomial variation of one year's share around the trend
        (scaled by the fit's dispersion) for a denominator equal to the last observed one.
        """
        from scipy import stats

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
    import statsmodels.api as sm

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
def _shipped_trend(area: str) -> CoverageTrend:
    return fit_coverage_trend(area=area)


@dataclass(frozen=True)
class ChannelPaths:
    """Shares covered through the other channels by year, as the projection uses them.

    Attributes
    ----------
    years : projection years
    self_paid : share of unfunded vulnerable workers paying their own contributions, per year
    wage : share of wage earners covered by employers, per year
    base_year : year the self-paid trend is anchored (the Monte Carlo varies the slope around it)
    self_paid_annual_change : the deterministic yearly change of the self-paid share
    vulnerable_scale : factor on the estimated vulnerable workers (1 unless seed-calibrated in points)
    source : ``assumption``, ``seed_calibration`` or ``fitted_trend``
    """

    years: np.ndarray
    self_paid: np.ndarray
    wage: np.ndarray
    base_year: int
    self_paid_annual_change: float
    vulnerable_scale: float
    source: str


def other_channel_paths(scenario, inputs) -> ChannelPaths:
    """The other-channel shares for ``scenario`` from its ``other_channels.source``."""
    years = scenario.years
    assumptions = inputs.assumptions
    ch = scenario.other_channels
    base = ch.base_year if ch.base_year is not None else assumptions.self_paid_bpu_share.base_year
    sp0 = ch.self_paid_bpu_share if ch.self_paid_bpu_share is not None else assumptions.self_paid_bpu_share.value
    sp_d = (
        ch.self_paid_bpu_annual_change
        if ch.self_paid_bpu_annual_change is not None
        else assumptions.self_paid_bpu_share.annual_change
    )
    w0 = (
        ch.wage_earner_coverage_share
        if ch.wage_earner_coverage_share is not None
        else assumptions.wage_earner_coverage_share.value
    )
    w_d = (
        ch.wage_earner_annual_change
        if ch.wage_earner_annual_change is not None
        else assumptions.wage_earner_coverage_share.annual_change
    )
    scale = 1.0
    source = ch.source
    if source == "seed_calibration":
        cal = calibrate_seed(scenario.coverage_growth_reading, inputs, scenario, area=inputs.area_code or "0")
        if cal.reading == "relative":
            share = cal.pre_programme_coverage_share
            if share > 1:
                raise InputError.single(
                    scenario.source_path or "<scenario>",
                    "key 'coverage_growth_reading'",
                    f"'relative', which implies {cal.participants_before:,.0f} participants in "
                    f"{cal.programme_year - 1}, more than the {cal.working_population_before:,.0f} "
                    "estimated working population",
                    "'percentage_points', or a workforce estimate that holds them",
                )
            base, sp0, w0 = cal.programme_year - 1, share, share
        else:
            scale = cal.denominator_to_vulnerable_workers
    self_paid = np.clip(sp0 + sp_d * (years - base), 0.0, 1.0)
    wage = np.clip(w0 + w_d * (years - base), 0.0, 1.0)
    if source == "fitted_trend":
        trend = _shipped_trend(inputs.area_code or "0")
        pred = trend.predict(years).set_index(["channel", "year"])["mean"]
        self_paid = pred.loc["self_paid_bpu"].to_numpy()
        wage = pred.loc["wage_earner"].to_numpy()
        base = trend.reference_year
        sp_d, _ = trend.annual_change("self_paid_bpu", trend.reference_year, int(years[-1]))
    return ChannelPaths(np.asarray(years), self_paid, wage, int(base), float(sp_d), float(scale), source)


def seed_facts_available(area: str) -> bool:
    """Whether ``coverage_history.csv`` holds the seed's programme figure and coverage rise for ``area``."""
    history = load_coverage_history()
    rows = history[history["area"] == area]
    return {"programme_funded_workers", "coverage_growth_over_previous_year"} <= set(rows["measure"])


def series_available(area: str) -> bool:
    """Whether the coverage series has at least three years of every channel for ``area``."""
    series = load_coverage_series()
    rows = series[series["area"] == area]
    return all((rows["channel"] == c).sum() >= 3 for c in CHANNELS)
