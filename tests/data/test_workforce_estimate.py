"""The workforce estimate: real kecamatan blocks, a fitted village rule, Tojo Una-Una labour ratios."""

import json

import numpy as np
import pandas as pd
import pytest

from touna_policy import config
from touna_policy.analysis.allocation import compare_allocations
from touna_policy.data.boundaries import AUTHALIC_RADIUS_KM, ring_areas_km2, village_areas_km2
from touna_policy.data.kecamatan import load_kecamatan_population
from touna_policy.data.labour import informal_share_by_area, load_labour
from touna_policy.data.registry import load_registry
from touna_policy.data.workforce_estimate import (
    estimate_village_workforce,
    fit_area_rule,
    labour_ratios,
)
from touna_policy.errors import InputError
from touna_policy.scenario import scenario_from_dict

ISLANDS_2020 = {  # BPS census 2020
    "Una Una": 8236,
    "Togean": 10734,
    "Walea Kepulauan": 5568,
    "Walea Besar": 4629,
    "Batudaka": 5796,
    "Talatako": 6471,
}


@pytest.fixture(scope="module")
def estimate():
    return estimate_village_workforce(load_registry())


def test_regency_total_is_the_kemendagri_2025_figure_exactly(estimate):
    assert estimate["population"].sum() == 173_534


def test_each_island_kecamatan_keeps_its_2020_census_share_carried_to_2025(estimate):
    by_kec = estimate.groupby("kecamatan")["population"].sum()
    expected = {k: round(v / 163_829 * 173_534) for k, v in ISLANDS_2020.items()}
    assert expected == {
        "Una Una": 8724,
        "Togean": 11370,
        "Walea Kepulauan": 5898,
        "Walea Besar": 4903,
        "Batudaka": 6139,
        "Talatako": 6854,
    }
    assert {k: int(by_kec[k]) for k in ISLANDS_2020} == expected


def test_mainland_is_the_regency_minus_the_islands_split_by_2010_census_shares(estimate):
    by_kec = estimate.groupby("kecamatan")["population"].sum()
    mainland = 173_534 - sum(by_kec[k] for k in ISLANDS_2020)
    assert mainland == 129_646
    # 2010 preliminary census: Ampana Kota of 2010 (today's Ampana Kota + Ratolindo) 40,299 of 102,134
    assert by_kec["Ampana Kota"] + by_kec["Ratolindo"] == round(129_646 * 40_299 / 102_134)
    assert by_kec["Tojo"] == round(129_646 * 12_460 / 102_134)


def test_fitted_rule_reproduces_the_real_blocks_within_its_stated_error():
    rule = fit_area_rule()
    assert len(rule.blocks) == 11  # 6 island kecamatan (2020) and 5 mainland blocks (2010)
    assert rule.beta == pytest.approx(0.0972, abs=5e-4)
    assert rule.log_rmse == pytest.approx(0.1588, abs=5e-4)
    assert rule.max_abs_log_error == pytest.approx(0.3738, abs=5e-4)  # Talatako, fitted 31 % low
    assert (rule.blocks["log_error"].abs() <= rule.max_abs_log_error + 1e-12).all()
    assert rule.log_rmse < rule.equal_split_log_rmse  # area adds a little over a split by type only
    # fitted on the islands alone, beta does not carry to the mainland: the reason for the joint fit
    assert rule.islands_only_beta == pytest.approx(0.336, abs=1e-3)
    mainland = rule.blocks.loc[rule.blocks["group"] == "residual", "log_error"]
    assert rule.islands_only_mainland_log_rmse == pytest.approx(0.2928, abs=5e-4)
    assert rule.islands_only_mainland_log_rmse > 2 * np.sqrt(np.mean(mainland**2))


def test_vulnerable_workers_2025_use_the_sulteng_informal_share_and_touna_tpak(estimate):
    assert estimate["working_population"].sum() == 90_681  # 173,534 x 0.71396 x 0.7533 x (1 - 0.0284)
    assert estimate["vulnerable_workers"].sum() == 59_577  # 90,681 x 0.6570
    assert 55_000 <= estimate["vulnerable_workers"].sum() <= 62_000


def test_employed_ratio_arithmetic_is_the_documented_product():
    ratio = labour_ratios(np.array(["72.09"]))[0]
    share_15plus = (1525.66 + 49.62 + 723.31) * 1000 / 3_219_494
    assert ratio.employed_ratio == pytest.approx(share_15plus * 0.7533 * (1 - 0.0284), rel=1e-12)
    assert ratio.informal_share == pytest.approx(0.6570)


def test_every_row_says_at_which_level_it_is_real(estimate):
    assert estimate["method"].str.startswith("estimate: regency total real (Kemendagri 2025, 173,534)").all()
    islands = estimate["kecamatan"].isin(ISLANDS_2020)
    assert estimate.loc[islands, "method"].str.contains("kecamatan real (BPS census 2020", regex=False).all()
    assert (
        estimate.loc[~islands, "method"]
        .str.contains("kecamatan block real (BPS preliminary census 2010", regex=False)
        .all()
    )
    assert estimate["method"].str.contains("village split within the block estimated").all()


