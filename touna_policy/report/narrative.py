"""The sentences under each chart: catalogue texts filled with the figures they talk about.

Each function picks the figures a planner should read from a chart (the relief year, the kecamatan
with the lowest coverage, ...) and returns Markdown in the report language. Texts live in
``locales/<lang>/{overview,coverage,budget,comparison}.yaml``; numbers are formatted by
:mod:`touna_policy.report.i18n`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from touna_policy.report import i18n
from touna_policy.report import tables as rt


@lru_cache(maxsize=32)
def area_name(area_code: str) -> str:
    """``Kabupaten Tojo Una Una`` for ``72.09`` (from the population table), ``Indonesia`` for the country."""
    if area_code in ("", "0"):
        return "Indonesia"
    from touna_policy.data.population import load_kabupaten_population

    table = load_kabupaten_population().set_index("code")
    return str(table.at[area_code, "name"]) if area_code in table.index else area_code


def registry(inputs, lang: str) -> str:
    v = inputs.villages
    return i18n.text(
        "overview.registry_text",
        lang,
        area=area_name(inputs.area_code),
        villages=i18n.number(len(v), lang),
        desa=i18n.number(int((v["type"] == "desa").sum()), lang),
        kelurahan=i18n.number(int((v["type"] == "kelurahan").sum()), lang),
        kecamatan=i18n.number(v["kecamatan_code"].nunique(), lang),
    )


def workforce(inputs, lang: str) -> str:
    table = rt.registry_by_kecamatan(inputs.villages)
    table = table[table["kecamatan_code"] != ""]
    top = table.loc[table["vulnerable_workers"].idxmax()]
    low = table.loc[table["vulnerable_workers"].idxmin()]
    return i18n.text(
        "overview.read_workforce",
        lang,
        year=int(inputs.villages["base_year"].iloc[0]),
        largest=rt.escape(top["kecamatan"]),
        largest_workers=i18n.workers(top["vulnerable_workers"], lang),
        smallest=rt.escape(low["kecamatan"]),
        smallest_workers=i18n.workers(low["vulnerable_workers"], lang),
    )


def method(inputs, lang: str) -> str:
    m = rt.workforce_method(inputs)
    if not m["estimated"]:
        return i18n.text("overview.method_observed", lang, base_year=m["base_year"])
    return i18n.text(
        "overview.method_estimated_blocks" if m["kecamatan_real"] else "overview.method_estimated",
        lang,
        base_year=m["base_year"],
        ratio=i18n.number(m["kelurahan_to_desa_population_ratio"], lang, 2),
        employed_share=i18n.share(m["employed_share"], lang, 1),
        vulnerable_share=i18n.share(m["vulnerable_share"], lang, 1),
    )


def assumptions(inputs, lang: str) -> str:
    key = (
        "overview.assumptions_synthetic" if inputs.assumptions.status == "synthetic" else "overview.assumptions_sourced"
    )
    return i18n.text(key, lang, status=rt.status_label(inputs.assumptions.status, lang))


def rates(schedule: pd.DataFrame, scenario, lang: str) -> str:
    full = schedule.loc[schedule["relief_months"] == 0]
    per_year = float(
        full["premium_per_worker_year_idr"].iloc[0] if len(full) else schedule["premium_per_worker_year_idr"].iloc[0]
    )
    values = {
        "income": i18n.money(scenario.declared_income_idr, lang),
        "monthly": i18n.money(per_year / 12, lang),
        "year_total": i18n.money(per_year, lang),
    }
    relief = rt.relief_years(schedule)
    if not relief:
        return i18n.text("overview.rates_no_relief", lang, **values)
    row = schedule.set_index("year").loc[relief[0]]
    return i18n.text(
        "overview.rates_text",
        lang,
        relief_year=relief[0],
        relief_months=int(row["relief_months"]),
        relief_total=i18n.money(row["premium_per_worker_year_idr"], lang),
        **values,
    )


def coverage_key(result, lang: str) -> str:
    year = rt.target_year(result)
    row = result.district.set_index("year").loc[year]
    return i18n.text(
        "coverage.key_text",
        lang,
        year=year,
        funded=i18n.workers(row["funded_workers"], lang),
        quota=i18n.number(row["quota_places"], lang),
        covered=i18n.workers(row["covered_workers"], lang),
        eligible=i18n.number(row["eligible_workers"], lang),  # the text says "... pekerja rentan"
        coverage=i18n.share(row["coverage_share"], lang),
    )


def coverage_district(result, reported: pd.DataFrame, lang: str) -> str:
    year = rt.target_year(result)
    target = result.district.set_index("year").loc[year, "funded_workers"]
    values = {"target_year": year, "target": i18n.workers(target, lang)}
    if reported.empty:
        return i18n.text("coverage.read_district_no_reports", lang, **values)
    listed = ", ".join(f"{i18n.number(r.funded_workers, lang)} ({int(r.year)})" for r in reported.itertuples())
    return i18n.text("coverage.read_district", lang, reported=listed, **values)


def coverage_shares(result, lang: str) -> str:
    d = result.district.set_index("year")
    year, last = rt.target_year(result), int(result.years[-1])
    first = int(result.years[0])
    return i18n.text(
        "coverage.read_shares",
        lang,
        first_year=first,
        first=i18n.share(d.at[first, "coverage_share"], lang),
        year=year,
        coverage=i18n.share(d.at[year, "coverage_share"], lang),
        ucj=i18n.share(d.at[year, "ucj_coverage_share"], lang),
        last_year=last,
        last=i18n.share(d.at[last, "coverage_share"], lang),
    )


def coverage_kecamatan(result, year: int, lang: str) -> str:
    k = rt.kecamatan_year(result, year)
    low, high = k.loc[k["coverage_share"].idxmin()], k.loc[k["coverage_share"].idxmax()]
    key = "coverage.read_kecamatan_" + (
        "proportional" if result.scenario.allocation_rule == "proportional" else "equal"
    )
    return i18n.text(
        key,
        lang,
        year=year,
        lowest=rt.escape(low["kecamatan"]),
        lowest_share=i18n.share(low["coverage_share"], lang),
        highest=rt.escape(high["kecamatan"]),
        highest_share=i18n.share(high["coverage_share"], lang),
    )


def relief_reach(result, year: int) -> tuple[str, list[str]]:
    """How far the PP 50/2025 relief reaches the programme's places in ``year``.

    Returns ``(reach, excluded)``: ``reach`` is ``all`` (every payer billed that year gets the
    relief), ``some`` or ``none``; ``excluded`` the billed payers without it (``apbdes`` when the
    scenario budgets without the relief for APBDes-paid places, ``apbd``, ...), in
    :data:`~touna_policy.parameters.payers.PAYERS` order.
    """
    from touna_policy.parameters.payers import PAYERS, relief_eligible_by_month

    row = result.district.set_index("year").loc[year]
    billed: list[str] = [p for p in PAYERS if float(row.get(f"premium_{p}_idr", 0.0) or 0.0) > 0]
    if not billed:  # a result without the per-payer split: every place is APBDes-paid
        billed = ["apbdes"]
    eligible = relief_eligible_by_month(np.array([year]), bool(result.scenario.relief_for_apbdes_paid))
    excluded = [p for p in billed if eligible[PAYERS.index(p)].sum() == 0]
    reach = "none" if len(excluded) == len(billed) else "some" if excluded else "all"
    return reach, excluded


def relief_reasons(excluded: list[str], lang: str) -> str:
    """Why the relief does not reach these payers' places: one clause per kind of payer, joined."""
    keys = []
    if "apbdes" in excluded:
        keys.append("budget.relief_reason_apbdes")
    if "apbd" in excluded or "apbd_province" in excluded:
        keys.append("budget.relief_reason_apbd")
    if "self" in excluded:
        keys.append("budget.relief_reason_other")
    return i18n.text("budget.relief_reason_join", lang).join(i18n.text(k, lang) for k in keys)


