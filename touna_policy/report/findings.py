"""The finding each body section of the report opens with (one sentence with the number, from the
model) and chart titles that state what the chart shows, all in the report's one reference year.

The reference year is the brief's (:func:`touna_policy.report.frontpage.headline_year`): every body
section reads that year, so no section silently uses another.
"""

from __future__ import annotations

import pandas as pd

from touna_policy.report import i18n
from touna_policy.report.frontpage import headline_year


def reference_year(result) -> int:
    """The report's one reference year: the brief's headline year (2026 for satu-miliar-150)."""
    return headline_year(result)


def _row(result, year: int) -> pd.Series:
    d = result.district
    return d.loc[d["year"] == int(year)].iloc[0]


def coverage(result, year: int, lang: str) -> str:
    """``Pada 2026 program mendanai 20.805 pekerja, dan 36,4% pekerja rentan terlindungi ...``."""
    row, last = _row(result, year), result.district.iloc[-1]
    return i18n.text(
        "findings.coverage",
        lang,
        year=int(year),
        funded=i18n.workers(row["funded_workers"], lang),
        share=i18n.share(row["coverage_share"], lang),
        last_year=int(last["year"]),
        last_share=i18n.share(last["coverage_share"], lang),
    )


def budget(result, year: int, lang: str) -> str:
    """The year's cost by payer and what one desa pays, as a share of its programme budget."""
    v = result.villages
    v = v[v["year"] == int(year)]
    desa = v[v["payer"] == "apbdes"]
    per_village = float(desa["premium_cost_idr"].median()) if len(desa) else 0.0
    budget_idr = float(desa["programme_budget_idr"].median()) if len(desa) else 0.0
    apbd = float(v["premium_apbd_idr"].sum())
    values = {
        "year": int(year),
        "cost": i18n.money(float(v["premium_cost_idr"].sum()), lang),
        "apbdes": i18n.money(float(v["premium_apbdes_idr"].sum()), lang),
        "apbd": i18n.money(apbd, lang),
        "per_village": i18n.money(per_village, lang),
        "village_share": i18n.share(per_village / budget_idr, lang) if budget_idr > 0 else "–",
    }
    text = i18n.text("findings.budget" if apbd > 0 else "findings.budget_no_apbd", lang, **values)
    if per_village > 0:
        key = "findings.budget_per_village_share" if budget_idr > 0 else "findings.budget_per_village"
        text += " " + i18n.text(key, lang, **values)
    return text


def _fan_row(fan: pd.DataFrame, measure: str, year: int) -> pd.Series:
    return fan[(fan["measure"] == measure) & (fan["year"] == int(year))].iloc[0]


def _coverage_range_text(key: str, fan: pd.DataFrame, year: int, lang: str) -> str:
    """Catalogue text ``key`` filled with the year's coverage median and 5th-95th percentiles."""
    row = _fan_row(fan, "coverage_share", year)
    return i18n.text(
        key,
        lang,
        year=int(year),
        median=i18n.share(row["p50"], lang),
        low=i18n.share(row["p05"], lang),
        high=i18n.share(row["p95"], lang),
    )


def uncertainty(fan: pd.DataFrame, year: int, lang: str) -> str:
    """The Monte Carlo median and 90 % range of coverage in ``year``."""
    return _coverage_range_text("findings.uncertainty", fan, year, lang)


def allocation(summary: pd.DataFrame, year: int, lang: str) -> str:
    """The range of kecamatan coverage under equal and proportional places."""
    s = summary.set_index("rule")
    return i18n.text(
        "findings.allocation",
        lang,
        year=int(year),
        equal_min=i18n.share(s.loc["equal", "kecamatan_coverage_min"], lang),
        equal_max=i18n.share(s.loc["equal", "kecamatan_coverage_max"], lang),
        prop_min=i18n.share(s.loc["proportional", "kecamatan_coverage_min"], lang),
        prop_max=i18n.share(s.loc["proportional", "kecamatan_coverage_max"], lang),
    )


def benefits(table: pd.DataFrame, year: int, lang: str) -> str:
    """Expected benefits (JKM, JKK, scholarships) against the contributions in ``year``."""
    row = table.set_index("year").loc[int(year)]
    return i18n.text(
        "findings.benefits",
        lang,
        year=int(year),
        benefits=i18n.money(row["expected_benefits_idr"], lang),
        premiums=i18n.money(row["premium_cost_idr"], lang),
        ratio=i18n.number(row["benefit_premium_ratio"], lang, 2),
    )


# ------------------------------------------------------------------------------------------------
# chart titles that state what the chart shows


