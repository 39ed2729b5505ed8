"""The interactive scenario explorer behind ``notebooks/explorer.ipynb``.

Two layers:

- :class:`ExplorerModel`: pure logic, no widgets. It holds a base scenario and the planner's
  :class:`ExplorerSettings` (quota per desa and per kelurahan, the year the quota changes, payment
  compliance, allocation rule, the reading of the seed's 22.27 % figure, the target year), turns them
  into a validated :class:`~touna_policy.scenario.Scenario` (:func:`scenario_from_settings`), projects
  it with :func:`~touna_policy.model.projection.compute` on cached inputs and returns an
  :class:`ExplorerView` with the key figures, raw and formatted. ``save`` writes the settings as a
  scenario YAML that ``touna-policy project/run`` accept.
- :class:`ExplorerApp`: ipywidgets controls whose callbacks call the model and redraw the key
  figures and the coverage and cost charts. Tests set the widgets' values and read what they show.

How the settings map onto a scenario: the quota before the change year is the base scenario's
history (its schedule without its last step), from the change year on the chosen quota; payment
compliance applies from the change year; a kecamatan's payment probability (the chance its desa pay
a month's premiums, one kecamatan at a time through a dropdown and a slider) becomes a
``payment_probability`` entry for that kecamatan, after the base scenario's own; everything else
(horizon, budget, overrides, rates) is the base scenario's.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, cast, get_args

import numpy as np
import pandas as pd

from touna_policy import config
from touna_policy.calibration.seed import PARTICIPANT_READINGS, calibrate_seed
from touna_policy.errors import InputError, did_you_mean
from touna_policy.io import atomic_write_text
from touna_policy.model.inputs import ModelInputs, load_inputs
from touna_policy.model.projection import ProjectionResult, compute
from touna_policy.model.schedules import year_schedule
from touna_policy.parameters.participation import load_participation_parameters
from touna_policy.parameters.ranges import scenario_name_problem
from touna_policy.report import charts as plots
from touna_policy.report import i18n
from touna_policy.report.frontpage import headline_year
from touna_policy.scenario import Scenario, load_scenario, scenario_from_dict, scenario_to_yaml

ALLOCATION_RULES: tuple[str, ...] = get_args(Scenario.model_fields["allocation_rule"].annotation)
READINGS: tuple[str, ...] = get_args(Scenario.model_fields["coverage_growth_reading"].annotation)
DEFAULT_SCENARIO = config.SCENARIOS_DIR / "satu-miliar-150.yaml"
QUOTA_SLIDER_MAX = 500


@dataclass(frozen=True)
class ExplorerSettings:
    """What the planner sets in the explorer (units in the names)."""

    quota_desa: int  # workers per desa from change_year
    quota_kelurahan: int  # workers per kelurahan from change_year
    change_year: int  # first year of the new quota
    payment_compliance_share: float  # 0-1, from change_year
    allocation_rule: str  # one of ALLOCATION_RULES
    coverage_growth_reading: str  # one of READINGS
    target_year: int  # year of the key figures
    kecamatan_payment_probability: tuple[tuple[str, float], ...] = ()  # (kecamatan, 0-1 a month), by name


def default_payment_probability() -> float:
    """The monthly payment probability of a village the scenario names none for (participation.yaml)."""
    return load_participation_parameters().monthly_payment_probability.value


def kecamatan_probabilities(scenario: Scenario) -> dict[str, float]:
    """The payment probability the scenario's entries give each kecamatan it names for every month
    (entries naming a kecamatan without months; a later entry wins)."""
    return {
        str(e.kecamatan): float(e.probability_per_month)
        for e in scenario.payment_probability
        if e.kecamatan is not None and e.from_month is None and e.to_month is None
    }


def with_kecamatan_probability(
    settings: ExplorerSettings, kecamatan: str, probability: float
) -> tuple[tuple[str, float], ...]:
    """``settings.kecamatan_payment_probability`` with ``kecamatan`` set to ``probability`` (sorted by name)."""
    values = dict(settings.kecamatan_payment_probability)
    values[kecamatan] = float(probability)
    return tuple(sorted(values.items()))


def _final_step(schedule: Mapping[int, float]) -> tuple[int, float] | None:
    if not schedule:
        return None
    year = max(schedule)
    return int(year), schedule[year]


def _history(schedule: Mapping[int, float], change_year: int) -> dict[int, float]:
    """The schedule's entries that stay when the explorer sets a new step at ``change_year``."""
    kept = dict(sorted(schedule.items()))
    if len(kept) >= 2:
        kept.pop(max(kept))  # the last step is what the explorer controls
    return {int(y): v for y, v in kept.items() if int(y) < change_year}


