"""UCJ as BPJS Ketenagakerjaan counts it (touna_policy.model.ucj) and the provincial programme channel."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import touna_policy as tp
from touna_policy import config
from touna_policy.calibration.channels import (
    ProvincialProgramme,
    other_channel_paths,
    provincial_programme,
    provincial_programme_workers,
)
from touna_policy.errors import InputError
from touna_policy.model.projection import DISTRICT_COLUMNS
from touna_policy.model.ucj import (
    SEGMENTS,
    UCJ_COLUMNS,
    plausibility,
    segment_workers,
    target_by_year,
    targets_reached,
    ucj_by_year,
    ucj_targets,
)
from touna_policy.parameters.ucj_segments import Target, load_ucj_segments
from touna_policy.scenario import scenario_from_dict


def _satu_miliar(**channels):
    s = tp.load_scenario(config.SCENARIOS_DIR / "satu-miliar-150.yaml")
    return s.model_copy(update={"other_channels": s.other_channels.model_copy(update=channels)})


# --- segment scaling ---------------------------------------------------------------------------------
def test_segments_of_a_known_district_are_the_province_rates_times_its_bases():
    """10,000 working, 6,000 vulnerable (4,000 formal), 1,000 village-funded, 500 other-channel of which
    200 provincial, lapse 0.1."""
    out = segment_workers([10_000.0], [6_000.0], [1_000.0], [500.0], [200.0], self_paid_lapse_share=0.1)
    assert out["wage_earners_pu"][0] == pytest.approx(4_000 * 231_034 / 440_240, rel=1e-15)  # 2,099.16
    assert out["construction_jakon"][0] == pytest.approx(10_000 * 74_773 / 1_442_660, rel=1e-15)  # 518.30
    assert out["migrant_workers_pmi"][0] == pytest.approx(10_000 * 341 / 1_525_660, rel=1e-15)  # 2.24
    assert out["bpu_village_funded"][0] == 1_000
    assert out["bpu_provincial_programme"][0] == 200
    assert out["bpu_self_paying"][0] == 300  # other-channel workers less the provincial ones
    assert out["bpu_self_paying_registered"][0] == pytest.approx(300 / 0.9)
    active = 4_000 * 231_034 / 440_240 + 10_000 * 74_773 / 1_442_660 + 10_000 * 341 / 1_525_660 + 1_500
    assert out["ucj_active_participants"][0] == pytest.approx(active, rel=1e-14)  # 4,119.70
    assert out["ucj_share_all_employed"][0] == pytest.approx(active / 10_000, rel=1e-14)
    assert out["ucj_share_bpjs_2021_ratio"][0] == pytest.approx(active / (10_000 * 946_261 / 1_516_700), rel=1e-14)
    assert out["ucj_bpjs_share"][0] == out["ucj_share_all_employed"][0]  # the default reading


def test_no_formal_workers_gives_no_wage_earners():
    out = segment_workers([100.0], [100.0], [0.0], [0.0], [0.0])
    assert out["wage_earners_pu"][0] == 0.0


# --- the provincial programme and its overlap ----------------------------------------------------------
def test_half_of_62969_provincial_workers_with_overlap_0_2_adds_25187_6_a_year_and_two_months_in_2025():
    programme = ProvincialProgramme(0.5, 0.2, 62_969, "2025-11")
    added = provincial_programme_workers(np.array([2024, 2025, 2026, 2030]), programme)
    # 0.5 x 62,969 = 31,484.5 workers, 0.8 of them not also village-funded = 25,187.6; Nov + Dec in 2025
    np.testing.assert_allclose(added, [0.0, 25_187.6 * 2 / 12, 25_187.6, 25_187.6], rtol=1e-15)


def test_the_shipped_default_adds_1882_77_provincial_workers_from_2026():
    added = provincial_programme_workers(np.array([2025, 2026]), provincial_programme(_satu_miliar()))
    np.testing.assert_allclose(added, [0.0598 * 62_969 * 0.5 * 2 / 12, 0.0598 * 62_969 * 0.5], rtol=1e-15)


def test_the_scenario_keys_replace_the_share_and_overlap_of_the_file():
    p = provincial_programme(_satu_miliar(provincial_programme_share=0.1, provincial_programme_overlap_share=0.9))
    assert (p.district_share, p.overlap_share) == (0.1, 0.9)


def test_provincial_workers_add_exactly_to_covered_workers_and_cost_the_desa_nothing(inputs):
    with_it = tp.project(
        _satu_miliar(provincial_programme_share=0.5, provincial_programme_overlap_share=0.2), inputs
    ).district.set_index("year")
    without = tp.project(_satu_miliar(provincial_programme_share=0.0), inputs).district.set_index("year")
    added = (with_it["covered_workers"] - without["covered_workers"]).loc[[2024, 2025, 2026, 2030]]
    np.testing.assert_allclose(added, [0.0, 25_187.6 * 2 / 12, 25_187.6, 25_187.6], rtol=1e-9)
    for column in ("funded_workers", "premium_cost_idr", "budget_share", "active_workers"):
        pd.testing.assert_series_equal(with_it[column], without[column])
    assert with_it.loc[2026, "provincial_programme_workers"] == pytest.approx(25_187.6, rel=1e-15)


def test_an_overlap_of_one_adds_nobody(inputs):
    full = tp.project(_satu_miliar(provincial_programme_overlap_share=1.0), inputs).district
    none = tp.project(_satu_miliar(provincial_programme_share=0.0), inputs).district
    np.testing.assert_array_equal(full["covered_workers"], none["covered_workers"])


def test_only_a_tojo_una_una_run_places_the_provincial_programme(inputs):
    scenario = _satu_miliar(source="assumption")  # the seed calibration needs the area's own record
    elsewhere = dataclasses.replace(inputs, area_code="72")
    assert not other_channel_paths(scenario, elsewhere).provincial_workers.any()
    assert other_channel_paths(scenario, inputs).provincial_workers[-1] > 0


def test_an_overlap_share_above_one_in_a_scenario_names_the_key_and_line():
    with pytest.raises(InputError) as err:
        scenario_from_dict(
            {"name": "t", "title": "t", "other_channels": {"provincial_programme_overlap_share": 1.5}},
            "s.yaml",
            {"other_channels.provincial_programme_overlap_share": 4},
        )
    assert "s.yaml" in str(err.value) and "other_channels.provincial_programme_overlap_share" in str(err.value)


# --- the district table --------------------------------------------------------------------------------
def test_the_district_table_keeps_its_columns_and_gains_the_ucj_ones_at_the_end(satu_miliar):
    d = satu_miliar.district
    assert list(d.columns) == DISTRICT_COLUMNS
    assert DISTRICT_COLUMNS[-len(UCJ_COLUMNS) :] == list(UCJ_COLUMNS)
    assert {"coverage_share", "ucj_coverage_share", "covered_workers"} <= set(d.columns)


def test_ucj_counts_the_observed_village_funded_workers_and_sums_its_segments(satu_miliar):
    u = ucj_by_year(satu_miliar.district).set_index("year")
    assert (u.loc[2024, "bpu_village_funded"], u.loc[2025, "bpu_village_funded"]) == (13_400, 14_600)
    np.testing.assert_allclose(u[list(SEGMENTS)].sum(axis=1), u["ucj_active_participants"], rtol=1e-14)
    d = satu_miliar.district.set_index("year")
    np.testing.assert_allclose(d["ucj_bpjs_share"], d["ucj_active_participants"] / d["working_population"])


def test_the_district_lands_below_the_province_without_its_village_programme_and_above_it_with_it(satu_miliar):
    f = plausibility(ucj_by_year(satu_miliar.district), 2024).set_index("area")["ucj_share_all_employed"]
    assert f["central_sulawesi"] == 518_141 / 1_525_660  # 34.0 %
    assert f["central_sulawesi_without_village_funded"] == (518_141 - 18_028) / 1_525_660  # 32.8 %
    assert f["district_without_village_funded"] < f["central_sulawesi_without_village_funded"]
    assert f["central_sulawesi"] < f["district"] < 0.45  # 39.7 %, not the 54.8 % of population scaling


# --- targets -----------------------------------------------------------------------------------------
RPJMN = Target(kind="path", path={2025: 0.3215, 2029: 0.4392}, reference="RPJMN")


def test_the_rpjmn_path_is_linear_between_its_years_and_held_after():
    years = np.array([2024, 2025, 2026, 2029, 2031])
    np.testing.assert_allclose(
        target_by_year(RPJMN, years), [np.nan, 0.3215, 0.3215 + (0.4392 - 0.3215) / 4, 0.4392, 0.4392]
    )


def test_target_years_on_a_known_path():
    years = np.arange(2024, 2031)
    shares = np.array([0.30, 0.31, 0.34, 0.37, 0.40, 0.44, 0.45])
    targets = {
        "national_2025": Target(kind="level", share=0.3568, reference="test"),
        "rpjmn_path": RPJMN,  # 2025 0.3215, 2026 0.3509, 2027 0.3804, 2028 0.4098, 2029 0.4392
        "central_sulawesi": Target(kind="level", share=0.71, reference="test"),
    }
    t = targets_reached(years, shares, targets).set_index("target")
    assert t.loc["national_2025", "year_reached"] == 2027
    assert t.loc["rpjmn_path", "year_reached"] == 2029
    assert t.loc["rpjmn_path", "target_share"] == pytest.approx(0.4392)
    assert pd.isna(t.loc["central_sulawesi", "year_reached"])
    assert t.loc["central_sulawesi", "status"] == "not reached by 2030"
    assert t.loc["rpjmn_path", "status"] == "reached in 2029"


def test_shipped_targets_give_both_readings(satu_miliar):
    t = ucj_targets(ucj_by_year(satu_miliar.district)).set_index("target")
    assert t.loc["central_sulawesi", "status"] == "not reached by 2035"  # over all employed
    assert t.loc["central_sulawesi", "status_other_reading"] == "reached in 2026"  # the 2021 ratio
    assert set(t.index) == set(load_ucj_segments().targets)


def test_outside_central_sulawesi_the_segments_have_no_anchor(satu_miliar):
    u = ucj_by_year(satu_miliar.district, area_code="0")
    assert u["ucj_bpjs_share"].isna().all() and u["wage_earners_pu"].isna().all()
    assert not ucj_by_year(satu_miliar.district, area_code="72")["ucj_bpjs_share"].isna().any()
