"""The projection engine: villages x years, vectorised with numpy.

For every village *i* and year *t*:

- ``eligible_workers`` = vulnerable workers of the base year x (1 + g)^(t - base year)
- ``working_population`` likewise
- ``quota_places`` from the scenario (by village type, overrides, allocation rule)
- ``funded_workers`` = min(quota, eligible) x payment compliance
- ``other_channel_workers`` = self-paid share x (eligible - funded)
- ``covered_workers`` = min(funded + other, eligible)
- ``wage_earners_covered`` = wage-earner share x (working population - eligible)
- ``coverage_share`` = covered / eligible; ``ucj_coverage_share`` = (covered + wage earners covered) /
  working population (Universal Coverage Jamsostek: active participants / working population)
- ``premium_cost_idr`` = funded x the year's per-worker premium (12 monthly rates, reliefs exact)
- ``budget_share`` = premium cost / programme budget of the village (nan without a budget)
- district only: ``district_budget_share`` = premium total / the district (APBD) budget line, if given
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from touna_policy import __version__
from touna_policy.errors import InputError, did_you_mean
from touna_policy.model.allocation import allocate_quota
from touna_policy.model.inputs import ModelInputs, load_inputs
from touna_policy.model.measures import share_of
from touna_policy.model.premiums import premium_cost_idr, premium_schedule
from touna_policy.scenario import Scenario

DISTRICT_COLUMNS = [
    "scenario",
    "year",
    "quota_places",
    "funded_workers",
    "covered_workers",
    "eligible_workers",
    "working_population",
    "coverage_share",
    "ucj_coverage_share",
    "premium_cost_idr",
    "budget_share",
    "unused_quota_places",
    "other_channel_workers",
    "wage_earners_covered",
    "premium_per_worker_year_idr",
    "programme_budget_idr",
    "district_budget_line_idr",
    "district_budget_share",
    "villages",
]

VILLAGE_COLUMNS = [
    "scenario",
    "code",
    "village",
    "type",
    "kecamatan_code",
    "kecamatan",
    "year",
    "quota_places",
    "funded_workers",
    "covered_workers",
    "eligible_workers",
    "working_population",
    "coverage_share",
    "ucj_coverage_share",
    "premium_cost_idr",
    "budget_share",
    "unused_quota_places",
    "other_channel_workers",
    "wage_earners_covered",
    "programme_budget_idr",
    "estimated_workforce",
]


def year_schedule(schedule: dict[int, float] | None, years: np.ndarray, before: float = np.nan) -> np.ndarray:
    """Evaluate a step schedule ``{first_year: value}`` at ``years``; ``before`` ahead of the first key."""
    if not schedule:
        return np.full(len(years), before, dtype=float)
    keys = np.array(sorted(schedule), dtype=int)
    values = np.array([schedule[k] for k in sorted(schedule)], dtype=float)
    idx = np.searchsorted(keys, years, side="right") - 1
    return np.where(idx >= 0, values[np.clip(idx, 0, None)], before)


def override_masks(scenario: Scenario, villages: pd.DataFrame, file: str = "<scenario>") -> list[np.ndarray]:
    """One boolean mask over villages per override; unknown villages or kecamatan raise :class:`InputError`."""
    codes = villages["code"].to_numpy()
    kec_codes = villages["kecamatan_code"].to_numpy()
    kec_names = villages["kecamatan"].to_numpy()
    masks, problems = [], []
    at = scenario.key_location

    for n, override in enumerate(scenario.overrides):
        if override.village is not None:
            mask = codes == override.village
            if not mask.any():
                problems.append(
                    (
                        at(f"overrides.{n}.village"),
                        f"'{override.village}', not a village of area {scenario.area}",
                        "a Kemendagri village code of the area's registry",
                        did_you_mean(override.village, codes),
                    )
                )
        else:
            mask = (kec_codes == override.kecamatan) | (kec_names == override.kecamatan)
            if not mask.any():
                known = sorted(set(kec_names)) + sorted(set(kec_codes))
                problems.append(
                    (
                        at(f"overrides.{n}.kecamatan"),
                        f"'{override.kecamatan}', not a kecamatan of area {scenario.area}",
                        "a kecamatan code or name of the area's registry",
                        did_you_mean(override.kecamatan, known),
                    )
                )
        masks.append(mask)
    if problems:
        from touna_policy.errors import InputProblem

        file = file if file != "<scenario>" else (scenario.source_path or file)
        raise InputError([InputProblem(file, *p) for p in problems])
    return masks


@dataclass
class ProjectionArrays:
    """The engine's raw output: arrays of shape (villages, years)."""

    years: np.ndarray
    quota_places: np.ndarray
    eligible_workers: np.ndarray
    working_population: np.ndarray
    funded_workers: np.ndarray
    other_channel_workers: np.ndarray
    covered_workers: np.ndarray
    wage_earners_covered: np.ndarray
    premium_cost_idr: np.ndarray
    programme_budget_idr: np.ndarray
    premium_per_worker_year_idr: np.ndarray
    uses_unverified_jkk_band: bool = False


