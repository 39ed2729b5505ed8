"""The level a scenario report breaks its area into, and the report's tables and texts at that level.

A report on a kabupaten (``72.09``) shows its kecamatan, a report on a province (``72``) its
kabupaten/kota and a national report (``0``) its provinces (:func:`touna_policy.model.areas.report_level`),
so every chart has tens of bars, not thousands. At kecamatan level every function here returns exactly
what the kabupaten report showed before (it calls :mod:`touna_policy.report.tables` and
:mod:`touna_policy.report.narrative`), so the Tojo Una-Una report and its files are unchanged; at the other
levels the tables are sums of villages (:func:`touna_policy.model.areas.aggregate`), shares recomputed
from the sums.

Files: a report writes its area tables under the kabupaten report's names with ``kecamatan``
replaced by the level (:func:`file_name`): ``kecamatan.csv`` becomes ``kabupaten.csv`` or
``province.csv``, ``registry_by_kecamatan.csv`` becomes ``registry_by_province.csv``, and the
columns ``kecamatan_code, kecamatan`` become ``<level>_code, <level>``.

Texts come from the catalogue: the existing ``overview/coverage/budget/allocation/uncertainty`` keys at
kecamatan level, ``levels.*`` (``locales/<lang>/levels.yaml``) at the other levels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from touna_policy.model import areas as national
from touna_policy.model.measures import coverage_share, share_of
from touna_policy.report import i18n
from touna_policy.report import tables as rt

_KECAMATAN_KEYS = {
    "registry_heading": "overview.registry_heading",
    "chart_workforce_title": "overview.chart_workforce_title",
    "chart_coverage_title": "coverage.chart_kecamatan_title",
    "coverage_heading": "coverage.kecamatan_heading",
    "budget_heading": "budget.kecamatan_heading",
    "allocation_chart_title": "allocation.chart_kecamatan_title",
    "uncertainty_heading": "uncertainty.kecamatan_heading",
}
"""Texts of the kabupaten report (kecamatan level), by the ``levels.*`` key that replaces them at other levels."""

MOVES_EACH = 5
"""Villages listed at each end of the gainers/losers table (the rest are in the file)."""


def report_level(area_code: str | None) -> str:
    """``kecamatan`` for a kabupaten, ``kabupaten`` for a province, ``province`` for Indonesia."""
    return national.report_level(area_code)


def code_column(level: str) -> str:
    """``<level>_code``: the village registry's code column of the level."""
    return national.LEVELS[level][0]


def name_column(level: str) -> str:
    """``<level>``: the village registry's name column of the level."""
    return national.LEVELS[level][1]


def file_name(name: str, level: str) -> str:
    """The kabupaten report's file (or figure) name at ``level``: ``kecamatan.csv`` -> ``province.csv``,
    ``coverage-kecamatan`` -> ``coverage-province``."""
    return name if level == "kecamatan" else name.replace("kecamatan", level)


def text(key: str, level: str, lang: str, **values) -> str:
    """A heading or title at ``level``: the kabupaten report's text at kecamatan level, else ``levels.<key>``."""
    if level == "kecamatan":
        return i18n.text(_KECAMATAN_KEYS[key], lang, **values)
    return i18n.text(f"levels.{key}", lang, level=i18n.text(f"levels.names.{level}", lang), **values)


def bar_height(n_bars: int, minimum: float = 4.6) -> float:
    """Figure height (inches) for a horizontal bar chart of ``n_bars`` bars: ``minimum`` up to about 18 bars."""
    return max(minimum, 0.9 + 0.2 * n_bars)


def _sums(groups: np.ndarray, n: int, values) -> np.ndarray:
    return np.bincount(groups, weights=np.asarray(values, dtype=float), minlength=n)


# ------------------------------------------------------------------------------------------------
# Tables
# ------------------------------------------------------------------------------------------------


def registry(villages: pd.DataFrame, level: str, total: bool = True) -> pd.DataFrame:
    """Villages, people and vulnerable workers per area of ``level`` (with a total row, code empty,
    unless ``total`` is false): ``<level>_code, <level>, desa, kelurahan, population,
    working_population, vulnerable_workers``. At kecamatan level :func:`report_tables.registry_by_kecamatan`."""
    if level == "kecamatan":
        return rt.registry_by_kecamatan(villages, total)
    code_col, name_col = national.LEVELS[level]
    areas, groups = national.area_groups(villages, level)
    n = len(areas)
    cols = ["desa", "kelurahan", "population", "working_population", "vulnerable_workers"]
    values = {
        "desa": villages["type"].to_numpy() == "desa",
        "kelurahan": villages["type"].to_numpy() == "kelurahan",
        **{c: villages[c].to_numpy(dtype=float) for c in cols[2:]},
    }
    table = areas.copy()
    for c in cols:
        table[c] = np.rint(_sums(groups, n, values[c])).astype("int64")
    if total:
        row = pd.DataFrame({code_col: [""], name_col: ["Total"], **{c: [int(table[c].sum())] for c in cols}})
        table = pd.concat([table, row], ignore_index=True)
    return table


