"""Scenario files: a typed, validated description of one policy option.

A scenario is a YAML file in ``data/scenarios``. Every numeric parameter has a unit and a range
(see the ``description`` of each field, or ``touna-policy validate --explain``). Unknown keys are
refused with the nearest valid key suggested; errors name the file, the key and its YAML line.

Year schedules (``{2024: 100, 2026: 150}``) are step functions: a value holds from its year until
the next key; before the first key the default applies (no quota, full compliance, no budget).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from touna_policy import config
from touna_policy.data.registry import known_area_codes
from touna_policy.errors import InputError, InputProblem, did_you_mean, problems_from_validation
from touna_policy.io import read_input_bytes
from touna_policy.parameters.base import ParameterModel
from touna_policy.parameters.contributions import first_full_rate_year
from touna_policy.parameters.distributions import AllocationMix, TargetSpec, UncertaintySpec
from touna_policy.parameters.loading import cached_validation
from touna_policy.parameters.ranges import (
    DECLARED_INCOME_MAX_IDR,
    DISTRICT_BUDGET_MAX_IDR,
    QUOTA_MAX,
    VILLAGE_BUDGET_MAX_IDR,
    WORKFORCE_GROWTH_MAX,
    WORKFORCE_GROWTH_MIN,
    YEAR_MAX,
    YEAR_MIN,
    AnnualChange,
    Integer,
    Number,
    ScenarioName,
    ScheduleYear,
    Seed,
    Share,
    Year,
)
from touna_policy.yamlio import MAX_YAML_BYTES, load_yaml


def _check_year_keys(schedule: dict[int, Any]) -> dict[int, Any]:
    for year in schedule:
        if not YEAR_MIN <= int(year) <= YEAR_MAX:
            raise ValueError(f"year {year} is outside {YEAR_MIN}-{YEAR_MAX}")
    return dict(sorted(schedule.items()))


def _schedule_within(schedule: dict[int, Any], low: float, high: float, what: str, limits: str) -> dict[int, Any]:
    """Check every value of a year schedule is finite and in ``[low, high]`` (``limits`` words the
    range for the message: ``"0-1e13 IDR"``); return it sorted by year."""
    for year, value in schedule.items():
        _finite(value)
        if not low <= value <= high:
            raise ValueError(f"{what} {value} in {year} is outside {limits}")
    return _check_year_keys(schedule)


def _finite(value: float) -> float:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value} is not a finite number")
    return value


TEXT_LANGUAGES = ("id", "en")
"""Languages a scenario's ``title`` / ``short_title`` / ``description`` may be given in."""

SHORT_TITLE_MAX_CHARACTERS = 40
"""Longest short title: it heads a table column and labels a chart legend."""


class _Strict(ParameterModel):
    model_config = ConfigDict(extra="forbid", strict=False, frozen=False, validate_default=True)


QuotaSchedule = dict[ScheduleYear, Integer]
ShareSchedule = dict[ScheduleYear, Number]
MoneySchedule = dict[ScheduleYear, Number]


class ByVillageType(_Strict):
    """A year schedule for desa and one for kelurahan."""

    desa: MoneySchedule = Field(default_factory=dict)
    kelurahan: MoneySchedule = Field(default_factory=dict)

    @field_validator("desa", "kelurahan")
    @classmethod
    def _years(cls, v: dict[int, float]) -> dict[int, float]:
        for value in v.values():
            _finite(value)
        return _check_year_keys(v)


class QuotaByType(ByVillageType):
    """Funded places per village (workers, whole numbers 0-100,000) by year, for desa and kelurahan."""

    # a narrower schedule than the base class's (whole workers): pydantic validates the override
    desa: QuotaSchedule = Field(default_factory=dict, description="workers per desa, by first year")  # type: ignore[assignment]
    kelurahan: QuotaSchedule = Field(default_factory=dict, description="workers per kelurahan, by first year")  # type: ignore[assignment]

    @field_validator("desa", "kelurahan")
    @classmethod
    def _range(cls, v: dict[int, int]) -> dict[int, int]:
        return _schedule_within(v, 0, QUOTA_MAX, "quota", f"0-{QUOTA_MAX} workers")


