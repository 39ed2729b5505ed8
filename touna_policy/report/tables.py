"""Tables the report notebooks show: pure functions over the model's inputs and results.

The notebooks hold no logic; everything they tabulate is computed here (and tested). Headers are the
package's snake_case names; :func:`display_table` turns a frame into a planner's table with headers
from the catalogue and numbers formatted for the language.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from touna_policy import config
from touna_policy.model.inputs import ModelInputs
from touna_policy.model.measures import share_of
from touna_policy.parameters.participation import load_participation_parameters
from touna_policy.scenario import Scenario

# Files the report notebooks read besides ModelInputs.files (recorded in the run manifest).
REPORT_INPUT_FILES = (
    config.REGENCY_INDICATORS_CSV,
    config.KABUPATEN_POPULATION_CSV,
    config.BENEFIT_RATES_YAML,
    config.UNCERTAINTY_YAML,
    config.PLANNING_TARGETS_YAML,
)


# ------------------------------------------------------------------------------------------------
# Data overview
# ------------------------------------------------------------------------------------------------


def registry_by_kecamatan(villages: pd.DataFrame, total: bool = True) -> pd.DataFrame:
    """Villages, people and (estimated) vulnerable workers per kecamatan, with a district total row
    (``kecamatan_code`` empty) unless ``total`` is false.

    Returns columns ``kecamatan_code, kecamatan, desa, kelurahan, population, working_population,
    vulnerable_workers``.
    """
    v = villages.assign(
        desa=(villages["type"] == "desa").astype(int), kelurahan=(villages["type"] == "kelurahan").astype(int)
    )
    cols = ["desa", "kelurahan", "population", "working_population", "vulnerable_workers"]
    table = v.groupby(["kecamatan_code", "kecamatan"], sort=True)[cols].sum().reset_index()
    if not total:
        return table.astype(dict.fromkeys(cols, "int64"))
    totals = table[cols].sum().to_frame().T
    totals.insert(0, "kecamatan", "Total")
    totals.insert(0, "kecamatan_code", "")
    out = pd.concat([table, totals], ignore_index=True)
    out[cols] = out[cols].astype("int64")
    return out


def workforce_method(inputs: ModelInputs) -> dict:
    """How the per-village workforce was obtained, as numbers a reader can check.

    Returns ``estimated`` (bool), ``base_year``, ``kelurahan_to_desa_population_ratio`` (average
    kelurahan population over average desa population in the file), ``employed_share`` (working
    population / population) and ``vulnerable_share`` (vulnerable workers / working population), all
    computed from the village table itself, and ``method`` (the file's method label).
    """
    v = inputs.villages
    pop = v.groupby("type")["population"].mean()
    ratio = float(pop["kelurahan"] / pop["desa"]) if {"desa", "kelurahan"} <= set(pop.index) else float("nan")
    method = v["method"].iloc[0] if "method" in v.columns and len(v) else ""
    return {
        "estimated": bool(v["estimated"].any()),
        "base_year": int(v["base_year"].iloc[0]),
        "villages": int(len(v)),
        "kelurahan_to_desa_population_ratio": ratio,
        "employed_share": float(v["working_population"].sum() / v["population"].sum()),
        "vulnerable_share": float(v["vulnerable_workers"].sum() / v["working_population"].sum()),
        "method": str(method),
        # the estimate's own label says when the kecamatan figures are real (census blocks)
        "kecamatan_real": bool(len(v))
        and bool(v.get("method", pd.Series(dtype=str)).str.contains("kecamatan real").all()),
    }


def rate_schedule(scenario: Scenario, inputs: ModelInputs) -> pd.DataFrame:
    """Per-worker premium by year for the scenario's declared income: the rates of the dated schedule.

    Columns: ``year, jkk_month_idr, jkm_month_idr, jht_month_idr`` (January rates), ``relief_months``
    (months with a relief), ``premium_per_worker_year_idr`` (the sum of the twelve months after relief).
    """
    from touna_policy.model.premiums import premium_schedule

    r = premium_schedule(scenario, inputs.rates)
    return pd.DataFrame(
        {
            "year": r.years.astype(int),
            "jkk_month_idr": r.jkk_idr[:, 0],
            "jkm_month_idr": r.jkm_idr[:, 0],
            "jht_month_idr": r.jht_idr[:, 0],
            "relief_months": (r.relief_share > 0).sum(axis=1).astype(int),
            "premium_per_worker_year_idr": r.premium_per_worker_year_idr,
        }
    )


def monthly_premium(scenario: Scenario, inputs: ModelInputs, years: Iterable[int]) -> pd.DataFrame:
    """Per-worker premium of every month of ``years`` (after relief).

    Columns: ``year, month, month_index, premium_per_worker_month_idr``.
    """
    from touna_policy.parameters.contributions import monthly_rates

    years = np.asarray(list(years), dtype=int)
    r = monthly_rates(
        years, scenario.declared_income_idr, scenario.include_jht, scenario.transport_worker_share, inputs.rates
    )
    premium = r.premium_per_worker_month_idr
    return pd.DataFrame(
        {
            "year": np.repeat(years, 12),
            "month": np.tile(np.arange(1, 13), len(years)),
            "month_index": years[0] + np.arange(premium.size) / 12.0,
            "premium_per_worker_month_idr": premium.ravel(),
            "relief_share": r.relief_share.ravel(),
        }
    )


def rate_chart_years(schedule: pd.DataFrame) -> list[int]:
    """The year before the first relief year, that year and the next (within the schedule); else the first three."""
    years = schedule["year"].astype(int).tolist()
    relief = relief_years(schedule)
    if not relief:
        return years[:3]
    return [y for y in (relief[0] - 1, relief[0], relief[0] + 1) if y in years]


def relief_span(monthly: pd.DataFrame) -> tuple[float, float] | None:
    """Start and end (as fractional years) of the first run of relief months in :func:`monthly_premium`, or None."""
    months = monthly.loc[monthly["relief_share"] > 0, "month_index"].to_numpy()
    if not len(months):
        return None
    gaps = np.flatnonzero(np.diff(months) > 1.5 / 12)
    end = months[gaps[0]] if len(gaps) else months[-1]
    return float(months[0]), float(end + 1 / 12)


def relief_years(schedule: pd.DataFrame) -> list[int]:
    """Years of a :func:`rate_schedule` with at least one relief month."""
    return schedule.loc[schedule["relief_months"] > 0, "year"].astype(int).tolist()


# ------------------------------------------------------------------------------------------------
# Coverage
# ------------------------------------------------------------------------------------------------


def reported_milestones(
    area_code: str = config.DEFAULT_AREA_CODE, path: str | Path = config.COVERAGE_HISTORY_CSV
) -> pd.DataFrame:
    """Programme-funded workers as reported (seed article, news), for marking on projection charts.

    Returns ``year, funded_workers, source`` for the area (empty for an area without reports).
    """
    from touna_policy.data.tables import read_csv_text

    frame = read_csv_text(path, ["year", "area", "measure", "value", "source"], numeric=["value"], whole=["year"])
    rows = frame[(frame["area"] == area_code) & (frame["measure"] == "programme_funded_workers")]
    return pd.DataFrame(
        {
            "year": rows["year"].astype(int).to_numpy(),
            "funded_workers": rows["value"].astype(float).to_numpy(),
            "source": rows["source"].astype(str).to_numpy(),
        }
    )


def quota_milestones(result) -> pd.DataFrame:
    """Places funded (paid for) in each year the scenario's quota schedule changes (its own milestones).

    Returns ``year, funded_workers`` (the places billed to the payers, ``billed_places``: arrears
    aside) for the years where the district's quota places differ from the year before (the first
    year with places included).
    """
    d = result.district
    places = d["quota_places"].to_numpy()
    changed = np.r_[places[0] > 0, places[1:] != places[:-1]]
    column = "billed_places" if "billed_places" in d.columns else "funded_workers"
    rows = d.loc[changed & (places > 0), ["year", column]].rename(columns={column: "funded_workers"})
    return rows.reset_index(drop=True).astype({"year": int})


def kecamatan_year(result, year: int) -> pd.DataFrame:
    """Kecamatan table of one year, sorted by kecamatan code."""
    k = result.kecamatan()
    cols = [
        "kecamatan",
        "quota_places",
        "funded_workers",
        "covered_workers",
        "eligible_workers",
        "coverage_share",
        "ucj_coverage_share",
        "premium_cost_idr",
    ]
    return k.loc[k["year"] == year, cols].reset_index(drop=True)


PARTICIPATION_TABLE_COLUMNS = (
    "year",
    "billed_places",
    "registered_workers",
    "active_workers",
    "lapsed_workers",
    "new_enrolments",
    "ever_protected_workers",
    "active_registered_share",
)
"""The district's participation table (headers ``charts.columns.<name>`` in both languages)."""


