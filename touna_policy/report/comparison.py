"""The scenario comparison in numbers: each option against the baseline, per kecamatan, and its ties.

Pure functions on the tables every run folder holds (``summary.csv``: one row per scenario and year,
``kecamatan.csv``: one per scenario, kecamatan and year, ``villages.csv``: one per village and year)
or that :func:`project_options` builds here. Texts come from ``locales/<lang>/comparison.yaml``
(``comparison_summary.*``); :mod:`touna_policy.report.comparison_page` turns them into the report's
summary page and :mod:`touna_policy.report.comparison_charts` draws the charts.

- :func:`reference_year`: the one year every figure of the comparison is read in;
- :func:`option_differences`: per option the difference from the baseline (places, cost, cost per desa
  and its share of Rp 1 billion, covered workers, coverage, UCJ);
- :func:`kecamatan_coverage`: coverage per kecamatan per option (what separates equal-cost options);
- :func:`find_ties` / :func:`tie_text`: options with the same places and cost, and how they still differ.

A reader sees every option by its short name in the report's language (the scenario's ``short_title``,
else its title; :attr:`OptionTables.names`), never by its id: the figures are keyed by id, the texts
name the options through :func:`option_name`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

from touna_policy import config
from touna_policy.errors import InputError
from touna_policy.model.inputs import load_inputs
from touna_policy.model.projection import project
from touna_policy.report import i18n
from touna_policy.scenario import load_scenario

BASELINE_SCENARIO = "baseline-100"
"""The option that is today's rule; every other option is read as a change from it."""

DESA_BUDGET_IDR = 1_000_000_000.0
"""The yardstick of the cost per desa: Rp 1 billion a year, the Satu Miliar Satu Desa budget of one desa."""

SHARE_TOLERANCE = 0.0005
"""Two coverage shares closer than this (0.05 percentage points) are the same as printed."""

TIE_COLUMNS = ("quota_places", "funded_workers", "covered_workers", "premium_cost_idr")
"""District columns compared, year by year, to tell how two options with equal places and cost differ."""

SPREAD_LISTED = 3
"""Kecamatan named in a tie's sentence (those where the two options' coverage differs most)."""


@dataclass(frozen=True)
class OptionTables:
    """The tables a comparison reads, one row per scenario (option) and year.

    ``district``: ``summary.csv`` rows (plus ``title``, ``run_id``, ``estimated_inputs``,
    ``synthetic_inputs``, as :func:`touna_policy.report.tables.read_runs` gives them);
    ``kecamatan``: ``kecamatan.csv`` rows, or ``None`` when a run has none (a report of another area
    level); ``desa_costs``: :func:`desa_costs` of the village tables; ``titles`` and ``names``: each
    option's title and short name (for tables, legends and sentences) in the report's language, by id.
    """

    district: pd.DataFrame
    kecamatan: pd.DataFrame | None
    desa_costs: pd.DataFrame
    titles: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


def option_name(names: Mapping[str, str] | None, option: str) -> str:
    """What a reader sees for ``option`` (an id): its short name in ``names``, else the id."""
    return (names or {}).get(option) or option


def option_frame(tables: OptionTables, column: str) -> pd.DataFrame:
    """Year-by-option table of one district ``column``, the options in the comparison's order
    (:func:`option_order`) and named by their short names (the columns a chart's legend shows)."""
    wide = tables.district.pivot(index="year", columns="scenario", values=column)
    order = option_order(tables.district)
    out = wide[order].rename(columns=dict(zip(order, unique_names(order, tables.names), strict=True)))
    out.columns.name = None
    return out


def option_list(tables: OptionTables) -> pd.DataFrame:
    """The options compared, one row each in the comparison's order: ``option`` (the short name),
    ``title`` and, for run folders, ``run_id``."""
    order = option_order(tables.district)
    runs = tables.district.drop_duplicates("scenario").set_index("scenario")
    out = pd.DataFrame(
        {
            "option": unique_names(order, tables.names),
            "title": [tables.titles.get(o) or option_name(tables.names, o) for o in order],
            "run_id": runs["run_id"].reindex(order).fillna("").astype(str).to_numpy(),
        }
    )
    return out if out["run_id"].str.len().any() else out.drop(columns="run_id")


