"""Any kabupaten, a province and the whole country: loading, aggregation, chunked village tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import touna_policy as tp
from touna_policy import config
from touna_policy.cli import main
from touna_policy.data.population import load_kabupaten_population
from touna_policy.errors import InputError
from touna_policy.io import atomic_write_csv
from touna_policy.model import areas as national
from touna_policy.model import village_table

SCALE = config.SCENARIOS_DIR / "scale"


@pytest.fixture(scope="module")
def national_inputs():
    return tp.load_inputs("0")


@pytest.fixture(scope="module")
def national_result(national_inputs):
    scenario = tp.load_scenario(SCALE / "indonesia-150.yaml")
    return tp.project(scenario, national_inputs)


def test_sum_by_group_adds_villages_of_the_same_area_per_year():
    values = np.array([[1.0, 2.0], [10.0, 20.0], [100.0, 200.0]])
    out = national.sum_by_group(values, np.array([1, 0, 1]), 3)
    np.testing.assert_array_equal(out, [[10.0, 20.0], [101.0, 202.0], [0.0, 0.0]])


def test_national_registry_estimate_keeps_every_kabupaten_and_the_country_total_exact(national_inputs):
    villages = national_inputs.villages
    population = load_kabupaten_population().set_index("code")["total"]
    assert len(villages) == 83_762
    assert villages["kabupaten_code"].nunique() == 514
    assert villages["population"].sum() == population["0"] == 284_973_643
    by_kabupaten = villages.groupby("kabupaten_code")["population"].sum()
    assert (by_kabupaten == population.reindex(by_kabupaten.index)).all()


def test_province_72_loads_its_2017_villages_with_sulteng_population(tmp_path):
    inputs = tp.load_inputs("72")
    assert len(inputs.villages) == 2017
    assert inputs.villages["code"].str.startswith("72.").all()
    assert inputs.villages["population"].sum() == 3_219_494
    assert inputs.workforce_estimated


def test_touna_inside_the_national_run_equals_the_touna_run(national_result, inputs):
    by_kab = national.aggregate(national_result, "kabupaten")
    touna = by_kab[by_kab["kabupaten_code"] == "72.09"].reset_index(drop=True)
    # the Touna scenario with the national file's other channels (assumed, not seed-calibrated)
    s = tp.load_scenario(config.SCENARIOS_DIR / "satu-miliar-150.yaml")
    # and without the provincial programme, which only a Tojo Una-Una run places (its share is Touna's)
    channels = national_result.scenario.other_channels.model_copy(update={"provincial_programme_share": 0.0})
    s = s.model_copy(update={"other_channels": channels})
    district = tp.project(s, inputs).district
    assert touna["kabupaten"].unique().tolist() == ["Kabupaten Tojo Una Una"]
    for column in ("funded_workers", "covered_workers", "eligible_workers", "premium_cost_idr", "budget_share"):
        np.testing.assert_allclose(touna[column].to_numpy(), district[column].to_numpy(), rtol=1e-12, err_msg=column)
    assert touna.loc[touna["year"] == 2026, "funded_workers"].item() == pytest.approx(21_900 * 0.95)  # arrears


def test_national_kabupaten_totals_add_up_to_the_national_district_table(national_result):
    by_kab = national.aggregate(national_result, "kabupaten")
    assert by_kab["kabupaten_code"].nunique() == 514
    sums = by_kab.groupby("year")[["funded_workers", "premium_cost_idr", "villages"]].sum()
    district = national_result.district.set_index("year")
    np.testing.assert_allclose(sums["funded_workers"], district["funded_workers"], rtol=1e-12)
    np.testing.assert_allclose(sums["premium_cost_idr"], district["premium_cost_idr"], rtol=1e-12)
    assert (sums["villages"] == 83_762).all()


def test_province_shares_are_recomputed_from_sums_not_averaged(national_result):
    by_prov = national.aggregate(national_result, "province")
    assert by_prov["province_code"].nunique() == 38
    row = by_prov[(by_prov["province_code"] == "72") & (by_prov["year"] == 2030)].iloc[0]
    assert row["province"] == "Sulawesi Tengah"
    assert row["coverage_share"] == pytest.approx(row["covered_workers"] / row["eligible_workers"], rel=1e-12)
    assert row["budget_share"] == pytest.approx(row["premium_cost_idr"] / row["programme_budget_idr"], rel=1e-12)


def test_touna_kecamatan_aggregate_matches_projection_kecamatan(satu_miliar):
    ours = national.aggregate(satu_miliar, "kecamatan")
    theirs = satu_miliar.kecamatan()
    assert len(ours) == len(theirs) == 12 * 13  # 12 kecamatan x 13 years
    for column in ("funded_workers", "premium_cost_idr", "coverage_share"):
        np.testing.assert_allclose(ours[column].to_numpy(), theirs[column].to_numpy(), rtol=1e-12, err_msg=column)


def test_touna_kabupaten_name_comes_from_the_population_table_when_the_registry_has_none(satu_miliar):
    table = national.aggregate(satu_miliar, "kabupaten")
    assert table["kabupaten"].unique().tolist() == ["Kabupaten Tojo Una Una"]
    assert table["villages"].unique().tolist() == [146]


def test_chunked_village_csv_has_the_same_bytes_as_the_whole_frame(tmp_path, satu_miliar):
    whole = atomic_write_csv(tmp_path / "whole.csv", satu_miliar.villages)
    chunked = village_table.write_villages_csv(tmp_path / "chunked.csv", satu_miliar, chunk_villages=10)
    assert chunked.read_bytes() == whole.read_bytes()
    assert chunked.stat().st_mode & 0o777 == whole.stat().st_mode & 0o777
    assert not list(tmp_path.glob(".*.tmp"))


def test_chunked_village_frames_cover_every_village_once(satu_miliar):
    frames = list(village_table.iter_village_frames(satu_miliar, chunk_villages=50))
    assert [len(f) for f in frames] == [50 * 13, 50 * 13, 46 * 13]
    pd.testing.assert_frame_equal(pd.concat(frames, ignore_index=True), satu_miliar.villages)


@pytest.mark.parametrize(
    "area, level, areas", [("72.09", "kecamatan", 12), ("72", "kabupaten", 13), ("0", "province", 38)]
)
def test_report_level_keeps_charts_to_tens_of_bars(area, level, areas, national_result):
    assert national.report_level(area) == level
    villages = national_result.inputs.villages
    inside = villages if area == "0" else villages[villages["code"].str.startswith(area + ".")]
    assert inside[national.LEVELS[level][0]].nunique() == areas


def test_aggregate_refuses_an_unknown_level_with_the_nearest_name(satu_miliar):
    with pytest.raises(InputError, match="did you mean 'kabupaten'"):
        national.aggregate(satu_miliar, "kabupatn")


def test_cli_aggregate_writes_province_table_for_the_sulteng_scenario(tmp_path, capsys):
    out = tmp_path / "prov.csv"
    assert main(["aggregate", str(SCALE / "sulteng-150.yaml"), "--by", "province", "--csv", str(out)]) == 0
    table = pd.read_csv(out, dtype={"province_code": str})
    assert table["province_code"].unique().tolist() == ["72"]
    assert table["villages"].unique().tolist() == [2017]
    assert "2017 villages" in capsys.readouterr().out


def test_cli_aggregate_refuses_an_unknown_level(tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["aggregate", str(SCALE / "sulteng-150.yaml"), "--by", "desa"])
    assert exc.value.code == 2


# ---------------------------------------------------------------------------------------------
# Monte Carlo of any area (the kernel's chunks are tested in test_kernel.py)
# ---------------------------------------------------------------------------------------------

from touna_policy.analysis import uncertainty  # noqa: E402


def test_national_monte_carlo_at_central_values_equals_the_kabupaten_projection(national_inputs, national_result):
    setup = uncertainty.prepare(national_result.scenario, national_inputs, "kabupaten_code")
    totals = uncertainty.simulate_chunked(setup, setup.central_draws(1))
    by_kab = national.aggregate(national_result, "kabupaten")
    assert list(totals.labels) == sorted(by_kab["kabupaten_code"].unique())
    for name in ("funded_workers", "covered_workers", "premium_cost_idr", "unused_quota_places"):
        np.testing.assert_allclose(
            totals.totals[name][:, 0, :].ravel(), by_kab[name].to_numpy(), rtol=1e-9, atol=1e-6, err_msg=name
        )


def test_monte_carlo_by_province_has_one_row_per_province_and_the_scenario_seed(national_inputs, national_result):
    mc = uncertainty.monte_carlo_by_area(national_result.scenario, national_inputs, draws=3, level="province")
    again = uncertainty.monte_carlo_by_area(national_result.scenario, national_inputs, draws=3, level="province")
    assert len(mc.totals.labels) == 38 and mc.totals.totals["funded_workers"].shape == (38, 3, 13)
    assert np.array_equal(mc.draws.values, again.draws.values)
    fan = mc.fan(("funded_workers",))
    assert (fan["p05"] <= fan["p95"]).all()


def test_area_ucj_share_adds_wage_earners_covered_to_covered_workers(baseline):
    """Una Una in 2030: (1,227.97 covered + 742.86 wage earners covered) / 5,044.15 working = 0.39072
    (seed-calibrated in percentage points, compliance 0.95 after 2025; with the provincial programme)."""
    a = national.aggregate(baseline, "kecamatan").set_index(["kecamatan_code", "year"]).loc[("72.09.01", 2030)]
    assert a["ucj_coverage_share"] == pytest.approx(0.3907152506225906, rel=1e-12)
    assert a["coverage_share"] == pytest.approx(0.3680484690013453, rel=1e-12)
    assert a["ucj_coverage_share"] == pytest.approx(
        (a["covered_workers"] + a["wage_earners_covered"]) / a["working_population"], rel=1e-12
    )
