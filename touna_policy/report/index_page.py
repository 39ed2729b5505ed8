"""``reports/index.html``: every run under a reports folder with its headline figures, for a 1280 px screen.

A scenario run's row shows its places, the contribution cost and coverage in its reference year (the
first year at full size and full rate, as the comparison reads it), the mean desa's contributions as a
share of Rp 1 billion, the status and the date in WITA; a comparison's row names the options compared.
The figures come from the run folder's saved tables (:func:`headline_figures` of its ``summary.csv`` and
``villages.csv``, read by :func:`touna_policy.pipeline.index.write_index`); the model is not run again.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from touna_policy.report import i18n
from touna_policy.report.comparison import DESA_BUDGET_IDR, reference_year
from touna_policy.report.html import CSS, local_time

INDEX_MAX_WIDTH_PX = 1240
"""Widest the page's content grows: a 1280 px screen shows it without scrolling sideways."""

INDEX_CSS = f"""
<style>
  body.tp-index {{ max-width: {INDEX_MAX_WIDTH_PX}px; margin: 1.5em auto; padding: 0 0.8em; box-sizing: border-box; }}
  .tp-index table.touna-table {{ width: 100%; table-layout: auto; font-size: 0.88em; }}
  .tp-index table.touna-table td, .tp-index table.touna-table th {{ white-space: normal; vertical-align: top; }}
  .tp-index table.touna-table td.tp-num {{ white-space: nowrap; }}
  .tp-index table.touna-table .tp-text {{ text-align: left; }}
  .tp-index td.tp-scenario {{ max-width: 22em; overflow-wrap: anywhere; text-align: left; }}
  .tp-index td small, .tp-index th small {{ color: #555; }}
  .tp-index tr.failed td {{ color: #D55E00; }}
  .tp-index code {{ overflow-wrap: anywhere; }}
</style>
"""


@dataclass(frozen=True)
class HeadlineFigures:
    """A scenario run's figures in its reference year (``nan`` where the run's tables lack them)."""

    year: int
    quota_places: float
    premium_cost_idr: float
    coverage_share: float
    desa_budget_share: float


def headline_figures(district: pd.DataFrame, villages: pd.DataFrame | None = None) -> HeadlineFigures:
    """The headline figures of one run from its ``summary.csv`` rows (``district``) and, when given, its
    village rows (``type``, ``year``, ``premium_apbdes_idr``): the mean desa's APBDes contributions over
    Rp 1 billion; without them the scenario's own ``budget_share``."""
    year = reference_year(district)
    row = district.loc[district["year"] == year].iloc[0]
    if villages is not None and len(villages):
        desa = villages.loc[(villages["type"] == "desa") & (villages["year"] == year), "premium_apbdes_idr"]
        share = float(desa.mean()) / DESA_BUDGET_IDR if len(desa) else float("nan")
    else:
        share = float(row.get("budget_share", np.nan))
    return HeadlineFigures(
        year,
        float(row["quota_places"]),
        float(row["premium_cost_idr"]),
        float(row["coverage_share"]),
        share,
    )


def _cells(f: HeadlineFigures | None, lang: str) -> list[str]:
    if f is None:
        return ["–"] * 5
    share = lambda v, d: "–" if np.isnan(v) else i18n.share(v, lang, d)  # noqa: E731
    return [
        str(f.year),
        i18n.number(f.quota_places, lang),
        i18n.money(f.premium_cost_idr, lang),
        share(f.coverage_share, 1),
        share(f.desa_budget_share, 2),
    ]


