"""Sentences and tables of the analysis notebooks (05-09), in the report language.

Each function picks the figures a planner should read from one analysis (calibration, trend, Monte
Carlo, tornado, Sobol, goal seek, allocation, benefits) and fills the catalogue text
(``locales/<lang>/{estimation,uncertainty,sensitivity,goal_seek,allocation,benefits}.yaml``).
"""

from __future__ import annotations

import pandas as pd

from touna_policy.analysis.benefits import halmahera_check as halmahera_record
from touna_policy.report import i18n
from touna_policy.report import tables as rt


def T(key: str, lang: str, **values) -> str:
    return i18n.text(key, lang, **values)


def show_table(frame: pd.DataFrame, lang: str, section: str, formats=None) -> None:
    """Display a table with numbers formatted for ``lang``; headers from ``<section>.columns.<name>``
    (else ``charts.columns.<name>``)."""
    from IPython.display import HTML, display

    out = rt.display_table(frame, lang, formats)
    cat = i18n.catalogue(lang)
    out.columns = [
        cat.get(f"{section}.columns.{c}", h) if h == c else h for c, h in zip(frame.columns, out.columns, strict=True)
    ]
    display(HTML("\n".join(g.to_html(index=False, border=0, classes="touna-table") for g in rt.column_groups(out))))


def input_labels(lang: str) -> dict[str, str]:
    """Planner's names of the uncertain inputs."""
    from touna_policy.parameters.distributions import UNCERTAIN_INPUTS

    return {name: T(f"uncertainty.inputs.{name}", lang) for name in UNCERTAIN_INPUTS}


def input_notes(inputs_table: pd.DataFrame, lang: str) -> list[str]:
    """Where each uncertain input's range comes from, in ``lang`` (``uncertainty.input_notes.<input>``);
    an input without a catalogue note keeps the note of its parameters file."""
    cat = i18n.catalogue(lang)
    return [
        cat.get(f"uncertainty.input_notes.{name}", str(note))
        for name, note in zip(inputs_table["input"], inputs_table["note"], strict=True)
    ]


def input_value(name: str, value: float, lang: str) -> str:
    """One value of an uncertain input in its own unit, with the digits that matter: a yes/no input
    as ``ya``/``tidak``, a factor as ``0,95``, a share, change or rate as a percentage (``2,05%``)."""
    if name == "apbdes_relief_granted":
        return T("uncertainty.value_yes" if value >= 0.5 else "uncertainty.value_no", lang)
    if name.endswith("_factor"):
        return i18n.number(value, lang, 2)
    return i18n.share(value, lang, 2 if abs(value) < 0.1 else 1)


def input_values(inputs_table: pd.DataFrame, lang: str) -> dict[str, list[str]]:
    """The value columns of the uncertain-inputs table (``deterministic``, ``p05``, ``p50``, ``p95``)
    formatted by :func:`input_value`, for ``inputs_table.assign(**input_values(...))``."""
    return {
        c: [input_value(n, float(v), lang) for n, v in zip(inputs_table["input"], inputs_table[c], strict=True)]
        for c in ("deterministic", "p05", "p50", "p95")
        if c in inputs_table.columns
    }


def distribution_names(inputs_table: pd.DataFrame, lang: str) -> list[str]:
    """The ``distribution`` column of the uncertain-inputs table in the report's language
    (``bernoulli`` reads "ya atau tidak" / "yes or no")."""
    return [T(f"uncertainty.distributions.{name}", lang) for name in inputs_table["distribution"]]


def target_share(share: float, lang: str) -> str:
    """A target share with the digits it was set with: ``50%``, ``42,5%`` (not ``50,0%``)."""
    return i18n.share(share, lang, 0 if abs(share * 100 - round(share * 100)) < 1e-9 else 1)


def target_heading(scenario, lang: str) -> str:
    """The target the notebooks ask about, as a heading, and where it comes from."""
    from touna_policy.analysis.goalseek import scenario_target

    measure, share, year, own = scenario_target(scenario)
    head = T(
        "goal_seek.target_heading",
        lang,
        target=target_share(share, lang),
        measure=T(f"uncertainty.measures.{measure}", lang),
        year=year,
    )
    return head + "\n\n" + T("goal_seek.target_scenario" if own else "goal_seek.target_illustrative", lang)


