"""The seed article's figures must come out of the model exactly."""

import numpy as np
import pandas as pd


def _year(result, year):
    return result.district.set_index("year").loc[year]


def test_registry_has_134_desa_and_12_kelurahan_in_12_kecamatan(inputs):
    v = inputs.villages
    assert len(v) == 146
    assert (v["type"] == "desa").sum() == 134
    assert (v["type"] == "kelurahan").sum() == 12
    assert v["kecamatan"].nunique() == 12


def test_baseline_funds_13400_workers_in_2024_from_134_desa(baseline):
    assert _year(baseline, 2024)["funded_workers"] == 13_400
    assert _year(baseline, 2024)["quota_places"] == 13_400


def test_baseline_funds_14600_workers_in_2025_when_kelurahan_join(baseline):
    assert _year(baseline, 2025)["funded_workers"] == 14_600


def test_baseline_has_no_programme_in_2023(baseline):
    assert _year(baseline, 2023)["funded_workers"] == 0


def test_baseline_places_stay_flat_after_2025_and_0_95_are_paid_up(baseline):
    later = baseline.district.set_index("year").loc[2026:]
    assert (later["billed_places"] == 14_600).all()
    assert np.allclose(later["funded_workers"], 14_600 * 0.95)  # arrears after the observed years


def test_satu_miliar_gives_146_times_150_equals_21900_places_from_2026(satu_miliar):
    d = satu_miliar.district.set_index("year")
    assert (d.loc[2026:, "quota_places"] == 21_900).all()
    assert (d.loc[2026:, "billed_places"] == 21_900).all()
    assert np.allclose(d.loc[2026:, "funded_workers"], 21_900 * 0.95)  # paid up: uncertainty.yaml's mean
    assert d.loc[2025, "funded_workers"] == 14_600  # observed (kabarmaleo.com)


def test_full_year_premium_is_150_x_12_x_16800_per_village(satu_miliar):
    v = satu_miliar.villages
    row = v[(v["year"] == 2027) & (v["code"] == "72.09.01.2005")].iloc[0]
    assert row["premium_cost_idr"] == 150 * 12 * 16_800  # Rp 30,240,000
    assert _year(satu_miliar, 2027)["premium_cost_idr"] == 21_900 * 12 * 16_800  # Rp 4,415,040,000


def test_2026_premium_has_no_relief_for_apbdes_or_apbd_paid_places_by_default(satu_miliar):
    # PP 50/2025: excluded for APBD-paid places; APBDes not settled, so not assumed (relief_for_apbdes_paid false)
    assert _year(satu_miliar, 2026)["premium_per_worker_year_idr"] == 12 * 16_800
    assert _year(satu_miliar, 2026)["premium_cost_idr"] == 21_900 * 201_600


def test_2026_relief_for_apbdes_paid_places_is_april_to_december(inputs):
    import touna_policy as tp

    s = tp.load_scenario(tp.config.SCENARIOS_DIR / "satu-miliar-150.yaml")
    r = tp.project(s.model_copy(update={"relief_for_apbdes_paid": True}), inputs)
    # 3 months at 16,800 + 9 months at 8,400 = 126,000 per desa worker; kelurahan (APBD) pay in full
    assert _year(r, 2026)["premium_per_worker_year_idr"] == 3 * 16_800 + 9 * 8_400
    assert _year(r, 2026)["premium_cost_idr"] == 20_100 * 126_000 + 1_800 * 201_600


def test_budget_share_is_desa_premium_over_one_billion_per_desa(satu_miliar):
    assert np.isclose(_year(satu_miliar, 2027)["budget_share"], 30_240_000 / 1_000_000_000)
    assert np.isclose(_year(satu_miliar, 2026)["budget_share"], 150 * 201_600 / 1_000_000_000)
    assert np.isnan(_year(satu_miliar, 2025)["budget_share"])


def test_village_tables_sum_to_district_table(satu_miliar):
    v = satu_miliar.villages.groupby("year")[["funded_workers", "premium_cost_idr", "covered_workers"]].sum()
    d = satu_miliar.district.set_index("year")
    pd.testing.assert_frame_equal(v, d[v.columns], check_exact=False, rtol=1e-12)