def budget_district(result, schedule: pd.DataFrame, lang: str) -> str:
    """The sentence under the district cost chart: the relief year's cost, and whether the PP 50/2025
    relief lowered it (for every billed place, some of them, or none: :func:`relief_reach`), then the
    next year's at the full rate. Costs are read per billed place (the places the payers pay for)."""
    d = result.district.set_index("year")
    places = "billed_places" if "billed_places" in d.columns else "funded_workers"
    relief = [y for y in rt.relief_years(schedule) if y + 1 in d.index and d.at[y, places] > 0]
    if not relief:
        year = rt.target_year(result)
        return i18n.text(
            "budget.read_district_no_relief", lang, year=year, cost=i18n.money(d.at[year, "premium_cost_idr"], lang)
        )
    y = relief[0]
    reach, excluded = relief_reach(result, y)
    per_place = d["premium_cost_idr"] / d[places].where(d[places] > 0)
    values = {
        "relief_year": y,
        "next_year": y + 1,
        "relief_cost": i18n.money(d.at[y, "premium_cost_idr"], lang),
        "next_cost": i18n.money(d.at[y + 1, "premium_cost_idr"], lang),
        "relief_places": i18n.number(d.at[y, places], lang),
        "next_places": i18n.number(d.at[y + 1, places], lang),
        "per_worker_relief": i18n.money(per_place[y], lang),
        "per_worker_full": i18n.money(per_place[y + 1], lang),
    }
    if reach == "all":
        return i18n.text("budget.read_district", lang, **values)
    if reach == "none" and "premium_per_worker_year_idr" in d.columns:  # the rate itself (arrears paid aside)
        values["per_worker_relief"] = i18n.money(d.at[y, "premium_per_worker_year_idr"], lang)
    key = "budget.read_district_relief_none" if reach == "none" else "budget.read_district_relief_some"
    return i18n.text(key, lang, reasons=relief_reasons(excluded, lang), **values)


