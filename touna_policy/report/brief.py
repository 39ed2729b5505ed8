"""The brief: the two printed A4 pages the Bupati takes to the meeting.

Page 1 states the programme's promise in its reference year (one year, stated once: the first year
the scenario's places are in force after the last reported year, 2026 for ``satu-miliar-150``):
funded places and their change on today, the annual iuran by payer, the iuran per desa as a share of
its programme budget, the estimated figures with their p05-p95 range, the PP 50/2025 relief caveat
with both readings, the recommended APBDes and APBD lines for the next budget year and the small
chart. Page 2 compares the shipped options with today (``baseline-100``), gives the workers ever
protected, and holds the one box saying which inputs are official, estimated or synthetic.

:func:`brief_figures` computes every number (unformatted, for tests); :func:`brief_html` renders
them in the report's language (texts from the ``brief`` catalogue section, numbers through
:mod:`touna_policy.report.i18n`). The ranges come from the run's own Monte Carlo (``fan.csv`` of
notebook 06, :func:`read_fan`), so the brief and the body agree; the other options' ranges come
from the same Monte Carlo (same draws and seed) run on each option by :func:`load_options`.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from touna_policy import config
from touna_policy.analysis import uncertainty
from touna_policy.model.projection import ProjectionResult, project
from touna_policy.parameters.payers import PAYERS
from touna_policy.report import i18n
from touna_policy.report.frontpage import figure_to_data_uri, front_page_figure
from touna_policy.report.tables import reported_milestones, target_year
from touna_policy.scenario import Scenario, load_scenario

TODAY_SCENARIO = "baseline-100"
"""The shipped scenario that is "today": the 2024/2025 rule continued unchanged."""

RANGE_MEASURES = ("covered_workers", "coverage_share", "ucj_coverage_share")
"""The estimated figures the brief gives with a p05-p95 range (measures of ``fan.csv``)."""

FAN_FILE = "fan.csv"

NBSP = "\u00a0"
"""Keeps a key figure's currency with its number ("Rp 30,24" never breaks; "juta" may)."""

COLUMN_WIDTHS_PERCENT = (28, 10, 15, 16, 15, 16)
"""Widths of the options table's columns (option, places, cost, per desa, covered, coverage): A4 width."""

BRIEF_CSS = """
section.tp-brief{font-family:"DejaVu Sans",Arial,sans-serif;color:#1d2b36;max-width:170mm;margin:0 auto;font-size:10pt;
  line-height:1.35}
section.tp-brief .tp-brief-page{break-after:page;page-break-after:always;padding-bottom:.5em}
section.tp-brief h1{font-size:17pt;font-weight:700;margin:0 0 .1em 0;line-height:1.2}
section.tp-brief h2{font-size:11.5pt;font-weight:700;margin:.7em 0 .3em 0;color:#0b4f6c}
section.tp-brief p{margin:.3em 0}
section.tp-brief .tp-brief-sub{font-size:11pt;color:#4a5a66;margin:0 0 .3em 0}
section.tp-brief .tp-brief-year{font-size:9.5pt;border-top:3px solid #0072B2;padding-top:.3em;margin-bottom:.6em}
section.tp-brief .tp-brief-keys{display:flex;gap:3mm;margin:0 0 2.5mm 0}
section.tp-brief .tp-brief-key{flex:1 1 0;border-left:5px solid #1f6f8b;background:#f2f6f8;padding:1.5mm 2.5mm;
  min-width:0}
section.tp-brief .tp-brief-est .tp-brief-key{border-left-color:#E69F00;background:#fdf6ea}
section.tp-brief .tp-brief-key.tp-brief-wide{flex:1.45 1 0}
section.tp-brief .tp-brief-key .tp-brief-value{font-size:14.5pt;font-weight:700;line-height:1.15}
section.tp-brief .tp-brief-key .tp-brief-label{font-size:9.5pt;font-weight:600}
section.tp-brief .tp-brief-key .tp-brief-detail{font-size:8.5pt;color:#3d4b55;margin-top:.2em}
section.tp-brief .tp-brief-key table{border-collapse:collapse;font-size:8.5pt;margin-top:.2em;width:100%}
section.tp-brief table tr,section.tp-brief table tbody tr:nth-child(odd),section.tp-brief table tbody tr:hover{
  background:none}
section.tp-brief .tp-brief-key td{padding:0 .3em 0 0;border:none;text-align:left;background:none}
section.tp-brief .tp-brief-key td.tp-num{text-align:right;white-space:nowrap;padding-right:0;vertical-align:bottom}
section.tp-brief .tp-brief-note{font-size:8.5pt;color:#3d4b55}
section.tp-brief .tp-brief-caveat{border-left:5px solid #D55E00;background:#fff1e8;padding:1.5mm 2.5mm;
  margin:0 0 2.5mm 0;font-size:8.8pt}
section.tp-brief .tp-brief-recommend{border:1.5px solid #0072B2;padding:1.5mm 2.5mm;margin:0 0 2.5mm 0}
section.tp-brief .tp-brief-recommend h2{margin-top:0}
section.tp-brief .tp-brief-recommend p{font-size:9.2pt}
section.tp-brief img{width:100%;height:auto;display:block}
section.tp-brief table.tp-brief-options{border-collapse:collapse;width:100%;font-size:8.5pt;margin:.3em 0 .5em 0;
  table-layout:fixed}
section.tp-brief table.tp-brief-options th{border-bottom:1px solid #777;padding:.3em .4em;text-align:right;
  vertical-align:bottom;font-weight:600;background:none}
section.tp-brief table.tp-brief-options td{border-bottom:1px solid #ddd;padding:.3em .4em;text-align:right;
  vertical-align:top;background:none}
section.tp-brief table.tp-brief-options th:first-child,
section.tp-brief table.tp-brief-options td:first-child{text-align:left}
section.tp-brief table.tp-brief-options tbody tr.tp-brief-this td{background:#eef5fa;font-weight:600}
section.tp-brief table.tp-brief-options .tp-brief-main{white-space:nowrap}
section.tp-brief table.tp-brief-options .tp-brief-diff{display:block;font-weight:400;color:#4a5a66;font-size:7.5pt}
section.tp-brief table.tp-brief-options .tp-brief-tag{display:block;font-weight:400;color:#0b4f6c;font-size:8pt}
section.tp-brief .tp-brief-data{border:1px solid #999;background:#fafafa;padding:2mm 3mm;margin-top:4mm}
section.tp-brief .tp-brief-data h2{margin-top:0}
section.tp-brief .tp-brief-data p{font-size:9pt}
section.tp-brief .tp-brief-page p.tp-brief-text{font-size:9.5pt}
"""


