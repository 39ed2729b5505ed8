"""The comparison report's summary page: each option against today's policy in the reference year,
the ties stated honestly, and the kecamatan view that separates options of equal cost.

A self-contained HTML fragment (the chart embedded as a PNG data URI) placed before the title page by
:func:`touna_policy.pipeline.compare.compare`, as a scenario report's front page is. Numbers come from
:mod:`touna_policy.report.comparison`, texts from ``comparison_summary.*``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from touna_policy.report import comparison as cmp
from touna_policy.report import i18n
from touna_policy.report.comparison_charts import kecamatan_dots
from touna_policy.report.frontpage import figure_to_data_uri

SUMMARY_CSS = """
.tp-compare{font-family:"DejaVu Sans",Arial,sans-serif;color:#1d2b36;page-break-after:always;
  border-bottom:3px solid #0072B2;padding-bottom:1em;margin-bottom:1.5em}
.tp-compare h1{font-size:1.7em;margin:.2em 0}
.tp-compare h2{font-size:1.15em;margin:1em 0 .3em 0}
.tp-compare .tp-subtitle{color:#4a5a66;margin:0 0 .8em 0}
.tp-compare .tp-finding{font-size:1.05em;line-height:1.45;margin:.3em 0}
.tp-compare table.touna-table td small{color:#4a5a66}
.tp-compare table.touna-table td{white-space:normal}
.tp-compare .tp-note{font-size:.85em;color:#4a5a66}
.tp-compare .tp-tie{margin:.3em 0;line-height:1.35;font-size:.95em}
.tp-compare img{width:86%;max-width:100%;height:auto;display:block;break-inside:avoid}
@media print{.tp-compare h1{font-size:1.5em}.tp-compare .tp-subtitle,.tp-compare .tp-finding{font-size:1em}}
"""


def _md(text: str) -> str:
    """Escape, then render the catalogue's only inline markup (``**bold**``)."""
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html.escape(text))


def _points(value: float, lang: str) -> str:
    points = abs(value) * 100
    digits = 2 if points < 10 else 1
    return cmp.signed(i18n.text("comparison_summary.points", lang, value=i18n.number(points, lang, digits)), value)


def summary_cells(diff: pd.DataFrame, year: int, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The summary table as text, one row per figure and one column per option (the baseline first):
    the values, and each option's change from the baseline (empty for the baseline and for rows
    without a change)."""
    t = lambda key, **v: i18n.text(f"comparison_summary.{key}", lang, **v)  # noqa: E731
    money = lambda v: "–" if np.isnan(v) else i18n.money(v, lang)  # noqa: E731
    whole = lambda v: i18n.number(round(v), lang)  # noqa: E731

    def pct(v: float) -> str:
        return "–" if np.isnan(v) else i18n.share(v, lang, 2 if abs(v) < 0.1 else 1)

    def span(r) -> str:
        lo, hi = r["cost_per_desa_min_idr"], r["cost_per_desa_max_idr"]
        if np.isnan(lo):
            return "–"
        return t("same_everywhere") if np.isclose(lo, hi) else f"{money(lo)} – {money(hi)}"

    def points(column: str):
        return lambda r: _points(r[column], lang)

    def change(column: str, fmt):
        return lambda r: "" if np.isnan(r[column]) else cmp.signed(fmt(abs(r[column])), r[column])

    rows = [
        (t("row_places"), lambda r: whole(r["quota_places"]), change("quota_places_change", whole)),
        (t("row_cost", year=year), lambda r: money(r["premium_cost_idr"]), change("premium_cost_idr_change", money)),
        (t("row_cost_per_desa"), lambda r: money(r["cost_per_desa_idr"]), change("cost_per_desa_idr_change", money)),
        (t("row_cost_per_desa_range"), span, None),
        (t("row_desa_budget_share"), lambda r: pct(r["desa_budget_share"]), points("desa_budget_share_change")),
        (t("row_covered"), lambda r: whole(r["covered_workers"]), change("covered_workers_change", whole)),
        (t("row_coverage"), lambda r: pct(r["coverage_share"]), points("coverage_share_change")),
        (t("row_ucj"), lambda r: pct(r["ucj_coverage_share"]), points("ucj_coverage_share_change")),
    ]  # fmt: skip
    labels = [label for label, _, _ in rows]
    values, changes = {}, {}
    for n, (_, r) in enumerate(diff.iterrows()):
        values[r["scenario"]] = [value(r) for _, value, _ in rows]
        changes[r["scenario"]] = [
            change_of(r) if n and change_of is not None and value(r) != "–" else "" for _, value, change_of in rows
        ]
    return pd.DataFrame(values, index=labels), pd.DataFrame(changes, index=labels)


def _table_html(
    values: pd.DataFrame, changes: pd.DataFrame, baseline: str, lang: str, names: Mapping[str, str] | None = None
) -> str:
    e = lambda v: html.escape(str(v), quote=True)  # noqa: E731
    today = i18n.text("comparison_summary.today", lang)

    def tagged(option: str) -> bool:  # today's option is tagged, unless its name already says so
        return option == baseline and today.lower() not in cmp.option_name(names, option).lower()

    head = "".join(
        f"<th>{e(cmp.option_name(names, c))}" + (f"<br><small>({e(today)})</small>" if tagged(c) else "") + "</th>"
        for c in values.columns
    )
    body = []
    for label in values.index:
        tds = "".join(
            f"<td>{e(v)}" + (f"<br><small>({e(c)})</small>" if c else "") + "</td>"
            for v, c in zip(values.loc[label], changes.loc[label], strict=True)
        )
        body.append(f"<tr><td>{e(label)}</td>{tds}</tr>")
    first = e(i18n.text("comparison_summary.option", lang))
    return (
        f'<table class="touna-table tp-compare-table"><thead><tr><th>{first}</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def findings(diff: pd.DataFrame, year: int, lang: str, names: Mapping[str, str] | None = None) -> list[str]:
    """One sentence per group of options with the same places, cost and coverage: what they add to today
    (``names``: the options' short names by id)."""
    base = diff.iloc[0]
    rest = diff.iloc[1:]
    key = rest[["quota_places", "premium_cost_idr"]].round(0).astype(str).agg("|".join, axis=1) + rest[
        "coverage_share"
    ].round(4).astype(str)
    sentences = []
    for _, group in rest.groupby(key, sort=False):
        options = group["scenario"].tolist()
        r = group.iloc[0]
        if np.isclose(r["quota_places_change"], 0) and np.isclose(r["premium_cost_idr_change"], 0):
            continue
        option = cmp.name_list(options, lang, names)
        more = r["premium_cost_idr_change"] >= 0
        sentences.append(
            i18n.text(
                "comparison_summary.finding_more" if more else "comparison_summary.finding_less",
                lang,
                option=option,
                places=i18n.number(abs(r["quota_places_change"]), lang),
                cost=i18n.money(abs(r["premium_cost_idr_change"]), lang),
                year=year,
                base_coverage=i18n.share(base["coverage_share"], lang),
                coverage=i18n.share(r["coverage_share"], lang),
            )
        )
    return sentences


def summary_page_html(tables: cmp.OptionTables, lang: str = i18n.DEFAULT_LANGUAGE, include_css: bool = True) -> str:
    """The summary page as a self-contained HTML fragment."""
    lang = i18n.check_language(lang)
    t = lambda key, **v: i18n.text(f"comparison_summary.{key}", lang, **v)  # noqa: E731
    e = html.escape
    year = cmp.reference_year(tables.district)
    baseline = cmp.baseline_of(tables.district)
    diff = cmp.option_differences(tables.district, tables.desa_costs, year, baseline)
    values, changes = summary_cells(diff, year, lang)
    parts = [f"<style>{SUMMARY_CSS}</style>"] if include_css else []
    parts.append(f'<section class="tp-compare" lang="{lang}">')
    parts.append(f"<h1>{e(t('heading'))}</h1>")
    names = tables.names
    base_name = cmp.option_name(names, baseline)
    parts.append(f'<p class="tp-subtitle">{e(t("subtitle", year=year, baseline=base_name))}</p>')
    parts.extend(f'<p class="tp-finding">{e(s)}</p>' for s in findings(diff, year, lang, names))
    parts.append(f"<h2>{e(t('table_heading', year=year))}</h2>")
    parts.append(_table_html(values, changes, baseline, lang, names))
    parts.append(f'<p class="tp-note">{e(t("table_note", baseline=base_name))}</p>')
    parts.append(f"<h2>{e(t('ties_heading'))}</h2>")
    ties = cmp.find_ties(tables.district, tables.kecamatan, year, baseline)
    parts.extend(f'<p class="tp-tie">{_md(text)}</p>' for text in cmp.ties_text(ties, lang, names))
    if not ties:
        parts.append(f"<p>{e(t('no_ties', year=year))}</p>")
    if tables.kecamatan is not None:
        fig = kecamatan_dots(cmp.named_kecamatan_coverage(tables, year, baseline), year, lang)
        parts.append(f'<img src="{figure_to_data_uri(fig)}" alt="{e(t("chart_alt", year=year))}">')
    else:
        parts.append(f"<p>{e(t('kecamatan_missing'))}</p>")
    parts.append("</section>")
    return "\n".join(parts)