def _with_step(history: dict[int, float], year: int, value: float) -> dict[int, float]:
    """``history`` plus ``{year: value}``, unless that value already holds at ``year``."""
    if history and history[max(history)] == value:
        return dict(history)
    return {**history, int(year): value}


def settings_from_scenario(scenario: Scenario, target_year: int | None = None) -> ExplorerSettings:
    """The explorer settings that reproduce ``scenario``'s quota (its last step) and options."""
    steps = [
        s
        for s in (_final_step(scenario.quota_per_village.desa), _final_step(scenario.quota_per_village.kelurahan))
        if s
    ]
    change_year = max((y for y, _ in steps), default=int(scenario.years[0]))
    change_year = int(min(max(change_year, scenario.horizon.start_year), scenario.horizon.end_year))
    desa = _final_step(scenario.quota_per_village.desa)
    kel = _final_step(scenario.quota_per_village.kelurahan)
    compliance = float(year_schedule(scenario.payment_compliance_share, np.array([change_year]), 1.0)[0])
    if target_year is None:
        target_year = headline_year(ProjectionResult(scenario, _inputs(scenario), compute(scenario, _inputs(scenario))))
    return ExplorerSettings(
        quota_desa=int(desa[1]) if desa else 0,
        quota_kelurahan=int(kel[1]) if kel else 0,
        change_year=change_year,
        payment_compliance_share=compliance,
        allocation_rule=scenario.allocation_rule,
        coverage_growth_reading=scenario.coverage_growth_reading,
        target_year=int(target_year),
    )


def _inputs(scenario: Scenario) -> ModelInputs:
    return load_inputs(scenario.area)


def scenario_from_settings(
    base: Scenario,
    settings: ExplorerSettings,
    name: str | None = None,
    title: str | None = None,
    description: str | None = None,
) -> Scenario:
    """A validated scenario: ``base`` with the explorer's settings applied.

    Raises
    ------
    InputError
        if a setting is outside its range (quota 0-100,000 workers, compliance 0-1, a known rule),
        naming the setting.
    """
    s = settings
    if not base.horizon.start_year <= s.target_year <= base.horizon.end_year:
        raise InputError.single(
            "<explorer>",
            "target_year",
            str(s.target_year),
            f"a year of the horizon {base.horizon.start_year}-{base.horizon.end_year}",
        )
    data = base.model_dump(mode="python")
    quota = data["quota_per_village"]
    quota["desa"] = _with_step(_history(base.quota_per_village.desa, s.change_year), s.change_year, int(s.quota_desa))
    quota["kelurahan"] = _with_step(
        _history(base.quota_per_village.kelurahan, s.change_year), s.change_year, int(s.quota_kelurahan)
    )
    compliance = {int(y): v for y, v in base.payment_compliance_share.items() if int(y) < s.change_year}
    data["payment_compliance_share"] = _with_step(compliance, s.change_year, float(s.payment_compliance_share))
    data["allocation_rule"] = s.allocation_rule
    data["coverage_growth_reading"] = s.coverage_growth_reading
    data["payment_probability"] = list(data.get("payment_probability") or []) + [
        {"kecamatan": kecamatan, "probability_per_month": float(p)} for kecamatan, p in s.kecamatan_payment_probability
    ]
    if name is not None:
        data["name"] = name
    if title is not None:
        data["title"] = title
    if description is not None:
        data["description"] = description
    return scenario_from_dict(data, "<explorer settings>")


@dataclass
class ExplorerView:
    """What the explorer shows for one set of settings."""

    settings: ExplorerSettings
    scenario: Scenario
    result: ProjectionResult
    key: dict[str, float]

    @property
    def district(self) -> pd.DataFrame:
        return self.result.district

    def formatted(self, lang: str = i18n.DEFAULT_LANGUAGE) -> dict[str, str]:
        """The four key figures as the explorer shows them."""
        k = self.key
        has_budget = not math.isnan(k["budget_share"])
        return {
            "covered_workers": i18n.workers(k["covered_workers"], lang),
            "coverage_share": i18n.share(k["coverage_share"], lang),
            "premium_cost_idr": i18n.money(k["premium_cost_idr"], lang),
            "budget_share": (
                i18n.share(k["budget_share"], lang, decimals=2) if has_budget else i18n.text("explorer.no_budget", lang)
            ),
        }


