"""Engine behaviour: caps, compliance, overrides, allocation."""

import numpy as np
import pytest

import touna_policy as tp
from touna_policy.errors import InputError
from touna_policy.rounding import apportion
from touna_policy.scenario import scenario_from_dict

BASE = {"name": "t", "title": "t", "quota_per_village": {"desa": {2024: 100}, "kelurahan": {2025: 100}}}


def run(inputs, **changes):
    return tp.project(scenario_from_dict({**BASE, **changes}), inputs)


def test_quota_above_eligible_workers_is_capped_and_reported_unused(inputs):
    r = run(inputs, quota_per_village={"desa": {2024: 5000}, "kelurahan": {2024: 5000}})
    v = r.villages[r.villages["year"] == 2025]
    assert (v["funded_workers"] <= v["eligible_workers"] + 1e-9).all()
    assert np.allclose(v["funded_workers"], v["eligible_workers"])
    assert np.allclose(v["unused_quota_places"], 5000 - v["eligible_workers"])


def test_payment_compliance_scales_funded_workers(inputs):
    r = run(inputs, payment_compliance_share={2024: 0.9})
    assert r.district.set_index("year").loc[2024, "funded_workers"] == pytest.approx(13_400 * 0.9)


def test_village_override_changes_one_village_from_its_year(inputs):
    r = run(inputs, overrides=[{"village": "72.09.01.2005", "quota": {2030: 50}}])
    v = r.villages.set_index(["code", "year"])
    assert v.loc[("72.09.01.2005", 2029), "quota_places"] == 100
    assert v.loc[("72.09.01.2005", 2030), "quota_places"] == 50
    assert r.district.set_index("year").loc[2030, "quota_places"] == 14_600 - 50


def test_kecamatan_override_by_name_covers_all_its_villages(inputs):
    r = run(inputs, overrides=[{"kecamatan": "Ampana Kota", "payment_compliance_share": {2025: 0.5}}])
    d = r.district.set_index("year")
    # Ampana Kota: 4 desa + 6 kelurahan, 100 each from 2025
    assert d.loc[2025, "funded_workers"] == 14_600 - 10 * 100 * 0.5


def test_override_naming_an_unknown_village_is_refused(inputs):
    with pytest.raises(InputError, match="72.09.01.2999"):
        run(inputs, overrides=[{"village": "72.09.01.2999", "quota": {2026: 10}}])


def test_override_naming_an_unknown_kecamatan_suggests_the_nearest(inputs):
    with pytest.raises(InputError, match="did you mean 'Ampana Kota'"):
        run(inputs, overrides=[{"kecamatan": "Ampana Kot", "quota": {2026: 10}}])


def test_proportional_rule_keeps_total_places_and_cost_of_equal_rule(inputs, satu_miliar):
    s = tp.load_scenario(tp.config.SCENARIOS_DIR / "proportional-150.yaml")
    r = tp.project(s, inputs)
    for col in ("quota_places", "premium_cost_idr"):
        assert np.array_equal(r.district[col].to_numpy(), satu_miliar.district[col].to_numpy())
    v = r.villages[r.villages["year"] == 2027]
    assert (v["quota_places"] == np.round(v["quota_places"])).all()
    assert v.loc[v["type"] == "kelurahan", "quota_places"].min() > v.loc[v["type"] == "desa", "quota_places"].max()


def test_zero_quota_costs_zero(inputs):
    r = run(inputs, quota_per_village={"desa": {2024: 0}, "kelurahan": {2024: 0}})
    assert (r.district["premium_cost_idr"] == 0).all()


def test_apportion_keeps_each_group_total_exact():
    out = apportion(np.array([10, 7]), np.array([1.0, 1.0, 1.0, 2.0, 1.0]), np.array([0, 0, 0, 1, 1]))
    assert list(out) == [4, 3, 3, 5, 2]


def test_coverage_shares_are_fractions_and_covered_never_exceeds_eligible(satu_miliar):
    v = satu_miliar.villages
    assert (v["covered_workers"] <= v["eligible_workers"] + 1e-9).all()
    assert v["coverage_share"].between(0, 1).all() and v["ucj_coverage_share"].between(0, 1).all()


def test_result_records_estimated_and_synthetic_inputs(baseline):
    prov = baseline.provenance()
    assert prov["estimated_inputs"] and prov["synthetic_inputs"]
    assert "data/processed/village_workforce.csv" in prov["input_checksums"]


def test_premium_total_is_shown_as_share_of_the_district_budget_line(inputs):
    r = run(inputs, district_budget_line_idr={2025: 5_000_000_000})
    d = r.district.set_index("year")
    assert d.loc[2025, "district_budget_share"] == pytest.approx(14_600 * 12 * 16_800 / 5e9)
    assert np.isnan(d.loc[2024, "district_budget_share"])


def test_kecamatan_ucj_share_adds_wage_earners_covered_to_covered_workers(baseline):
    """Una Una in 2030: (1,227.97 covered + 742.86 wage earners covered) / 5,044.15 working = 0.39072
    (seed-calibrated in percentage points, compliance 0.95 after 2025; covered includes its share of the
    provincial programme's 1,882.77 workers not also village-funded)."""
    k = baseline.kecamatan().set_index(["kecamatan", "year"]).loc[("Una Una", 2030)]
    assert k["covered_workers"] == pytest.approx(1227.9659335841127, rel=1e-12)
    assert k["wage_earners_covered"] == pytest.approx(742.8587265285928, rel=1e-12)
    assert k["working_population"] == pytest.approx(5044.145722421295, rel=1e-12)
    assert k["ucj_coverage_share"] == pytest.approx(0.39071525062259077, rel=1e-12)
    assert k["coverage_share"] == pytest.approx(0.36804846900134536, rel=1e-12)


def test_district_ucj_share_adds_wage_earners_covered_to_covered_workers(baseline):
    """2023: (1,727.74 covered + 11,791.87 wage earners covered) / 87,070.87 working = 0.155271
    (seed-calibrated in percentage points: the vulnerable universe scaled, fewer wage earners)."""
    d = baseline.district.set_index("year").loc[2023]
    assert d["ucj_coverage_share"] == pytest.approx((1727.735903 + 11791.867571) / 87070.865677, rel=1e-8)