def test_kecamatan_coverage_at_150_per_village_now_differs_everywhere(estimate):
    per_kec = estimate.groupby("kecamatan").agg(n=("code", "size"), workers=("vulnerable_workers", "sum"))
    coverage = (150 * per_kec["n"] / per_kec["workers"]).round(4)
    assert coverage.nunique() == 12  # was 2 distinct values under the equal split


def test_proportional_allocation_at_150_differs_from_equal(inputs):
    base = {"name": "t", "title": "t", "quota_per_village": {"desa": {2026: 150}, "kelurahan": {2026: 150}}}
    c = compare_allocations(scenario_from_dict(base), inputs, 2030)
    prop = c.villages[c.villages["rule"] == "proportional"]
    desa = prop[prop["type"] == "desa"]
    assert (desa["covered_change_vs_equal"] > 0).any() and (desa["covered_change_vs_equal"] < 0).any()


def test_other_kabupaten_use_their_province_informal_share_or_the_national_one():
    shares = informal_share_by_area(load_labour())
    assert shares.at["72", "share"] == pytest.approx(0.6570)
    assert shares.at["76", "share"] == pytest.approx(0.6895)  # Sulawesi Barat, Feb 2024 (latest)
    banggai, bogor = labour_ratios(np.array(["72.01", "32.01"]))
    assert banggai.informal_share == pytest.approx(0.6570) and "Sulawesi Tengah" in banggai.text
    assert bogor.informal_share == pytest.approx(0.5795) and "national, no provincial table" in bogor.text
    assert "national employed ratio" in banggai.text  # no TPAK/TPT row for Banggai


def test_shoelace_on_the_equal_area_projection_is_exact_for_a_one_degree_cell():
    lon = np.array([0.0, 1.0, 1.0, 0.0, 0.0])
    lat = np.array([0.0, 0.0, 1.0, 1.0, 0.0])
    exact = AUTHALIC_RADIUS_KM**2 * np.deg2rad(1.0) * np.sin(np.deg2rad(1.0))
    assert ring_areas_km2(lon, lat, np.array([0]))[0] == pytest.approx(exact, rel=1e-12)


def test_village_areas_match_the_spherical_areas_stored_in_the_file():
    areas = village_areas_km2().set_index("code")["area_km2"]
    stored = json.loads((config.RAW_DIR / "touna_desa.geojson").read_text())["features"]
    reference = pd.Series({f["properties"]["code"]: f["properties"]["area_km2_from_polygon"] for f in stored})
    assert len(areas) == 146
    assert (areas.reindex(reference.index) - reference).abs().max() < 0.01


def test_a_hole_is_subtracted_from_its_polygon(tmp_path):
    outer = [[0, 0], [0.1, 0], [0.1, 0.1], [0, 0.1], [0, 0]]
    hole = [[0.02, 0.02], [0.02, 0.08], [0.08, 0.08], [0.08, 0.02], [0.02, 0.02]]
    feature = {"type": "Feature", "properties": {"code": "72.09.01.2005"}}
    collection = {
        "type": "FeatureCollection",
        "features": [{**feature, "geometry": {"type": "Polygon", "coordinates": [outer, hole]}}],
    }
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps(collection))
    area = village_areas_km2(path)["area_km2"].iloc[0]
    full = ring_areas_km2(np.array(outer)[:, 0], np.array(outer)[:, 1], np.array([0]))[0]
    assert area == pytest.approx(full * (1 - 0.36), rel=1e-3)


def test_a_feature_without_a_village_code_names_the_file_and_the_feature(tmp_path):
    path = tmp_path / "b.geojson"
    feature = {"type": "Feature", "properties": {"code": "7209"}, "geometry": {"type": "Polygon", "coordinates": []}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with pytest.raises(InputError, match=r"b.geojson: feature 0, property 'code': found '7209'"):
        village_areas_km2(path)


def test_an_unknown_kind_of_kecamatan_figure_names_the_row_and_column(tmp_path):
    text = (config.RAW_DIR / "kecamatan_population.csv").read_text().replace(",census_preliminary,", ",sensus,", 1)
    path = tmp_path / "k.csv"
    path.write_text(text)
    with pytest.raises(InputError, match=r"k.csv: row 18, column 'kind': found 'sensus'; expected one of"):
        load_kecamatan_population(path)


def test_another_sulteng_kabupaten_is_split_by_type_with_the_province_informal_share():
    banggai = estimate_village_workforce(load_registry("72.01"))
    assert banggai["population"].sum() == 377_804  # Kemendagri 2025
    assert banggai["method"].str.contains("weight 3.55 per kelurahan, 1 per desa; employed", regex=False).all()
    assert banggai["method"].str.endswith("informal share 65.70% (province 72 Sulawesi Tengah, Sakernas 2024-02)").all()
    desa = banggai.loc[banggai["type"] == "desa", "population"]
    assert desa.max() - desa.min() <= 1  # no boundaries shipped for Banggai: desa get equal shares


def test_tojo_una_una_gets_the_same_figures_in_a_province_run():
    province = estimate_village_workforce(load_registry("72"))
    touna = province[province["code"].str.startswith("72.09.")].reset_index(drop=True)
    local = estimate_village_workforce(load_registry())
    assert touna["vulnerable_workers"].tolist() == local["vulnerable_workers"].tolist()
    assert touna["method"].tolist() == local["method"].tolist()