class BudgetByType(ByVillageType):
    """Programme budget per village (IDR per year, 0-1e13) by year, for desa and kelurahan."""

    @field_validator("desa", "kelurahan")
    @classmethod
    def _range(cls, v: dict[int, float]) -> dict[int, float]:
        return _schedule_within(v, 0, VILLAGE_BUDGET_MAX_IDR, "budget", "0-1e13 IDR")


class Horizon(_Strict):
    """First and last projection year (inclusive), 2000-2100."""

    start_year: Year = Field(2023, description="first projection year")
    end_year: Year = Field(2035, description="last projection year")

    @model_validator(mode="after")
    def _order(self) -> Horizon:
        if self.end_year < self.start_year:
            raise ValueError(f"end_year {self.end_year} is before start_year {self.start_year}")
        return self

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.start_year, self.end_year + 1)


class OtherChannels(_Strict):
    """Coverage outside the programme; ``None`` takes the value from data/parameters/coverage_assumptions.yaml."""

    self_paid_bpu_share: Share | None = Field(
        None,
        description="share (0-1) of unfunded vulnerable workers paying their own BPU contributions in the base year",
    )
    self_paid_bpu_annual_change: AnnualChange | None = Field(
        None, description="change of that share per year (0-1 units)"
    )
    wage_earner_coverage_share: Share | None = Field(
        None, description="share (0-1) of formal workers covered by employers in the base year"
    )
    wage_earner_annual_change: AnnualChange | None = Field(
        None, description="change of that share per year (0-1 units)"
    )
    base_year: Year | None = Field(None, description="year the shares refer to")
    provincial_programme_share: Share | None = Field(
        None,
        description="share (0-1) of the provincial pekerja-rentan programme's workers in this district "
        "(None: data/parameters/ucj_segments.yaml)",
    )
    provincial_programme_overlap_share: Share | None = Field(
        None,
        description="share (0-1) of those workers who are also village-funded, counted once "
        "(None: data/parameters/ucj_segments.yaml)",
    )
    source: Literal["assumption", "seed_calibration", "fitted_trend"] = Field(
        "assumption",
        description=(
            "assumption: the shares above (or coverage_assumptions.yaml); seed_calibration: calibrated from the "
            "seed's 22.27 % under coverage_growth_reading (touna_policy.calibration.estimation); fitted_trend: the "
            "statsmodels trend fitted to data/raw/coverage_series.csv"
        ),
    )


class Override(_Strict):
    """District defaults replaced for one village (by code) or one kecamatan (by code or name).

    Overrides apply in the order written: where a village override and a kecamatan override both
    cover a village, the one written later wins. Two overrides of the same village (or the same
    kecamatan) that set the same key to different values are refused. A ``quota`` override needs
    the ``equal`` allocation rule (the other rules re-split the district's total places, which would
    ignore it) and is refused under ``proportional`` and ``capped_mix``.
    """

    village: str | None = Field(
        None, pattern=r"^\d{2}\.\d{2}\.\d{2}\.[1-3]\d{3}$", description="Kemendagri village code"
    )
    kecamatan: str | None = Field(None, min_length=1, description="kecamatan code (72.09.05) or name")
    quota: QuotaSchedule | None = Field(None, description="workers per village by first year (0-100,000)")
    payment_compliance_share: ShareSchedule | None = Field(
        None, description="0-1 share of funded places actually paid, by first year"
    )

    @model_validator(mode="after")
    def _one_target(self) -> Override:
        if (self.village is None) == (self.kecamatan is None):
            raise ValueError("an override names exactly one of 'village' or 'kecamatan'")
        if self.quota is None and self.payment_compliance_share is None:
            raise ValueError("an override sets 'quota' or 'payment_compliance_share'")
        return self

    @field_validator("quota")
    @classmethod
    def _quota(cls, v):
        return v if v is None else _schedule_within(v, 0, QUOTA_MAX, "quota", f"0-{QUOTA_MAX} workers")

    @field_validator("payment_compliance_share")
    @classmethod
    def _share(cls, v):
        return v if v is None else _schedule_within(v, 0, 1, "share", "0-1")


