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
        eligible=i18n.workers(row["eligible_workers"], lang),
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


def budget_district(result, schedule: pd.DataFrame, lang: str) -> str:
    d = result.district.set_index("year")
    relief = [  # a relief year only when the district's premium per worker is lower that year
        y
        for y in rt.relief_years(schedule)
        if y + 1 in d.index and d.at[y, "premium_per_worker_year_idr"] < d.at[y + 1, "premium_per_worker_year_idr"]
    ]
    if not relief:
        year = rt.target_year(result)
        return i18n.text(
            "budget.read_district_no_relief", lang, year=year, cost=i18n.money(d.at[year, "premium_cost_idr"], lang)
        )
    y = relief[0]
    return i18n.text(
        "budget.read_district",
        lang,
        relief_year=y,
        next_year=y + 1,
        relief_cost=i18n.money(d.at[y, "premium_cost_idr"], lang),
        next_cost=i18n.money(d.at[y + 1, "premium_cost_idr"], lang),
        relief_funded=i18n.workers(d.at[y, "funded_workers"], lang),
        next_funded=i18n.workers(d.at[y + 1, "funded_workers"], lang),
        per_worker_relief=i18n.money(d.at[y, "premium_per_worker_year_idr"], lang),
        per_worker_full=i18n.money(d.at[y + 1, "premium_per_worker_year_idr"], lang),
    )


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
    )


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


def comparison_intro(district: pd.DataFrame, lang: str) -> str:
    names = list(dict.fromkeys(district["scenario"]))
    return i18n.text("comparison.intro", lang, n=len(names), scenarios=", ".join(f"`{n}`" for n in names))


def _extremes(district: pd.DataFrame, column: str, year: int):
    row = district[district["year"] == year].set_index("scenario")[column]
    return row.idxmax(), row.max(), row.idxmin(), row.min()


def comparison_funded(district: pd.DataFrame, year: int, lang: str) -> str:
    hi, hv, lo, lv = _extremes(district, "funded_workers", year)
    return i18n.text(
        "comparison.read_funded",
        lang,
        year=year,
        highest=hi,
        highest_value=i18n.workers(hv, lang),
        lowest=lo,
        lowest_value=i18n.workers(lv, lang),
    )


def comparison_cost(district: pd.DataFrame, year: int, lang: str) -> str:
    hi, hv, lo, lv = _extremes(district, "premium_cost_idr", year)
    return i18n.text(
        "comparison.read_cost",
        lang,
        year=year,
        highest=hi,
        highest_value=i18n.money(hv, lang),
        lowest=lo,
        lowest_value=i18n.money(lv, lang),
    )


def comparison_coverage(district: pd.DataFrame, year: int, lang: str) -> str:
    hi, hv, lo, lv = _extremes(district, "coverage_share", year)
    return i18n.text(
        "comparison.read_coverage",
        lang,
        year=year,
        highest=hi,
        highest_value=i18n.share(hv, lang),
        lowest=lo,
        lowest_value=i18n.share(lv, lang),
    )