# ---------------------------------------------------------------------------------------------- 05
def calibration(table: pd.DataFrame, lang: str) -> str:
    rel = table.set_index("reading").loc["relative"]
    pp = table.set_index("reading").loc["percentage_points"]
    return T(
        "estimation.read_calibration",
        lang,
        workers=i18n.number(rel["programme_workers"], lang),
        rise=i18n.share(rel["reported_rise"], lang, 2),
        year=int(rel["programme_year"]),
        previous_year=int(rel["programme_year"]) - 1,
        participants=i18n.workers(rel["participants_before"], lang),
        working=i18n.number(rel["working_population_before"], lang),  # the text names them: "penduduk bekerja"
        participants_share=i18n.share(rel["pre_programme_coverage_share"], lang),
        denominator=i18n.workers(pp["implied_denominator"], lang),
        vulnerable=i18n.number(pp["vulnerable_workers_programme_year"], lang),  # "... pekerja rentan" follows
        ratio=i18n.number(pp["denominator_to_vulnerable_workers"], lang, 2),
        working_ratio=i18n.share(pp["denominator_to_working_population"], lang),
    )


def reading_used(scenario, lang: str) -> str:
    reading = T(f"estimation.reading_{scenario.coverage_growth_reading}", lang)
    key = {"seed_calibration": "estimation.used_calibration", "fitted_trend": "estimation.used_trend"}.get(
        scenario.other_channels.source, "estimation.used_assumption"
    )
    return T(key, lang, reading=reading)


def trend(pred: pd.DataFrame, status: str, first_year: int, last_year: int, lang: str) -> str:
    p = pred[pred["channel"] == "self_paid_bpu"].set_index("year")
    w = pred[pred["channel"] == "wage_earner"].set_index("year")
    return T(
        "estimation.read_trend",
        lang,
        status=rt.status_label(status, lang),
        first_year=first_year,
        last_year=last_year,
        self_first=i18n.share(p.at[first_year, "mean"], lang),
        self_last=i18n.share(p.at[last_year, "mean"], lang),
        self_low=i18n.share(p.at[last_year, "obs_ci_lower"], lang),
        self_high=i18n.share(p.at[last_year, "obs_ci_upper"], lang),
        wage_last=i18n.share(w.at[last_year, "mean"], lang),
    )


# ---------------------------------------------------------------------------------------------- 06
def _fmt(measure: str, value: float, lang: str) -> str:
    if measure.endswith("_share") or measure.endswith("_ratio"):
        return i18n.share(value, lang)
    if measure.endswith("_idr"):
        return i18n.money(value, lang)
    return i18n.workers(value, lang)


def fan(fan_table: pd.DataFrame, measure: str, year: int, draws: int, lang: str) -> str:
    row = fan_table[(fan_table["measure"] == measure) & (fan_table["year"] == year)].iloc[0]
    return T(
        "uncertainty.read_fan",
        lang,
        measure=T(f"uncertainty.measures.{measure}", lang),
        year=year,
        median=_fmt(measure, row["p50"], lang),
        low=_fmt(measure, row["p05"], lang),
        high=_fmt(measure, row["p95"], lang),
        p25=_fmt(measure, row["p25"], lang),
        p75=_fmt(measure, row["p75"], lang),
        deterministic=_fmt(measure, row["deterministic"], lang),
        draws=i18n.number(draws, lang),
    )


def probability(prob: pd.DataFrame, measure: str, share: float, year: int, lang: str) -> str:
    p = prob.set_index("year")["probability_reached"]
    reached = p[p >= 0.5]
    half = int(reached.index[0]) if len(reached) else None
    by_year = float(p.get(year, 0.0))
    text = T(
        "uncertainty.read_probability" if by_year > 0 else "uncertainty.read_probability_zero",
        lang,
        measure=T(f"uncertainty.measures.{measure}", lang),
        target=target_share(share, lang),
        year=year,
        probability=i18n.share(by_year, lang, 0),
    )
    if half is not None:
        text += " " + T("uncertainty.read_probability_half", lang, half_year=half)
    else:
        text += " " + T("uncertainty.read_probability_never", lang, last_year=int(p.index[-1]))
    return text