# --- payers (issue 11): who pays each funded place, and whether the PP 50/2025 relief applies -------
PayerName = Literal["apbdes", "apbd", "apbd_province", "self"]


class PayerOverride(_Strict):
    """The payer of one kecamatan's (by code or name) or one village's (by code) places."""

    village: str | None = Field(
        None, pattern=r"^\d{2}\.\d{2}\.\d{2}\.[1-3]\d{3}$", description="Kemendagri village code"
    )
    kecamatan: str | None = Field(None, min_length=1, description="kecamatan code (72.09.05) or name")
    payer: PayerName = Field(description="apbdes, apbd, apbd_province or self")

    @model_validator(mode="after")
    def _one_target(self) -> PayerOverride:
        if (self.village is None) == (self.kecamatan is None):
            raise ValueError("a payer override names exactly one of 'village' or 'kecamatan'")
        return self


class Payers(_Strict):
    """Who pays the funded places: by village type, then kecamatan overrides, then village overrides."""

    desa: PayerName = Field("apbdes", description="payer of a desa's places (default: its APBDes)")
    kelurahan: PayerName = Field("apbd", description="payer of a kelurahan's places (default: the kabupaten APBD)")
    overrides: list[PayerOverride] = Field(
        default_factory=list, description="kecamatan or village exceptions (a village's wins over its kecamatan's)"
    )


# --- arrears (issue 12): months in which a village's premiums go unpaid -----------------------------
YearMonth = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


def month_number(year_month: str) -> int:
    """``"2025-10"`` -> months since year 0 (2025 x 12 + 9), to compare and index months."""
    year, month = year_month.split("-")
    return int(year) * 12 + int(month) - 1


class ArrearsEpisode(_Strict):
    """Months in which the places of one village (by code), one kecamatan (by code or name) or one
    village type go unpaid: from ``stop`` (the first unpaid month, ``YYYY-MM``) to the month before
    ``resume`` (the first month paid again; none: never), the arrears paid with the ``resume`` month
    when ``pays_arrears`` (as far as BPJS accepts them: data/parameters/participation.yaml)."""

    village: str | None = Field(
        None, pattern=r"^\d{2}\.\d{2}\.\d{2}\.[1-3]\d{3}$", description="Kemendagri village code"
    )
    kecamatan: str | None = Field(None, min_length=1, description="kecamatan code (72.09.05) or name")
    type: Literal["desa", "kelurahan"] | None = Field(None, description="every desa or every kelurahan")
    stop: YearMonth = Field(description="first unpaid month, YYYY-MM")
    resume: YearMonth | None = Field(None, description="first month paid again, YYYY-MM (none: never)")
    pays_arrears: bool = Field(True, description="whether the unpaid months are paid with the resume month")

    @model_validator(mode="after")
    def _target_and_order(self) -> ArrearsEpisode:
        if sum(x is not None for x in (self.village, self.kecamatan, self.type)) != 1:
            raise ValueError("an arrears episode names exactly one of 'village', 'kecamatan' or 'type'")
        if self.resume is not None and month_number(self.resume) <= month_number(self.stop):
            raise ValueError(f"resume {self.resume} is not after stop {self.stop}")
        return self


class PaymentProbability(_Strict):
    """How likely the places of one village (by code), one kecamatan (by code or name) or one village
    type are to be paid in each month: ``probability_per_month`` (0-1) from ``from_month`` to
    ``to_month`` (both ``YYYY-MM``, inclusive; omitted: the horizon's first or last month). Entries
    apply in the order written (a later one wins where two cover a village and month); villages and
    months no entry covers take the default of data/parameters/participation.yaml (0.95; self-paying
    places 1 - 0.096). The deterministic projection uses it as the expected share of months paid, the
    Monte Carlo draws every village's months from it."""

    village: str | None = Field(
        None, pattern=r"^\d{2}\.\d{2}\.\d{2}\.[1-3]\d{3}$", description="Kemendagri village code"
    )
    kecamatan: str | None = Field(None, min_length=1, description="kecamatan code (72.09.05) or name")
    type: Literal["desa", "kelurahan"] | None = Field(None, description="every desa or every kelurahan")
    probability_per_month: Share = Field(description="0-1 probability that a month's premiums are paid on time")
    from_month: YearMonth | None = Field(None, description="first month it holds, YYYY-MM (none: the horizon start)")
    to_month: YearMonth | None = Field(None, description="last month it holds, YYYY-MM (none: the horizon end)")

    @model_validator(mode="after")
    def _target_and_order(self) -> PaymentProbability:
        if sum(x is not None for x in (self.village, self.kecamatan, self.type)) != 1:
            raise ValueError("a payment_probability entry names exactly one of 'village', 'kecamatan' or 'type'")
        if self.from_month and self.to_month and month_number(self.to_month) < month_number(self.from_month):
            raise ValueError(f"to_month {self.to_month} is before from_month {self.from_month}")
        return self