def unique_names(options: Sequence[str], names: Mapping[str, str] | None) -> list[str]:
    """The short names of ``options``, a repeated one numbered (``Opsi A (2)``) so columns stay apart."""
    out: list[str] = []
    seen: dict[str, int] = {}
    for option in options:
        name = option_name(names, option)
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


# ------------------------------------------------------------------------------------------------
# Figures
# ------------------------------------------------------------------------------------------------


def option_order(district: pd.DataFrame, baseline: str = BASELINE_SCENARIO) -> list[str]:
    """The options in the order the comparison shows them: the baseline first, the others as given."""
    names = list(dict.fromkeys(district["scenario"]))
    return [baseline, *[n for n in names if n != baseline]] if baseline in names else names


def baseline_of(district: pd.DataFrame, baseline: str = BASELINE_SCENARIO) -> str:
    """``baseline`` when it is among the options compared, else the first option."""
    return option_order(district, baseline)[0]


def reference_year(district: pd.DataFrame) -> int:
    """The comparison's one reference year: the first year in which every option runs at its final size
    and full rate (for each option the first year of its last stretch with unchanged places and premium
    per worker, as on a scenario's front page; the latest of these)."""
    d = district.sort_values(["scenario", "year"], kind="stable")
    places = d["quota_places"].to_numpy(dtype=float)
    rate = d["premium_per_worker_year_idr"].to_numpy(dtype=float)
    names = d["scenario"].to_numpy()
    last = ~np.r_[names[1:] == names[:-1], False]  # each option's last year
    final_places = pd.Series(places[last], index=names[last])
    final_rate = pd.Series(rate[last], index=names[last])
    differs = ~(np.isclose(places, final_places.loc[names]) & np.isclose(rate, final_rate.loc[names]))
    years = d["year"].to_numpy()
    first = years.min()
    last_differing = pd.Series(np.where(differs, years, first - 1)).groupby(names).max()
    return int(min(max(int(last_differing.max()) + 1, int(first)), int(years.max())))


def desa_costs(villages: pd.DataFrame) -> pd.DataFrame:
    """What each desa pays from its own APBDes, per option and year: ``scenario, year, desa,
    cost_per_desa_idr`` (the mean), ``cost_per_desa_min_idr``, ``cost_per_desa_max_idr``."""
    desa = villages.loc[villages["type"] == "desa", ["scenario", "year", "premium_apbdes_idr"]]
    g = desa.groupby(["scenario", "year"], sort=False)["premium_apbdes_idr"]
    out = g.agg(desa="size", cost_per_desa_idr="mean", cost_per_desa_min_idr="min", cost_per_desa_max_idr="max")
    return out.reset_index()


def option_differences(
    district: pd.DataFrame, desa: pd.DataFrame | None, year: int, baseline: str = BASELINE_SCENARIO
) -> pd.DataFrame:
    """One row per option in ``year``: its figures and their change from ``baseline``.

    Columns: ``scenario``, ``quota_places``, ``premium_cost_idr``, ``cost_per_desa_idr`` (the mean desa's
    APBDes premium), ``cost_per_desa_min_idr``, ``cost_per_desa_max_idr``, ``desa_budget_share`` (the
    mean over :data:`DESA_BUDGET_IDR`), ``covered_workers``, ``coverage_share``, ``ucj_coverage_share``,
    each but the range with a ``<name>_change`` column (the option minus the baseline; shares in points
    of 0-1). The baseline comes first, with changes of 0.
    """
    order = option_order(district, baseline)
    base = order[0]
    rows = district.loc[district["year"] == int(year)].set_index("scenario").reindex(order)
    out = pd.DataFrame({"scenario": order})
    for col in ("quota_places", "premium_cost_idr", "covered_workers", "coverage_share", "ucj_coverage_share"):
        out[col] = rows[col].to_numpy(dtype=float)
    if desa is not None and len(desa):
        d = desa.loc[desa["year"] == int(year)].set_index("scenario").reindex(order)
        for col in ("cost_per_desa_idr", "cost_per_desa_min_idr", "cost_per_desa_max_idr"):
            out[col] = d[col].to_numpy(dtype=float)
    else:
        for col in ("cost_per_desa_idr", "cost_per_desa_min_idr", "cost_per_desa_max_idr"):
            out[col] = np.nan
    out["desa_budget_share"] = out["cost_per_desa_idr"] / DESA_BUDGET_IDR
    at_base = out.iloc[order.index(base)]
    for col in (
        "quota_places",
        "premium_cost_idr",
        "cost_per_desa_idr",
        "desa_budget_share",
        "covered_workers",
        "coverage_share",
        "ucj_coverage_share",
    ):
        out[f"{col}_change"] = out[col] - at_base[col]
    return out