def same_figures(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether two district projections show the same figures: equal labels, numbers equal up to floating-point
    summation noise (a relative 1e-9, far below any shown digit)."""
    if list(a.columns) != list(b.columns) or a.shape != b.shape:
        return False
    numbers = a.select_dtypes("number").columns
    others = [c for c in a.columns if c not in numbers]
    return bool(
        a[others].equals(b[others])
        and np.allclose(a[numbers].to_numpy(float), b[numbers].to_numpy(float), rtol=1e-9, atol=1e-9, equal_nan=True)
    )


class ExplorerModel:
    """The explorer's logic without widgets: settings in, figures out.

    Parameters
    ----------
    base : the scenario to start from (default: the shipped ``satu-miliar-150``)
    inputs : pre-loaded inputs (default: the cached :func:`load_inputs` of the scenario's area)
    """

    def __init__(self, base: Scenario | str | Path | None = None, inputs: ModelInputs | None = None):
        if base is None or isinstance(base, (str, Path)):
            base = load_scenario(base or DEFAULT_SCENARIO)
        self.base = base
        self.inputs = inputs or _inputs(base)
        self.settings = settings_from_scenario(base)
        self.view = self._project(self.settings)
        self._differs: dict[tuple, bool] = {}

    @property
    def years(self) -> np.ndarray:
        return self.base.years

    def _project(self, settings: ExplorerSettings) -> ExplorerView:
        scenario = scenario_from_settings(self.base, settings)
        result = ProjectionResult(scenario, self.inputs, compute(scenario, self.inputs))
        return ExplorerView(settings, scenario, result, result.key_figures(settings.target_year))

    def update(self, **changes) -> ExplorerView:
        """Apply changed settings (names of :class:`ExplorerSettings`) and project again.

        On invalid settings raises :class:`InputError` and keeps the previous settings and view.
        """
        unknown = sorted(set(changes) - set(asdict(self.settings)))
        if unknown:
            raise InputError.single(
                "<explorer>",
                unknown[0],
                repr(unknown[0]),
                "a setting of the explorer",
                did_you_mean(unknown[0], list(asdict(self.settings))),
            )
        settings = replace(self.settings, **changes)
        view = self._project(settings)
        self.settings, self.view = settings, view
        return view

    def kecamatan_probability(self, kecamatan: str) -> float:
        """The monthly payment probability of ``kecamatan``'s villages now: the explorer's setting, else the
        base scenario's entry, else the default (participation.yaml)."""
        chosen = dict(self.settings.kecamatan_payment_probability)
        if kecamatan in chosen:
            return chosen[kecamatan]
        return kecamatan_probabilities(self.base).get(kecamatan, default_payment_probability())

    def options_differ(self, name: str, options: tuple[Any, ...]) -> bool:
        """Whether the options of one setting give different figures (the district projection) with the
        current data and the other settings as they are; ``False`` means the toggle cannot change a figure."""
        variants = [replace(self.settings, **cast(dict[str, Any], {name: o})) for o in options]
        key = (name, options, variants[0])
        if key not in self._differs:
            districts = [self._project(v).district for v in variants]
            self._differs[key] = not all(same_figures(districts[0], d) for d in districts[1:])
        return self._differs[key]

    def default_name(self) -> str:
        return f"{self.base.name}-explorer"[:64]

    def scenario_for_saving(self, name: str | None = None, lang: str = i18n.DEFAULT_LANGUAGE) -> Scenario:
        """The current settings as a named scenario with a title and description saying where it came from."""
        s = self.settings
        title = i18n.text(
            "explorer.saved_title",
            lang,
            quota_desa=s.quota_desa,
            quota_kelurahan=s.quota_kelurahan,
            change_year=s.change_year,
        )
        description = (
            f"Saved from the touna-policy explorer, starting from scenario '{self.base.name}'"
            f" ({self.base.title}). Target year in the explorer: {s.target_year}."
        )
        return scenario_from_settings(
            self.base, s, name=name or self.default_name(), title=title, description=description
        )

    def save(self, path: str | Path, name: str | None = None, lang: str = i18n.DEFAULT_LANGUAGE) -> Path:
        """Write the current settings as a scenario YAML (atomically) and check it reads back equal.

        ``path`` is a ``.yaml`` file, or a folder to write ``<name>.yaml`` into.

        Raises
        ------
        InputError
            for a name that is not a valid scenario name or a path that is a folder.
        """
        name = name or self.default_name()
        problem = scenario_name_problem(name)  # the one scenario-name rule (reserved names included)
        if problem is not None:
            raise InputError.single("<explorer>", "scenario name", repr(name), problem)
        path = Path(path)
        if path.is_dir() or path.suffix.lower() not in (".yaml", ".yml"):
            path = path / f"{name}.yaml"  # a folder (existing or to be created)
        scenario = self.scenario_for_saving(name, lang)
        header = (
            f"# Saved by the touna-policy explorer from '{self.base.name}'.\n"
            f"# Run it with: touna-policy run {path.name}\n"
        )
        atomic_write_text(path, header + scenario_to_yaml(scenario))
        back = load_scenario(path)
        if back.model_dump() != scenario.model_dump():  # pragma: no cover - scenario_to_yaml guarantees this
            raise InputError.single(str(path), "", "a file that does not read back equal", "a faithful scenario YAML")
        return path


# --- what the explorer draws -------------------------------------------------------------------


def reading_text(
    reading: str, inputs: ModelInputs, lang: str = i18n.DEFAULT_LANGUAGE, scenario: Scenario | None = None
) -> str:
    """What the chosen reading of the seed's '22.27 % rise in 2024 over 2023' implies, and whether the
    projection uses it (it does when the scenario's ``other_channels.source`` is ``seed_calibration``).

    The numbers come from :func:`touna_policy.calibration.seed.calibrate_seed`.
    """
    c = calibrate_seed(reading, inputs, scenario)
    values = {
        "new_workers": i18n.number(c.programme_workers, lang),
        "year": c.programme_year,
        "previous_year": c.programme_year - 1,
        "rise": i18n.share(c.reported_rise, lang, decimals=2),
        "rise_points": i18n.number(c.reported_rise * 100, lang, 2),
    }
    if reading in PARTICIPANT_READINGS:
        note = i18n.text(
            f"explorer.reading_{reading}_text",
            lang,
            participants=i18n.workers(c.participants_before, lang),
            share=i18n.share(c.pre_programme_coverage_share, lang),
            **values,
        )
    else:
        note = i18n.text(
            "explorer.reading_percentage_points_text",
            lang,
            denominator=i18n.workers(c.implied_denominator, lang),
            working_population=i18n.workers(c.working_population_programme_year, lang),
            **values,
        )
    used = scenario is not None and getattr(scenario.other_channels, "source", None) == "seed_calibration"
    return f"{note} {i18n.text('explorer.reading_used' if used else 'explorer.reading_recorded', lang)}"


def explorer_figure(view: ExplorerView, lang: str = i18n.DEFAULT_LANGUAGE):
    """The coverage chart (left) and the cost chart (right), the target year marked."""
    fig, (cov, cost) = plots.figure(width=11.0, height=3.8, ncols=2)
    _draw_charts(cov, cost, view, lang)
    return fig


def _draw_charts(cov, cost, view: ExplorerView, lang: str) -> None:
    t = lambda key, **v: i18n.text(f"explorer.{key}", lang, **v)  # noqa: E731
    d = view.district
    years = d["year"].to_numpy()
    target = view.settings.target_year
    cov.bar(years, d["funded_workers"], color=plots.PALETTE[4], label=t("coverage_funded"))
    plots.line_chart(
        cov,
        years,
        {t("coverage_covered"): d["covered_workers"], t("coverage_eligible"): d["eligible_workers"]},
        title=t("coverage_chart_title"),
        ylabel=t("workers_ylabel"),
        colours=[plots.PALETTE[0], plots.GREY],
        styles={t("coverage_eligible"): "--"},
    )
    cov.set_ylim(0, None)
    cov.set_xlim(years[0] - 0.6, years[-1] + 0.6)
    cov.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, frameon=False, fontsize=plots.FONT_SIZE - 1.5)
    plots.axis_format(cov, "workers", lang)
    plots.mark_line(cov, target, t("target_marker"), vertical=True, colour=plots.HIGHLIGHT)
    cost_bn = d["premium_cost_idr"].to_numpy() / 1e9
    plots.bar_chart(
        cost,
        years,
        cost_bn,
        title=t("cost_chart_title"),
        ylabel=t("cost_ylabel"),
        highlight=[target],
        colours=[plots.PALETTE[0]],
    )
    cost.set_xticks(np.arange(len(years)), [str(y) if (y - years[0]) % 2 == 0 else "" for y in years])
    plots.axis_format(cost, "money", lang, decimals=1)


def key_figures_html(view: ExplorerView, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    """The four key figures of the target year as an HTML block."""
    f = view.formatted(lang)
    labels = {
        "covered_workers": "covered",
        "coverage_share": "coverage_share",
        "premium_cost_idr": "annual_cost",
        "budget_share": "budget_share",
    }
    boxes = "".join(
        f'<div class="tp-kf" data-figure="{key}" style="flex:1;border-left:5px solid {plots.PALETTE[0]};'
        f'background:#f2f6f8;padding:4px 10px"><div style="font-size:1.6em;font-weight:700">{html.escape(f[key])}</div>'
        f"<div>{html.escape(i18n.text('explorer.' + label, lang))}</div></div>"
        for key, label in labels.items()
    )
    heading = html.escape(i18n.text("explorer.figures_year", lang, year=view.settings.target_year))
    return f'<div><b>{heading}</b><div style="display:flex;gap:8px;margin-top:4px">{boxes}</div></div>'


def _option_label(kind: str, value: str, lang: str) -> str:
    key = f"explorer.{kind}_{value}"
    return i18n.text(key, lang) if key in i18n.catalogue(lang) else value


def snapshot_figure(view: ExplorerView, lang: str = i18n.DEFAULT_LANGUAGE):
    """A static picture of the explorer's output (its settings, the four key figures, both charts),
    e.g. for the README or a reader without widgets."""
    from matplotlib import rc_context  # matplotlib is heavy: loaded when a snapshot is drawn
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    f = view.formatted(lang)
    s = view.settings
    caption = i18n.text(
        "explorer.snapshot_caption",
        lang,
        scenario=view.scenario.name,
        quota_desa=s.quota_desa,
        quota_kelurahan=s.quota_kelurahan,
        change_year=s.change_year,
        compliance=i18n.share(s.payment_compliance_share, lang, 0),
        rule=_option_label("rule", s.allocation_rule, lang),
    )
    with rc_context(cast(Any, plots.RC)):
        fig = Figure(figsize=(11.0, 5.4), dpi=plots.DPI, layout="constrained")
        top, bottom = cast(Any, fig.subfigures(2, 1, height_ratios=[1.25, 3.8]))
        top.suptitle(
            f"{i18n.text('explorer.figures_year', lang, year=s.target_year)} — {caption}",
            x=0.01,
            ha="left",
            fontsize=plots.FONT_SIZE + 1,
            fontweight="bold",
        )
        boxes = top.subplots(1, 4)
        for ax, (key, label) in zip(
            boxes,
            (
                ("covered_workers", "covered"),
                ("coverage_share", "coverage_share"),
                ("premium_cost_idr", "annual_cost"),
                ("budget_share", "budget_share"),
            ),
            strict=True,
        ):
            ax.set_axis_off()
            ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, facecolor="#f2f6f8", edgecolor="none"))
            ax.axvline(0, color=plots.PALETTE[0], lw=6)
            ax.text(0.06, 0.62, f[key], transform=ax.transAxes, fontsize=15, fontweight="bold", va="center")
            ax.text(
                0.06,
                0.22,
                i18n.text("explorer." + label, lang),
                transform=ax.transAxes,
                fontsize=plots.FONT_SIZE,
                va="center",
            )
        cov, cost = bottom.subplots(1, 2)
        _draw_charts(cov, cost, view, lang)
    return fig


