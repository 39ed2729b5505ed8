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


def test_baseline_stays_flat_after_2025(baseline):
    later = baseline.district.set_index("year").loc[2026:, "funded_workers"]
    assert (later == 14_600).all()


def test_satu_miliar_gives_146_times_150_equals_21900_places_from_2026(satu_miliar):
    d = satu_miliar.district.set_index("year")
    assert (d.loc[2026:, "quota_places"] == 21_900).all()
    assert (d.loc[2026:, "funded_workers"] == 21_900).all()
    assert d.loc[2025, "funded_workers"] == 14_600


def test_full_year_premium_is_150_x_12_x_16800_per_village(satu_miliar):
    v = satu_miliar.villages
    row = v[(v["year"] == 2027) & (v["code"] == "72.09.01.2005")].iloc[0]
    assert row["premium_cost_idr"] == 150 * 12 * 16_800  # Rp 30,240,000
    assert _year(satu_miliar, 2027)["premium_cost_idr"] == 21_900 * 12 * 16_800  # Rp 4,415,040,000


def test_2026_premium_has_pp50_relief_for_april_to_december(satu_miliar):
    # 3 months at 16,800 + 9 months at 8,400 = 126,000 per worker
    assert _year(satu_miliar, 2026)["premium_per_worker_year_idr"] == 3 * 16_800 + 9 * 8_400
    assert _year(satu_miliar, 2026)["premium_cost_idr"] == 21_900 * 126_000


def test_budget_share_is_premium_over_one_billion_per_village(satu_miliar):
    assert np.isclose(_year(satu_miliar, 2027)["budget_share"], 30_240_000 / 1_000_000_000)
    assert np.isclose(_year(satu_miliar, 2026)["budget_share"], 150 * 126_000 / 1_000_000_000)
    assert np.isnan(_year(satu_miliar, 2025)["budget_share"])


def test_village_tables_sum_to_district_table(satu_miliar):
    v = satu_miliar.villages.groupby("year")[["funded_workers", "premium_cost_idr", "covered_workers"]].sum()
    d = satu_miliar.district.set_index("year")
    pd.testing.assert_frame_equal(v, d[v.columns], check_exact=False, rtol=1e-12)