def kecamatan_coverage(kecamatan: pd.DataFrame, year: int, baseline: str = BASELINE_SCENARIO) -> pd.DataFrame:
    """Coverage of vulnerable workers per kecamatan (rows, by code) and option (columns) in ``year``:
    ``kecamatan_code, kecamatan, <option>...`` with 0-1 shares."""
    k = kecamatan.loc[kecamatan["year"] == int(year)]
    wide = k.pivot_table(index=["kecamatan_code", "kecamatan"], columns="scenario", values="coverage_share")
    wide = wide[[o for o in option_order(k, baseline) if o in wide.columns]]
    wide.columns.name = None
    return wide.sort_index().reset_index()


def named_kecamatan_coverage(tables: OptionTables, year: int, baseline: str = BASELINE_SCENARIO) -> pd.DataFrame:
    """:func:`kecamatan_coverage` with the options' columns named by
    their short names (what the chart's legend and the notebook's table show)."""
    if tables.kecamatan is None:
        raise ValueError("no kecamatan tables: the runs were made at another area level")
    wide = kecamatan_coverage(tables.kecamatan, year, baseline)
    options = [c for c in wide.columns if c not in ("kecamatan_code", "kecamatan")]
    return wide.rename(columns=dict(zip(options, unique_names(options, tables.names), strict=True)))


@dataclass(frozen=True)
class Tie:
    """Two options with the same places and the same cost in the reference year, and how they differ.

    ``spread``: kecamatan where their coverage differs (``kecamatan, first, second`` shares, largest
    difference first; ``None`` without kecamatan tables); ``other_years``: years in which their
    district figures differ, with each option's premium cost that year (``year, first_cost_idr, second_cost_idr``).
    """

    first: str
    second: str
    year: int
    quota_places: float
    premium_cost_idr: float
    coverage_share: tuple[float, float]
    spread: pd.DataFrame | None
    other_years: pd.DataFrame


def find_ties(
    district: pd.DataFrame, kecamatan: pd.DataFrame | None, year: int, baseline: str = BASELINE_SCENARIO
) -> list[Tie]:
    """Every pair of options with the same places and the same premium cost (to the rupiah) in ``year``,
    in the comparison's order."""
    order = option_order(district, baseline)
    at = district.loc[district["year"] == int(year)].set_index("scenario")
    wide = kecamatan_coverage(kecamatan, year, baseline) if kecamatan is not None else None
    ties = []
    for a, b in combinations(order, 2):
        ra, rb = at.loc[a], at.loc[b]
        if not (
            np.isclose(ra["quota_places"], rb["quota_places"])
            and round(float(ra["premium_cost_idr"])) == round(float(rb["premium_cost_idr"]))
        ):
            continue
        if wide is not None and a in wide and b in wide:
            spread = pd.DataFrame({"kecamatan": wide["kecamatan"], "first": wide[a], "second": wide[b]})
            gap = (spread["first"] - spread["second"]).abs()
            spread = spread.loc[gap > SHARE_TOLERANCE].iloc[
                np.argsort(-gap[gap > SHARE_TOLERANCE].to_numpy(), kind="stable")
            ]
        else:
            spread = None
        da = district.loc[district["scenario"] == a].set_index("year")
        db = district.loc[district["scenario"] == b].set_index("year").reindex(da.index)
        cols = [c for c in (*TIE_COLUMNS, "active_workers") if c in da.columns]
        differs = ~np.isclose(da[cols].to_numpy(dtype=float), db[cols].to_numpy(dtype=float), rtol=0, atol=0.5).all(
            axis=1
        )
        other = pd.DataFrame(
            {
                "year": da.index[differs].astype(int),
                "first_cost_idr": da.loc[differs, "premium_cost_idr"].to_numpy(dtype=float),
                "second_cost_idr": db.loc[differs, "premium_cost_idr"].to_numpy(dtype=float),
            }
        )
        ties.append(
            Tie(
                a,
                b,
                int(year),
                float(ra["quota_places"]),
                float(ra["premium_cost_idr"]),
                (float(ra["coverage_share"]), float(rb["coverage_share"])),
                None if spread is None else spread.reset_index(drop=True),
                other.reset_index(drop=True),
            )
        )
    return ties