class Scenario(_Strict):
    """One policy option for the village-funded BPJS Ketenagakerjaan programme."""

    name: ScenarioName = Field(description="short id, used for folder names (a-z, 0-9, - and _)")
    title: str = Field(min_length=1, max_length=200, description="title shown on reports")
    description: str = Field("", max_length=5000, description="what the scenario is, for the report")
    title_id: str | None = Field(None, min_length=1, max_length=200, description="the title in Indonesian")
    title_en: str | None = Field(None, min_length=1, max_length=200, description="the title in English")
    description_id: str | None = Field(None, max_length=5000, description="the description in Indonesian")
    description_en: str | None = Field(None, max_length=5000, description="the description in English")
    short_title: str | None = Field(
        None,
        min_length=1,
        max_length=SHORT_TITLE_MAX_CHARACTERS,
        description="short name for tables, chart legends and sentences (none: the title)",
    )
    short_title_id: str | None = Field(
        None, min_length=1, max_length=SHORT_TITLE_MAX_CHARACTERS, description="the short name in Indonesian"
    )
    short_title_en: str | None = Field(
        None, min_length=1, max_length=SHORT_TITLE_MAX_CHARACTERS, description="the short name in English"
    )
    area: str = Field(
        config.DEFAULT_AREA_CODE,
        pattern=r"^(0|\d{2}|\d{2}\.\d{2})$",
        description="Kemendagri area code: kabupaten (72.09), province (72) or 0 for Indonesia",
    )
    horizon: Horizon = Field(default_factory=Horizon)
    quota_per_village: QuotaByType = Field(
        default_factory=QuotaByType, description="funded places per village, workers"
    )
    allocation_rule: Literal["equal", "proportional", "capped_mix"] = Field(
        "equal",
        description=(
            "equal: every village gets its type's quota; proportional: the same total places split in proportion to "
            "each village's vulnerable workers; capped_mix: part equal, part proportional, never above a village's "
            "eligible workers (see allocation_mix)"
        ),
    )
    payment_compliance_share: ShareSchedule = Field(
        default_factory=lambda: {YEAR_MIN: 1.0},
        description="0-1 share of funded places whose premiums are actually paid, by first year",
    )
    programme_budget_per_village_idr: BudgetByType = Field(
        default_factory=BudgetByType,
        description=(
            "village programme budget, IDR per village per year (e.g. Rp 1 billion under Satu Miliar Satu Desa)"
        ),
    )
    district_budget_line_idr: MoneySchedule = Field(
        default_factory=dict,
        description=(
            "district (APBD) budget line for these premiums, IDR per year, 0-1e14, by first year; the premium total "
            "is shown as a share of it"
        ),
    )
    declared_income_idr: Number = Field(
        1_000_000,
        gt=0,
        le=DECLARED_INCOME_MAX_IDR,
        description="monthly income declared per participant, IDR (sets the JKK band and JHT)",
    )
    include_jht: bool = Field(
        False, description="whether the optional JHT savings contribution (2 % of declared income) is funded"
    )
    transport_worker_share: Share = Field(
        0.0, description="0-1 share of funded workers in transport (PP 50/2025 relief dates differ)"
    )
    workforce_growth_share_per_year: Number | None = Field(
        None,
        ge=WORKFORCE_GROWTH_MIN,
        le=WORKFORCE_GROWTH_MAX,
        description=(
            "yearly growth of the working population (0-1 units); None derives it from the BPS population series"
        ),
    )
    other_channels: OtherChannels = Field(default_factory=OtherChannels)
    coverage_growth_reading: Literal["relative", "percentage_points", "share_net_of_growth", "level"] = Field(
        "percentage_points",
        description="how to read the seed's '22.27 % rise in 2024 over 2023' "
        "(percentage_points: concluded by touna_policy.calibration.seed.conclude_reading)",
    )
    overrides: list[Override] = Field(default_factory=list, description="village or kecamatan exceptions")
    seed: Seed = Field(20250626, description="random seed for anything stochastic")
    allocation_mix: AllocationMix = Field(
        default_factory=AllocationMix, description="parameters of the capped_mix allocation rule"
    )
    uncertainty: UncertaintySpec = Field(
        default_factory=UncertaintySpec, description="Monte Carlo draws and the distribution of each uncertain input"
    )
    targets: TargetSpec | None = Field(None, description="coverage target for goal seeking (measure, share, year)")
    # payers (issue 11)
    payers: Payers = Field(
        default_factory=Payers, description="who pays each funded place (desa, kelurahan, overrides)"
    )
    relief_for_apbdes_paid: bool = Field(
        False,
        description="whether the PP 50/2025 relief applies to places paid from a desa's APBDes "
        "(not settled publicly; false budgets prudently)",
    )
    arrears: list[ArrearsEpisode] = Field(
        default_factory=list, description="months in which villages, kecamatan or a village type do not pay"
    )
    payment_probability: list[PaymentProbability] = Field(
        default_factory=list,
        description="monthly probability that villages, kecamatan or a village type pay (default: participation.yaml)",
    )

    @model_validator(mode="before")
    @classmethod
    def _per_language_texts(cls, data: Any) -> Any:
        """``title: {id: ..., en: ...}`` (and ``short_title``, ``description``) becomes ``title_id`` /
        ``title_en``; the plain ``title`` (manifests, CSV files) is then the English text, else the
        Indonesian one (a per-language ``short_title`` leaves the plain one empty)."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for key in ("title", "short_title", "description"):
            value = data.get(key)
            if isinstance(value, dict) and value and set(value) <= set(TEXT_LANGUAGES):
                for lang, text in value.items():
                    data.setdefault(f"{key}_{lang}", text)
                data[key] = None if key == "short_title" else value.get("en", value.get("id"))
            elif key == "title" and value is None and (data.get("title_en") or data.get("title_id")):
                data[key] = data.get("title_en") or data.get("title_id")
        return data

    def title_in(self, lang: str) -> str:
        """The title in ``lang`` (``title_id`` / ``title_en``), else the plain ``title``."""
        return getattr(self, f"title_{lang}", None) or self.title

    def short_title_in(self, lang: str) -> str:
        """The short name in ``lang`` for tables, legends and sentences: ``short_title_<lang>``, else a
        plain ``short_title``, else the title in ``lang`` (:meth:`title_in`)."""
        return getattr(self, f"short_title_{lang}", None) or self.short_title or self.title_in(lang)

    def description_in(self, lang: str) -> str:
        """The description in ``lang``, else the plain ``description``."""
        found = getattr(self, f"description_{lang}", None)
        return self.description if found is None else found

    @field_validator("payment_compliance_share")
    @classmethod
    def _compliance(cls, v: dict[int, float]) -> dict[int, float]:
        return _schedule_within(v, 0, 1, "share", "0-1")

    @field_validator("district_budget_line_idr")
    @classmethod
    def _district_budget(cls, v: dict[int, float]) -> dict[int, float]:
        return _schedule_within(v, 0, DISTRICT_BUDGET_MAX_IDR, "budget", "0-1e14 IDR")

    @field_validator("declared_income_idr", "transport_worker_share")
    @classmethod
    def _finite_number(cls, v: float) -> float:
        return _finite(v)

    _source_path: str | None = PrivateAttr(None)
    _source_lines: dict[str, int] = PrivateAttr(default_factory=dict)

    def __eq__(self, other: object) -> bool:
        """Equal when every key is equal; where the scenario was read from does not count."""
        if not isinstance(other, Scenario):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable, like any pydantic model

    @property
    def years(self) -> np.ndarray:
        return self.horizon.years

    @property
    def source_path(self) -> str | None:
        """Absolute path of the YAML file the scenario was read from (``None`` if built in code)."""
        return self._source_path

    def source_line(self, key: str) -> int | None:
        """YAML line of a dotted key (``"overrides.0.village"``), or ``None`` if unknown."""
        return self._source_lines.get(key)

    def key_location(self, key: str) -> str:
        """``key 'horizon.start_year' (line 3)`` for messages (without the line if unknown)."""
        line = self.source_line(key)
        return f"key '{key}'" + (f" (line {line})" if line else "")


def scenario_from_dict(data: Any, file: str = "<scenario>", lines: dict[str, int] | None = None) -> Scenario:
    """Validate a mapping as a :class:`Scenario` (all problems reported together)."""
    return checked_consistency(validated_scenario(data, file, lines), file)


def validated_scenario(data: Any, file: str = "<scenario>", lines: dict[str, int] | None = None) -> Scenario:
    """A mapping validated as a :class:`Scenario`, key by key (:func:`checked_consistency` then
    checks the keys against each other and the shipped data)."""
    lines = lines or {}
    if not isinstance(data, dict):
        found = {
            "str": f"text {str(data)[:40]!r}",
            "list": "a list",
            "int": "a number",
            "float": "a number",
            "bool": "true/false",
        }.get(type(data).__name__, f"a {type(data).__name__}")
        raise InputError.single(file, "top level", found, "a mapping of scenario keys (name: ..., title: ...)")
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, file, lines, Scenario)) from None
    scenario._source_lines = dict(lines)
    return scenario


def checked_consistency(scenario: Scenario, file: str) -> Scenario:
    """``scenario`` if its keys agree with each other and the shipped data, else :class:`InputError`
    with every :func:`consistency_problems`."""
    problems = consistency_problems(scenario, file)
    if problems:
        raise InputError(problems)
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario YAML file.

    Raises
    ------
    InputError
        naming the file, the key and its line, with the nearest valid key for a misspelling.
    """
    if not Path(path).is_dir():  # a folder is named as such by the reader; a relative path may be from the project root
        path = config.locate_input(path, "scenario YAML file")
    file = str(path)

    def validate() -> Scenario:
        data, lines = load_yaml(path)
        return validated_scenario(data, file, lines)

    # An unchanged file that validated before is read back (its key lines with it); the checks
    # against the shipped data always run, since those files may have changed.
    scenario = cached_validation(Scenario, read_input_bytes(path, "YAML file", MAX_YAML_BYTES), validate)
    scenario = checked_consistency(scenario, file)
    scenario._source_path = str(Path(path).resolve())
    return scenario


