"""Other-channel paths: the shares covered outside the programme by year, as the engine uses them.

``other_channels.source`` of a scenario chooses them: ``assumption`` (the scenario's shares or
``coverage_assumptions.yaml``), ``seed_calibration`` (:mod:`touna_policy.calibration.seed`, under the
scenario's ``coverage_growth_reading``: *relative*, *share_net_of_growth* and *level* set the
base-year coverage of both other channels to the reading's participants / working population;
*percentage_points* scales the vulnerable workers so that the model's coverage share (covered /
vulnerable workers) rises by exactly the reported points from the year before the programme to the
programme year: (1 - s1) x programme workers / E1 + (s1 - s0) = 0.2227, s the self-paying share) or ``fitted_trend``
(:mod:`touna_policy.calibration.trend`).

The provincial pekerja-rentan programme is a channel of its own (:func:`provincial_programme_workers`):
Tojo Una-Una's share of the province's workers from its start month (November 2025), less the share
also village-funded (counted once), from ``data/parameters/ucj_segments.yaml`` or the scenario's
``other_channels.provincial_programme_share`` / ``provincial_programme_overlap_share``. It costs the
desa nothing; its workers add to the covered vulnerable workers (:mod:`touna_policy.model.engine_inputs`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from touna_policy.calibration.seed import calibrate_seed
from touna_policy.calibration.trend import shipped_trend
from touna_policy.errors import InputError
from touna_policy.parameters.ucj_segments import UcjSegments, load_ucj_segments

PROVINCIAL_PROGRAMME_AREA = "72.09"
"""The kabupaten whose share of the provincial programme the parameter file gives (Tojo Una-Una)."""


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
    provincial_workers : the provincial programme's workers not also village-funded, yearly average
        (t; 0 outside Tojo Una-Una and before the programme starts)
    """

    years: np.ndarray
    self_paid: np.ndarray
    wage: np.ndarray
    base_year: int
    self_paid_annual_change: float
    vulnerable_scale: float
    source: str
    provincial_workers: np.ndarray | None = None


@dataclass(frozen=True)
class ProvincialProgramme:
    """The provincial programme as one scenario sees it: district share, overlap and start month."""

    district_share: float
    overlap_share: float
    province_workers: int
    start_month: str

    @property
    def district_workers(self) -> float:
        """The district's provincial workers before overlap: share x the province's workers."""
        return self.district_share * self.province_workers


def provincial_programme(scenario, params: UcjSegments | None = None) -> ProvincialProgramme:
    """The scenario's provincial programme: its own share and overlap, else the parameter file's."""
    p = (params or load_ucj_segments()).provincial_programme
    ch = scenario.other_channels
    share = ch.provincial_programme_share
    overlap = ch.provincial_programme_overlap_share
    return ProvincialProgramme(
        p.district_share.value if share is None else float(share),
        p.overlap_share.value if overlap is None else float(overlap),
        p.province_workers,
        p.start_month,
    )


def provincial_programme_workers(years, programme: ProvincialProgramme) -> np.ndarray:
    """Yearly average of the provincial workers not also village-funded, by year (t):
    share x province workers x (1 - overlap) x months running in the year / 12 (from the start month)."""
    years = np.asarray(years)
    start_year, start_month = (int(x) for x in programme.start_month.split("-"))
    months = np.clip(12 * (years - start_year) + 13 - start_month, 0, 12)
    return programme.district_workers * (1.0 - programme.overlap_share) * months / 12.0


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
        if cal.reading != "percentage_points":
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
            s_path = np.clip(sp0 + sp_d * (years - base), 0.0, 1.0)
            at = {int(y): k for k, y in enumerate(years)}
            y1 = cal.programme_year
            s1 = s_path[at[y1]] if y1 in at else float(np.clip(sp0 + sp_d * (y1 - base), 0, 1))
            s0 = s_path[at[y1 - 1]] if (y1 - 1) in at else float(np.clip(sp0 + sp_d * (y1 - 1 - base), 0, 1))
            universe = (1.0 - s1) * cal.programme_workers / (cal.reported_rise - (s1 - s0))
            scale = universe / cal.vulnerable_workers_programme_year
    self_paid = np.clip(sp0 + sp_d * (years - base), 0.0, 1.0)
    wage = np.clip(w0 + w_d * (years - base), 0.0, 1.0)
    if source == "fitted_trend":
        trend = shipped_trend(inputs.area_code or "0")
        pred = trend.predict(years).set_index(["channel", "year"])["mean"]
        self_paid = pred.loc["self_paid_bpu"].to_numpy()
        wage = pred.loc["wage_earner"].to_numpy()
        base = trend.reference_year
        sp_d, _ = trend.annual_change("self_paid_bpu", trend.reference_year, int(years[-1]))
    provincial = (
        provincial_programme_workers(years, provincial_programme(scenario))
        if inputs.area_code == PROVINCIAL_PROGRAMME_AREA
        else np.zeros(len(years))
    )
    return ChannelPaths(np.asarray(years), self_paid, wage, int(base), float(sp_d), float(scale), source, provincial)