def index_html(
    runs: Iterable[dict],
    out: str | Path,
    lang: str,
    figures: Mapping[Path, HeadlineFigures] | None = None,
    compared: Mapping[Path, list[str]] | None = None,
) -> str:
    """The page listing every run under ``out`` (``runs`` as :func:`touna_policy.pipeline.manifest.all_runs`
    gives them; ``figures``: each complete scenario run's :func:`headline_figures` by run folder;
    ``compared``: each comparison's scenario names; :func:`touna_policy.pipeline.index.write_index` writes it)."""
    e = lambda v: html.escape(str(v), quote=True)  # noqa: E731
    t = lambda k: e(i18n.text(f"report.{k}", lang))  # noqa: E731
    x = lambda k: e(i18n.text(f"index_page.{k}", lang))  # noqa: E731
    out = Path(out)
    runs = list(runs)
    figures = figures or {}
    compared = compared or {}

    def link(run, name, label=None):
        p = run["path"] / name
        return f'<a href="{e(p.relative_to(out).as_posix())}">{e(label or name)}</a>' if p.exists() else ""

    def status_cell(r) -> str:
        return t("index_complete") if r["status"] == "complete" else t("index_failed")

    def when(r) -> str:
        created = local_time(r["created"], lang) if r.get("created") else ""
        return f"{e(created)}<br><small><code>{e(r['run_id'])}</code></small>"

    def files(r) -> str:
        report = link(r, "report.html") or link(r, "error.txt")
        rest = [link(r, n) for n in ("report.pdf", "villages.xlsx", "summary.csv", "manifest.json")]
        return report + "<br><small>" + " · ".join(f for f in rest if f) + "</small>"

    def table(heads: list[tuple[str, str]], rows: list[list[tuple[str, str]]], statuses: list[str]) -> str:
        """``heads``: (class, text); ``rows``: per run its cells as (class, HTML)."""
        head = "".join(f'<th class="{c}">{h}</th>' for c, h in heads)
        body = [
            f'<tr class="{e(status)}">' + "".join(f'<td class="{c}">{v}</td>' for c, v in cells) + "</tr>"
            for cells, status in zip(rows, statuses, strict=True)
        ]
        return (
            f'<table class="touna-table"><thead><tr>{head}</tr></thead><tbody>' + "\n".join(body) + "</tbody></table>"
        )

    def scenario_cell(r) -> str:
        """The short name (bold), the folder's scenario id (code) and, when it says more, the title."""
        short = r.get("short_title") or r["title"]
        title = f"<br><small>{e(r['title'])}</small>" if r["title"] and r["title"] != short else ""
        return f"<strong>{e(short)}</strong> <small><code>{e(r['scenario'])}</code></small>{title}"

    def scenario_table(rows) -> str:
        if not rows:
            return f"<p>{t('index_none')}</p>"
        heads = [("tp-text", t("index_scenario"))]
        heads += [("tp-num", x(k)) for k in ("year", "places", "cost", "coverage", "desa_share")]
        heads += [("tp-text", t("index_status")), ("tp-text", x("created")), ("tp-text", t("index_report"))]
        cells = [
            [("tp-scenario", scenario_cell(r))]
            + [("tp-num", e(c)) for c in _cells(figures.get(r["path"]), lang)]
            + [("tp-text", status_cell(r)), ("tp-text", when(r)), ("tp-text", files(r))]
            for r in rows
        ]
        return table(heads, cells, [r["status"] for r in rows])

    def comparison_table(rows) -> str:
        if not rows:
            return f"<p>{t('index_none')}</p>"
        heads = [("tp-text", x("compared")), ("tp-text", t("index_status")), ("tp-text", x("created"))]
        heads.append(("tp-text", t("index_report")))
        cells = [
            [
                ("tp-scenario", e(", ".join(compared.get(r["path"], [])))),
                ("tp-text", status_cell(r)),
                ("tp-text", when(r)),
                ("tp-text", files(r)),
            ]
            for r in rows
        ]
        return table(heads, cells, [r["status"] for r in rows])

    comparisons = [r for r in runs if r["kind"] == "comparison"]
    scenarios = [r for r in runs if r["kind"] != "comparison"]
    return (
        '<!DOCTYPE html>\n<html lang="' + e(lang) + '"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{t('index_title')}</title>{CSS}{INDEX_CSS}</head>"
        f'<body class="tp-index"><h1>{t("index_title")}</h1><p>{t("index_intro")}</p><p><small>{x("note")}</small></p>'
        f"<h2>{t('index_comparisons')}</h2>{comparison_table(comparisons)}"
        f"<h2>{t('index_runs')}</h2>{scenario_table(scenarios)}"
        "</body></html>\n"
    )