def tie_text(tie: Tie, lang: str, subject: str | None = None, names: Mapping[str, str] | None = None) -> str:
    """What still separates two tied options (the kecamatan spread, other years), or that nothing does.

    With ``subject`` ``None`` the sentence stands alone: it opens with the tie itself (same places, same
    cost); otherwise it is one clause under a group's :func:`tie_head`, ``subject`` naming the pair.
    ``names``: the options' short names by id (:attr:`OptionTables.names`).
    """
    t = lambda key, **v: i18n.text(f"comparison_summary.{key}", lang, **v)  # noqa: E731
    first, second = option_name(names, tie.first), option_name(names, tie.second)
    parts = [] if subject is not None else [tie_head([tie.first, tie.second], tie, lang, names)]
    values: dict = {"subject": t("tie_both") if subject is None else subject, "first": first, "second": second}
    if tie.spread is not None and len(tie.spread):
        items = [
            t("tie_spread_item", kecamatan=r.kecamatan, first_share=i18n.share(r.first, lang, 0),
              second_share=i18n.share(r.second, lang, 0))
            for r in tie.spread.head(SPREAD_LISTED).itertuples(index=False)
        ]  # fmt: skip
        more = len(tie.spread) - SPREAD_LISTED
        values.update(
            n=len(tie.spread), kecamatan="; ".join(items) + (t("tie_spread_more", n=more) if more > 0 else "")
        )
    if len(tie.other_years):
        values["years"] = year_list(tie.other_years["year"].tolist(), lang)
        costs = tie.other_years.loc[
            ~np.isclose(tie.other_years["first_cost_idr"], tie.other_years["second_cost_idr"], rtol=0, atol=0.5)
        ]
        if len(costs):
            r = costs.iloc[0]
            values.update(
                year=int(r["year"]),
                first_cost=i18n.money(r["first_cost_idr"], lang),
                second_cost=i18n.money(r["second_cost_idr"], lang),
            )
    spread = "kecamatan" in values
    years = "years" in values
    cost = "first_cost" in values
    if tie.spread is None:
        key = "tie_years_unknown" if years else "tie_district_identical"
    elif spread:
        key = ("tie_spread_years_cost" if cost else "tie_spread_years") if years else "tie_spread"
    else:
        key = ("tie_years_cost" if cost else "tie_years") if years else "tie_identical"
    parts.append(t(key, **values))
    return " ".join(parts)


def tie_weight(tie: Tie) -> int:
    """How much separates a tied pair: the kecamatan and the years in which their figures differ."""
    return (0 if tie.spread is None else len(tie.spread)) + len(tie.other_years)


def name_list(options: Sequence[str], lang: str, names: Mapping[str, str] | None = None) -> str:
    """``A``, ``A dan B``, ``A, B dan C``: the options (ids) by their short names."""
    and_ = i18n.text("comparison_summary.and", lang)
    shown = [option_name(names, o) for o in options]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + and_ + shown[-1]


