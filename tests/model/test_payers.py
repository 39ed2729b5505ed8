"""Payers and the PP 50/2025 relief (issue 11 section 1): the exact figures, overrides and budget shares.

Per-worker premiums: 12 x 16,800 = 201,600 without relief; with the relief (April-December 2026,
50 % off JKK + JKM) 3 x 16,800 + 9 x 8,400 = 126,000. Satu-miliar-150 funds 150 places in each of
134 desa (20,100) and 12 kelurahan (1,800) from 2026; 21,900 in all.
"""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import touna_policy as tp
from touna_policy import config
from touna_policy.errors import InputError
from touna_policy.scenario import Payers, scenario_from_dict

SCENARIOS = config.SCENARIOS_DIR


def _scenario(name: str, **changes):
    s = tp.load_scenario(SCENARIOS / f"{name}.yaml")
    return s.model_copy(update=changes) if changes else s


def _district(result) -> pd.DataFrame:
    return result.district.set_index("year")


def test_cli_default_2026_premium_is_21900_unrelieved_places(tmp_path):
    out = tmp_path / "x.csv"
    subprocess.run(
        [sys.executable, "-m", "touna_policy", "project", str(SCENARIOS / "satu-miliar-150.yaml"), "--csv", str(out)],
        check=True,
        capture_output=True,
    )
    d = pd.read_csv(out).set_index("year")
    assert d.loc[2026, "premium_cost_idr"] == 21_900 * 201_600 == 4_415_040_000
    assert d.loc[2027, "premium_apbdes_idr"] == 20_100 * 201_600 == 4_052_160_000
    assert d.loc[2027, "premium_apbd_idr"] == 1_800 * 201_600 == 362_880_000
    assert d.loc[2027, "budget_share"] == pytest.approx(4_052_160_000 / 134_000_000_000)  # 3.024 %


def test_default_2026_premium_no_relief_for_any_public_payer(satu_miliar):
    d = _district(satu_miliar)
    assert d.loc[2026, "premium_cost_idr"] == 21_900 * 201_600  # 4,415,040,000
    assert d.loc[2026, "premium_apbd_province_idr"] == 0


def test_relief_for_apbdes_paid_relieves_desa_places_only(inputs):
    d = _district(tp.project(_scenario("satu-miliar-150", relief_for_apbdes_paid=True), inputs))
    assert d.loc[2026, "premium_cost_idr"] == 20_100 * 126_000 + 1_800 * 201_600 == 2_895_480_000
    assert d.loc[2026, "premium_apbdes_idr"] == 20_100 * 126_000
    assert d.loc[2026, "premium_apbd_idr"] == 1_800 * 201_600  # kelurahan: APBD, excluded


def test_default_2027_desa_and_kelurahan_premiums_and_desa_budget_share(satu_miliar):
    d = _district(satu_miliar)
    assert d.loc[2027, "premium_apbdes_idr"] == 20_100 * 201_600  # 4,052,160,000
    assert d.loc[2027, "premium_apbd_idr"] == 1_800 * 201_600  # 362,880,000
    assert d.loc[2027, "budget_share"] == pytest.approx(4_052_160_000 / 134_000_000_000, rel=1e-12)  # 3.024 %


def test_kelurahan_premium_over_the_apbd_line_in_its_own_column(satu_miliar):
    d = _district(satu_miliar)
    assert d.loc[2027, "district_budget_line_idr"] == 12_000_000_000
    assert d.loc[2027, "apbd_budget_share"] == pytest.approx(362_880_000 / 12_000_000_000, rel=1e-12)  # 3.024 %
    assert np.isnan(d.loc[2025, "apbd_budget_share"])  # no APBD line before 2026


def test_baseline_default_2026_premium_is_14600_unrelieved_places(baseline):
    assert _district(baseline).loc[2026, "premium_cost_idr"] == 14_600 * 201_600 == 2_943_360_000


def test_premium_by_payer_columns_add_up_to_the_premium(satu_miliar):
    d = satu_miliar.district
    parts = d[["premium_apbdes_idr", "premium_apbd_idr", "premium_apbd_province_idr", "premium_self_idr"]].sum(axis=1)
    assert np.array_equal(parts.to_numpy(), d["premium_cost_idr"].to_numpy())
    v = satu_miliar.villages
    assert set(v.loc[v["type"] == "kelurahan", "payer"]) == {"apbd"}
    assert set(v.loc[v["type"] == "desa", "payer"]) == {"apbdes"}


