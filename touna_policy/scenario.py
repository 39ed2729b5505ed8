"""Scenario files: a typed, validated description of one policy option.

A scenario is a YAML file in ``data/scenarios``. Every numeric parameter has a unit and a range
(see the ``description`` of each field, or ``touna-policy validate --explain``). Unknown keys are
refused with the nearest valid key suggested; errors name the file, the key and its YAML line.

Year schedules (``{2024: 100, 2026: 150}``) are step functions: a value holds from its year until
the next key; before the first key the default applies (no quota, full compliance, no budget).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from touna_policy import config
from touna_policy.errors import InputError, InputProblem, nearest
from touna_policy.parameters.distributions import AllocationMix, TargetSpec, UncertaintySpec
from touna_policy.yamlio import load_yaml

YEAR_MIN, YEAR_MAX = 2000, 2100
QUOTA_MAX = 100_000


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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False, frozen=False, validate_default=True)


QuotaSchedule = dict[int, int]
ShareSchedule = dict[int, float]
MoneySchedule = dict[int, float]


class ByVillageType(_Strict):
    """A year schedule for desa and one for kelurahan."""

    desa: dict[int, float] = Field(default_factory=dict)
    kelurahan: dict[int, float] = Field(default_factory=dict)

    @field_validator("desa", "kelurahan")
    @classmethod
    def _years(cls, v: dict[int, float]) -> dict[int, float]:
        for value in v.values():
            _finite(value)
        return _check_year_keys(v)


class QuotaByType(ByVillageType):
    """Funded places per village (workers, whole numbers 0-100,000) by year, for desa and kelurahan."""

    desa: dict[int, int] = Field(default_factory=dict, description="workers per desa, by first year")
    kelurahan: dict[int, int] = Field(default_factory=dict, description="workers per kelurahan, by first year")

    @field_validator("desa", "kelurahan")
    @classmethod
    def _range(cls, v: dict[int, int]) -> dict[int, int]:
        return _schedule_within(v, 0, QUOTA_MAX, "quota", f"0-{QUOTA_MAX} workers")


class BudgetByType(ByVillageType):
    """Programme budget per village (IDR per year, 0-1e13) by year, for desa and kelurahan."""

    @field_validator("desa", "kelurahan")
    @classmethod
    def _range(cls, v: dict[int, float]) -> dict[int, float]:
        return _schedule_within(v, 0, 1e13, "budget", "0-1e13 IDR")


class Horizon(_Strict):
    """First and last projection year (inclusive), 2000-2100."""

    start_year: int = Field(2023, ge=YEAR_MIN, le=YEAR_MAX, description="first projection year")
    end_year: int = Field(2035, ge=YEAR_MIN, le=YEAR_MAX, description="last projection year")

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

    self_paid_bpu_share: float | None = Field(
        None,
        ge=0,
        le=1,
        description="share (0-1) of unfunded vulnerable workers paying their own BPU contributions in the base year",
    )
    self_paid_bpu_annual_change: float | None = Field(
        None, ge=-0.2, le=0.2, description="change of that share per year (0-1 units)"
    )
    wage_earner_coverage_share: float | None = Field(
        None, ge=0, le=1, description="share (0-1) of formal workers covered by employers in the base year"
    )
    wage_earner_annual_change: float | None = Field(
        None, ge=-0.2, le=0.2, description="change of that share per year (0-1 units)"
    )
    base_year: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX, description="year the shares refer to")
    source: Literal["assumption", "seed_calibration", "fitted_trend"] = Field(
        "assumption",
        description="assumption: the shares above (or coverage_assumptions.yaml); seed_calibration: calibrated from the seed's 22.27 % under coverage_growth_reading (touna_policy.calibration.estimation); fitted_trend: the statsmodels trend fitted to data/raw/coverage_series.csv",
    )


class Override(_Strict):
    """District defaults replaced for one village (by code) or one kecamatan (by code or name)."""

    village: str | None = Field(
        None, pattern=r"^\d{2}\.\d{2}\.\d{2}\.[1-3]\d{3}$", description="Kemendagri village code"
    )
    kecamatan: str | None = Field(None, min_length=1, description="kecamatan code (72.09.05) or name")
    quota: dict[int, int] | None = Field(None, description="workers per village by first year (0-100,000)")
    payment_compliance_share: dict[int, float] | None = Field(
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


class Scenario(_Strict):
    """One policy option for the village-funded BPJS Ketenagakerjaan programme."""

    name: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$", description="short id, used for folder names (a-z, 0-9, - and _)"
    )
    title: str = Field(min_length=1, max_length=200, description="title shown on reports")
    description: str = Field("", max_length=5000, description="what the scenario is, for the report")
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
        description="equal: every village gets its type's quota; proportional: the same total places split in proportion to each village's vulnerable workers; capped_mix: part equal, part proportional, never above a village's eligible workers (see allocation_mix)",
    )
    payment_compliance_share: dict[int, float] = Field(
        default_factory=lambda: {YEAR_MIN: 1.0},
        description="0-1 share of funded places whose premiums are actually paid, by first year",
    )
    programme_budget_per_village_idr: BudgetByType = Field(
        default_factory=BudgetByType,
        description="village programme budget, IDR per village per year (e.g. Rp 1 billion under Satu Miliar Satu Desa)",
    )
    district_budget_line_idr: dict[int, float] = Field(
        default_factory=dict,
        description="district (APBD) budget line for these premiums, IDR per year, 0-1e14, by first year; the premium total is shown as a share of it",
    )
    declared_income_idr: float = Field(
        1_000_000, gt=0, le=1e9, description="monthly income declared per participant, IDR (sets the JKK band and JHT)"
    )
    include_jht: bool = Field(
        False, description="whether the optional JHT savings contribution (2 % of declared income) is funded"
    )
    transport_worker_share: float = Field(
        0.0, ge=0, le=1, description="0-1 share of funded workers in transport (PP 50/2025 relief dates differ)"
    )
    workforce_growth_share_per_year: float | None = Field(
        None,
        ge=-0.05,
        le=0.10,
        description="yearly growth of the working population (0-1 units); None derives it from the BPS population series",
    )
    other_channels: OtherChannels = Field(default_factory=OtherChannels)
    coverage_growth_reading: Literal["relative", "percentage_points", "share_net_of_growth", "level"] = Field(
        "percentage_points",
        description="how to read the seed's '22.27 % rise in 2024 over 2023' "
        "(percentage_points: concluded by touna_policy.calibration.seed.conclude_reading)",
    )
    overrides: list[Override] = Field(default_factory=list, description="village or kecamatan exceptions")
    seed: int = Field(20250626, ge=0, le=2**32 - 1, description="random seed for anything stochastic")
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

    @field_validator("payment_compliance_share")
    @classmethod
    def _compliance(cls, v: dict[int, float]) -> dict[int, float]:
        return _schedule_within(v, 0, 1, "share", "0-1")

    @field_validator("district_budget_line_idr")
    @classmethod
    def _district_budget(cls, v: dict[int, float]) -> dict[int, float]:
        return _schedule_within(v, 0, 1e14, "budget", "0-1e14 IDR")

    @field_validator("declared_income_idr", "transport_worker_share")
    @classmethod
    def _finite_number(cls, v: float) -> float:
        return _finite(v)

    @property
    def years(self) -> np.ndarray:
        return self.horizon.years


def _field_names(model: type[BaseModel]) -> list[str]:
    return list(model.model_fields)


def _model_at(loc: tuple, root: type[BaseModel] | None = None) -> type[BaseModel] | None:
    """The pydantic model that owns the last element of ``loc`` (counted from ``root``, default Scenario)."""
    model: Any = root or Scenario
    for part in loc[:-1]:
        if isinstance(part, int) and model is Override:
            continue
        field = getattr(model, "model_fields", {}).get(part) if isinstance(part, str) else None
        if field is None:
            if isinstance(part, int):
                continue
            return None
        ann = field.annotation
        args = getattr(ann, "__args__", ())
        candidates = [ann, *args]
        model = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if model is None:
            return None
    return model


def problems_from_validation(
    exc: ValidationError, file: str, lines: dict[str, int], root: type[BaseModel] | None = None
) -> list[InputProblem]:
    """Turn pydantic errors into :class:`InputProblem` with YAML lines and nearest-key hints."""
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        key = ".".join(str(p) for p in loc)
        line = lines.get(key)
        probe = key
        while line is None and "." in probe:
            probe = probe.rsplit(".", 1)[0]
            line = lines.get(probe)
        where = f"key '{key}'" + (f" (line {line})" if line else "") if key else "top level"
        hint = ""
        if err["type"] == "extra_forbidden":
            owner = _model_at(loc, root)
            best = nearest(str(loc[-1]), _field_names(owner)) if owner else None
            hint = f"did you mean '{best}'?" if best else ""
            found, expected = (
                f"unknown key '{loc[-1]}'",
                f"one of: {', '.join(_field_names(owner))}" if owner else "a known key",
            )
        elif err["type"] == "missing":
            found, expected = "nothing", "this required key"
        else:
            found = repr(err.get("input"))[:80]
            expected = err["msg"].replace("Value error, ", "").replace("Input should be ", "")
            ctx = err.get("ctx") or {}
            if err["type"] == "literal_error":  # a misspelled choice: suggest the nearest one
                best = nearest(str(err.get("input")), re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
                hint = f"did you mean '{best}'?" if best else ""
            elif err["type"] == "string_pattern_mismatch":  # say it in words, not only as a regex
                owner = _model_at(loc, root)
                info = getattr(owner, "model_fields", {}).get(loc[-1]) if owner else None
                if info is not None and info.description:
                    expected = f"{info.description}, matching {ctx.get('pattern')}"
        problems.append(InputProblem(file, where, found, expected, hint))
    return problems


def scenario_from_dict(data: Any, file: str = "<scenario>", lines: dict[str, int] | None = None) -> Scenario:
    """Validate a mapping as a :class:`Scenario` (all problems reported together)."""
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
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, file, lines)) from None


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario YAML file.

    Raises
    ------
    InputError
        naming the file, the key and its line, with the nearest valid key for a misspelling.
    """
    data, lines = load_yaml(path)
    scenario = scenario_from_dict(data, str(path), lines)
    object.__setattr__(scenario, "_source_path", str(Path(path).resolve()))
    object.__setattr__(scenario, "_source_lines", lines)
    return scenario


def scenario_to_yaml(scenario: Scenario) -> str:
    """The scenario as YAML that :func:`load_scenario` reads back to an equal scenario."""
    import yaml

    data = scenario.model_dump(mode="json", exclude_defaults=False)
    data["payment_compliance_share"] = {int(k): v for k, v in data["payment_compliance_share"].items()}
    for section in ("quota_per_village", "programme_budget_per_village_idr"):
        for kind in ("desa", "kelurahan"):
            data[section][kind] = {int(k): v for k, v in data[section][kind].items()}
    for ov in data["overrides"]:
        for key in ("quota", "payment_compliance_share"):
            if ov.get(key) is not None:
                ov[key] = {int(k): v for k, v in ov[key].items()}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def shipped_scenarios() -> list[Path]:
    """The scenario files shipped in ``data/scenarios``, sorted by name."""
    return sorted(config.SCENARIOS_DIR.glob("*.yaml"))