def tie_head(options: Sequence[str], tie: Tie, lang: str, names: Mapping[str, str] | None = None) -> str:
    """``**A, B dan C**: kuota sama (21.900) dan biaya sama (Rp 4,42 miliar pada 2026).``"""
    joined = name_list(options, lang, names)
    return i18n.text(
        "comparison_summary.tie_head",
        lang,
        options=joined,
        places=i18n.number(tie.quota_places, lang),
        cost=i18n.money(tie.premium_cost_idr, lang),
        year=tie.year,
    )


def ties_text(ties: Sequence[Tie], lang: str, names: Mapping[str, str] | None = None) -> list[str]:
    """One paragraph per group of tied options: for two options :func:`tie_text` alone; for more, the
    group's :func:`tie_head`, then one clause per pair with the member closest to all others (the
    fewest differing kecamatan and years, :func:`tie_weight`), so no clause repeats two others.
    ``names``: the options' short names by id."""
    groups: list[list[Tie]] = []
    for tie in ties:
        for g in groups:
            if tie.first in {g[0].first, g[0].second} or any(tie.first in (x.first, x.second) for x in g):
                g.append(tie)
                break
        else:
            groups.append([tie])
    out = []
    for g in groups:
        if len(g) == 1:
            out.append(tie_text(g[0], lang, names=names))
            continue
        members = list(dict.fromkeys(n for tie in g for n in (tie.first, tie.second)))
        anchor = min(members, key=lambda m: sum(tie_weight(x) for x in g if m in (x.first, x.second)))
        clauses = [
            tie_text(
                tie,
                lang,
                i18n.text(
                    "comparison_summary.tie_pair",
                    lang,
                    first=option_name(names, tie.first),
                    second=option_name(names, tie.second),
                ),
                names,
            )
            for tie in g
            if anchor in (tie.first, tie.second)
        ]
        out.append(" ".join([tie_head(members, g[0], lang, names), *clauses]))
    return out


def option_reading(frame: pd.DataFrame, year: int, key: str, lang: str, fmt) -> str:
    """The sentence under a comparison chart (``comparison_summary.read_<key>``): the highest and the
    lowest value of a year-by-option ``frame`` in ``year``, each with every option that has it (so a
    tie is never read as one option leading)."""
    row = frame.loc[int(year)].astype(float)
    and_ = i18n.text("comparison_summary.and", lang)

    def named(value: float) -> str:
        names = [str(n) for n, v in row.items() if np.isclose(v, value, rtol=1e-9, atol=0.0)]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + and_ + names[-1]

    top, bottom = float(row.max()), float(row.min())
    return i18n.text(
        f"comparison_summary.read_{key}",
        lang,
        year=int(year),
        highest=named(top),
        highest_value=fmt(top),
        lowest=named(bottom),
        lowest_value=fmt(bottom),
    )


def year_list(years: Sequence[int], lang: str) -> str:
    """``2025``, ``2025 dan 2026``, ``2025-2027`` (consecutive years as a range)."""
    years = sorted(int(y) for y in years)
    if not years:
        return ""
    if len(years) > 2 and years[-1] - years[0] == len(years) - 1:
        return f"{years[0]}–{years[-1]}"
    if len(years) == 1:
        return str(years[0])
    return ", ".join(map(str, years[:-1])) + i18n.text("comparison_summary.and", lang) + str(years[-1])


def signed(text: str, value: float) -> str:
    """``text`` (a formatted magnitude) with the sign of ``value``: ``+7.300``, ``−Rp 1,47 miliar``, ``±0``."""
    if np.isnan(value):
        return "–"
    if abs(value) < 1e-9:
        return "±0"
    return ("+" if value > 0 else "−") + text


# ------------------------------------------------------------------------------------------------
# Reading the run folders (or projecting the shipped scenarios)
# ------------------------------------------------------------------------------------------------


