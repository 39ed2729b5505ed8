"""The one-page front page: what a Bupati reads in one minute (a notebook cell or another layout).

The printed report opens with the two-page brief instead (:mod:`touna_policy.report.brief`), which
reuses :func:`front_page_figure` and :func:`figure_to_data_uri` from here.

Three key figures (vulnerable workers covered, annual premium cost, share of the village programme
budget), one chart (workers funded and covered by year) and one paragraph, all texts from the
``frontpage`` catalogue section in the report's language, all numbers formatted with
:mod:`touna_policy.report.i18n`. The figures are those of the *headline year*: the first year from which the
programme runs at its full size and full premium rates (2026 for ``satu-miliar-150``, whose APBDes- and
APBD-paid places get no relief: 21,900 funded places, Rp 4.42 billion, 3.02 % of Rp 1 billion per desa).

Use :func:`front_page_html` for an HTML fragment (a report template or a notebook cell:
``display(HTML(front_page_html(result, lang)))``); :func:`front_page_figure` for the chart alone.
"""

from __future__ import annotations

import base64
import html
import math
from dataclasses import dataclass

import numpy as np

from touna_policy.model.projection import ProjectionResult
from touna_policy.report import charts as plots
from touna_policy.report import i18n

FRONT_PAGE_CSS = """
.tp-front-page{font-family:"DejaVu Sans",Arial,sans-serif;max-width:1100px;margin:0 auto 2em auto;color:#1d2b36;
  page-break-after:always;border-bottom:3px solid #0072B2;padding-bottom:1em}
.tp-front-page h1{font-size:1.9em;margin:.2em 0}
.tp-front-page .tp-subtitle{font-size:1.1em;color:#4a5a66;margin:0 0 1em 0}
.tp-key-figures{display:flex;gap:1em;margin:0 0 1em 0}
.tp-key-figure{flex:1;border-left:6px solid #1f6f8b;background:#f2f6f8;padding:.6em .9em}
.tp-key-figure .tp-value{font-size:2em;font-weight:700;line-height:1.15}
.tp-key-figure .tp-label{font-size:1em}
.tp-key-figure .tp-detail{font-size:.85em;color:#4a5a66}
.tp-front-page img{max-width:100%;height:auto}
.tp-front-page .tp-paragraph{font-size:1.05em;line-height:1.5}
.tp-front-page .tp-note{font-size:.85em;color:#7a4b00}
"""


@dataclass(frozen=True)
class FrontPageFigures:
    """The numbers the front page shows, unformatted (for tests and other layouts)."""

    year: int
    covered_workers: float
    eligible_workers: float
    coverage_share: float
    funded_workers: float
    premium_cost_idr: float
    premium_per_worker_year_idr: float
    budget_share: float
    programme_budget_idr: float
    villages: int
    budget_villages: int
    relief_year: int | None
    relief_cost_idr: float | None


def headline_year(result: ProjectionResult) -> int:
    """The first year of the horizon's final stretch with unchanged places and per-worker premium.

    That is the first year the programme runs at its full size and full rates (not a relief year),
    so the front page does not show a discounted cost as the programme's cost.
    """
    d = result.district
    places = d["quota_places"].to_numpy()
    rate = d["premium_per_worker_year_idr"].to_numpy()
    same = np.isclose(places, places[-1]) & np.isclose(rate, rate[-1])
    # index of the first year after the last year that differs from the final stretch
    differs = np.flatnonzero(~same)
    first = differs[-1] + 1 if differs.size else 0
    return int(d["year"].iloc[first])


def front_page_figures(result: ProjectionResult, year: int | None = None) -> FrontPageFigures:
    """Key figures of ``year`` (default :func:`headline_year`) plus the relief year, if any."""
    year = headline_year(result) if year is None else int(year)
    key = result.key_figures(year)
    d = result.district.set_index("year")
    row = d.loc[year]
    rate = d["premium_per_worker_year_idr"]
    funded_years = d.index[(d["funded_workers"] > 0) & (d.index < year)]
    cheaper = [y for y in funded_years if rate.loc[y] < rate.loc[year] - 0.5]
    relief_year = int(cheaper[-1]) if cheaper else None
    return FrontPageFigures(
        year=year,
        covered_workers=key["covered_workers"],
        eligible_workers=float(row["eligible_workers"]),
        coverage_share=key["coverage_share"],
        funded_workers=float(row["billed_places"]),  # the places the scenario pays for (arrears aside)
        premium_cost_idr=key["premium_cost_idr"],
        premium_per_worker_year_idr=float(row["premium_per_worker_year_idr"]),
        budget_share=key["budget_share"],
        programme_budget_idr=float(row["programme_budget_idr"]),
        villages=int(row["villages"]),
        # the budget share is over the APBDes programme budgets: the villages it is for, not every village
        budget_villages=villages_paid_from_apbdes(result, year),
        relief_year=relief_year,
        relief_cost_idr=float(d.loc[relief_year, "premium_cost_idr"]) if relief_year is not None else None,
    )


def villages_paid_from_apbdes(result: ProjectionResult, year: int) -> int:
    """Villages whose places are paid from their own APBDes in ``year`` (the budgets the share is over)."""
    v = result.villages
    v = v[v["year"] == year]
    if "payer" not in v.columns:
        return int((v["type"] == "desa").sum())
    return int((v["payer"] == "apbdes").sum())