# ---------------------------------------------------------------------------------------------- 07
def tornado(table: pd.DataFrame, measure: str, lang: str) -> str:
    t = table[table["measure"] == measure].sort_values("swing", ascending=False)
    labels = input_labels(lang)
    top, second = t.iloc[0], t.iloc[1] if len(t) > 1 else t.iloc[0]
    return T(
        "sensitivity.read_tornado",
        lang,
        measure=T(f"uncertainty.measures.{measure}", lang),
        year=int(top["year"]),
        top=labels[top["input"]],
        low=_fmt(measure, min(top["measure_at_low"], top["measure_at_high"]), lang),
        high=_fmt(measure, max(top["measure_at_low"], top["measure_at_high"]), lang),
        second=labels[second["input"]],
    )


def sobol(table: pd.DataFrame, measure: str, lang: str) -> str:
    t = table[table["measure"] == measure].dropna(subset=["ST"]).sort_values("ST", ascending=False)
    if t.empty:
        return T("sensitivity.read_sobol_none", lang, measure=T(f"uncertainty.measures.{measure}", lang))
    top = t.iloc[0]
    # sampling error can put an estimate outside 0-1, or S1 above ST: the text shows 0-100 % and says
    # "almost all on its own" when interactions add less than SOBOL_INTERACTION_SHARE
    st, s1 = (min(max(float(top[c]), 0.0), 1.0) for c in ("ST", "S1"))
    return T(
        "sensitivity.read_sobol" if st - s1 >= SOBOL_INTERACTION_SHARE else "sensitivity.read_sobol_alone",
        lang,
        measure=T(f"uncertainty.measures.{measure}", lang),
        top=input_labels(lang)[top["input"]],
        st=i18n.share(st, lang, 0),
        s1=i18n.share(s1, lang, 0),
    )


SOBOL_INTERACTION_SHARE = 0.05
"""Below this gap between ST and S1 the Sobol' text reads the top input as acting on its own."""


# ---------------------------------------------------------------------------------------------- 08
def goal_seek(a, lang: str) -> str:
    values = {
        "measure": T(f"uncertainty.measures.{a.measure}", lang),
        "target": target_share(a.target_share, lang),
        "year": a.target_year,
        "current": i18n.share(a.scenario_share_in_target_year, lang),
    }
    if not a.reachable:
        return T("goal_seek.read_unreachable", lang, maximum=i18n.share(a.max_achievable_share, lang), **values)
    text = T(
        "goal_seek.read_answer",
        lang,
        quota=i18n.number(a.uniform_quota_per_village, lang),
        budget=i18n.money(a.annual_premium_budget_at_quota_idr, lang),
        per_village=i18n.money(a.premium_budget_per_village_at_quota_idr, lang),
        workers=i18n.workers(a.funded_workers_needed, lang),
        budget_needed=i18n.money(a.annual_budget_needed_idr, lang),
        **values,
    )
    if a.year_reached_by_scenario is not None:
        text += " " + T("goal_seek.read_reached", lang, reached_year=a.year_reached_by_scenario)
    else:
        text += " " + T("goal_seek.read_not_reached", lang)
    chance = a.probability_reaching_by_target_year
    if chance is not None and chance > 0:
        text += " " + T("goal_seek.read_probability", lang, probability=i18n.share(chance, lang, 0))
    elif chance is not None:
        text += " " + T("goal_seek.read_probability_zero", lang)
    return text