@dataclass(frozen=True)
class Estimate:
    """An estimated figure: the central (deterministic) value and its p05-p95 range (None: no range)."""

    central: float
    p05: float | None = None
    p95: float | None = None

    @property
    def has_range(self) -> bool:
        return self.p05 is not None and self.p95 is not None


@dataclass(frozen=True)
class OptionRow:
    """One shipped option in the reference year."""

    scenario: Scenario
    places: float
    cost_idr: float
    cost_per_desa_idr: float | None  # mean over the APBDes-paid villages (None: no desa pays)
    cost_per_desa_lowest_idr: float | None
    cost_per_desa_highest_idr: float | None
    covered_workers: Estimate
    coverage_share: Estimate
    is_today: bool
    is_this_run: bool


@dataclass(frozen=True)
class LeftOut:
    """A shipped option left out of the table because its reference-year row equals a kept one."""

    scenario: Scenario
    same_as: Scenario
    differing_years: tuple[int, ...]


@dataclass(frozen=True)
class BriefFigures:
    """Every number of the brief, unformatted."""

    scenario: Scenario
    year: int
    promise_year: int  # the year the scenario's final places start (before ``year`` when it keeps today's rule)
    previous_year: int
    places: float
    previous_places: float
    cost_idr: float
    cost_by_payer_idr: dict[str, float]  # payers with a cost in the reference year, in PAYERS order
    villages_by_payer: dict[str, int]
    cost_per_desa_idr: float | None
    cost_per_desa_lowest_idr: float | None
    cost_per_desa_highest_idr: float | None
    desa_budget_idr: float | None  # the programme budget of one desa (mean over APBDes-paid villages)
    desa_budget_share: float | None  # APBDes-paid iuran / those villages' programme budgets
    eligible_workers: float
    covered_workers: Estimate
    coverage_share: Estimate
    ucj_coverage_share: Estimate
    relief_for_apbdes_paid: bool  # the scenario's own reading
    cost_full_rate_idr: float  # the reference year's cost if APBDes-paid places get no relief
    cost_with_relief_idr: float  # ... if they do
    budget_year: int
    iuran_per_worker_budget_year_idr: float
    apbdes_line_per_desa_lowest_idr: float | None  # places x that year's iuran, per APBDes-paid village
    apbdes_line_per_desa_highest_idr: float | None
    apbdes_places_per_desa_lowest: float | None
    apbdes_places_per_desa_highest: float | None
    apbdes_line_total_idr: float
    apbd_line_idr: float  # places x iuran of the APBD-paid villages (kelurahan), budget year
    apbd_places: float
    district_budget_line_idr: float
    ever_protected_workers: float
    first_programme_year: int | None
    options: tuple[OptionRow, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    estimated: bool = True
    synthetic: bool = True
    reported_places: tuple[tuple[int, float], ...] = ()
    registry_counts: tuple[int, int, int] = (0, 0, 0)  # desa, kelurahan, kecamatan

    @property
    def places_change(self) -> float:
        return self.places - self.previous_places

    @property
    def relief_changes_cost(self) -> bool:
        return not math.isclose(self.cost_full_rate_idr, self.cost_with_relief_idr, abs_tol=0.5)


# --- the numbers -------------------------------------------------------------------------------


def reference_year(result: ProjectionResult) -> int:
    """The brief's one year: the first year the scenario's final places are in force
    (:func:`~touna_policy.report.tables.target_year`), and not before the year after the last
    reported programme year (today: 2025), so that a scenario that keeps today's rule is read in the
    same year as the options it is compared with (2026 for every shipped scenario)."""
    year = target_year(result)
    reported = reported_milestones(result.scenario.area)
    if len(reported):
        year = max(year, int(reported["year"].max()) + 1)
    return int(min(year, int(result.years[-1])))


def read_fan(folder: str | Path) -> pd.DataFrame | None:
    """The Monte Carlo fan table (``fan.csv``) notebook 06 wrote into a run folder, or None."""
    path = Path(folder) / FAN_FILE
    if not path.is_file():
        return None
    frame = pd.read_csv(path)
    return frame if {"year", "measure", "p05", "p95"} <= set(frame.columns) else None


def option_fan(scenario: Scenario, inputs, seed: int | None = None) -> pd.DataFrame:
    """The fan of :data:`RANGE_MEASURES` for one option: the report's Monte Carlo (its draws, the
    run's seed) over the whole area."""
    setup = uncertainty.prepare(scenario, inputs, group_by=None)
    mc = uncertainty.run_monte_carlo(scenario, inputs, draws=uncertainty.report_draws(setup), seed=seed, setup=setup)
    return mc.fan(RANGE_MEASURES)


def load_options(
    result: ProjectionResult, fan: pd.DataFrame | None = None, seed: int | None = None, with_ranges: bool = True
) -> list[tuple[ProjectionResult, pd.DataFrame | None]]:
    """The shipped options (``data/scenarios/*.yaml`` of the run's area), each projected with the run's
    inputs, with its Monte Carlo fan (``with_ranges``). The run's own scenario is the run's result and
    ``fan``; a run of a scenario that is not shipped is added as well."""
    seed = result.scenario.seed if seed is None else seed
    out: list[tuple[ProjectionResult, pd.DataFrame | None]] = []
    own = False
    for path in sorted(config.SCENARIOS_DIR.glob("*.yaml")):
        scenario = load_scenario(path)
        if scenario.area != result.scenario.area:
            continue
        if scenario.name == result.scenario.name:
            out.append((result, fan))
            own = True
            continue
        option = project(scenario, result.inputs)
        out.append((option, option_fan(scenario, result.inputs, seed) if with_ranges else None))
    if not own:
        out.append((result, fan))
    return out


def estimate(result: ProjectionResult, fan: pd.DataFrame | None, measure: str, year: int) -> Estimate:
    """The projection's ``measure`` in ``year`` with the fan's p05-p95 range (none without a fan)."""
    central = float(result.district.set_index("year").loc[year, measure])
    if fan is None:
        return Estimate(central)
    rows = fan[(fan["year"] == year) & (fan["measure"] == measure)]
    if rows.empty or not np.isfinite(rows[["p05", "p95"]].to_numpy(dtype=float)).all():
        return Estimate(central)
    return Estimate(central, float(rows["p05"].iloc[0]), float(rows["p95"].iloc[0]))


def _village_year(result: ProjectionResult, year: int) -> pd.DataFrame:
    v = result.villages
    return v[v["year"] == year]


def per_desa_cost(result: ProjectionResult, year: int) -> tuple[float | None, float | None, float | None]:
    """Mean, lowest and highest iuran of one APBDes-paid village in ``year`` (None when no desa pays)."""
    v = _village_year(result, year)
    paid = v.loc[v["payer"] == "apbdes", "premium_apbdes_idr"].to_numpy(dtype=float)
    if paid.size == 0:
        return None, None, None
    return float(paid.mean()), float(paid.min()), float(paid.max())


def other_relief_reading(result: ProjectionResult) -> ProjectionResult:
    """The same scenario with the other reading of whether APBDes-paid places get the PP 50/2025 relief."""
    flipped = result.scenario.model_copy(update={"relief_for_apbdes_paid": not result.scenario.relief_for_apbdes_paid})
    return project(flipped, result.inputs)


def option_row(result: ProjectionResult, fan: pd.DataFrame | None, year: int, this_run: str) -> OptionRow:
    """One row of the options table."""
    d = result.district.set_index("year").loc[year]
    mean, low, high = per_desa_cost(result, year)
    return OptionRow(
        scenario=result.scenario,
        places=float(d["billed_places"]),
        cost_idr=float(d["premium_cost_idr"]),
        cost_per_desa_idr=mean,
        cost_per_desa_lowest_idr=low,
        cost_per_desa_highest_idr=high,
        covered_workers=estimate(result, fan, "covered_workers", year),
        coverage_share=estimate(result, fan, "coverage_share", year),
        is_today=result.scenario.name == TODAY_SCENARIO,
        is_this_run=result.scenario.name == this_run,
    )


def _row_key(result: ProjectionResult, year: int) -> tuple:
    d = result.district.set_index("year").loc[year]
    cols = ("billed_places", "covered_workers", *(f"premium_{p}_idr" for p in PAYERS))
    return tuple(round(float(d[c])) for c in cols)


def differing_years(a: ProjectionResult, b: ProjectionResult) -> tuple[int, ...]:
    """Years in which two projections differ in places, iuran or covered workers (the table's figures)."""
    cols = ["billed_places", "premium_cost_idr", "covered_workers"]
    x, y = a.district.set_index("year")[cols], b.district.set_index("year")[cols]
    common = x.index.intersection(y.index)
    differs = ~np.isclose(x.loc[common].to_numpy(dtype=float), y.loc[common].to_numpy(dtype=float), atol=0.5)
    return tuple(int(t) for t in common[differs.any(axis=1)])


def options_table(
    options: Sequence[tuple[ProjectionResult, pd.DataFrame | None]], year: int, this_run: str
) -> tuple[tuple[OptionRow, ...], tuple[LeftOut, ...]]:
    """Rows of the options table (today first, then this run, the other options, then the variants
    with arrears) and the options left out because their row in ``year`` equals a kept one
    (``arrears-2025`` equals ``satu-miliar-150`` in 2026: the two differ only in 2025)."""

    def rank(item) -> int:  # today, this run, the policy options, then what-if variants (arrears)
        scenario = item[0].scenario
        if scenario.name in (TODAY_SCENARIO, this_run):
            return 0 if scenario.name == TODAY_SCENARIO else 1
        return 3 if scenario.arrears else 2

    ordered = sorted(options, key=rank)  # stable: file order within each rank
    kept: list[tuple[ProjectionResult, pd.DataFrame | None]] = []
    left: list[LeftOut] = []
    for option, fan in ordered:
        same = next((k for k, _ in kept if _row_key(k, year) == _row_key(option, year)), None)
        if same is not None and rank((option, fan)) >= 2:
            left.append(LeftOut(option.scenario, same.scenario, differing_years(option, same)))
        else:
            kept.append((option, fan))
    return tuple(option_row(r, f, year, this_run) for r, f in kept), tuple(left)


def brief_figures(
    result: ProjectionResult,
    fan: pd.DataFrame | None = None,
    options: Sequence[tuple[ProjectionResult, pd.DataFrame | None]] = (),
) -> BriefFigures:
    """Every number of the brief for ``result`` (``fan``: its Monte Carlo fan; ``options``: as
    :func:`load_options` gives them, empty for no options table)."""
    year = reference_year(result)
    d = result.district.set_index("year")
    row = d.loc[year]
    previous_year = year - 1 if year - 1 in d.index else year
    v = _village_year(result, year)
    by_payer = {str(p): float(row[f"premium_{p}_idr"]) for p in PAYERS if float(row[f"premium_{p}_idr"]) > 0.5}
    villages_by_payer = {str(p): int((v["payer"] == p).sum()) for p in PAYERS}
    mean, low, high = per_desa_cost(result, year)
    desa = v[v["payer"] == "apbdes"]
    desa_budget = float(desa["programme_budget_idr"].mean()) if len(desa) else None
    share = float(row["budget_share"])
    other = other_relief_reading(result)
    other_cost = float(other.district.set_index("year").loc[year, "premium_cost_idr"])
    own_cost = float(row["premium_cost_idr"])
    relieved = bool(result.scenario.relief_for_apbdes_paid)
    budget_year = int(min(year + 1, int(result.years[-1])))
    b = _village_year(result, budget_year)
    lines = b["quota_places"].to_numpy(dtype=float) * b["premium_per_worker_year_idr"].to_numpy(dtype=float)
    on_apbdes = (b["payer"] == "apbdes").to_numpy()
    on_apbd = (b["payer"] == "apbd").to_numpy()
    desa_places = b["quota_places"].to_numpy(dtype=float)[on_apbdes]
    line_budget_year = float(d.loc[budget_year, "district_budget_line_idr"])
    funded = d.index[d["billed_places"] > 0]
    reported = reported_milestones(result.scenario.area)
    villages = result.inputs.villages
    table, left = options_table(options, year, result.scenario.name) if options else ((), ())
    return BriefFigures(
        scenario=result.scenario,
        year=year,
        promise_year=target_year(result),
        previous_year=previous_year,
        places=float(row["billed_places"]),
        previous_places=float(d.loc[previous_year, "billed_places"]),
        cost_idr=own_cost,
        cost_by_payer_idr=by_payer,
        villages_by_payer=villages_by_payer,
        cost_per_desa_idr=mean,
        cost_per_desa_lowest_idr=low,
        cost_per_desa_highest_idr=high,
        desa_budget_idr=desa_budget if desa_budget and desa_budget > 0 else None,
        desa_budget_share=share if np.isfinite(share) else None,
        eligible_workers=float(row["eligible_workers"]),
        covered_workers=estimate(result, fan, "covered_workers", year),
        coverage_share=estimate(result, fan, "coverage_share", year),
        ucj_coverage_share=estimate(result, fan, "ucj_coverage_share", year),
        relief_for_apbdes_paid=relieved,
        cost_full_rate_idr=other_cost if relieved else own_cost,
        cost_with_relief_idr=own_cost if relieved else other_cost,
        budget_year=budget_year,
        iuran_per_worker_budget_year_idr=float(d.loc[budget_year, "premium_per_worker_year_idr"]),
        apbdes_line_per_desa_lowest_idr=float(lines[on_apbdes].min()) if on_apbdes.any() else None,
        apbdes_line_per_desa_highest_idr=float(lines[on_apbdes].max()) if on_apbdes.any() else None,
        apbdes_places_per_desa_lowest=float(desa_places.min()) if desa_places.size else None,
        apbdes_places_per_desa_highest=float(desa_places.max()) if desa_places.size else None,
        apbdes_line_total_idr=float(lines[on_apbdes].sum()),
        apbd_line_idr=float(lines[on_apbd].sum()),
        apbd_places=float(b["quota_places"].to_numpy(dtype=float)[on_apbd].sum()),
        district_budget_line_idr=line_budget_year,
        ever_protected_workers=float(row["ever_protected_workers"]),
        first_programme_year=int(funded[0]) if len(funded) else None,
        options=table,
        left_out=left,
        estimated=bool(result.inputs.estimated_inputs),
        synthetic=bool(result.inputs.synthetic_inputs),
        reported_places=tuple(
            (int(y), float(w)) for y, w in zip(reported["year"], reported["funded_workers"], strict=True)
        ),
        registry_counts=(
            int((villages["type"] == "desa").sum()),
            int((villages["type"] == "kelurahan").sum()),
            int(villages["kecamatan_code"].nunique()),
        ),
    )


# --- formatting --------------------------------------------------------------------------------


def rupiah(value_idr: float, lang: str) -> str:
    """Whole rupiah, for a budget line: ``Rp 30.240.000`` / ``IDR 30,240,000``."""
    return f"{i18n.text('units.currency', lang)} {i18n.number(round(value_idr), lang)}"


def money(value_idr: float, lang: str) -> str:
    """:func:`i18n.money` without empty decimals: ``Rp 1 miliar``, ``Rp 4,42 miliar``, ``Rp 30,24 juta``."""
    text = i18n.money(value_idr, lang)
    zeros = i18n.number(0, lang, 2)[1:]  # ",00" / ".00"
    return text.replace(zeros + " ", " ") if zeros + " " in text else text


def signed(value: float, formatted: str) -> str:
    """``+7.300`` / ``−1.200`` / ``±0``: ``formatted`` is the absolute value already formatted."""
    if abs(value) < 0.5:
        return "±0"
    return ("+" if value > 0 else "−") + formatted


def share_text(value: float, lang: str) -> str:
    """A share with one decimal (two below 10 %, as ``3,02%``)."""
    return i18n.share(value, lang, decimals=2 if abs(value) < 0.1 else 1)


def range_text(e: Estimate, kind: str, lang: str) -> str:
    """``rentang 21.762–22.954`` or the catalogue's "no range" text."""
    if not e.has_range:
        return i18n.text("brief.no_range", lang)
    fmt = (lambda x: i18n.number(round(x), lang)) if kind == "workers" else (lambda x: i18n.share(x, lang))
    return i18n.text("brief.range", lang, low=fmt(e.p05), high=fmt(e.p95))


def _years_text(items: Sequence[int | str], lang: str) -> str:
    """``2024, 2025 dan 2026``: items joined in the language."""
    words = [str(y) for y in items]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + i18n.text("brief.and", lang) + words[-1]


# --- the page ----------------------------------------------------------------------------------


def brief_html(
    result: ProjectionResult,
    lang: str = i18n.DEFAULT_LANGUAGE,
    fan: pd.DataFrame | None = None,
    options: Sequence[tuple[ProjectionResult, pd.DataFrame | None]] | None = None,
    include_css: bool = True,
) -> str:
    """The brief as a self-contained HTML fragment (two A4 pages; the chart embedded as a PNG).

    ``options``: :func:`load_options` (default: loaded here, with the run's seed and ranges).
    """
    lang = i18n.check_language(lang)
    if options is None:
        options = load_options(result, fan)
    f = brief_figures(result, fan, options)
    t = lambda key, **values: i18n.text(f"brief.{key}", lang, **values)  # noqa: E731
    e = html.escape
    idr, workers, number = (
        (lambda x: money(x, lang)),
        (lambda x: i18n.workers(x, lang)),
        (lambda x: i18n.number(round(x), lang)),
    )
    title = result.scenario.title_in(lang)

    parts = [f"<style>{BRIEF_CSS}</style>"] if include_css else []
    parts.append(f'<section class="tp-brief" lang="{lang}">')
    # ---- page 1
    parts.append('<div class="tp-brief-page">')
    parts.append(f"<h1>{e(t('heading'))}</h1>")
    parts.append(f'<p class="tp-brief-sub">{e(title)}</p>')
    reference = (
        t("reference_year", year=f.year)
        if f.promise_year >= f.year
        else t("reference_year_today", year=f.year, promise_year=f.promise_year, previous_year=f.previous_year)
    )
    parts.append(f'<p class="tp-brief-year">{_bold(reference)}</p>')

    change = (
        t(
            "places_change",
            change=signed(f.places_change, number(abs(f.places_change))),
            previous=number(f.previous_places),
            previous_year=f.previous_year,
        )
        if f.previous_year != f.year and abs(f.places_change) >= 0.5
        else t("places_same", previous_year=f.previous_year)
        if f.previous_year != f.year
        else ""
    )
    payer_rows = "".join(
        f"<tr><td>{e(t('payer_' + p, count=number(f.villages_by_payer[p])))}</td>"
        f'<td class="tp-num">{e(idr(c))}</td></tr>'
        for p, c in f.cost_by_payer_idr.items()
    )
    if f.cost_per_desa_idr is not None:
        per_desa_value = idr(f.cost_per_desa_idr)
        uniform = math.isclose(f.cost_per_desa_lowest_idr or 0, f.cost_per_desa_highest_idr or 0, abs_tol=0.5)
        per_desa_detail = (
            ""
            if uniform
            else t("per_desa_spread", lowest=idr(f.cost_per_desa_lowest_idr), highest=idr(f.cost_per_desa_highest_idr))
        )
        if f.desa_budget_share is None or f.desa_budget_idr is None:
            per_desa_detail = " ".join(x for x in (per_desa_detail, t("per_desa_no_budget")) if x)
        else:
            per_desa_detail = " ".join(
                x
                for x in (
                    per_desa_detail,
                    t("per_desa_share", share=share_text(f.desa_budget_share, lang), budget=idr(f.desa_budget_idr)),
                )
                if x
            )
        per_desa_label = t("per_desa_label" if uniform else "per_desa_label_mean")
    else:
        per_desa_value, per_desa_label, per_desa_detail = "–", t("per_desa_label"), t("per_desa_none")
    parts.append('<div class="tp-brief-keys">')
    parts.append(_key(number(f.places), t("places_label"), e(change)))
    parts.append(_key(idr(f.cost_idr), t("cost_label"), f"<table>{payer_rows}</table>", wide=True))
    parts.append(_key(per_desa_value, per_desa_label, e(per_desa_detail)))
    parts.append("</div>")

    parts.append(f'<p class="tp-brief-note">{e(t("estimates_intro", share=i18n.share(0.9, lang, 0)))}</p>')
    parts.append('<div class="tp-brief-keys tp-brief-est">')
    parts.append(
        _key(
            number(f.covered_workers.central),
            t("covered_label"),
            e(
                range_text(f.covered_workers, "workers", lang)
                + ". "
                + t("covered_detail", eligible=number(f.eligible_workers))
            ),
        )
    )
    parts.append(
        _key(
            i18n.share(f.coverage_share.central, lang),
            t("coverage_label"),
            e(range_text(f.coverage_share, "share", lang) + ". " + t("coverage_detail")),
        )
    )
    parts.append(
        _key(
            i18n.share(f.ucj_coverage_share.central, lang),
            t("ucj_label"),
            e(range_text(f.ucj_coverage_share, "share", lang) + ". " + t("ucj_detail")),
        )
    )
    parts.append("</div>")

    if f.relief_changes_cost:
        used = t("relief_used_relief" if f.relief_for_apbdes_paid else "relief_used_full")
        parts.append(
            '<div class="tp-brief-caveat">'
            + _bold(
                t(
                    "relief_text",
                    year=f.year,
                    full=rupiah(f.cost_full_rate_idr, lang),
                    relief=rupiah(f.cost_with_relief_idr, lang),
                    saving=idr(f.cost_full_rate_idr - f.cost_with_relief_idr),
                    used=used,
                )
            )
            + "</div>"
        )

    parts.append('<div class="tp-brief-recommend">')
    parts.append(f"<h2>{e(t('recommend_heading', budget_year=f.budget_year))}</h2>")
    per_worker = rupiah(f.iuran_per_worker_budget_year_idr, lang)
    if f.apbdes_line_per_desa_lowest_idr is not None:
        if math.isclose(f.apbdes_line_per_desa_lowest_idr, f.apbdes_line_per_desa_highest_idr or 0, abs_tol=0.5):
            text = t(
                "recommend_apbdes",
                amount=rupiah(f.apbdes_line_per_desa_lowest_idr, lang),
                budget_year=f.budget_year,
                places=workers(f.apbdes_places_per_desa_lowest or 0),
                per_worker=per_worker,
                total=idr(f.apbdes_line_total_idr),
                count=number(f.villages_by_payer["apbdes"]),
            )
        else:
            text = t(
                "recommend_apbdes_range",
                lowest=rupiah(f.apbdes_line_per_desa_lowest_idr, lang),
                highest=rupiah(f.apbdes_line_per_desa_highest_idr or 0, lang),
                budget_year=f.budget_year,
                per_worker=per_worker,
                total=idr(f.apbdes_line_total_idr),
                count=number(f.villages_by_payer["apbdes"]),
            )
        parts.append(f"<p>{_bold(text)}</p>")
    if f.apbd_line_idr > 0.5:
        key = "recommend_apbd" if f.district_budget_line_idr > 0 else "recommend_apbd_no_line"
        parts.append(
            "<p>"
            + _bold(
                t(
                    key,
                    amount=rupiah(f.apbd_line_idr, lang),
                    budget_year=f.budget_year,
                    places=workers(f.apbd_places),
                    count=number(f.villages_by_payer["apbd"]),
                    share=share_text(f.apbd_line_idr / f.district_budget_line_idr, lang)
                    if f.district_budget_line_idr > 0
                    else "",
                    line=idr(f.district_budget_line_idr),
                )
            )
            + "</p>"
        )
    parts.append("</div>")

    fig = front_page_figure(result, lang, f.year)
    fig.set_size_inches(10.0, 2.9)
    years = result.district["year"]
    alt = i18n.text("frontpage.chart_alt", lang, first_year=int(years.iloc[0]), last_year=int(years.iloc[-1]))
    parts.append(f'<img class="tp-brief-chart" src="{figure_to_data_uri(fig)}" alt="{e(alt)}">')
    parts.append("</div>")

    # ---- page 2
    parts.append('<div class="tp-brief-page">')
    if len(f.options) > 1:
        parts.append(_options_html(f, lang))
    if f.first_programme_year is not None and abs(f.ever_protected_workers - f.places) >= 0.5:
        parts.append(f"<h2>{e(t('ever_heading'))}</h2>")
        parts.append(
            '<p class="tp-brief-text">'
            + e(
                t(
                    "ever_text",
                    first_year=f.first_programme_year,
                    year=f.year,
                    ever=workers(f.ever_protected_workers),
                    places=number(f.places),
                )
            )
            + "</p>"
        )
    parts.append(_data_box(f, lang))
    parts.append("</div>")
    parts.append("</section>")
    return "\n".join(parts)


def _bold(text: str) -> str:
    """Escape, then render the catalogue's ``**bold**``."""
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html.escape(text))