def participation_table(result, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Active versus registered workers by year (default: the years with places billed).

    Returns :data:`PARTICIPATION_TABLE_COLUMNS`: places billed, registered in December, the year's
    average of active workers (their month paid), workers falling into arrears during the year, new
    enrolments, workers ever protected, and active per registered (nan without registered workers).
    """
    d = result.district
    rows = d[d["billed_places"] > 0] if years is None else d[d["year"].isin([int(y) for y in years])]
    out = rows[list(PARTICIPATION_TABLE_COLUMNS[:-1])].copy()
    registered = out["registered_workers"].to_numpy(dtype=float)
    out["active_registered_share"] = np.divide(
        out["active_workers"].to_numpy(dtype=float),
        registered,
        out=np.full(len(out), np.nan),
        where=registered > 0,
    )
    return out.reset_index(drop=True).astype({"year": int})


def participation_text(result, year: int, lang: str) -> str:
    """The sentence under the active-versus-registered chart: what the gaps mean and the year's figures."""
    from touna_policy.report import i18n

    params = load_participation_parameters()
    row = result.district.set_index("year").loc[int(year)]
    return i18n.text(
        "coverage.read_participation",
        lang,
        grace=params.grace_period_months.value,
        probability=i18n.share(params.monthly_payment_probability.value, lang, 0),
        year=int(year),
        active=i18n.number(row["active_workers"], lang),
        registered=i18n.number(row["registered_workers"], lang),
        ever=i18n.number(row["ever_protected_workers"], lang),
    )


def key_figures_text(
    result,
    years: Sequence[int],
    columns: Sequence[str] = (
        "funded_workers",
        "covered_workers",
        "coverage_share",
        "premium_cost_idr",
        "budget_share",
    ),
) -> str:
    """Key figures as stable plain text (one line per year) for cells checked by nbval.

    Counts are rounded to whole workers, money to whole rupiah and shares to 4 decimals, so a model
    change that moves a published number changes the text.
    """
    d = result.district.set_index("year")
    lines = [f"scenario {result.scenario.name}"]
    for year in years:
        row = d.loc[int(year)]
        parts = [f"year {int(year)}"]
        for col in columns:
            value = float(row[col])
            if col.endswith("_share"):
                parts.append(f"{col} {'n/a' if np.isnan(value) else f'{value:.4f}'}")
            else:
                parts.append(f"{col} {value:.0f}")
        lines.append(" | ".join(parts))
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------
# Budget
# ------------------------------------------------------------------------------------------------


def budget_by_type(result, year: int) -> pd.DataFrame:
    """Per-village premiums and budget share by village type in one year.

    Columns: ``type, villages, funded_workers_per_village, premium_cost_idr_per_village,
    programme_budget_idr_per_village, budget_share`` (mean over the villages of the type; cost / budget
    of the type's villages), plus ``premium_cost_idr`` (the type's total).
    """
    v = result.villages
    v = v[v["year"] == year]
    g = (
        v.groupby("type", sort=True)
        .agg(
            villages=("code", "size"),
            funded_workers=("funded_workers", "sum"),
            premium_cost_idr=("premium_cost_idr", "sum"),
            programme_budget_idr=("programme_budget_idr", "sum"),
        )
        .reset_index()
    )
    g["funded_workers_per_village"] = g["funded_workers"] / g["villages"]
    g["premium_cost_idr_per_village"] = g["premium_cost_idr"] / g["villages"]
    g["programme_budget_idr_per_village"] = g["programme_budget_idr"] / g["villages"]
    g["budget_share"] = share_of(g["premium_cost_idr"], g["programme_budget_idr"])
    return g[
        [
            "type",
            "villages",
            "funded_workers_per_village",
            "premium_cost_idr_per_village",
            "programme_budget_idr_per_village",
            "budget_share",
            "premium_cost_idr",
        ]
    ]


def village_premiums(result, year: int) -> pd.DataFrame:
    """Every village's funded workers, premium and budget share in one year, sorted by code."""
    v = result.villages
    cols = [
        "code",
        "village",
        "type",
        "kecamatan",
        "funded_workers",
        "premium_cost_idr",
        "programme_budget_idr",
        "budget_share",
    ]
    return v.loc[v["year"] == year, cols].sort_values("code").reset_index(drop=True)


def premium_range(result, year: int) -> dict:
    """Smallest and largest village premium of a year (IDR) and the villages that pay them."""
    t = village_premiums(result, year)
    lo, hi = t["premium_cost_idr"].idxmin(), t["premium_cost_idr"].idxmax()
    return {
        "min_idr": float(t.at[lo, "premium_cost_idr"]),
        "min_village": str(t.at[lo, "village"]),
        "max_idr": float(t.at[hi, "premium_cost_idr"]),
        "max_village": str(t.at[hi, "village"]),
    }


def first_budget_year(result) -> int | None:
    """The first year with a programme budget, or None."""
    d = result.district
    years = d.loc[d["programme_budget_idr"] > 0, "year"]
    return int(years.iloc[0]) if len(years) else None


# ------------------------------------------------------------------------------------------------
# Comparison
# ------------------------------------------------------------------------------------------------


def read_runs(run_dirs: Sequence[str | Path]) -> pd.DataFrame:
    """The district tables (``summary.csv``) of finished runs, one frame, with each run's title, id and
    ``estimated_inputs`` / ``synthetic_inputs`` flags (from its ``manifest.json``).

    Raises :class:`~touna_policy.errors.InputError` for a folder without ``summary.csv`` or ``manifest.json``.
    """
    from touna_policy.errors import InputError

    frames = []
    for run_dir in run_dirs:
        run_dir = Path(run_dir)
        summary, manifest = run_dir / "summary.csv", run_dir / "manifest.json"
        for f in (summary, manifest):
            if not f.is_file():
                raise InputError.single(
                    run_dir, "run folder", f"no {f.name}", "a finished run folder written by `touna-policy run`"
                )
        meta = json.loads(manifest.read_text(encoding="utf-8"))
        frame = pd.read_csv(summary)
        titles = meta.get("scenario", {}).get("titles", {})  # the title in each report language
        frame["title"] = titles.get(meta.get("lang"), meta.get("scenario", {}).get("title", frame["scenario"].iloc[0]))
        for lang, title in titles.items():
            frame[f"title_{lang}"] = title
        frame["run_id"] = meta.get("run_id", run_dir.name)
        frame["estimated_inputs"] = bool(meta.get("estimated_inputs"))
        frame["synthetic_inputs"] = bool(meta.get("synthetic_inputs"))
        frames.append(frame)
    if not frames:
        raise InputError.single("<run_dirs>", "run_dirs", "no run folders", "at least one run folder")
    return pd.concat(frames, ignore_index=True)


def project_scenarios(paths: Sequence[str | Path]) -> pd.DataFrame:
    """District tables of scenarios projected here (for the comparison notebook without run folders)."""
    from touna_policy.model.inputs import load_inputs
    from touna_policy.model.projection import project
    from touna_policy.scenario import load_scenario

    frames = []
    for path in paths:
        scenario = load_scenario(path)
        inputs = load_inputs(scenario.area)
        frame = project(scenario, inputs).district.copy()
        frame["title"] = scenario.title
        for lang in ("id", "en"):  # the title in each report language
            frame[f"title_{lang}"] = scenario.title_in(lang)
        frame["run_id"] = ""
        frame["estimated_inputs"] = bool(inputs.estimated_inputs)
        frame["synthetic_inputs"] = bool(inputs.synthetic_inputs)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def comparison_table(district: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """One row per scenario and year: funded and covered workers, coverage, premium cost, budget share."""
    cols = [
        "scenario",
        "year",
        "funded_workers",
        "covered_workers",
        "coverage_share",
        "ucj_coverage_share",
        "premium_cost_idr",
        "budget_share",
    ]
    t = district.loc[district["year"].isin([int(y) for y in years]), cols]
    return t.sort_values(["year", "scenario"], kind="stable").reset_index(drop=True)


def comparison_text(district: pd.DataFrame, years: Sequence[int]) -> str:
    """Funded workers, premium cost and budget share of :func:`comparison_table` as stable plain text
    (for cells checked by nbval; covered workers, which rest on synthetic assumptions, are left out)."""
    t = comparison_table(district, years)
    lines = []
    for row in t.itertuples(index=False):
        share = "n/a" if np.isnan(row.budget_share) else f"{row.budget_share:.4f}"
        lines.append(
            f"{row.year} {row.scenario}: funded_workers {row.funded_workers:.0f} | premium_cost_idr "
            f"{row.premium_cost_idr:.0f} | budget_share {share}"
        )
    return "\n".join(lines)


def pivot(district: pd.DataFrame, column: str) -> pd.DataFrame:
    """Year by scenario table of one column (scenarios in order of first appearance)."""
    order = list(dict.fromkeys(district["scenario"]))
    return district.pivot(index="year", columns="scenario", values=column)[order]


# ------------------------------------------------------------------------------------------------
# Display
# ------------------------------------------------------------------------------------------------


SHARE_RANGE_COLUMN = re.compile(r"_coverage_(?:min|max)$")
"""Columns holding the lowest / highest coverage share of an area (shown as percentages)."""


def _whole_numbers(column: pd.Series) -> bool:
    """Every present value is a whole number (a year), not a count such as ``58379.03``."""
    present = pd.to_numeric(column, errors="coerce").dropna()
    return bool((present == present.round()).all())


def _numeric_values(column: pd.Series) -> bool:
    """A numeric column, or an object column whose present values are all numbers (a reading with
    some cells missing), so that it is formatted as numbers, not printed as ``58379.034927813525``."""
    if pd.api.types.is_numeric_dtype(column):
        return True
    present = [v for v in column.tolist() if v is not None and not (isinstance(v, float) and np.isnan(v))]
    return bool(present) and all(
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) for v in present
    )


def display_table(frame: pd.DataFrame, lang: str, formats: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A copy with numbers formatted for ``lang`` and headers from the catalogue (``charts.columns.<name>``).

    ``formats`` maps a column to ``number``, ``workers``, ``share``, ``money`` (Rp 4,42 miliar),
    ``rupiah`` (Rp 16.800) or ``text``; by default shares (``*_share``) are percentages, ``*_idr`` and
    ``*_idr_*`` money, years text and other numeric columns whole numbers.
    """
    from touna_policy.report import i18n

    formats = dict(formats or {})
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        kind = formats.get(col)
        if kind is None:
            if col.endswith("_share") or SHARE_RANGE_COLUMN.search(col):
                kind = "share"
            elif col.endswith("_idr") or "_idr_" in col:
                kind = "money"
            elif (
                _numeric_values(frame[col])
                and not pd.api.types.is_bool_dtype(frame[col])
                and not ((col == "year" or col.endswith("_year")) and _whole_numbers(frame[col]))
            ):
                kind = "number"
            else:
                kind = "text"
        values = frame[col].tolist()
        if kind == "text":
            cells = ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in values]
        else:

            def one(v, kind=kind):
                if v is None or (isinstance(v, float) and np.isnan(v)):
                    return "–"
                if kind == "share":
                    return i18n.share(v, lang, 2 if abs(v) < 0.1 else 1)
                if kind == "money":
                    return i18n.money(v, lang)
                if kind == "rupiah":
                    return f"{i18n.text('units.currency', lang)} {i18n.number(v, lang)}"
                return i18n.number(v, lang)

            cells = [one(v) for v in values]
        key = f"charts.columns.{col}"
        header = i18n.text(key, lang) if key in i18n.catalogue(lang) else col
        out[header] = cells
    return out


# ------------------------------------------------------------------------------------------------
# Texts, flags and files shared by the notebooks
# ------------------------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Text from a scenario file made safe to show in Markdown/HTML (no tags, no Markdown markup)."""
    import html
    import re

    return re.sub(r"([\\`*_\[\]#|~])", r"\\\1", html.escape(str(text), quote=True))


def flags_markdown(lang: str, estimated: bool, synthetic: bool) -> str:
    """The ESTIMATED / SYNTHETIC warnings every report page carries (empty when neither applies)."""
    from touna_policy.report import i18n

    parts = []
    if estimated:
        parts.append(i18n.text("report.flag_estimated", lang))
    if synthetic:
        parts.append(i18n.text("report.flag_synthetic", lang))
    return "\n\n".join(f"> {p}" for p in parts)


def input_flags(inputs: ModelInputs) -> dict:
    """``estimated`` and ``synthetic`` flags of the inputs, for :func:`flags_markdown`."""
    return {"estimated": bool(inputs.estimated_inputs), "synthetic": bool(inputs.synthetic_inputs)}


def registry_text(villages: pd.DataFrame) -> str:
    """Registry counts as stable plain text (for cells checked by nbval)."""
    n_desa = int((villages["type"] == "desa").sum())
    n_kel = int((villages["type"] == "kelurahan").sum())
    return (
        f"villages {len(villages)} | desa {n_desa} | kelurahan {n_kel} | kecamatan "
        f"{villages['kecamatan_code'].nunique()}\n"
        f"population {int(villages['population'].sum())} | working_population "
        f"{int(villages['working_population'].sum())} | vulnerable_workers {int(villages['vulnerable_workers'].sum())}"
        f" | base_year {int(villages['base_year'].iloc[0])}"
    )


def rate_schedule_text(schedule: pd.DataFrame) -> str:
    """Per-worker premium by year as stable plain text (for cells checked by nbval)."""
    return "\n".join(
        f"{int(r.year)} premium_per_worker_year_idr {r.premium_per_worker_year_idr:.0f} | relief_months "
        f"{int(r.relief_months)}"
        for r in schedule.itertuples(index=False)
    )


def assumptions_table(inputs: ModelInputs, lang: str | None = None) -> pd.DataFrame:
    """The other-channel coverage assumptions: ``assumption, base_year, value_share, annual_change_share, status``.

    With ``lang`` the assumption names are the catalogue's (``overview.assumption_<name>``).
    """
    from touna_policy.report import i18n

    a = inputs.assumptions
    rows = [
        ("self_paid_bpu_share", a.self_paid_bpu_share),
        ("wage_earner_coverage_share", a.wage_earner_coverage_share),
    ]
    names = [i18n.text(f"overview.assumption_{n}", lang) if lang else n for n, _ in rows]
    return pd.DataFrame(
        {
            "assumption": names,
            "base_year": [c.base_year for _, c in rows],
            "value_share": [c.value for _, c in rows],
            "annual_change_share": [c.annual_change for _, c in rows],
            "status": [status_label(a.status, lang)] * len(rows),
        }
    )


def status_label(status: str, lang: str | None) -> str:
    """``SINTETIS`` / ``SYNTHETIC`` for an input's status in the report language (upper case without one)."""
    from touna_policy.report import i18n

    key = f"overview.status_label_{status}"
    return i18n.catalogue(lang)[key] if lang and key in i18n.catalogue(lang) else status.upper()


def target_year(result) -> int:
    """The year of the scenario's last quota change (its headline year), else the last year."""
    m = quota_milestones(result)
    return int(m["year"].iloc[-1]) if len(m) else int(result.years[-1])


def report_years(result) -> list[int]:
    """Quota-change years, the year after the last of them and the last projection year."""
    years = quota_milestones(result)["year"].tolist()
    last = int(result.years[-1])
    if years and years[-1] + 1 <= last:
        years.append(years[-1] + 1)
    years.append(last)
    return sorted({int(y) for y in years})


def kecamatan_premiums(result, year: int) -> pd.DataFrame:
    """Per kecamatan in one year: villages, premium total, smallest and largest village premium, budget share."""
    v = result.villages
    v = v[v["year"] == year]
    g = (
        v.groupby(["kecamatan_code", "kecamatan"], sort=True)
        .agg(
            villages=("code", "size"),
            funded_workers=("funded_workers", "sum"),
            premium_cost_idr=("premium_cost_idr", "sum"),
            premium_cost_idr_min_village=("premium_cost_idr", "min"),
            premium_cost_idr_max_village=("premium_cost_idr", "max"),
            programme_budget_idr=("programme_budget_idr", "sum"),
        )
        .reset_index()
    )
    budget = g["programme_budget_idr"].to_numpy(dtype=float)
    g["budget_share"] = share_of(g["premium_cost_idr"], budget)
    return g.drop(columns=["kecamatan_code", "programme_budget_idr"])


def budget_text(result, years: Sequence[int]) -> str:
    """Premium per worker, premium cost and budget share by year as stable plain text (nbval)."""
    d = result.district.set_index("year")
    lines = [f"scenario {result.scenario.name}"]
    for year in years:
        row = d.loc[int(year)]
        share = "n/a" if np.isnan(row["budget_share"]) else f"{row['budget_share']:.4f}"
        lines.append(
            f"year {int(year)} | premium_per_worker_year_idr {row['premium_per_worker_year_idr']:.0f} | "
            f"funded_workers {row['funded_workers']:.0f} | premium_cost_idr {row['premium_cost_idr']:.0f} | "
            f"budget_share {share}"
        )
    return "\n".join(lines)


def _quota_change_years(district: pd.DataFrame) -> set[int]:
    years: set[int] = set()
    for _, d in district.groupby("scenario", sort=False):
        places = d["quota_places"].to_numpy()
        y = d["year"].to_numpy()
        changed = np.r_[places[0] > 0, places[1:] != places[:-1]] & (places > 0)
        years.update(int(v) for v in y[changed])
    return years


def comparison_years(district: pd.DataFrame) -> list[int]:
    """Years at which any compared scenario changes its quota, the year after the last change, the last year."""
    years = _quota_change_years(district)
    last = int(district["year"].max())
    if years and max(years) + 1 <= last:
        years.add(max(years) + 1)
    years.add(last)
    return sorted(years)


def number_labels(values: Iterable[float], lang: str) -> list[str]:
    """Whole numbers formatted for the language, for point labels on charts."""
    from touna_policy.report import i18n

    return [i18n.number(v, lang) for v in values]


def budget_share_by_year(result) -> pd.DataFrame:
    """``year, budget_share`` for the years with a programme budget."""
    d = result.district
    return d.loc[d["programme_budget_idr"] > 0, ["year", "budget_share"]].reset_index(drop=True)


def scenario_list(district: pd.DataFrame) -> pd.DataFrame:
    """One row per compared scenario: ``scenario, title, run_id``."""
    return district[["scenario", "title", "run_id"]].drop_duplicates("scenario").reset_index(drop=True)


def focus_year(district: pd.DataFrame) -> int:
    """The year a comparison reads: the year after the last quota change (full rates), else the last year."""
    changes = _quota_change_years(district)
    last = int(district["year"].max())
    return min(max(changes) + 1, last) if changes else last


MAX_TABLE_COLUMNS = 8
"""Most columns one printed table holds on an A4 page; wider tables are split into column groups."""


def column_groups(frame: pd.DataFrame, max_columns: int = MAX_TABLE_COLUMNS) -> list[pd.DataFrame]:
    """``frame`` split into tables of at most ``max_columns`` columns, each repeating the first
    (label) column, the other columns shared out evenly: 13 columns become ``[1+6, 1+6]``, 16 become
    ``[1+5, 1+5, 1+5]``; a frame that fits comes back whole."""
    if frame.shape[1] <= max_columns:
        return [frame]
    label, rest = frame.columns[0], list(frame.columns[1:])
    groups = -(-len(rest) // max(max_columns - 1, 1))
    bounds = np.linspace(0, len(rest), groups + 1).round().astype(int)
    return [frame[[label, *rest[a:b]]] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def show_table(frame: pd.DataFrame, lang: str, formats: Mapping[str, str] | None = None) -> None:
    """Display :func:`display_table` as HTML tables without the index (in a notebook), split into
    column groups (:func:`column_groups`) so that each fits an A4 page."""
    from IPython.display import HTML, display

    shown = display_table(frame, lang, formats)
    display(HTML("\n".join(g.to_html(index=False, border=0, classes="touna-table") for g in column_groups(shown))))


def write_tables(output_dir: str | Path, tables: Mapping[str, pd.DataFrame]) -> list[Path]:
    """Write ``{file name: frame}`` as CSV into ``output_dir`` (atomic); nothing when ``output_dir`` is empty."""
    from touna_policy.io import atomic_write_csv

    if not output_dir:
        return []
    written = []
    for name, frame in tables.items():
        if Path(name).name != name or not name.endswith(".csv"):
            raise ValueError(f"table file name {name!r}: a plain '<name>.csv'")
        written.append(atomic_write_csv(Path(output_dir) / name, frame))
    return written
