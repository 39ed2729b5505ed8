"""The deterministic projection: villages x years, one draw of the kernel at the central values.

:func:`project` resolves the scenario's engine inputs (:func:`~touna_policy.model.engine_inputs.resolve_engine_inputs`),
evaluates the kernel (:mod:`touna_policy.model.kernel`, the formulas of every quantity) with each
village as its own area, and returns a :class:`ProjectionResult` whose district, village and
kecamatan tables sum the counts and money and recompute the shares from the sums
(:mod:`touna_policy.model.measures`). Every village has a payer (:mod:`touna_policy.model.payers`) and
the tables give the premium by payer (``premium_apbdes_idr``, ``premium_apbd_idr``,
``premium_apbd_province_idr``, ``premium_self_idr``). Each payer's cost is divided by its own
budget: ``budget_share`` = the APBDes-paid premium / the programme budget of the APBDes-paid
villages (desa); ``apbd_budget_share`` = the APBD-paid premium (kelurahan) / the district (APBD)
budget line; ``district_budget_share`` = the whole premium / that line (nan without a budget).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

import touna_policy
from touna_policy.model.arrears import full_payment
from touna_policy.model.engine_inputs import EngineInputs, growth_share_per_year, resolve_engine_inputs
from touna_policy.model.inputs import ModelInputs, load_inputs
from touna_policy.model.kernel import other_channel_share, village_cells
from touna_policy.model.measures import coverage_share, share_of, ucj_coverage_share
from touna_policy.model.participation import YearlyParticipation, yearly_participation
from touna_policy.model.payers import cost_by_payer
from touna_policy.model.schedules import year_schedule
from touna_policy.model.ucj import ESTIMATED_LABEL as UCJ_ESTIMATED_LABEL
from touna_policy.model.ucj import UCJ_COLUMNS, ucj_by_year
from touna_policy.parameters.participation import load_participation_parameters
from touna_policy.parameters.payers import PAYERS
from touna_policy.scenario import Scenario

PARTICIPATION_COLUMNS = (
    "registered_workers",
    "active_workers",
    "lapsed_workers",
    "new_enrolments",
    "closures",
    "ever_protected_workers",
)
"""Participation over time (:mod:`touna_policy.model.participation`): registered in December, the
year's average of active workers, lapses, enrolments and closures during the year, distinct workers
ever protected since the horizon starts."""

SUM_COLUMNS = (
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
"""Counts and money: summed over villages. Shares are recomputed from the sums, never averaged."""

PARTICIPATION_CHUNK = 5_000
"""Villages per slice of the monthly participation engine (5,000 x 156 months is about 6 MB per array)."""

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
    "premium_apbdes_idr",
    "premium_apbd_idr",
    "premium_apbd_province_idr",
    "premium_self_idr",
    "apbd_budget_share",
    "billed_places",
    *PARTICIPATION_COLUMNS,
    *UCJ_COLUMNS,
]
"""The district table; ``UCJ_COLUMNS`` (UCJ as BPJS counts it, :mod:`touna_policy.model.ucj`) come last."""

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
    "payer",
    "premium_apbdes_idr",
    "premium_apbd_idr",
    "premium_apbd_province_idr",
    "premium_self_idr",
    "premium_per_worker_year_idr",
    *PARTICIPATION_COLUMNS,
]

PAYER_COLUMNS = tuple(f"premium_{p}_idr" for p in PAYERS)
"""The premium by payer, in the district and village tables."""


@dataclass
class ProjectionArrays:
    """The projection per village and year: arrays of shape (villages, years)."""

    years: np.ndarray
    quota_places: np.ndarray
    eligible_workers: np.ndarray
    working_population: np.ndarray
    funded_workers: np.ndarray
    other_channel_workers: np.ndarray
    covered_workers: np.ndarray
    wage_earners_covered: np.ndarray
    premium_cost_idr: np.ndarray
    unused_quota_places: np.ndarray
    programme_budget_idr: np.ndarray
    premium_per_worker_year_idr: np.ndarray  # by year: the premium of an APBDes-paid (desa) worker
    self_paid_share: np.ndarray  # by year: the share of unfunded eligible workers paying their own contributions
    uses_unverified_jkk_band: bool = False
    payers: np.ndarray | None = None  # index into PAYERS per village (None: every village apbdes)
    premium_per_village_year_idr: np.ndarray | None = None  # villages x years: each village's payer's premium
    billed_places: np.ndarray | None = None  # villages x years: places billed (min(quota, eligible) x compliance)
    registered_workers: np.ndarray | None = None  # villages x years: participation (PARTICIPATION_COLUMNS)
    active_workers: np.ndarray | None = None
    lapsed_workers: np.ndarray | None = None
    new_enrolments: np.ndarray | None = None
    closures: np.ndarray | None = None
    ever_protected_workers: np.ndarray | None = None
    provincial_programme_workers: np.ndarray | None = None  # by year: provincial programme, not also village-funded

    def payer_index(self) -> np.ndarray:
        return self.payers if self.payers is not None else np.zeros(self.quota_places.shape[0], dtype=np.int64)

    def premium_by_payer(self) -> dict[str, np.ndarray]:
        """``{premium_<payer>_idr: villages x years}``."""
        split = cost_by_payer(np.asarray(self.premium_cost_idr), self.payer_index())
        return {f"premium_{p}_idr": split[p] for p in PAYERS}


def compute(scenario: Scenario, inputs: ModelInputs, engine: EngineInputs | None = None) -> ProjectionArrays:
    """Run the kernel on validated inputs (no I/O): each village its own area, one central draw.

    ``engine`` : the scenario's resolved engine inputs (default: resolved here)
    """
    engine = engine or resolve_engine_inputs(scenario, inputs)
    k = engine.kernel
    cells = {name: values[:, 0, :] for name, values in village_cells(k).items()}
    taking_part = participation(engine, cells["funded_workers"])
    return ProjectionArrays(
        k.years,
        cells["quota_places"],
        cells["eligible_workers"],
        cells["working_population"],
        cells["funded_workers"],
        cells["other_channel_workers"],
        cells["covered_workers"],
        cells["wage_earners_covered"],
        cells["premium_cost_idr"],
        cells["unused_quota_places"],
        np.broadcast_to(engine.programme_budget_idr, k.quota.shape),
        engine.premium_per_payer_year_idr[PAYERS.index("apbdes")],
        other_channel_share(k),
        engine.uses_unverified_jkk_band,
        engine.payers,
        k.premium_per_worker_idr,
        np.minimum(k.quota, k.eligible) * k.compliance,
        **{name: getattr(taking_part, name) for name in PARTICIPATION_COLUMNS},
        provincial_programme_workers=engine.channels.provincial_workers,
    )


def participation(engine: EngineInputs, funded_workers: np.ndarray) -> YearlyParticipation:
    """Participation per village and year from the funded (paid-up) places and the months each village
    pays, by slices of :data:`PARTICIPATION_CHUNK` villages (bounded memory at national scale)."""
    params = engine.participation or load_participation_parameters()
    grace, churn = params.grace_period_months.value, params.churn_share_per_year.value
    n, t = funded_workers.shape
    parts = []
    for start in range(0, n, PARTICIPATION_CHUNK):  # slices of villages, each vectorised
        stop = min(start + PARTICIPATION_CHUNK, n)
        plan = engine.payment.villages(start, stop) if engine.payment is not None else full_payment(stop - start, t)
        parts.append(yearly_participation(funded_workers[start:stop], plan.paid, grace, churn))
    return YearlyParticipation(
        **{name: np.concatenate([getattr(p, name) for p in parts]) for name in PARTICIPATION_COLUMNS}
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
            sums = {name: getattr(a, name).sum(axis=0) for name in SUM_COLUMNS}
            unused = a.unused_quota_places.sum(axis=0)
            frame = pd.DataFrame({"scenario": self.scenario.name, "year": a.years, **sums})
            frame["coverage_share"] = coverage_share(sums["covered_workers"], sums["eligible_workers"])
            frame["ucj_coverage_share"] = ucj_coverage_share(
                sums["covered_workers"], sums["wage_earners_covered"], sums["working_population"]
            )
            by_payer = {name: cost.sum(axis=0) for name, cost in a.premium_by_payer().items()}
            desa_paid = a.payer_index() == PAYERS.index("apbdes")
            desa_budget = a.programme_budget_idr[desa_paid].sum(axis=0)
            frame["budget_share"] = share_of(by_payer["premium_apbdes_idr"], desa_budget)
            frame["unused_quota_places"] = unused
            frame["premium_per_worker_year_idr"] = a.premium_per_worker_year_idr
            line = year_schedule(self.scenario.district_budget_line_idr, a.years, 0.0)
            frame["district_budget_line_idr"] = line
            frame["district_budget_share"] = share_of(sums["premium_cost_idr"], line)
            frame["villages"] = a.quota_places.shape[0]
            for name, cost in by_payer.items():
                frame[name] = cost
            frame["apbd_budget_share"] = share_of(by_payer["premium_apbd_idr"], line)
            billed = a.billed_places if a.billed_places is not None else a.funded_workers
            frame["billed_places"] = billed.sum(axis=0)
            for name in PARTICIPATION_COLUMNS:
                values = getattr(a, name)
                frame[name] = values.sum(axis=0) if values is not None else np.nan
            provincial = a.provincial_programme_workers
            frame["provincial_programme_workers"] = provincial if provincial is not None else 0.0
            ucj = ucj_by_year(frame, area_code=self.scenario.area)
            for name in UCJ_COLUMNS[1:]:
                frame[name] = ucj[name].to_numpy()
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
            for name in SUM_COLUMNS:
                frame[name] = np.asarray(getattr(a, name)).ravel()
            frame["coverage_share"] = coverage_share(a.covered_workers, a.eligible_workers).ravel()
            frame["ucj_coverage_share"] = ucj_coverage_share(
                a.covered_workers, a.wage_earners_covered, a.working_population
            ).ravel()
            frame["budget_share"] = share_of(a.premium_cost_idr, a.programme_budget_idr).ravel()
            frame["unused_quota_places"] = a.unused_quota_places.ravel()
            frame["estimated_workforce"] = np.repeat(v["estimated"].to_numpy(dtype=bool), t)
            frame["payer"] = np.repeat(np.array(PAYERS)[a.payer_index()], t)
            for name, cost in a.premium_by_payer().items():
                frame[name] = cost.ravel()
            per_village = (
                a.premium_per_village_year_idr
                if a.premium_per_village_year_idr is not None
                else np.broadcast_to(a.premium_per_worker_year_idr[None, :], (n, t))
            )
            frame["premium_per_worker_year_idr"] = np.asarray(per_village).ravel()
            for name in PARTICIPATION_COLUMNS:
                values = getattr(a, name)
                frame[name] = np.asarray(values).ravel() if values is not None else np.nan
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
            *PAYER_COLUMNS,
            *PARTICIPATION_COLUMNS,
        ]
        v = self.villages.assign(desa_budget_idr=lambda f: f["programme_budget_idr"].where(f["payer"] == "apbdes", 0.0))
        keys = ["kecamatan_code", "kecamatan", "year"]
        g = v.groupby(keys, sort=True)[[*cols, "desa_budget_idr"]].sum().reset_index()
        g["coverage_share"] = coverage_share(g["covered_workers"].to_numpy(), g["eligible_workers"].to_numpy())
        g["ucj_coverage_share"] = ucj_coverage_share(
            g["covered_workers"].to_numpy(), g["wage_earners_covered"].to_numpy(), g["working_population"].to_numpy()
        )
        g["budget_share"] = share_of(g["premium_apbdes_idr"].to_numpy(), g.pop("desa_budget_idr").to_numpy())
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
            "package_version": touna_policy.__version__,
            "estimated_inputs": self.inputs.estimated_inputs,
            "estimated_outputs": [UCJ_ESTIMATED_LABEL],
            "synthetic_inputs": self.inputs.synthetic_inputs,
            "uses_unverified_jkk_band": self.arrays.uses_unverified_jkk_band,
            "workforce_growth_share_per_year": growth_share_per_year(self.scenario, self.inputs),
        }

    def summary(self) -> str:
        """A short text summary for a terminal."""
        d = self.district
        lines = [
            f"Scenario {self.scenario.name}: {self.scenario.title}",
            f"Area {self.scenario.area or 'Indonesia'}, {len(self.inputs.villages)} villages, "
            f"{int(self.years[0])}-{int(self.years[-1])}",
        ]
        for label in [*self.inputs.estimated_inputs, UCJ_ESTIMATED_LABEL]:
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