def consistency_problems(scenario: Scenario, file: str) -> list[InputProblem]:
    """Keys that are valid one by one but contradict each other or the shipped data.

    - two overrides of the same village or kecamatan setting one key to different values;
    - a ``quota`` override under an allocation rule that re-splits the total places (it would be ignored),
      and an ``allocation_mix`` other than the default under a rule other than ``capped_mix`` (never read);
    - a goal-seek ``targets.year`` outside the horizon (it is never moved silently);
    - an ``area`` code with no villages (named here, against the scenario, not the registry);
    - a ``horizon.start_year`` before the first BPU contribution rate in force for every month;
    - an ``arrears`` episode whose first unpaid month is outside the horizon.

    ``validate``, ``project`` and ``run`` all read scenarios through :func:`scenario_from_dict`, so
    they refuse the same files with the same message.
    """
    at = scenario.key_location
    problems: list[InputProblem] = []
    seen: dict[tuple[str, str, str], int] = {}
    for n, override in enumerate(scenario.overrides):
        kind = "village" if override.village is not None else "kecamatan"
        target = override.village if override.village is not None else str(override.kecamatan)
        for key in ("quota", "payment_compliance_share"):
            value = getattr(override, key)
            if value is None:
                continue
            first = seen.setdefault((kind, target, key), n)
            earlier = getattr(scenario.overrides[first], key)
            if first != n and earlier != value:
                line = scenario.source_line(f"overrides.{first}")
                problems.append(
                    InputProblem(
                        file,
                        at(f"overrides.{n}.{key}"),
                        f"{kind} '{target}' given {key} {value} here and {earlier} in overrides.{first}"
                        + (f" (line {line})" if line else ""),
                        f"one value per {kind} and key (remove or merge one of the two overrides)",
                    )
                )
        if override.quota is not None and scenario.allocation_rule != "equal":
            problems.append(
                InputProblem(
                    file,
                    at(f"overrides.{n}.quota"),
                    f"a quota override under allocation_rule '{scenario.allocation_rule}'"
                    + (f" ({at('allocation_rule')})" if scenario.source_line("allocation_rule") else ""),
                    "quota overrides only with allocation_rule 'equal' (the other rules re-split the district's "
                    "total places, so a village's own quota would be ignored)",
                )
            )
    # model_construct: the defaults without building a validator (a command that reads its scenario back
    # from the validation cache builds none)
    if scenario.allocation_mix != AllocationMix.model_construct() and scenario.allocation_rule != "capped_mix":
        problems.append(
            InputProblem(
                file,
                at("allocation_mix"),
                f"allocation_mix under allocation_rule '{scenario.allocation_rule}', which does not read it",
                "allocation_mix only with allocation_rule 'capped_mix' (or remove it)",
            )
        )
    if scenario.targets is not None:
        year, horizon = scenario.targets.year, scenario.horizon
        if not horizon.start_year <= year <= horizon.end_year:
            problems.append(
                InputProblem(
                    file,
                    at("targets.year"),
                    f"{year}, outside the horizon {horizon.start_year}-{horizon.end_year}",
                    "a target year within horizon.start_year-horizon.end_year (or extend the horizon)",
                )
            )
    first, last = scenario.horizon.start_year * 12, scenario.horizon.end_year * 12 + 11
    for n, episode in enumerate(scenario.arrears):
        if not first <= month_number(episode.stop) <= last:
            problems.append(
                InputProblem(
                    file,
                    at(f"arrears.{n}.stop"),
                    f"{episode.stop}, outside the horizon {scenario.horizon.start_year}-{scenario.horizon.end_year}",
                    "a first unpaid month within the horizon (or extend the horizon)",
                )
            )
    problems += _area_problems(scenario, file) + _first_rate_problems(scenario, file)
    return problems


