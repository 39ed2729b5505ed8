"""UCJ segments as BPJS Ketenagakerjaan counts them (issue 12), from ``data/parameters/ucj_segments.yaml``.

Central Sulawesi's active participants of 2024 by segment (real at: province), the rules that carry
each segment to the district (estimated), the worker denominator (BPJS's 2021 ratio to BPS employed
persons, or all employed), the provincial pekerja-rentan programme (district share, start month,
overlap with village-funded workers) and the UCJ targets. :func:`load_ucj_segments` validates the
file; the rates derived from it are properties, so each figure is written once.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from touna_policy import config
from touna_policy.parameters.base import ParameterModel
from touna_policy.parameters.loading import load_validated
from touna_policy.parameters.ranges import Count, Share, Year

UCJ_SEGMENTS_YAML = config.PARAMETERS_DIR / "ucj_segments.yaml"

Status = Literal["reported", "derived", "estimated", "assumption"]
ScalingBase = Literal["formal_workers_outside_concentrated", "employed_outside_concentrated", "employed"]
SEGMENT_NAMES = ("wage_earners_pu", "construction_jakon", "migrant_workers_pmi")
"""The segments scaled from the province (the BPU ones come from the model's channels)."""


class _Strict(ParameterModel):
    model_config = ConfigDict(extra="forbid")


class ProvinceActive(_Strict):
    """Central Sulawesi's active participants by segment in one year (real at: province)."""

    year: Year
    status: Status
    reference: str = Field(min_length=3)
    wage_earners_pu: Count
    bpu: Count
    construction_jakon: Count
    migrant_workers_pmi: Count
    total: Count

    @model_validator(mode="after")
    def _adds_up(self) -> ProvinceActive:
        parts = self.wage_earners_pu + self.bpu + self.construction_jakon + self.migrant_workers_pmi
        if parts != self.total:
            raise ValueError(f"the segments add up to {parts:,}, not the total {self.total:,}")
        return self


class GovernmentFunded(_Strict):
    """BPU participants paid by a government budget (APBD, APBDes) in one year."""

    year: Year
    status: Status
    reference: str = Field(min_length=3)
    apbd: Count
    apbdes: Count


class ProvinceWorkforce(_Strict):
    """The province's employed and informal workers (BPS Sakernas)."""

    year: Year
    status: Status
    reference: str = Field(min_length=3)
    employed: Count = Field(gt=0)
    informal: Count

    @model_validator(mode="after")
    def _informal_within_employed(self) -> ProvinceWorkforce:
        if self.informal > self.employed:
            raise ValueError(f"informal {self.informal:,} is more than employed {self.employed:,}")
        return self


class ConcentratedEmployer(_Strict):
    """Wage earners of one place outside the district, taken out of the province before scaling."""

    name: str = Field(min_length=3)
    year: Year
    workers: Count
    status: Status
    reference: str = Field(min_length=3)


class SegmentRule(_Strict):
    """How a province segment is carried to the district: the base it is scaled by, and why."""

    base: ScalingBase
    status: Status
    real_at: Literal["province"]
    rule: str = Field(min_length=3)


class SelfPayingAnchor(_Strict):
    status: Status
    real_at: Literal["province"]
    rule: str = Field(min_length=3)


class SelfPayingLapse(_Strict):
    """The reading of the self-paying lapse anchor: the BPU non-active share, not the all-segment one."""

    reading: Literal["bpu_non_active"]
    status: Status
    bpu_non_active_share: Share
    all_segment_non_active_share: Share
    reference: str = Field(min_length=3)


class Bpjs2021Denominator(_Strict):
    status: Status
    active_participants: Count
    workers: Count = Field(gt=0)
    employed_bps: Count = Field(gt=0)
    reference: str = Field(min_length=3)

    @property
    def ratio_to_employed(self) -> float:
        """BPJS's worker denominator over BPS employed persons (946,261 / 1,516,700 = 0.6239)."""
        return self.workers / self.employed_bps

    @property
    def share(self) -> float:
        """The published share: 231,145 / 946,261 = 24.22 %."""
        return self.active_participants / self.workers


class AllEmployedDenominator(_Strict):
    status: Status
    reference: str = Field(min_length=3)


class Denominator(_Strict):
    default_reading: Literal["bpjs_2021", "all_employed"]
    bpjs_2021: Bpjs2021Denominator
    all_employed: AllEmployedDenominator
    note: str = ""

    def ratio(self, reading: str | None = None) -> float:
        """Worker denominator per BPS employed person under ``reading`` (default: the file's)."""
        reading = reading or self.default_reading
        return self.bpjs_2021.ratio_to_employed if reading == "bpjs_2021" else 1.0


class ShareParameter(_Strict):
    value: Share
    status: Status
    rule: str = Field(min_length=3)


class ProvincialProgramme(_Strict):
    """The provincial pekerja-rentan programme: its workers, start month, district share and overlap."""

    province_workers: Count
    start_month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    status: Status
    reference: str = Field(min_length=3)
    district_share: ShareParameter
    overlap_share: ShareParameter


class Target(_Strict):
    """A UCJ target: one ``share`` for every year (``level``), or a ``path`` of years, linear in between."""

    kind: Literal["level", "path"]
    share: Share | None = None
    path: dict[Year, Share] | None = None
    reference: str = Field(min_length=3)

    @model_validator(mode="after")
    def _one_form(self) -> Target:
        if self.kind == "level" and (self.share is None or self.path is not None):
            raise ValueError("a 'level' target gives 'share' (and no 'path')")
        if self.kind == "path" and (self.path is None or len(self.path) < 1 or self.share is not None):
            raise ValueError("a 'path' target gives 'path' ({year: share, ...}) and no 'share'")
        return self


class UcjSegments(_Strict):
    """The whole ``ucj_segments.yaml`` file."""

    source: str = Field(min_length=3)
    retrieved: dt.date
    province_active_2024: ProvinceActive
    province_bpu_government_funded_2024: GovernmentFunded
    province_workforce_2024: ProvinceWorkforce
    concentrated_wage_employer: ConcentratedEmployer
    segments: dict[Literal["wage_earners_pu", "construction_jakon", "migrant_workers_pmi"], SegmentRule]
    self_paying_anchor: SelfPayingAnchor
    self_paying_lapse: SelfPayingLapse
    denominator: Denominator
    provincial_programme: ProvincialProgramme
    targets: dict[str, Target]

    @model_validator(mode="after")
    def _consistent(self) -> UcjSegments:
        missing = [name for name in SEGMENT_NAMES if name not in self.segments]
        if missing:
            raise ValueError(f"segments has no rule for {', '.join(missing)}")
        w, c = self.province_workforce_2024, self.concentrated_wage_employer
        if c.workers >= w.employed - w.informal:
            raise ValueError(
                f"concentrated_wage_employer.workers {c.workers:,} is not below the province's formal workers "
                f"{w.employed - w.informal:,}"
            )
        if c.workers > self.province_active_2024.wage_earners_pu:
            raise ValueError(
                f"concentrated_wage_employer.workers {c.workers:,} is more than the province's PU participants "
                f"{self.province_active_2024.wage_earners_pu:,}"
            )
        funded = self.province_bpu_government_funded_2024
        if funded.apbd + funded.apbdes > self.province_active_2024.bpu:
            raise ValueError(
                f"province_bpu_government_funded_2024 adds up to {funded.apbd + funded.apbdes:,}, more than the "
                f"province's BPU participants {self.province_active_2024.bpu:,}"
            )
        return self

    # --- the rates each segment is scaled by (per worker of its base, anchor year) --------------------
    @property
    def province_formal_workers(self) -> int:
        """Employed minus informal workers of the province (523,240 in 2024)."""
        return self.province_workforce_2024.employed - self.province_workforce_2024.informal

    def base_size(self, base: str) -> float:
        """The province's size of a scaling base (workers)."""
        w, c = self.province_workforce_2024, self.concentrated_wage_employer.workers
        return {
            "formal_workers_outside_concentrated": self.province_formal_workers - c,
            "employed_outside_concentrated": w.employed - c,
            "employed": w.employed,
        }[base]

    def province_count(self, segment: str) -> float:
        """The province's active participants of ``segment``, less the concentrated employer's for PU."""
        a = self.province_active_2024
        if segment == "wage_earners_pu":
            return a.wage_earners_pu - self.concentrated_wage_employer.workers
        return float(getattr(a, segment))

    def segment_rate(self, segment: str) -> float:
        """Active participants of ``segment`` per worker of its base (PU: 231,034 / 440,240 = 0.5248)."""
        return self.province_count(segment) / self.base_size(self.segments[segment].base)  # type: ignore[index]

    @property
    def self_paying_anchor_share(self) -> float:
        """Self-paying BPU per informal worker not funded by a budget (42,777 / 916,204 = 0.0467)."""
        a, f = self.province_active_2024, self.province_bpu_government_funded_2024
        funded = f.apbd + f.apbdes
        return (a.bpu - funded) / (self.province_workforce_2024.informal - funded)

    @property
    def provincial_district_workers(self) -> float:
        """The district's provincial-programme workers before overlap: share x 62,969."""
        p = self.provincial_programme
        return p.district_share.value * p.province_workers


@lru_cache(maxsize=4)
def load_ucj_segments(path: Path = UCJ_SEGMENTS_YAML) -> UcjSegments:
    """Read and validate ``ucj_segments.yaml``.

    Raises
    ------
    InputError
        naming the file, the key and its line: a missing or unknown key, a count that is not a whole
        number, segments that do not add up to the total, a share outside 0-1.
    """
    return load_validated(UcjSegments, Path(path))
