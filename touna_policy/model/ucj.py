"""UCJ as BPJS Ketenagakerjaan counts it: active participants of every segment over the worker denominator.

Segments, by year (:func:`segment_workers`):

- ``wage_earners_pu``: PU per formal worker of Central Sulawesi outside the Morowali park (IMIP),
  2024, times the district's formal workers (working population - vulnerable workers): estimated,
  real at the province;
- ``bpu_village_funded``: the model's village-funded workers (the year's average of active workers;
  real for 2024-2025: 13,400 and 14,600);
- ``bpu_provincial_programme``: the provincial pekerja-rentan programme's workers not also
  village-funded (:mod:`touna_policy.calibration.channels`): estimated, real at the province;
- ``bpu_self_paying``: the model's self-paying channel (other-channel workers less the provincial
  ones; SYNTHETIC, ``coverage_assumptions.yaml``); registered = active / (1 - the BPU non-active share);
- ``construction_jakon`` and ``migrant_workers_pmi``: per employed worker of the province (outside
  IMIP for Jakon), times the district's working population: labelled assumptions, real at the province.

The worker denominator is BPJS's, in two readings (``ucj_segments.yaml``, ``denominator``): all
employed persons (the Sulteng branch's count of 2025, about 1.5 million; the default) and employed
x 0.6239 (Central Sulawesi 2021: 946,261 workers over 1,516,700 employed; the upper reading). Both
shares are always given; ``ucj_bpjs_share`` is the default reading's. The formulas are
:mod:`touna_policy.model.measures`'; the figures ``data/parameters/ucj_segments.yaml``'s.
:func:`targets_reached` gives the first year each UCJ target is met.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from touna_policy.model.measures import ucj_bpjs_share, worker_denominator
from touna_policy.parameters.participation import load_participation_parameters
from touna_policy.parameters.ucj_segments import Target, UcjSegments, load_ucj_segments

SEGMENTS = (
    "wage_earners_pu",
    "bpu_village_funded",
    "bpu_provincial_programme",
    "bpu_self_paying",
    "construction_jakon",
    "migrant_workers_pmi",
)
"""The segments BPJS counts, in the order of its own tables (PU, BPU, Jakon, PMI)."""

SEGMENT_LEVEL = {
    "wage_earners_pu": "estimated_province",
    "bpu_village_funded": "district",
    "bpu_provincial_programme": "estimated_province",
    "bpu_self_paying": "synthetic",
    "construction_jakon": "assumption_province",
    "migrant_workers_pmi": "assumption_province",
}
"""At which level each segment's figure is real: ``district`` (the observed places), ``estimated_province``
(real at the province, scaled by a documented rule), ``assumption_province`` (real at the province, scaled
by a labelled assumption) or ``synthetic`` (the model's assumption)."""

UCJ_COLUMNS = (
    "provincial_programme_workers",
    "ucj_active_participants",
    "ucj_worker_denominator",
    "ucj_bpjs_share",
    "ucj_share_all_employed",
    "ucj_share_bpjs_2021_ratio",
)
"""The columns the district table gains (appended: existing names keep working)."""

ESTIMATED_LABEL = (
    "UCJ segments other than the village-funded workers (wage earners, provincial programme, construction, "
    "migrant workers): estimated, real at: province (Central Sulawesi 2024, ucj_segments.yaml)"
)
"""How the district table's UCJ columns are labelled in the summary and the provenance."""

DISTRICT_BASE = {
    "formal_workers_outside_concentrated": "formal",
    "employed_outside_concentrated": "employed",
    "employed": "employed",
}
"""The district's base for each province base (the concentrated employer lies outside the district)."""


def segment_workers(
    working_population,
    eligible_workers,
    village_funded_active,
    other_channel_workers,
    provincial_workers,
    params: UcjSegments | None = None,
    self_paid_lapse_share: float | None = None,
) -> dict[str, np.ndarray]:
    """Active participants by segment, the total, the denominator and the shares (arrays by year).

    Parameters
    ----------
    working_population, eligible_workers : the district's employed and vulnerable workers by year
    village_funded_active : village-funded active workers (the year's average)
    other_channel_workers : the model's other-channel workers (self-paying + provincial)
    provincial_workers : the provincial programme's workers not also village-funded
    params : the parameter file (default: the shipped one)
    self_paid_lapse_share : BPU non-active share for the registered self-paying count
        (default: ``participation.yaml``'s ``self_paid_lapse_share``)
    """
    params = params or load_ucj_segments()
    lapse = (
        load_participation_parameters().self_paid_lapse_share.value
        if self_paid_lapse_share is None
        else self_paid_lapse_share
    )
    working = np.asarray(working_population, dtype=float)
    base = {"employed": working, "formal": np.maximum(working - np.asarray(eligible_workers, dtype=float), 0.0)}
    provincial = np.asarray(provincial_workers, dtype=float)
    out = {
        name: params.segment_rate(name) * base[DISTRICT_BASE[params.segments[name].base]]
        for name in ("wage_earners_pu", "construction_jakon", "migrant_workers_pmi")
    }
    out["bpu_village_funded"] = np.asarray(village_funded_active, dtype=float)
    out["bpu_provincial_programme"] = provincial
    out["bpu_self_paying"] = np.maximum(np.asarray(other_channel_workers, dtype=float) - provincial, 0.0)
    result = {name: out[name] for name in SEGMENTS}
    active = np.sum([result[name] for name in SEGMENTS], axis=0)
    denominator = worker_denominator(working, params.denominator.ratio())
    result.update(
        {
            "bpu_self_paying_registered": result["bpu_self_paying"] / (1.0 - lapse),
            "provincial_programme_workers": provincial,
            "ucj_active_participants": active,
            "ucj_worker_denominator": denominator,
            "ucj_bpjs_share": ucj_bpjs_share(active, denominator),
            "ucj_share_all_employed": ucj_bpjs_share(active, worker_denominator(working, 1.0)),
            "ucj_share_bpjs_2021_ratio": ucj_bpjs_share(
                active, worker_denominator(working, params.denominator.ratio("bpjs_2021"))
            ),
        }
    )
    return result


SEGMENT_PROVINCE = "72"
"""The province whose 2024 segment figures the rates come from (Central Sulawesi)."""


def covers_area(area_code: str | None) -> bool:
    """Whether the Central Sulawesi rates apply to ``area_code``: the province (72) or an area inside it."""
    code = "" if area_code in (None, "0") else str(area_code)
    return code == SEGMENT_PROVINCE or code.startswith(SEGMENT_PROVINCE + ".")


def ucj_by_year(
    district: pd.DataFrame, params: UcjSegments | None = None, area_code: str | None = "72.09"
) -> pd.DataFrame:
    """The UCJ table by year from a district table (``year``, ``working_population``, ``eligible_workers``,
    ``active_workers`` or ``funded_workers``, ``other_channel_workers``, ``provincial_programme_workers``).

    Outside Central Sulawesi (``area_code`` not 72 or inside it) the segments have no anchor: every
    column but the year, the working population and the provincial workers is ``nan``.
    """
    active = district["active_workers"] if "active_workers" in district else district["funded_workers"]
    if active.isna().any():
        active = district["funded_workers"]
    provincial = (
        district["provincial_programme_workers"]
        if "provincial_programme_workers" in district
        else np.zeros(len(district))
    )
    cols = segment_workers(
        district["working_population"].to_numpy(),
        district["eligible_workers"].to_numpy(),
        active.to_numpy(),
        district["other_channel_workers"].to_numpy(),
        np.asarray(provincial, dtype=float),
        params,
    )
    if not covers_area(area_code):
        cols = {
            name: np.full(len(district), np.nan) if name != "provincial_programme_workers" else values
            for name, values in cols.items()
        }
    return pd.DataFrame(
        {"year": district["year"].to_numpy(), "working_population": district["working_population"].to_numpy(), **cols}
    )


def segment_table(by_year: pd.DataFrame, years) -> pd.DataFrame:
    """Segments x chosen years (active participants), with the level at which each is real, then the
    total, the worker denominator and the UCJ shares: the table a planner reads."""
    rows = by_year.set_index("year").loc[list(years)]
    frame = pd.DataFrame({"segment": list(SEGMENTS), "level": [SEGMENT_LEVEL[s] for s in SEGMENTS]})
    for year in rows.index:
        frame[str(int(year))] = [float(rows.loc[year, s]) for s in SEGMENTS]
    totals = UCJ_COLUMNS[1:]
    extra = pd.DataFrame(
        {
            "segment": list(totals),
            "level": ["estimated_province"] * len(totals),
            **{str(int(y)): [float(rows.loc[y, c]) for c in totals] for y in rows.index},
        }
    )
    return pd.concat([frame, extra], ignore_index=True)


def target_by_year(target: Target, years) -> np.ndarray:
    """A target's share in each year: a level every year; a path linear between its years, held after
    its last year, ``nan`` before its first."""
    years = np.asarray(years, dtype=float)
    if target.kind == "level":
        return np.full(len(years), float(target.share))  # type: ignore[arg-type]
    path = dict(sorted(target.path.items()))  # type: ignore[union-attr]
    xs, ys = np.array(list(path), dtype=float), np.array(list(path.values()), dtype=float)
    return np.where(years < xs[0], np.nan, np.interp(years, xs, ys))


def targets_reached(years, shares, targets: Mapping[str, Target]) -> pd.DataFrame:
    """The first year the UCJ share reaches each target (at or above its share of that year).

    Returns
    -------
    DataFrame ``target, kind, year_reached`` (``<NA>`` when never), ``target_share`` (in the year reached,
    else the last year), ``ucj_share`` (the same year) and ``status``: ``reached in <year>`` or
    ``not reached by <last year>``.
    """
    years = np.asarray(years)
    shares = np.asarray(shares, dtype=float)
    rows = []
    for name, target in targets.items():
        wanted = target_by_year(target, years)
        met = np.flatnonzero(~np.isnan(wanted) & (shares >= wanted - 1e-12))
        at = int(met[0]) if len(met) else len(years) - 1
        rows.append(
            {
                "target": name,
                "kind": target.kind,
                "year_reached": int(years[at]) if len(met) else pd.NA,
                "target_share": float(wanted[at]),
                "ucj_share": float(shares[at]),
                "status": f"reached in {int(years[at])}" if len(met) else f"not reached by {int(years[-1])}",
            }
        )
    frame = pd.DataFrame(rows)
    frame["year_reached"] = frame["year_reached"].astype("Int64")
    return frame


def ucj_targets(by_year: pd.DataFrame, params: UcjSegments | None = None) -> pd.DataFrame:
    """:func:`targets_reached` for the default reading (``ucj_bpjs_share``), with the year each target is
    reached under the other reading beside it (``year_reached_other_reading``, ``status_other_reading``)."""
    params = params or load_ucj_segments()
    years = by_year["year"].to_numpy()
    other = (
        "ucj_share_bpjs_2021_ratio"
        if params.denominator.default_reading == "all_employed"
        else "ucj_share_all_employed"
    )
    frame = targets_reached(years, by_year["ucj_bpjs_share"].to_numpy(), params.targets)
    alt = targets_reached(years, by_year[other].to_numpy(), params.targets)
    frame["year_reached_other_reading"] = alt["year_reached"]
    frame["status_other_reading"] = alt["status"]
    return frame


def plausibility(by_year: pd.DataFrame, year: int, params: UcjSegments | None = None) -> pd.DataFrame:
    """The district's UCJ share in ``year`` beside Central Sulawesi's of 2024, under both denominators,
    with and without the village-funded workers (the province's APBDes-funded ones for the province).

    Rows ``central_sulawesi``, ``central_sulawesi_without_village_funded``, ``district``,
    ``district_without_village_funded``; columns ``area, year, active_participants, ucj_share_all_employed,
    ucj_share_bpjs_2021_ratio``.
    """
    params = params or load_ucj_segments()
    ratio = params.denominator.ratio("bpjs_2021")
    a, w = params.province_active_2024, params.province_workforce_2024
    row = by_year.set_index("year").loc[year]
    working = float(row["working_population"])
    active = {
        "central_sulawesi": (a.year, float(a.total), float(w.employed)),
        "central_sulawesi_without_village_funded": (
            a.year,
            float(a.total - params.province_bpu_government_funded_2024.apbdes),
            float(w.employed),
        ),
        "district": (year, float(row["ucj_active_participants"]), working),
        "district_without_village_funded": (
            year,
            float(row["ucj_active_participants"] - row["bpu_village_funded"]),
            working,
        ),
    }
    return pd.DataFrame(
        [
            {
                "area": name,
                "year": int(y),
                "active_participants": n,
                "ucj_share_all_employed": float(ucj_bpjs_share(n, worker_denominator(e, 1.0))),
                "ucj_share_bpjs_2021_ratio": float(ucj_bpjs_share(n, worker_denominator(e, ratio))),
            }
            for name, (y, n, e) in active.items()
        ]
    )