def coverage_chart_title(result, lang: str) -> str:
    """``Cakupan naik ke 36,4% pada 2026, lalu turun ke 32,2% pada 2035 karena jumlah pekerja bertambah``."""
    d = result.district
    peak = int(d["coverage_share"].to_numpy().argmax())
    last = d.iloc[-1]
    values = {"last": i18n.share(last["coverage_share"], lang), "last_year": int(last["year"])}
    if peak < len(d) - 1 and d["coverage_share"].iloc[peak] - last["coverage_share"] >= 0.005:
        return i18n.text(
            "findings.chart_coverage_rise_fall",
            lang,
            peak=i18n.share(d["coverage_share"].iloc[peak], lang),
            peak_year=int(d["year"].iloc[peak]),
            **values,
        )
    return i18n.text("findings.chart_coverage_rise", lang, **values)


def funded_chart_title(result, year: int, lang: str) -> str:
    """``Program mendanai 20.805 pekerja pada 2026, dari 13.400 pekerja pada 2024``."""
    d = result.district
    first = d[d["funded_workers"] > 0].iloc[0] if (d["funded_workers"] > 0).any() else d.iloc[0]
    return i18n.text(
        "findings.chart_funded",
        lang,
        funded=i18n.workers(_row(result, year)["funded_workers"], lang),
        year=int(year),
        first=i18n.workers(first["funded_workers"], lang),
        first_year=int(first["year"]),
    )


def budget_chart_title(result, year: int, lang: str) -> str:
    """``Iuran program Rp 4,42 miliar pada 2026``."""
    return i18n.text(
        "findings.chart_budget", lang, cost=i18n.money(_row(result, year)["premium_cost_idr"], lang), year=int(year)
    )


def fan_chart_title(fan: pd.DataFrame, year: int, lang: str) -> str:
    """``Cakupan 2026 paling mungkin 36,4%, dalam rentang 30,1%-41,0%``."""
    return _coverage_range_text("findings.chart_fan", fan, year, lang)


def goal_chart_title(answer, last_year: int, lang: str) -> str:
    """``Cakupan pekerja rentan mencapai target 40% pada 2027`` (or does not, before the last year)."""
    values = {
        "measure": i18n.text(f"uncertainty.measures.{answer.measure}", lang).capitalize(),
        "target": i18n.share(answer.target_share, lang, 0),
    }
    if answer.year_reached_by_scenario is not None:
        return i18n.text("findings.chart_goal_reached", lang, reached=answer.year_reached_by_scenario, **values)
    return i18n.text("findings.chart_goal_not_reached", lang, last_year=int(last_year), **values)


def allocation_chart_title(year: int, lang: str) -> str:
    return i18n.text("findings.chart_allocation", lang, year=int(year))


def benefits_chart_title(table: pd.DataFrame, year: int, lang: str) -> str:
    row = table.set_index("year").loc[int(year)]
    return i18n.text(
        "findings.chart_benefits",
        lang,
        year=int(year),
        benefits=i18n.money(row["expected_benefits_idr"], lang),
        premiums=i18n.money(row["premium_cost_idr"], lang),
    )


def source_line(lang: str, estimated: bool = False, synthetic: bool = False) -> str:
    """The line under a chart: ``Sumber: Kemendagri, BPS, ...; perhitungan touna-policy.`` and, when the
    chart rests on them, the short estimated / synthetic mark (the full box is in the brief)."""
    parts = [i18n.text("findings.source", lang, sources=i18n.text("findings.sources_model", lang))]
    if estimated:
        parts.append(i18n.text("findings.sources_estimated", lang))
    if synthetic:
        parts.append(i18n.text("findings.sources_synthetic", lang))
    return " ".join(parts)


def kecamatan_chart_title(result, year: int, lang: str) -> str:
    """``Cakupan 2026: terendah di Ampana Kota (18,4%), tertinggi di Walea Besar (67,1%)``."""
    k = result.kecamatan()
    k = k[k["year"] == int(year)].sort_values("coverage_share")
    low, high = k.iloc[0], k.iloc[-1]
    return i18n.text(
        "findings.chart_kecamatan",
        lang,
        year=int(year),
        lowest=low["kecamatan"],
        low=i18n.share(low["coverage_share"], lang),
        highest=high["kecamatan"],
        high=i18n.share(high["coverage_share"], lang),
    )


def reference_note(year: int, lang: str) -> str:
    """``Tahun acuan laporan ini: 2026.`` (said once, at the top of the body)."""
    return "*" + i18n.text("findings.reference_year", lang, year=int(year)) + "*"


def discounted_years(result) -> list[int]:
    """Years whose premium per worker (district average) is below the full rate: the relief years the
    scenario's payers actually get (none for satu-miliar-150, whose APBDes budget assumes no relief)."""
    d = result.district
    paid = d[d["premium_per_worker_year_idr"] > 0]
    full = float(paid["premium_per_worker_year_idr"].max()) if len(paid) else 0.0
    return [int(y) for y in paid.loc[paid["premium_per_worker_year_idr"] < full - 0.5, "year"]]