def allocation(summary: pd.DataFrame, lang: str) -> str:
    s = summary.set_index("rule")
    eq, pr, cm = s.loc["equal"], s.loc["proportional"], s.loc["capped_mix"]
    unused = (
        T(
            "allocation.read_unused",
            lang,
            unused=i18n.number(eq["unused_quota_places"], lang),
            unused_villages=i18n.number(eq["villages_with_unused_quota"], lang),
        )
        if round(float(eq["unused_quota_places"])) > 0
        else T("allocation.read_unused_none", lang)
    )
    summary_text = T(
        "allocation.read_summary",
        lang,
        year=int(eq["year"]),
        equal_min=i18n.share(eq["village_coverage_min"], lang),
        equal_max=i18n.share(eq["village_coverage_max"], lang),
        equal_gini=i18n.number(eq["village_coverage_gini"], lang, 3),
        prop_min=i18n.share(pr["village_coverage_min"], lang),
        prop_max=i18n.share(pr["village_coverage_max"], lang),
        prop_gini=i18n.number(pr["village_coverage_gini"], lang, 3),
        mix_gini=i18n.number(cm["village_coverage_gini"], lang, 3),
        gaining=i18n.number(pr["villages_gaining"], lang),
        losing=i18n.number(pr["villages_losing"], lang),
    )
    return summary_text + " " + unused


# ---------------------------------------------------------------------------------------------- 09
def benefits(table: pd.DataFrame, year: int, lang: str) -> str:
    """How to read the benefits of ``year``, then the check against the Halmahera Selatan record."""
    r = table.set_index("year").loc[year]
    read = T(
        "benefits.read_benefits",
        lang,
        year=year,
        funded=i18n.workers(r["funded_workers"], lang),
        deaths=i18n.number(r["expected_deaths"], lang, 0),
        accidents=i18n.number(r["expected_work_accidents"], lang, 0),
        jkm=i18n.money(r["expected_jkm_payments_idr"], lang),
        jkk=i18n.money(r["expected_jkk_payments_idr"], lang),
        scholarship=i18n.money(r["expected_scholarship_payments_idr"], lang),
        premiums=i18n.money(r["premium_cost_idr"], lang),
        ratio=i18n.number(r["benefit_premium_ratio"], lang, 2),
        benefit=i18n.money(r["jkm_death_benefit_idr"], lang),
    )
    return read + "\n\n" + halmahera_check(lang)


def halmahera_check(lang: str) -> str:
    """Expected against observed JKM claims in Halmahera Selatan (19,000 workers, January 2023 - November 2025)."""
    c = halmahera_record()
    return T(
        "benefits.halmahera_check",
        lang,
        workers=i18n.number(c["workers"], lang, 0),
        years=i18n.number(c["worker_years"] / c["workers"], lang, 1),
        expected=i18n.number(c["expected_jkm_claims"], lang, 0),
        observed=i18n.number(c["observed_jkm_claims"], lang, 0),
        ratio=i18n.share(c["observed_over_expected"], lang, 0),
        observed_rate=i18n.number(c["observed_per_1000_per_year"], lang, 1),
        expected_rate=i18n.number(c["expected_per_1000_per_year"], lang, 1),
    )


def monte_carlo_text(fan, probability, measure: str, share: float, year: int, draws: int) -> str:
    """Plain, stable key figures of a seeded Monte Carlo in ``year`` (the cell nbval checks).

    The same seed gives the same draws, so these figures move only when the model or its inputs do.
    """
    rows = fan[fan["year"] == year].set_index("measure")
    covered, coverage, cost = (rows.loc[m] for m in ("covered_workers", "coverage_share", "premium_cost_idr"))
    reached = probability.set_index("year").loc[year, "probability_reached"]
    return (
        f"{draws} draws, {year}: covered workers p05 {covered.p05:,.0f} / p50 {covered.p50:,.0f} / "
        f"p95 {covered.p95:,.0f}; coverage share p50 {coverage.p50:.3f}; "
        f"premium cost p50 Rp {cost.p50 / 1e6:,.0f} million; "
        f"probability {measure} >= {share:g}: {reached:.3f}"
    )


def tornado_text(tornado, measure: str = "coverage_share") -> str:
    """The inputs of a tornado in order of their swing on ``measure`` (the cell nbval checks)."""
    rows = tornado[tornado["measure"] == measure].sort_values("swing", ascending=False, kind="stable")
    year = int(rows["year"].iloc[0])
    return f"{measure} {year}, largest swing first: " + ", ".join(f"{r.input} {r.swing:.4f}" for r in rows.itertuples())