def front_page_figure(result: ProjectionResult, lang: str = i18n.DEFAULT_LANGUAGE, year: int | None = None):
    """The front page's one chart: funded places (bars) and covered (line) vulnerable workers by year.

    Returns a matplotlib Figure (not shown; the caller saves or displays it).
    """
    year = headline_year(result) if year is None else int(year)
    d = result.district
    t = lambda key, **v: i18n.text(f"frontpage.{key}", lang, **v)  # noqa: E731
    years = d["year"].to_numpy()
    fig, ax = plots.figure(width=10.0, height=3.6)
    colours = np.where(years == year, plots.PALETTE[0], plots.PALETTE[4])
    # the places the scenario pays for (as the brief's headline), not the paid-up workers among them
    ax.bar(years, d["billed_places"], color=colours, label=t("chart_funded"))
    plots.line_chart(
        ax,
        years,
        {t("chart_covered"): d["covered_workers"], t("chart_eligible"): d["eligible_workers"]},
        title=t("chart_title"),
        ylabel=t("chart_ylabel"),
        colours=[plots.PALETTE[1], plots.GREY],
        styles={t("chart_eligible"): "--"},
    )
    ax.set_ylim(0, None)
    ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, frameon=False)
    plots.axis_format(ax, "workers", lang)
    return fig


def figure_to_data_uri(fig) -> str:
    """PNG data URI of a matplotlib figure (for self-contained HTML)."""
    return "data:image/png;base64," + base64.b64encode(plots.to_png(fig)).decode("ascii")


def front_page_html(
    result: ProjectionResult, lang: str = i18n.DEFAULT_LANGUAGE, year: int | None = None, include_css: bool = True
) -> str:
    """The front page as a self-contained HTML fragment (chart embedded as a PNG data URI)."""
    lang = i18n.check_language(lang)
    f = front_page_figures(result, year)
    t = lambda key, **v: i18n.text(f"frontpage.{key}", lang, **v)  # noqa: E731
    esc = html.escape
    has_budget = f.programme_budget_idr > 0 and not math.isnan(f.budget_share)
    values = {
        "year": f.year,
        "funded": i18n.workers(f.funded_workers, lang),
        "covered": i18n.workers(f.covered_workers, lang),
        "eligible": i18n.number(round(f.eligible_workers), lang),
        "coverage": i18n.share(f.coverage_share, lang),
        "cost": i18n.money(f.premium_cost_idr, lang),
        "premium": i18n.money(f.premium_per_worker_year_idr, lang),
        "villages": i18n.number(f.villages, lang),
        "budget_villages": i18n.number(f.budget_villages, lang),
        "budget": i18n.money(f.programme_budget_idr, lang),
        "budget_share": i18n.share(f.budget_share, lang, decimals=2) if has_budget else "",
    }
    boxes = [
        (
            i18n.workers(f.covered_workers, lang),
            t("covered_label", year=f.year),
            t("covered_detail", coverage=values["coverage"], eligible=values["eligible"]),
        ),
        (
            values["cost"],
            t("cost_label", year=f.year),
            t("cost_detail", funded=values["funded"], premium=values["premium"]),
        ),
        (
            (
                values["budget_share"],
                t("budget_label"),
                t("budget_detail", budget=values["budget"], villages=values["budget_villages"]),
            )
            if has_budget
            else ("–", t("budget_label"), t("budget_missing"))
        ),
    ]
    paragraph = t("paragraph_budget" if has_budget else "paragraph_no_budget", **values)
    notes = []
    if f.relief_year is not None and f.relief_cost_idr is not None:
        notes.append(t("relief_note", relief_year=f.relief_year, relief_cost=i18n.money(f.relief_cost_idr, lang)))
    if result.inputs.estimated_inputs:
        notes.append(t("estimated_note"))
    if result.inputs.synthetic_inputs:
        notes.append(t("synthetic_note"))
    fig = front_page_figure(result, lang, f.year)
    years = result.district["year"]
    alt = t("chart_alt", first_year=int(years.iloc[0]), last_year=int(years.iloc[-1]))
    parts = [f"<style>{FRONT_PAGE_CSS}</style>"] if include_css else []
    parts.append(f'<section class="tp-front-page" lang="{lang}">')
    parts.append(f"<h1>{esc(t('heading'))}</h1>")
    parts.append(
        f'<p class="tp-subtitle">{esc(t("subtitle", scenario_title=result.scenario.title_in(lang), year=f.year))}</p>'
    )
    parts.append('<div class="tp-key-figures">')
    for value, label, detail in boxes:
        parts.append(
            f'<div class="tp-key-figure"><div class="tp-value">{esc(str(value))}</div>'
            f'<div class="tp-label">{esc(label)}</div><div class="tp-detail">{esc(detail)}</div></div>'
        )
    parts.append("</div>")
    parts.append(f'<img class="tp-front-chart" src="{figure_to_data_uri(fig)}" alt="{esc(alt)}">')
    parts.append(f'<p class="tp-paragraph">{esc(paragraph)}</p>')
    parts.extend(f'<p class="tp-note">{esc(n)}</p>' for n in notes)
    parts.append("</section>")
    return "\n".join(parts)