def budget_year(result) -> int | None:
    """The year the budget page reads: the first budget year without relief after the relief, else the last."""
    first = rt.first_budget_year(result)
    if first is None:
        return None
    d = result.district
    full = d.loc[
        (d["year"] >= first) & (d["premium_per_worker_year_idr"] >= d["premium_per_worker_year_idr"].max()), "year"
    ]
    return int(full.iloc[0]) if len(full) else int(d["year"].iloc[-1])


def budget_share(result, lang: str, key: str = "budget.read_share", **extra) -> str:
    """The sentence under the budget-share chart; ``key`` and ``extra`` values let a report at another
    level (touna_policy.report.levels) name its area."""
    year = budget_year(result)
    if year is None:
        return i18n.text("budget.no_budget", lang)
    t = rt.budget_by_type(result, year)
    row = t.iloc[0]
    d = result.district.set_index("year")
    small = d.at[year, "budget_share"] < SMALL_BUDGET_SHARE  # then say so; a large share speaks for itself
    return i18n.text(
        key,
        lang,
        year=year,
        **extra,
        budget=i18n.money(row["programme_budget_idr_per_village"], lang),
        per_village=i18n.money(row["premium_cost_idr_per_village"], lang),
        funded_per_village=i18n.number(row["funded_workers_per_village"], lang),
        kind=row["type"],
        share=i18n.share(row["budget_share"], lang, 2),
        district_share=i18n.share(d.at[year, "budget_share"], lang, 2),
        district_cost=i18n.money(d.at[year, "premium_cost_idr"], lang),
    ) + (" " + i18n.text("budget.read_share_small", lang) if small else "")


SMALL_BUDGET_SHARE = 0.1
"""Below this share of the programme budgets the budget text adds that premiums take a small part of it."""


def budget_kecamatan(result, year: int, lang: str) -> str:
    r = rt.premium_range(result, year)
    if np.isclose(r["min_idr"], r["max_idr"]):
        return i18n.text("budget.read_villages_equal", lang, year=year, premium=i18n.money(r["min_idr"], lang))
    return i18n.text(
        "budget.read_villages",
        lang,
        year=year,
        lowest=i18n.money(r["min_idr"], lang),
        lowest_village=rt.escape(r["min_village"]),
        highest=i18n.money(r["max_idr"], lang),
        highest_village=rt.escape(r["max_village"]),
    )


def scenario_titles(district: pd.DataFrame, lang: str) -> dict[str, str]:
    """``{scenario name: the title a reader sees}``: the ``title_<lang>`` column of a comparison's
    district table (:func:`~touna_policy.report.tables.read_runs`), else ``title``, else the name."""
    column = next((c for c in (f"title_{lang}", "title") if c in district.columns), None)
    if column is None:
        return {n: n for n in district["scenario"]}
    pairs = district[["scenario", column]].drop_duplicates("scenario")
    return {
        n: rt.escape(t) if isinstance(t, str) and t else n
        for n, t in zip(pairs["scenario"], pairs[column], strict=True)
    }


def comparison_intro(district: pd.DataFrame, lang: str) -> str:
    titles = scenario_titles(district, lang)
    return i18n.text("comparison.intro", lang, n=len(titles), scenarios="; ".join(titles.values()))