def _area_problems(scenario: Scenario, file: str) -> list[InputProblem]:
    known = known_area_codes(scenario.area)
    if scenario.area in known:
        return []
    return [
        InputProblem(
            file,
            scenario.key_location("area"),
            f"'{scenario.area}', an area code with no villages in the registry",
            "a Kemendagri area code of the registry: a kabupaten (72.09), a province (72) or 0 for Indonesia",
            did_you_mean(scenario.area, sorted(known)),
        )
    ]


def _first_rate_problems(scenario: Scenario, file: str) -> list[InputProblem]:
    first, leaf, date = first_full_rate_year()
    if scenario.horizon.start_year >= first:
        return []
    return [
        InputProblem(
            file,
            scenario.key_location("horizon.start_year"),
            f"{scenario.horizon.start_year}, before the BPU contribution rates of {config.BPU_PARAMETERS_YAML} "
            f"('{leaf}' holds from {date.isoformat()})",
            f"a start year of {first} or later, when every month of the horizon has a contribution rate",
        )
    ]


def scenario_to_yaml(scenario: Scenario) -> str:
    """The scenario as YAML that :func:`load_scenario` reads back to an equal scenario."""
    import yaml

    def years_as_numbers(value: Any) -> Any:
        # JSON mode writes a year schedule's keys as text; a scenario file writes years as plain numbers
        if isinstance(value, dict):
            if value and all(isinstance(k, str) and k.isdigit() and len(k) == 4 for k in value):
                return {int(k): years_as_numbers(v) for k, v in value.items()}
            return {k: years_as_numbers(v) for k, v in value.items()}
        if isinstance(value, list):
            return [years_as_numbers(v) for v in value]
        return value

    data = years_as_numbers(scenario.model_dump(mode="json", exclude_defaults=False))
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def shipped_scenarios() -> list[Path]:
    """The scenario files shipped in ``data/scenarios``, sorted by name."""
    return sorted(config.SCENARIOS_DIR.glob("*.yaml"))
