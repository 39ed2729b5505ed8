"""The village annex a Camat can photocopy: one table per kecamatan listing every desa and kelurahan
with its places, payer, yearly contribution cost, vulnerable workers and coverage in one year.

Columns that depend on the estimated number of workers per village are marked "(estimasi)" in their
header. Each kecamatan's table is kept on one A4 page (it never splits) and fits the printable width.
"""

from __future__ import annotations

import html

import pandas as pd

from touna_policy.report import i18n

COLUMNS = ("village", "type", "quota_places", "payer", "premium_cost_idr", "eligible_workers", "coverage_share")
"""The columns of every kecamatan table, in printed order."""

ESTIMATED_COLUMNS = ("eligible_workers", "coverage_share")
"""Columns that rest on the estimated workers per village (marked when the village figures are estimated)."""

CLASS = "touna-village-annex"

CSS = f"""
<style>
  .{CLASS} section {{ break-inside: avoid; page-break-inside: avoid; margin-bottom: 1.2em; }}
  .{CLASS} h3 {{ break-after: avoid; margin: 0.6em 0 0.3em 0; }}
  .{CLASS} table.touna-table {{ width: 100%; table-layout: fixed; }}
  .{CLASS} table.touna-table th:first-child, .{CLASS} table.touna-table td:first-child {{ width: 24%; }}
  .{CLASS} tr.total td {{ font-weight: bold; border-top: 1px solid #999; }}
</style>
"""


def village_tables(result, year: int) -> list[tuple[str, pd.DataFrame]]:
    """``(kecamatan name, villages of year)`` per kecamatan in code order, villages in code order, with
    the :data:`COLUMNS` plus ``covered_workers`` and ``estimated_workforce``."""
    v = result.villages
    v = v[v["year"] == int(year)].sort_values(["kecamatan_code", "code"])
    if v.empty:
        raise ValueError(
            f"no village rows for {year}; the projection covers {sorted(result.villages['year'].unique())}"
        )
    keep = [*COLUMNS, "covered_workers", "estimated_workforce"]
    return [(str(g["kecamatan"].iloc[0]), g[keep].reset_index(drop=True)) for _, g in v.groupby("kecamatan_code")]


def total_row(villages: pd.DataFrame) -> dict:
    """The kecamatan's total: places, cost and workers summed, coverage = covered / vulnerable workers."""
    eligible = float(villages["eligible_workers"].sum())
    return {
        "quota_places": float(villages["quota_places"].sum()),
        "premium_cost_idr": float(villages["premium_cost_idr"].sum()),
        "eligible_workers": eligible,
        "coverage_share": float(villages["covered_workers"].sum()) / eligible if eligible > 0 else float("nan"),
    }


def _cells(row, lang: str) -> list[str]:
    share = row["coverage_share"]
    return [
        i18n.number(row["quota_places"], lang),
        i18n.number(row["premium_cost_idr"], lang),
        i18n.number(round(row["eligible_workers"]), lang),
        i18n.share(share, lang, 1) if share == share else "–",
    ]


def headers(lang: str, estimated: bool) -> list[str]:
    """The column headers of a kecamatan table; estimated columns carry "(estimasi)" when ``estimated``."""
    mark = " " + i18n.text("annex.estimated", lang)
    return [
        i18n.text(f"annex.columns.{c}", lang) + (mark if estimated and c in ESTIMATED_COLUMNS else "") for c in COLUMNS
    ]


def kecamatan_table_html(name: str, villages: pd.DataFrame, lang: str) -> str:
    """One kecamatan's table with its heading and total row."""
    e = lambda v: html.escape(str(v), quote=True)  # noqa: E731
    head = "".join(f"<th>{e(h)}</th>" for h in headers(lang, bool(villages["estimated_workforce"].any())))
    types = {t: i18n.text(f"charts.columns.{t}", lang) for t in villages["type"].unique()}
    payers = {p: i18n.text(f"annex.payers.{p}", lang) for p in villages["payer"].unique()}
    rows = [
        "<tr>"
        + "".join(
            f"<td>{e(c)}</td>"
            for c in [
                r["village"],
                types[r["type"]],
                *_cells(r, lang)[:1],
                payers[r["payer"]],
                *_cells(r, lang)[1:],
            ]
        )
        + "</tr>"
        for _, r in villages.iterrows()
    ]
    total = _cells(total_row(villages), lang)
    rows.append(
        '<tr class="total">'
        + "".join(f"<td>{e(c)}</td>" for c in [i18n.text("annex.total", lang), "", total[0], "", *total[1:]])
        + "</tr>"
    )
    heading = i18n.text("annex.villages_heading", lang, kecamatan=name, villages=len(villages))
    return (
        f"<section><h3>{e(heading)}</h3>"
        f'<table class="touna-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></section>'
    )


def village_annex_html(result, year: int, lang: str) -> str:
    """The whole annex: its introduction, then one table per kecamatan."""
    tables = "\n".join(kecamatan_table_html(name, v, lang) for name, v in village_tables(result, year))
    intro = html.escape(i18n.text("annex.villages_intro", lang, year=int(year)))
    return f'{CSS}<div class="{CLASS}"><p>{intro}</p>\n{tables}</div>'


def show_village_annex(result, year: int, lang: str) -> None:
    """Display :func:`village_annex_html` in a notebook (a cell tagged ``report-annex``, ``annex-villages``)."""
    from IPython.display import HTML, display

    display(HTML(village_annex_html(result, year, lang)))