def area_by_year(result, level: str) -> pd.DataFrame:
    """Area-by-year table written with a report: ``result.kecamatan()`` at kecamatan level, else
    :func:`national.aggregate` (``scenario, <level>_code, <level>, year``, sums, shares, ``villages``)."""
    return result.kecamatan() if level == "kecamatan" else national.aggregate(result, level)


def area_year(result, year: int, level: str) -> pd.DataFrame:
    """One year by area, sorted by code: ``<level>, quota_places, funded_workers, covered_workers,
    eligible_workers, coverage_share, ucj_coverage_share, premium_cost_idr``."""
    if level == "kecamatan":
        return rt.kecamatan_year(result, year)
    a = national.aggregate(result, level)
    cols = [
        name_column(level),
        "quota_places",
        "funded_workers",
        "covered_workers",
        "eligible_workers",
        "coverage_share",
        "ucj_coverage_share",
        "premium_cost_idr",
    ]
    return a.loc[a["year"] == int(year), cols].reset_index(drop=True)


def area_premiums(result, year: int, level: str) -> pd.DataFrame:
    """Per area in one year: ``<level>, villages, funded_workers, premium_cost_idr,
    premium_cost_idr_min_village, premium_cost_idr_max_village, budget_share`` (as
    :func:`report_tables.kecamatan_premiums`, which it is at kecamatan level)."""
    if level == "kecamatan":
        return rt.kecamatan_premiums(result, year)
    areas, groups = national.area_groups(result.inputs.villages, level)
    n = len(areas)
    t = int(np.flatnonzero(np.asarray(result.years) == int(year))[0])
    a = result.arrays
    premium = np.asarray(a.premium_cost_idr[:, t], dtype=float)
    by_area = pd.Series(premium).groupby(groups)
    budget = _sums(groups, n, a.programme_budget_idr[:, t])
    cost = _sums(groups, n, premium)
    share = share_of(cost, budget)
    return pd.DataFrame(
        {
            name_column(level): areas[name_column(level)].to_numpy(),
            "villages": np.bincount(groups, minlength=n).astype("int64"),
            "funded_workers": _sums(groups, n, a.funded_workers[:, t]),
            "premium_cost_idr": cost,
            "premium_cost_idr_min_village": by_area.min().reindex(range(n)).to_numpy(),
            "premium_cost_idr_max_village": by_area.max().reindex(range(n)).to_numpy(),
            "budget_share": share,
        }
    )


def allocation_by_area(comparison, villages: pd.DataFrame, level: str) -> pd.DataFrame:
    """The allocation rules compared by area: ``comparison.kecamatan`` at kecamatan level, else the
    same columns (``scenario, year, rule, <level>_code, <level>``, sums, ``coverage_share``) summed
    from ``comparison.villages``; rules in the comparison's order, areas by code."""
    if level == "kecamatan":
        return comparison.kecamatan
    code_col, name_col = national.LEVELS[level]
    areas, groups = national.area_groups(villages, level)
    area_of = pd.Series(groups, index=villages["code"].to_numpy())
    v = comparison.villages
    sums = [
        "quota_places",
        "funded_workers",
        "unused_quota_places",
        "covered_workers",
        "eligible_workers",
        "premium_cost_idr",
    ]
    rules = list(dict.fromkeys(v["rule"]))
    keyed = v[["scenario", "year", "rule"] + sums].assign(_area=area_of.reindex(v["code"].to_numpy()).to_numpy())
    g = keyed.groupby(["scenario", "year", "rule", "_area"], sort=False)[sums].sum().reset_index()
    g["_rule"] = [rules.index(r) for r in g["rule"]]
    g = g.sort_values(["_rule", "_area"], kind="stable").reset_index(drop=True)
    idx = g["_area"].to_numpy(dtype=int)
    g.insert(3, code_col, areas[code_col].to_numpy()[idx])
    g.insert(4, name_col, areas[name_col].to_numpy()[idx])
    g["coverage_share"] = coverage_share(g["covered_workers"].to_numpy(), g["eligible_workers"].to_numpy())
    return g.drop(columns=["_area", "_rule"])


def monte_carlo_group(level: str) -> str:
    """The column the report's Monte Carlo sums over (``group_by`` of :func:`uncertainty.prepare`)."""
    return code_column(level)