def _key(value: str, label: str, detail_html: str, wide: bool = False) -> str:
    e = html.escape
    css = "tp-brief-key tp-brief-wide" if wide else "tp-brief-key"
    return (
        f'<div class="{css}"><div class="tp-brief-value">{e(value).replace(" ", NBSP, 1)}</div>'
        f'<div class="tp-brief-label">{e(label)}</div><div class="tp-brief-detail">{detail_html}</div></div>'
    )


def _options_html(f: BriefFigures, lang: str) -> str:
    t = lambda key, **values: i18n.text(f"brief.{key}", lang, **values)  # noqa: E731
    e = html.escape
    today = next((o for o in f.options if o.is_today), None)
    heads = ("col_option", "col_places", "col_cost", "col_per_desa", "col_covered", "col_coverage")
    out = [f"<h2>{e(t('options_heading', year=f.year))}</h2>"]
    intro = t("options_intro", today=today.scenario.short_title_in(lang)) if today else t("options_intro_no_today")
    out.append(f'<p class="tp-brief-note">{e(intro)}</p>')
    out.append('<table class="tp-brief-options"><colgroup>')
    out.extend(f'<col style="width:{w}%">' for w in COLUMN_WIDTHS_PERCENT)
    out.append("</colgroup><thead><tr>")
    out.extend(f"<th>{e(t(h))}</th>" for h in heads)
    out.append("</tr></thead><tbody>")

    def sub(text: str) -> str:
        return f'<span class="tp-brief-diff">{e(text)}</span>' if text else ""

    def diff(value: float, base: float | None, fmt) -> str:
        return "" if base is None else signed(value - base, fmt(abs(value - base)))

    def spread(o: Estimate, fmt) -> str:
        return t("table_range", low=fmt(o.p05), high=fmt(o.p95)) if o.has_range else ""

    main = lambda x: f'<span class="tp-brief-main">{e(x)}</span>'  # noqa: E731
    whole = lambda x: i18n.number(round(x), lang)  # noqa: E731
    pct = lambda x: i18n.share(x, lang)  # noqa: E731
    rp = lambda x: money(x, lang)  # noqa: E731
    points = lambda x: t("points", value=i18n.number(x, lang, 1))  # noqa: E731
    for o in f.options:
        tags = [t("tag_today")] if o.is_today else []
        tags += [t("tag_this")] if o.is_this_run else []
        tag = f'<span class="tp-brief-tag">{e(", ".join(tags))}</span>' if tags else ""
        base = today if today is not None and not o.is_today else None
        if o.cost_per_desa_idr is None:
            desa = "–"
        elif math.isclose(o.cost_per_desa_lowest_idr or 0, o.cost_per_desa_highest_idr or 0, abs_tol=0.5):
            desa = e(rp(o.cost_per_desa_idr))
        else:
            desa = e(rp(o.cost_per_desa_idr)) + sub(
                t(
                    "table_spread",
                    lowest=rp(o.cost_per_desa_lowest_idr or 0),
                    highest=rp(o.cost_per_desa_highest_idr or 0),
                )
            )
        cells = [
            e(o.scenario.short_title_in(lang)) + tag,
            main(whole(o.places)) + sub(diff(o.places, base.places if base else None, whole)),
            e(rp(o.cost_idr)) + sub(diff(o.cost_idr, base.cost_idr if base else None, rp)),
            desa,
            main(whole(o.covered_workers.central))
            + sub(diff(o.covered_workers.central, base.covered_workers.central if base else None, whole))
            + sub(spread(o.covered_workers, whole)),
            main(pct(o.coverage_share.central))
            + sub(diff(o.coverage_share.central * 100, base.coverage_share.central * 100 if base else None, points))
            + sub(spread(o.coverage_share, pct)),
        ]
        css = ' class="tp-brief-this"' if o.is_this_run else ""
        out.append(f"<tr{css}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table>")
    notes = [t("options_note", year=f.year, share=i18n.share(0.9, lang, 0))]
    for left in f.left_out:
        if left.differing_years:
            notes.append(
                t(
                    "left_out",
                    left=left.scenario.short_title_in(lang),
                    kept=left.same_as.short_title_in(lang),
                    year=f.year,
                    years=_years_text(left.differing_years, lang),
                )
            )
        else:
            notes.append(
                t("left_out_same", left=left.scenario.short_title_in(lang), kept=left.same_as.short_title_in(lang))
            )
    out.extend(f'<p class="tp-brief-note">{e(n)}</p>' for n in notes)
    return "\n".join(out)


def _data_box(f: BriefFigures, lang: str) -> str:
    t = lambda key, **values: i18n.text(f"brief.{key}", lang, **values)  # noqa: E731
    desa, kelurahan, kecamatan = f.registry_counts
    reported = (
        _years_text(
            [t("reported_item", places=i18n.number(round(w), lang), year=y) for y, w in f.reported_places], lang
        )
        if f.reported_places
        else ""
    )
    official = t(
        "data_official" if reported else "data_official_no_report",
        reported=reported,
        per_worker=rupiah(f.iuran_per_worker_budget_year_idr, lang),
        desa=i18n.number(desa, lang),
        kelurahan=i18n.number(kelurahan, lang),
        kecamatan=i18n.number(kecamatan, lang),
    )
    items = [official, t("data_estimated" if f.estimated else "data_not_estimated")]
    if f.synthetic:
        items.append(t("data_synthetic"))
    body = "".join(f"<p>{_bold(x)}</p>" for x in items)
    return f'<div class="tp-brief-data"><h2>{html.escape(t("data_heading"))}</h2>{body}</div>'