def read_options(run_dirs: Sequence[str | Path], lang: str = i18n.DEFAULT_LANGUAGE) -> OptionTables:
    """The comparison's tables from finished run folders: their ``summary.csv``, ``kecamatan.csv`` (all
    or none) and ``villages.csv`` (the model is not run again); titles in ``lang`` from the scenario file
    the manifest names, else the manifest's title (short names likewise, :func:`scenario_short_title`)."""
    districts, areas, villages, titles, names = [], [], [], {}, {}
    for run_dir in (Path(d) for d in run_dirs):
        summary, manifest = run_dir / "summary.csv", run_dir / "manifest.json"
        for f in (summary, manifest):
            if not f.is_file():
                raise InputError.single(
                    run_dir, "run folder", f"no {f.name}", "a finished run folder written by `touna-policy run`"
                )
        frame = pd.read_csv(summary)
        name = str(frame["scenario"].iloc[0])
        meta = json.loads(manifest.read_text(encoding="utf-8"))
        titles[name] = scenario_title(meta.get("scenario") or {}, lang) or name
        names[name] = scenario_short_title(meta.get("scenario") or {}, lang) or titles[name]
        frame["title"] = titles[name]
        frame["run_id"] = meta.get("run_id", run_dir.name)
        frame["estimated_inputs"] = bool(meta.get("estimated_inputs"))
        frame["synthetic_inputs"] = bool(meta.get("synthetic_inputs"))
        districts.append(frame)
        if (run_dir / "kecamatan.csv").is_file():
            areas.append(pd.read_csv(run_dir / "kecamatan.csv", dtype={"kecamatan_code": str}))
        if (run_dir / "villages.csv").is_file():
            cols = ["scenario", "year", "type", "premium_apbdes_idr"]
            villages.append(pd.read_csv(run_dir / "villages.csv", usecols=cols))
    if not districts:
        raise InputError.single("<run_dirs>", "run_dirs", "no run folders", "at least one run folder")
    kecamatan = pd.concat(areas, ignore_index=True) if len(areas) == len(districts) else None
    desa = desa_costs(pd.concat(villages, ignore_index=True)) if villages else desa_costs(_no_villages())
    return OptionTables(pd.concat(districts, ignore_index=True), kecamatan, desa, titles, names)


def project_options(paths: Sequence[str | Path], lang: str = i18n.DEFAULT_LANGUAGE) -> OptionTables:
    """The comparison's tables of scenario files projected here (the notebook without run folders)."""
    districts, areas, villages, titles, names = [], [], [], {}, {}
    for path in paths:
        scenario = load_scenario(path)
        inputs = load_inputs(scenario.area)
        result = project(scenario, inputs)
        titles[scenario.name] = scenario.title_in(lang)
        names[scenario.name] = scenario.short_title_in(lang)
        districts.append(
            result.district.assign(
                title=titles[scenario.name],
                run_id="",
                estimated_inputs=bool(inputs.estimated_inputs),
                synthetic_inputs=bool(inputs.synthetic_inputs),
            )
        )
        areas.append(result.kecamatan())
        villages.append(result.villages[["scenario", "year", "type", "premium_apbdes_idr"]])
    return OptionTables(
        pd.concat(districts, ignore_index=True),
        pd.concat(areas, ignore_index=True),
        desa_costs(pd.concat(villages, ignore_index=True)),
        titles,
        names,
    )


def scenario_title(entry: dict, lang: str) -> str:
    """A run's scenario title in ``lang``: from the scenario file its manifest names (if it still
    reads), else the title the manifest recorded."""
    path = config.PROJECT_ROOT / str(entry.get("file", ""))
    if entry.get("file") and path.is_file():
        try:
            return load_scenario(path).title_in(lang)
        except InputError:
            pass  # the file changed since the run: the manifest's title stands
    return str(entry.get("title", ""))


def scenario_short_title(entry: dict, lang: str) -> str:
    """A run's short scenario name in ``lang`` (tables, legends, sentences): from the scenario file its
    manifest names (if it still reads), else the manifest's ``short_titles``, else its title in ``lang``."""
    path = config.PROJECT_ROOT / str(entry.get("file", ""))
    if entry.get("file") and path.is_file():
        try:
            return load_scenario(path).short_title_in(lang)
        except InputError:
            pass  # the file changed since the run: the manifest's names stand
    return str((entry.get("short_titles") or {}).get(lang) or (entry.get("titles") or {}).get(lang) or "")


def _no_villages() -> pd.DataFrame:
    return pd.DataFrame({"scenario": [], "year": [], "type": [], "premium_apbdes_idr": []})