def compute(scenario: Scenario, inputs: ModelInputs) -> ProjectionArrays:
    """Run the engine on validated inputs (no I/O)."""
    villages = inputs.villages
    years = scenario.years
    is_kel = (villages["type"].to_numpy() == "kelurahan")[:, None]

    growth = (
        scenario.workforce_growth_share_per_year
        if scenario.workforce_growth_share_per_year is not None
        else inputs.workforce_growth_share_per_year
    )
    base_year = villages["base_year"].to_numpy(dtype=float)[:, None]
    factor = (1.0 + growth) ** (years[None, :] - base_year)
    eligible = villages["vulnerable_workers"].to_numpy(dtype=float)[:, None] * factor
    working = villages["working_population"].to_numpy(dtype=float)[:, None] * factor
    from touna_policy.calibration.estimation import (
        other_channel_paths,
    )  # assumed, seed-calibrated or fitted other-channel shares

    channels = other_channel_paths(scenario, inputs)
    eligible = np.minimum(eligible * channels.vulnerable_scale, working)

    quota = np.where(
        is_kel,
        year_schedule(scenario.quota_per_village.kelurahan, years, 0.0)[None, :],
        year_schedule(scenario.quota_per_village.desa, years, 0.0)[None, :],
    )
    compliance = np.broadcast_to(
        year_schedule(scenario.payment_compliance_share, years, 1.0)[None, :], quota.shape
    ).copy()
    for mask, override in zip(override_masks(scenario, villages), scenario.overrides):
        if override.quota is not None:
            values = year_schedule(override.quota, years)
            quota[np.ix_(mask, ~np.isnan(values))] = values[~np.isnan(values)]
        if override.payment_compliance_share is not None:
            values = year_schedule(override.payment_compliance_share, years)
            compliance[np.ix_(mask, ~np.isnan(values))] = values[~np.isnan(values)]
    by_code = np.argsort(
        villages["code"].to_numpy(), kind="stable"
    )  # rounding ties go to the lower code, whatever the row order
    quota[by_code] = allocate_quota(
        quota[by_code], eligible[by_code], scenario.allocation_rule, scenario.allocation_mix
    )

    funded = np.minimum(quota, eligible) * compliance
    self_paid, wage_share = channels.self_paid[None, :], channels.wage[None, :]
    other = self_paid * (eligible - funded)
    covered = np.minimum(funded + other, eligible)
    wage_covered = wage_share * np.maximum(working - eligible, 0.0)

    rates = premium_schedule(scenario, inputs.rates)
    per_worker_year = rates.premium_per_worker_year_idr
    cost = premium_cost_idr(funded, per_worker_year)
    budget = np.where(
        is_kel,
        year_schedule(scenario.programme_budget_per_village_idr.kelurahan, years, 0.0)[None, :],
        year_schedule(scenario.programme_budget_per_village_idr.desa, years, 0.0)[None, :],
    )
    return ProjectionArrays(
        years,
        quota,
        eligible,
        working,
        funded,
        other,
        covered,
        wage_covered,
        cost,
        np.broadcast_to(budget, quota.shape),
        per_worker_year,
        rates.uses_unverified_jkk_band,
    )


