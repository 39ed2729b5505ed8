"""UCJ as BPJS Ketenagakerjaan counts it, for the planner: the segment table, the target years and the
plausibility check, formatted and narrated in the report's language (the end of notebook 02).

The figures come from :mod:`touna_policy.model.ucj`; the words from ``locales/<lang>/ucj.yaml``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from touna_policy.model.ucj import (
    SEGMENTS,
    UCJ_COLUMNS,
    covers_area,
    plausibility,
    segment_table,
    targets_reached,
    ucj_by_year,
)
from touna_policy.parameters.ucj_segments import load_ucj_segments
from touna_policy.report import i18n

SHARE_ROWS = ("ucj_bpjs_share", "ucj_share_all_employed", "ucj_share_bpjs_2021_ratio")
"""Rows of the segment table that are shares (the rest are workers)."""


def available(result) -> bool:
    """Whether the scenario's area lies in Central Sulawesi, whose 2024 figures anchor the segments."""
    return covers_area(result.scenario.area)


def not_available(lang: str) -> pd.DataFrame:
    """The one-row table shown instead of a UCJ table outside Central Sulawesi."""
    return pd.DataFrame({"segment": [i18n.text("ucj.not_available", lang)]})


def table_years(years) -> list[int]:
    """2024, 2025 and 2026 where the horizon has them, and the horizon's last year."""
    years = [int(y) for y in years]
    chosen = [y for y in (2024, 2025, 2026) if y in years]
    return chosen + ([years[-1]] if years[-1] not in chosen else [])


def segment_display(result, lang: str) -> pd.DataFrame:
    """Segments x years as text: active participants by segment, the total, the denominator and the
    UCJ shares under both readings, each row with the level at which it is real."""
    if not available(result):
        return not_available(lang)
    by_year = ucj_by_year(result.district, area_code=result.scenario.area)
    frame = segment_table(by_year, table_years(by_year["year"]))
    frame = frame[frame["segment"] != "provincial_programme_workers"]  # the BPU provincial row shows them
    frame = frame[frame["segment"] != "ucj_bpjs_share"]  # the default reading: one of the two rows below
    out = pd.DataFrame(
        {
            "segment": [i18n.text(f"ucj.segment_{s}", lang) for s in frame["segment"]],
            "real_at": [i18n.text(f"ucj.level_{v}", lang) for v in frame["level"]],
        }
    )
    for col in frame.columns[2:]:
        out[col] = [
            i18n.share(v, lang) if s in SHARE_ROWS else i18n.number(v, lang)
            for s, v in zip(frame["segment"], frame[col], strict=True)
        ]
    return out.reset_index(drop=True)


def status_text(year_reached, last_year: int, lang: str) -> str:
    """``reached in 2026`` / ``not reached by 2035`` in ``lang``."""
    if year_reached is pd.NA or year_reached is None or (isinstance(year_reached, float) and np.isnan(year_reached)):
        return i18n.text("ucj.status_not_reached", lang, year=last_year)
    return i18n.text("ucj.status_reached", lang, year=int(year_reached))


def target_statuses(result, lang: str) -> pd.DataFrame:
    """Each UCJ target, the year it is reached over all working people and over BPJS's 2021 count."""
    if not available(result):
        return not_available(lang)
    by_year = ucj_by_year(result.district, area_code=result.scenario.area)
    targets = load_ucj_segments().targets
    years = by_year["year"].to_numpy()
    last = int(years[-1])
    over_all = targets_reached(years, by_year["ucj_share_all_employed"].to_numpy(), targets)
    over_2021 = targets_reached(years, by_year["ucj_share_bpjs_2021_ratio"].to_numpy(), targets)
    return pd.DataFrame(
        {
            "ucj_target": [i18n.text(f"ucj.target_{name}", lang) for name in over_all["target"]],
            "ucj_status": [status_text(y, last, lang) for y in over_all["year_reached"]],
            "ucj_status_2021_ratio": [status_text(y, last, lang) for y in over_2021["year_reached"]],
        }
    )


def check_display(result, lang: str, year: int = 2024) -> pd.DataFrame:
    """The district's UCJ beside Central Sulawesi's, with and without village-funded workers, as text."""
    if not available(result):
        return not_available(lang)
    frame = plausibility(ucj_by_year(result.district, area_code=result.scenario.area), year)
    return pd.DataFrame(
        {
            "ucj_area": [i18n.text(f"ucj.area_{a}", lang) for a in frame["area"]],
            "year": frame["year"].astype(str),
            "active_participants": [i18n.number(v, lang) for v in frame["active_participants"]],
            "ucj_share_all_employed": [i18n.share(v, lang) for v in frame["ucj_share_all_employed"]],
            "ucj_share_bpjs_2021_ratio": [i18n.share(v, lang) for v in frame["ucj_share_bpjs_2021_ratio"]],
        }
    )


def reading_year(result) -> int:
    """The year the UCJ texts quote: 2026 (the first year with the provincial programme all year) where
    the horizon has it, else its last year."""
    years = [int(y) for y in result.years]
    return 2026 if 2026 in years else years[-1]


def read_table(result, lang: str) -> str:
    """The segment table's reading, in one paragraph."""
    if not available(result):
        return ""
    year = reading_year(result)
    row = ucj_by_year(result.district, area_code=result.scenario.area).set_index("year").loc[year]
    programme = load_ucj_segments().provincial_programme
    overlap = result.scenario.other_channels.provincial_programme_overlap_share
    overlap = programme.overlap_share.value if overlap is None else overlap
    return i18n.text(
        "ucj.read_table",
        lang,
        year=year,
        active=i18n.number(row["ucj_active_participants"], lang),
        working=i18n.number(row["working_population"], lang),
        share=i18n.share(row["ucj_share_all_employed"], lang),
        share_2021=i18n.share(row["ucj_share_bpjs_2021_ratio"], lang),
        village=i18n.number(row["bpu_village_funded"], lang),
        provincial=i18n.number(row["bpu_provincial_programme"], lang),
        overlap=i18n.share(overlap, lang, 0),
    )


def read_targets(result, lang: str) -> str:
    """The target years' reading (over all working people)."""
    if not available(result):
        return ""
    t = target_statuses(result, lang).set_index(pd.Index(list(load_ucj_segments().targets)))
    return i18n.text(
        "ucj.read_targets",
        lang,
        national=t.loc["national_2025", "ucj_status"],
        rpjmn=t.loc["rpjmn_path", "ucj_status"],
        province=t.loc["central_sulawesi", "ucj_status"],
    )


def read_check(result, lang: str, year: int = 2024) -> str:
    """The plausibility check's reading (over all working people)."""
    if not available(result):
        return ""
    f = plausibility(ucj_by_year(result.district, area_code=result.scenario.area), year).set_index("area")[
        "ucj_share_all_employed"
    ]
    return i18n.text(
        "ucj.read_check",
        lang,
        year=year,
        district_without=i18n.share(f["district_without_village_funded"], lang),
        province_without=i18n.share(f["central_sulawesi_without_village_funded"], lang),
        district=i18n.share(f["district"], lang),
        province=i18n.share(f["central_sulawesi"], lang),
    )


__all__ = [
    "SEGMENTS",
    "UCJ_COLUMNS",
    "check_display",
    "read_check",
    "read_table",
    "read_targets",
    "segment_display",
    "target_statuses",
]
