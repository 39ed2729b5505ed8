"""Seed calibration: the pre-programme coverage implied by the seed's 22.27 % rise.

The seed says coverage "rose 22.27 % in 2024 over 2023" while 13,400 workers were added by the
programme. Read as a *relative* rise with all of it from the programme, the participants of 2023 were
13,400 / 0.2227 = 60,171; read as *percentage points*, 13,400 workers are 22.27 % of the population
the share refers to, so that denominator is 60,171. :func:`calibrate_seed` gives either reading next
to the estimated working population and vulnerable workers; :func:`seed_calibration_table` both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from touna_policy import config
from touna_policy.data.coverage import load_coverage_history
from touna_policy.errors import InputError

READINGS = ("relative", "percentage_points")


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


def seed_facts_available(area: str) -> bool:
    """Whether ``coverage_history.csv`` holds the seed's programme figure and coverage rise for ``area``."""
    history = load_coverage_history()
    rows = history[history["area"] == area]
    return {"programme_funded_workers", "coverage_growth_over_previous_year"} <= set(rows["measure"])


def last_observed_programme_year(area: str) -> int | None:
    """The last year whose programme-funded workers ``coverage_history.csv`` records for ``area``
    (paid-up workers observed, no compliance uncertainty), or None."""
    history = load_coverage_history()
    rows = history[(history["area"] == area) & (history["measure"] == "programme_funded_workers")]
    return int(rows["year"].max()) if len(rows) else None