@dataclass
class ProjectionResult:
    """A projection: the scenario it came from, tidy district and village tables, and provenance.

    Follows statsmodels' results objects: compute once, then ``district``, ``villages``,
    :meth:`kecamatan`, :meth:`summary` and :meth:`key_figures` format it many ways.
    """

    scenario: Scenario
    inputs: ModelInputs
    arrays: ProjectionArrays
    _villages: pd.DataFrame | None = field(default=None, repr=False)
    _district: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def years(self) -> np.ndarray:
        return self.arrays.years

    @property
    def district(self) -> pd.DataFrame:
        """District (area) by year, with the columns of the projection CLI."""
        if self._district is None:
            a = self.arrays
            sums = {
                name: getattr(a, name).sum(axis=0)
                for name in (
                    "quota_places",
                    "funded_workers",
                    "covered_workers",
                    "eligible_workers",
                    "working_population",
                    "premium_cost_idr",
                    "other_channel_workers",
                    "wage_earners_covered",
                    "programme_budget_idr",
                )
            }
            unused = (a.quota_places - np.minimum(a.quota_places, a.eligible_workers)).sum(axis=0)
            frame = pd.DataFrame({"scenario": self.scenario.name, "year": a.years, **sums})
            frame["coverage_share"] = share_of(sums["covered_workers"], sums["eligible_workers"])
            frame["ucj_coverage_share"] = share_of(
                sums["covered_workers"] + sums["wage_earners_covered"], sums["working_population"]
            )
            frame["budget_share"] = share_of(sums["premium_cost_idr"], sums["programme_budget_idr"])
            frame["unused_quota_places"] = unused
            frame["premium_per_worker_year_idr"] = a.premium_per_worker_year_idr
            line = year_schedule(self.scenario.district_budget_line_idr, a.years, 0.0)
            frame["district_budget_line_idr"] = line
            frame["district_budget_share"] = share_of(sums["premium_cost_idr"], line)
            frame["villages"] = a.quota_places.shape[0]
            self._district = frame[DISTRICT_COLUMNS]
        return self._district

    @property
    def villages(self) -> pd.DataFrame:
        """Village by year (long format)."""
        if self._villages is None:
            a = self.arrays
            v = self.inputs.villages
            n, t = a.quota_places.shape
            frame = pd.DataFrame(
                {
                    "scenario": self.scenario.name,
                    "code": np.repeat(v["code"].to_numpy(), t),
                    "village": np.repeat(v["village"].to_numpy(), t),
                    "type": np.repeat(v["type"].to_numpy(), t),
                    "kecamatan_code": np.repeat(v["kecamatan_code"].to_numpy(), t),
                    "kecamatan": np.repeat(v["kecamatan"].to_numpy(), t),
                    "year": np.tile(a.years, n),
                }
            )
            for name in (
                "quota_places",
                "funded_workers",
                "covered_workers",
                "eligible_workers",
                "working_population",
                "premium_cost_idr",
                "other_channel_workers",
                "wage_earners_covered",
                "programme_budget_idr",
            ):
                frame[name] = np.asarray(getattr(a, name)).ravel()
            frame["coverage_share"] = share_of(a.covered_workers, a.eligible_workers).ravel()
            frame["ucj_coverage_share"] = share_of(
                a.covered_workers + a.wage_earners_covered, a.working_population
            ).ravel()
            frame["budget_share"] = share_of(a.premium_cost_idr, a.programme_budget_idr).ravel()
            frame["unused_quota_places"] = (a.quota_places - np.minimum(a.quota_places, a.eligible_workers)).ravel()
            frame["estimated_workforce"] = np.repeat(v["estimated"].to_numpy(dtype=bool), t)
            self._villages = frame[VILLAGE_COLUMNS]
        return self._villages

    def kecamatan(self) -> pd.DataFrame:
        """Kecamatan by year: sums of counts and money, shares recomputed from the sums."""
        cols = [
            "quota_places",
            "funded_workers",
            "covered_workers",
            "eligible_workers",
            "working_population",
            "premium_cost_idr",
            "wage_earners_covered",
            "programme_budget_idr",
        ]
        g = self.villages.groupby(["kecamatan_code", "kecamatan", "year"], sort=True)[cols].sum().reset_index()
        g["coverage_share"] = share_of(g["covered_workers"].to_numpy(), g["eligible_workers"].to_numpy())
        g["ucj_coverage_share"] = share_of(
            (g["covered_workers"] + g["wage_earners_covered"]).to_numpy(), g["working_population"].to_numpy()
        )
        g["budget_share"] = share_of(g["premium_cost_idr"].to_numpy(), g["programme_budget_idr"].to_numpy())
        g.insert(0, "scenario", self.scenario.name)
        return g

    def key_figures(self, year: int | None = None) -> dict[str, float]:
        """The planner's key figures for one year (default: the last year of the horizon)."""
        d = self.district.set_index("year")
        year = int(year if year is not None else d.index.max())
        row = d.loc[year]
        return {
            "year": year,
            "quota_places": float(row["quota_places"]),
            "funded_workers": float(row["funded_workers"]),
            "covered_workers": float(row["covered_workers"]),
            "coverage_share": float(row["coverage_share"]),
            "ucj_coverage_share": float(row["ucj_coverage_share"]),
            "premium_cost_idr": float(row["premium_cost_idr"]),
            "budget_share": float(row["budget_share"]),
        }

    def provenance(self) -> dict:
        """Parameters, input checksums, flags and version: what made these numbers."""
        return {
            "scenario": self.scenario.model_dump(mode="json"),
            "input_checksums": self.inputs.checksums(),
            "package_version": __version__,
            "estimated_inputs": self.inputs.estimated_inputs,
            "synthetic_inputs": self.inputs.synthetic_inputs,
            "uses_unverified_jkk_band": self.arrays.uses_unverified_jkk_band,
            "workforce_growth_share_per_year": (
                self.scenario.workforce_growth_share_per_year
                if self.scenario.workforce_growth_share_per_year is not None
                else self.inputs.workforce_growth_share_per_year
            ),
        }

    def summary(self) -> str:
        """A short text summary for a terminal."""
        d = self.district
        lines = [
            f"Scenario {self.scenario.name}: {self.scenario.title}",
            f"Area {self.scenario.area or 'Indonesia'}, {len(self.inputs.villages)} villages, "
            f"{int(self.years[0])}-{int(self.years[-1])}",
        ]
        for label in self.inputs.estimated_inputs:
            lines.append(f"ESTIMATED: {label}")
        for label in self.inputs.synthetic_inputs:
            lines.append(f"SYNTHETIC: {label}")
        cols = [
            "year",
            "quota_places",
            "funded_workers",
            "covered_workers",
            "coverage_share",
            "ucj_coverage_share",
            "premium_cost_idr",
            "budget_share",
        ]
        lines.append(d[cols].to_string(index=False, float_format=lambda x: f"{x:,.4f}" if abs(x) < 10 else f"{x:,.0f}"))
        return "\n".join(lines)

    def _repr_html_(self) -> str:  # pragma: no cover - notebook display
        return self.district.to_html(index=False)


def project(scenario: Scenario, inputs: ModelInputs | None = None) -> ProjectionResult:
    """Project coverage, cost and budget for a scenario.

    Parameters
    ----------
    scenario : a validated :class:`~touna_policy.scenario.Scenario`
    inputs : pre-loaded inputs (default: :func:`~touna_policy.model.inputs.load_inputs` for the scenario's area)

    Returns
    -------
    ProjectionResult
    """
    inputs = inputs or load_inputs(scenario.area)
    return ProjectionResult(scenario, inputs, compute(scenario, inputs))