def test_village_type_override_moves_kelurahan_to_the_province(inputs):
    s = _scenario("satu-miliar-150", payers=Payers(desa="apbdes", kelurahan="apbd_province"))
    d = _district(tp.project(s, inputs))
    assert d.loc[2027, "premium_apbd_province_idr"] == 1_800 * 201_600
    assert d.loc[2027, "premium_apbd_idr"] == 0


def test_kecamatan_override_then_village_override_wins(inputs):
    v = inputs.villages
    kec = v["kecamatan"].iloc[0]
    in_kec = v[v["kecamatan"] == kec]
    desa_in_kec = in_kec[in_kec["type"] == "desa"]
    one = desa_in_kec["code"].iloc[0]
    payers = {
        "overrides": [
            {"village": one, "payer": "apbd"},  # listed first, still wins over its kecamatan
            {"kecamatan": kec, "payer": "apbd_province"},
        ]
    }
    s = _scenario("satu-miliar-150", payers=Payers.model_validate(payers))
    r = tp.project(s, inputs)
    villages = r.villages[r.villages["year"] == 2027].set_index("code")
    assert villages.loc[one, "payer"] == "apbd"
    others = in_kec["code"][in_kec["code"] != one]
    assert (villages.loc[others, "payer"] == "apbd_province").all()
    d = _district(r)
    kelurahan_outside = int(((v["type"] == "kelurahan") & (v["kecamatan"] != kec)).sum())
    assert d.loc[2027, "premium_apbd_idr"] == (kelurahan_outside + 1) * 150 * 201_600
    assert d.loc[2027, "premium_apbd_province_idr"] == (len(in_kec) - 1) * 150 * 201_600
    # the desa budget share counts only the desa still paid from their APBDes
    desa_paid = int(((v["type"] == "desa") & (v["kecamatan"] != kec)).sum())
    assert d.loc[2027, "budget_share"] == pytest.approx(desa_paid * 150 * 201_600 / (desa_paid * 1e9), rel=1e-12)


def test_unknown_payer_override_village_is_refused_with_its_key(inputs):
    s = scenario_from_dict(
        {"name": "t", "title": "t", "payers": {"overrides": [{"village": "72.09.99.2999", "payer": "apbd"}]}}
    )
    with pytest.raises(InputError, match=r"payers\.overrides\.0\.village"):
        tp.project(s, inputs)


def test_payer_name_outside_the_list_is_refused():
    with pytest.raises(InputError, match="apbdes"):
        scenario_from_dict({"name": "t", "title": "t", "payers": {"desa": "dana_desa"}})


def test_relief_applies_to_self_paying_and_never_to_apbd_or_province():
    from touna_policy.model.payers import scenario_premium_per_payer_year_idr
    from touna_policy.model.premiums import premium_schedule
    from touna_policy.parameters.contributions import load_bpu_parameters
    from touna_policy.parameters.payers import PAYERS

    s = _scenario("satu-miliar-150")
    rates = premium_schedule(s, load_bpu_parameters())
    at_2026 = dict(
        zip(PAYERS, scenario_premium_per_payer_year_idr(s, rates)[:, list(s.years).index(2026)], strict=True)
    )
    assert at_2026 == {"apbdes": 201_600, "apbd": 201_600, "apbd_province": 201_600, "self": 126_000}
    relieved = scenario_premium_per_payer_year_idr(s, rates, relief_for_apbdes_paid=True)
    assert relieved[PAYERS.index("apbdes"), list(s.years).index(2026)] == 126_000  # 3 x 16,800 + 9 x 8,400


def test_relief_eligibility_file_without_a_payer_is_refused_naming_it(tmp_path):
    from touna_policy.parameters.payers import RELIEF_ELIGIBILITY_YAML, load_relief_eligibility

    text = RELIEF_ELIGIBILITY_YAML.read_text(encoding="utf-8")
    bad = tmp_path / "relief.yaml"
    bad.write_text(text.replace("  self:", "  selff:"), encoding="utf-8")
    with pytest.raises(InputError, match="selff"):
        load_relief_eligibility(bad)