def area_fan(
    mc, villages: pd.DataFrame, level: str, measure: str = "coverage_share", year: int | None = None
) -> pd.DataFrame:
    """Quantiles of ``measure`` by area with the areas' names: ``area, p05, p50, p95`` at kecamatan
    level (as the kabupaten report), ``<level>, p05, p50, p95`` at the others."""
    fan = mc.area_fan(measure, year)
    code_col, name_col = national.LEVELS[level]
    if level == "kecamatan":
        names = villages.drop_duplicates(code_col).set_index(code_col)[name_col]
        return fan.assign(area=[names.get(a, a) for a in fan["area"]])[["area", "p05", "p50", "p95"]]
    areas, _ = national.area_groups(villages, level)
    names = areas.set_index(code_col)[name_col]
    return pd.DataFrame(
        {
            name_col: [names.get(a, a) for a in fan["area"]],
            "p05": fan["p05"].to_numpy(),
            "p50": fan["p50"].to_numpy(),
            "p95": fan["p95"].to_numpy(),
        }
    )


def village_moves(allocation_villages: pd.DataFrame, each: int = MOVES_EACH) -> tuple[pd.DataFrame, int]:
    """Villages whose coverage changes most under the proportional rule against the equal rule: the
    ``each`` largest losses and ``each`` largest gains (all villages when there are at most ``2 x each``),
    and the number of villages they are taken from."""
    prop = allocation_villages[allocation_villages["rule"] == "proportional"].sort_values("covered_change_vs_equal")
    n = len(prop)
    moves = prop.iloc[list(range(each)) + list(range(n - each, n))] if n > 2 * each else prop
    return moves, n


# ------------------------------------------------------------------------------------------------
# Sentences
# ------------------------------------------------------------------------------------------------


def registry_text(inputs, level: str, lang: str) -> str:
    """How many villages the area has, in how many kecamatan (and areas of ``level``)."""
    from touna_policy.report import narrative

    if level == "kecamatan":
        return narrative.registry(inputs, lang)
    v = inputs.villages
    return i18n.text(
        "levels.registry_text",
        lang,
        area=narrative.area_name(inputs.area_code or "0"),
        villages=i18n.number(len(v), lang),
        desa=i18n.number(int((v["type"] == "desa").sum()), lang),
        kelurahan=i18n.number(int((v["type"] == "kelurahan").sum()), lang),
        kecamatan=i18n.number(v["kecamatan_code"].nunique(), lang),
        areas=i18n.number(v[code_column(level)].nunique(), lang),
        level=i18n.text(f"levels.names.{level}", lang),
    )


def read_workforce(inputs, level: str, lang: str) -> str:
    """The areas with the most and the fewest estimated vulnerable workers."""
    from touna_policy.report import narrative

    if level == "kecamatan":
        return narrative.workforce(inputs, lang)
    table = registry(inputs.villages, level, total=False)
    name = name_column(level)
    top, low = table.loc[table["vulnerable_workers"].idxmax()], table.loc[table["vulnerable_workers"].idxmin()]
    return i18n.text(
        "levels.read_workforce",
        lang,
        level=i18n.text(f"levels.names.{level}", lang),
        year=int(inputs.villages["base_year"].iloc[0]),
        largest=rt.escape(top[name]),
        largest_workers=i18n.workers(top["vulnerable_workers"], lang),
        smallest=rt.escape(low[name]),
        smallest_workers=i18n.workers(low["vulnerable_workers"], lang),
    )


def read_coverage(result, year: int, level: str, lang: str) -> str:
    """The areas with the lowest and the highest coverage in ``year``."""
    from touna_policy.report import narrative

    if level == "kecamatan":
        return narrative.coverage_kecamatan(result, year, lang)
    table = area_year(result, year, level)
    name = name_column(level)
    low, high = table.loc[table["coverage_share"].idxmin()], table.loc[table["coverage_share"].idxmax()]
    return i18n.text(
        "levels.read_coverage",
        lang,
        level=i18n.text(f"levels.names.{level}", lang),
        year=year,
        lowest=rt.escape(low[name]),
        lowest_share=i18n.share(low["coverage_share"], lang),
        highest=rt.escape(high[name]),
        highest_share=i18n.share(high["coverage_share"], lang),
    )


def moves_note(shown: int, total: int, lang: str, file: str = "allocation.csv", each: int = MOVES_EACH) -> str:
    """``Showing 10 of 83,762 villages ...`` when the list is cut, else empty."""
    if shown >= total:
        return ""
    return i18n.text(
        "levels.villages_shown",
        lang,
        shown=i18n.number(shown, lang),
        total=i18n.number(total, lang),
        each=i18n.number(each, lang),
        file=f"`{file}`",
    )


def read_budget_share(result, level: str, lang: str) -> str:
    """What the premiums take of the village budget and of the area's programme budget (the
    kabupaten report's sentence at kecamatan level; it names the province or Indonesia elsewhere)."""
    from touna_policy.report import narrative

    if level == "kecamatan":
        return narrative.budget_share(result, lang)
    return narrative.budget_share(
        result, lang, key="levels.read_budget_share", area=narrative.area_name(result.scenario.area)
    )