# --- the widgets -------------------------------------------------------------------------------

TOGGLES = {"allocation_rule": ALLOCATION_RULES, "coverage_growth_reading": READINGS}
"""The explorer's toggles and their options; each says next to it when no option changes a figure."""


def text_width(texts) -> str:
    """A CSS width that fits the longest of ``texts`` (in ``ch``, plus room for padding and an icon)."""
    return f"{max(len(t) for t in texts) + 5}ch"


class ExplorerApp:
    """ipywidgets around :class:`ExplorerModel`: every change redraws figures and charts.

    ``app.controls[name].value = ...`` (names of :class:`ExplorerSettings`) drives it exactly as a
    planner's click does; ``app.figures_html.value``, ``app.chart.value`` (PNG bytes),
    ``app.reading_html.value`` and ``app.status.value`` are what is shown.
    """

    def __init__(
        self,
        scenario: Scenario | str | Path | None = None,
        lang: str = i18n.DEFAULT_LANGUAGE,
        save_dir: str | Path = ".",
        inputs: ModelInputs | None = None,
    ):
        import ipywidgets as w  # widgets only for the notebook front end, loaded lazily

        self.lang = i18n.check_language(lang)
        self.model = ExplorerModel(scenario, inputs)
        self.save_dir = Path(save_dir)
        t = lambda key, **v: i18n.text(f"explorer.{key}", self.lang, **v)  # noqa: E731
        s = self.model.settings
        first, last = int(self.model.years[0]), int(self.model.years[-1])
        langs = i18n.LANGUAGES  # widths fit the longest label in either language: no cut labels
        description_keys = [
            "quota_desa",
            "quota_kelurahan",
            "change_year",
            "compliance",
            "allocation_rule",
            "reading",
            "target_year",
            "scenario_name",
            "payment_kecamatan",
            "payment_probability",
        ]
        description_width = text_width(i18n.text(f"explorer.{k}", lang) for k in description_keys for lang in langs)
        style = {"description_width": description_width}
        control_width = f"calc({description_width} + 300px)"
        layout = w.Layout(width=control_width, min_width=control_width)  # never squeezed: the columns wrap instead
        wrap = w.Layout(flex_flow="row wrap", align_items="flex-start")
        button_style = {
            name: {
                **style,
                "button_width": text_width(_option_label(kind, o, lang) for o in TOGGLES[name] for lang in langs),
            }
            for name, kind in (("allocation_rule", "rule"), ("coverage_growth_reading", "reading"))
        }
        self.controls = {
            "quota_desa": w.IntSlider(
                value=s.quota_desa,
                min=0,
                max=max(QUOTA_SLIDER_MAX, s.quota_desa),
                step=10,
                description=t("quota_desa"),
                style=style,
                layout=layout,
            ),
            "quota_kelurahan": w.IntSlider(
                value=s.quota_kelurahan,
                min=0,
                max=max(QUOTA_SLIDER_MAX, s.quota_kelurahan),
                step=10,
                description=t("quota_kelurahan"),
                style=style,
                layout=layout,
            ),
            "change_year": w.IntSlider(
                value=s.change_year, min=first, max=last, description=t("change_year"), style=style, layout=layout
            ),
            "payment_compliance_share": w.FloatSlider(
                value=s.payment_compliance_share,
                min=0.0,
                max=1.0,
                step=0.05,
                readout_format=".0%",
                description=t("compliance"),
                style=style,
                layout=layout,
            ),
            "allocation_rule": w.ToggleButtons(
                options=[(_option_label("rule", r, self.lang), r) for r in ALLOCATION_RULES],
                value=s.allocation_rule,
                description=t("allocation_rule"),
                style=button_style["allocation_rule"],
            ),
            "coverage_growth_reading": w.ToggleButtons(
                options=[(_option_label("reading", r, self.lang), r) for r in READINGS],
                value=s.coverage_growth_reading,
                description=t("reading"),
                style=button_style["coverage_growth_reading"],
            ),
            "target_year": w.IntSlider(
                value=s.target_year, min=first, max=last, description=t("target_year"), style=style, layout=layout
            ),
        }
        kecamatan = sorted(set(self.model.inputs.villages["kecamatan"].astype(str)))
        self.payment_controls = {
            "kecamatan": w.Dropdown(
                options=kecamatan,
                value=kecamatan[0] if kecamatan else None,
                description=t("payment_kecamatan"),
                style=style,
                layout=layout,
            ),
            "probability": w.FloatSlider(
                value=self.model.kecamatan_probability(kecamatan[0]) if kecamatan else default_payment_probability(),
                min=0.0,
                max=1.0,
                step=0.05,
                readout_format=".0%",
                description=t("payment_probability"),
                style=style,
                layout=layout,
            ),
        }
        self.figures_html = w.HTML()
        self.chart = w.Image(format="png", layout=w.Layout(width="100%"))
        self.reading_html = w.HTML()
        self.status = w.HTML()
        self.name = w.Text(value=self.model.default_name(), description=t("scenario_name"), style=style, layout=layout)
        self.save_button = w.Button(
            description=t("save"),
            icon="save",
            button_style="primary",
            layout=w.Layout(width=text_width(i18n.text("explorer.save", lang) for lang in langs)),
        )
        self.toggle_notes = {name: w.HTML(layout=w.Layout(max_width=control_width)) for name in TOGGLES}
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.payment_controls["kecamatan"].observe(self._on_kecamatan, names="value")
        self.payment_controls["probability"].observe(self._on_probability, names="value")
        self.save_button.on_click(lambda _button: self.save())
        self.box = w.VBox(
            [
                w.HTML(f"<h3>{html.escape(t('heading', title=self.model.base.title_in(self.lang)))}</h3>"),
                w.HBox(
                    [
                        w.VBox(list(self.controls.values())[:4] + list(self.payment_controls.values())),
                        w.VBox(
                            [
                                w.VBox([self.controls[n], self.toggle_notes[n]]) if n in TOGGLES else self.controls[n]
                                for n in list(self.controls)[4:]
                            ]
                        ),
                    ],
                    layout=wrap,
                ),
                self.figures_html,
                self.chart,
                self.reading_html,
                w.HBox([self.name, self.save_button], layout=wrap),
                self.status,
            ]
        )
        self.render(self.model.view)

    def _on_change(self, change) -> None:
        name = next(key for key, control in self.controls.items() if control is change["owner"])
        self.apply(**{name: change["new"]})

    def _on_kecamatan(self, change) -> None:
        """Another kecamatan chosen: the slider shows its probability (no new projection)."""
        slider = self.payment_controls["probability"]
        slider.unobserve(self._on_probability, names="value")
        slider.value = self.model.kecamatan_probability(change["new"])
        slider.observe(self._on_probability, names="value")

    def _on_probability(self, change) -> None:
        kecamatan = self.payment_controls["kecamatan"].value
        self.apply(
            kecamatan_payment_probability=with_kecamatan_probability(self.model.settings, kecamatan, change["new"])
        )

    def apply(self, **changes) -> ExplorerView | None:
        """Update the model and redraw; an invalid setting shows its message in ``status``."""
        try:
            view = self.model.update(**changes)
        except InputError as exc:
            message = i18n.text("explorer.invalid_settings", self.lang, error=exc)
            self.status.value = f'<span style="color:#b00">{html.escape(message)}</span>'
            return None
        self.status.value = ""
        self.render(view)
        return view

    def render(self, view: ExplorerView) -> None:
        """Redraw key figures, charts and the reading note for ``view``."""
        self.figures_html.value = key_figures_html(view, self.lang)
        self.chart.value = plots.to_png(explorer_figure(view, self.lang))
        note = reading_text(view.settings.coverage_growth_reading, self.model.inputs, self.lang, view.scenario)
        self.reading_html.value = f"<p>{html.escape(note)}</p>"
        for name, options in TOGGLES.items():
            inert = not self.model.options_differ(name, options)
            text = html.escape(i18n.text("explorer.no_effect", self.lang)) if inert else ""
            self.toggle_notes[name].value = f'<small style="color:#555">{text}</small>' if text else ""

    def save(self, path: str | Path | None = None) -> Path | None:
        """ "Save as scenario": write ``<save_dir>/<name>.yaml`` (or ``path``); the result shows in ``status``."""
        name = self.name.value.strip()
        try:
            written = self.model.save(path or self.save_dir / f"{name}.yaml", name=name, lang=self.lang)
        except (InputError, OSError) as exc:
            message = i18n.text("explorer.save_failed", self.lang, error=exc)
            self.status.value = f'<span style="color:#b00">{html.escape(message)}</span>'
            return None
        self.status.value = html.escape(i18n.text("explorer.saved", self.lang, path=written))
        return written

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """The widgets for a notebook front end; for an HTML export without widget state (the committed
        notebooks keep none) a short note instead of an empty box: the static figures follow below."""
        bundle = self.box._repr_mimebundle_(include=include, exclude=exclude)
        note = html.escape(i18n.text("explorer.export_note", self.lang))
        bundle["text/html"] = f"<p><em>{note}</em></p>"
        bundle["text/plain"] = i18n.text("explorer.export_note", self.lang)
        return bundle
