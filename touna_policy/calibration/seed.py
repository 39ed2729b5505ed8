"""Seed calibration: what the seed's 22.27 % says about coverage before the programme, and which reading holds.

The seed says coverage "rose 22.27 % in 2024 over 2023" while 13,400 workers were added by the
programme (all of the rise from it). Four readings (:data:`READINGS`):

- ``relative``: participants rose 22.27 %: 2023 had 13,400 / 0.2227 = 60,171 participants;
- ``percentage_points``: the coverage share rose 22.27 points: 13,400 workers are 22.27 % of the
  workers the share counts, a denominator of 60,171;
- ``share_net_of_growth``: the coverage *share* rose 22.27 %, net of workforce growth: P24 / W24 =
  1.2227 x P23 / W23, so P23 = 13,400 / (1.2227 x W24 / W23 - 1);
- ``level``: 22.27 % is the 2024 coverage level itself: P24 = 0.2227 x W24, P23 = P24 - 13,400.

:func:`calibrate_seed` gives one reading next to the estimated working population and vulnerable
workers; :func:`seed_calibration_table` all four; :func:`conclude_reading` judges them against the
public anchors (``data/parameters/seed_reading_anchors.yaml``) and returns the plausible reading with
its reasons in numbers (:data:`CONCLUDED_READING` is the shipped scenarios' default).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from touna_policy import config
from touna_policy.data.coverage import history_facts, last_programme_years, load_coverage_history
from touna_policy.errors import InputError

READINGS = ("relative", "percentage_points", "share_net_of_growth", "level")
PARTICIPANT_READINGS = ("relative", "share_net_of_growth", "level")
"""Readings that give the participants of the year before the programme (the others a denominator)."""
CONCLUDED_READING = "percentage_points"
"""The reading :func:`conclude_reading` finds plausible for Tojo Una-Una (tested), the shipped default."""
SEED_READING_ANCHORS_YAML = config.PARAMETERS_DIR / "seed_reading_anchors.yaml"


def _fact(facts: dict, measure: str, area: str, path) -> tuple[int, float]:
    """The earliest row of ``measure`` for ``area`` (:func:`history_facts`): (year, value)."""
    if (measure, area) not in facts:
        raise InputError.single(
            path, f"measure '{measure}', area '{area}'", "no row", "a row with this measure for the study area"
        )
    return facts[(measure, area)]


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
    facts = history_facts(history_path)
    year, workers = _fact(facts, "programme_funded_workers", area, history_path)
    _, rise = _fact(facts, "coverage_growth_over_previous_year", area, history_path)
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
    base = {
        "relative": workers / rise,
        "percentage_points": workers / rise,
        "share_net_of_growth": workers / ((1.0 + rise) * w1 / w0 - 1.0),
        "level": rise * w1 - workers,
    }[reading]
    relative = reading in PARTICIPANT_READINGS
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
    """Every reading side by side, one row each (the notebook's calibration table)."""
    rows = [calibrate_seed(r, inputs, scenario).as_dict() for r in READINGS]
    return pd.DataFrame(rows)


def seed_facts_available(area: str) -> bool:
    """Whether ``coverage_history.csv`` holds the seed's programme figure and coverage rise for ``area``."""
    history = load_coverage_history()
    rows = history[history["area"] == area]
    return {"programme_funded_workers", "coverage_growth_over_previous_year"} <= set(rows["measure"])


def last_observed_programme_years(village_codes) -> np.ndarray:
    """Per village, the last year whose programme-funded workers ``coverage_history.csv`` records for
    its kabupaten (paid-up workers observed, no compliance uncertainty), else -1."""
    last_years = last_programme_years()
    kabupaten, village_kabupaten = np.unique(np.asarray(village_codes).astype(str).astype("U5"), return_inverse=True)
    last = np.array([last_years.get(str(k), -1) for k in kabupaten], dtype=np.int64)
    return last[village_kabupaten]


@dataclass(frozen=True)
class ReadingConclusion:
    """Which reading of the 22.27 % is plausible, and why.

    Attributes
    ----------
    reading : the plausible reading
    reasons : one sentence per reading, with its numbers
    plausible : ``{reading: bool}``
    """

    reading: str
    reasons: tuple[str, ...]
    plausible: dict[str, bool]

    def text(self) -> str:
        return f"Concluded reading: {self.reading}.\n" + "\n".join(f"- {r}" for r in self.reasons)


def load_seed_reading_anchors(path: Path = SEED_READING_ANCHORS_YAML) -> dict[str, float]:
    """The public anchors the readings are judged against: ``{name: value}`` (each with a reference in the file)."""
    from touna_policy.yamlio import load_yaml

    data, _ = load_yaml(path)
    out = {}
    for name in (
        "province_ucj_share_2025",
        "province_ucj_share_2021",
        "province_ucj_denominator_2021",
        "province_employed_2019",
    ):
        entry = data.get(name) if isinstance(data, dict) else None
        if not isinstance(entry, dict) or not isinstance(entry.get("value"), int | float) or not entry.get("reference"):
            raise InputError.single(
                path, f"key '{name}'", repr(entry)[:60], "a mapping with a numeric 'value' and a 'reference'"
            )
        out[name] = float(entry["value"])
    return out


def conclude_reading(inputs, scenario=None, anchors: dict[str, float] | None = None) -> ReadingConclusion:
    """Judge every reading of the seed's 22.27 % for the area of ``inputs`` and conclude.

    A reading that gives the participants of the year before the programme is plausible when their
    coverage (participants / estimated working population) is at most Central Sulawesi's ~40 % of
    Aug 2025 (a rural kabupaten before its programme is unlikely to be above its province after
    years of provincial campaigns) and the reading agrees with the seed's wording (a *rise*, so the
    ``level`` reading is kept only if nothing else fits). The ``percentage_points`` reading is
    plausible when its denominator / the estimated working population is within 15 % of the
    province's BPJS-to-BPS ratio (the UCJ denominator 946,261 of 2021 over about 1.44 m employed in
    2019, 0.66): the share is counted over BPJS's narrower universe.
    """
    a = anchors or load_seed_reading_anchors()
    cals = {r: calibrate_seed(r, inputs, scenario) for r in READINGS}
    ratio_province = a["province_ucj_denominator_2021"] / a["province_employed_2019"]
    reasons, plausible = [], {}
    for r in ("relative", "share_net_of_growth"):
        c = cals[r]
        share = c.pre_programme_coverage_share
        plausible[r] = share <= a["province_ucj_share_2025"]
        reasons.append(
            f"{r}: {c.participants_before:,.0f} participants in {c.programme_year - 1} = {share:.1%} of the estimated "
            f"working population ({c.working_population_before:,.0f}), "
            + ("at most" if plausible[r] else "above")
            + f" Central Sulawesi's {a['province_ucj_share_2025']:.0%} (Aug 2025)"
            + f" and {a['province_ucj_share_2021']:.2%} (2021): "
            + ("possible" if plausible[r] else "implausible")
        )
    c = cals["percentage_points"]
    ratio = c.denominator_to_working_population
    plausible["percentage_points"] = abs(ratio / ratio_province - 1.0) <= 0.15
    reasons.append(
        f"percentage_points: the denominator {c.implied_denominator:,.0f} is {ratio:.1%} of the estimated working "
        f"population of {c.programme_year} ({c.working_population_programme_year:,.0f}); BPJS counts UCJ over a "
        f"narrower universe than BPS employment, {ratio_province:.1%} in Central Sulawesi "
        f"({a['province_ucj_denominator_2021']:,.0f} / {a['province_employed_2019']:,.0f}); and it is "
        f"{c.denominator_to_vulnerable_workers:.2f} x the estimated vulnerable workers: "
        + ("consistent" if plausible["percentage_points"] else "inconsistent")
    )
    c = cals["level"]
    share = c.pre_programme_coverage_share
    plausible["level"] = 0 <= share <= a["province_ucj_share_2025"]
    reasons.append(
        f"level: 22.27 % of {c.working_population_programme_year:,.0f} workers in {c.programme_year} leaves "
        f"{c.participants_before:,.0f} participants ({share:.1%}) in {c.programme_year - 1}; possible in numbers "
        "but the seed says 'kenaikan ... sebesar 22,27 persen', a rise, not a level: kept only if nothing else fits"
    )
    order = ("percentage_points", "share_net_of_growth", "relative", "level")
    reading = next((r for r in order if plausible[r]), "percentage_points")
    return ReadingConclusion(reading, tuple(reasons), plausible)
