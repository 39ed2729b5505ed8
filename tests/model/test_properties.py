"""Correctness properties of the projection engine over random valid scenarios and registries (Hypothesis).

Registries are built in memory (a few to a few dozen villages with random types, kecamatan and
workforce); the rate schedule and other-channel assumptions are the shipped ones unless a test
changes them. Each property says what must hold for *every* valid input, not for the shipped one.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import random
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import touna_policy as tp
from touna_policy import config
from touna_policy.data import registry as data_registry
from touna_policy.data import workforce as data_workforce
from touna_policy.model.inputs import ModelInputs
from touna_policy.model.projection import DISTRICT_COLUMNS
from touna_policy.scenario import scenario_from_dict

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SUMMED = [
    "quota_places",
    "funded_workers",
    "covered_workers",
    "eligible_workers",
    "working_population",
    "premium_cost_idr",
    "other_channel_workers",
    "wage_earners_covered",
    "programme_budget_idr",
    "unused_quota_places",
]


@pytest.fixture(scope="module")
def shipped() -> ModelInputs:
    return tp.load_inputs()


# ------------------------------------------------------------------------------------------------
# strategies
# ------------------------------------------------------------------------------------------------


@st.composite
def village_tables(draw, min_size: int = 1, max_size: int = 25) -> pd.DataFrame:
    """A registry with workforce columns, as ModelInputs.villages holds it (sorted by code)."""
    n = draw(st.integers(min_size, max_size))
    rows = []
    for i in range(n):
        kelurahan = draw(st.booleans())
        kec = draw(st.integers(1, 4))
        vulnerable = draw(st.integers(0, 3000))
        working = vulnerable + draw(st.integers(0, 3000))
        population = working + draw(st.integers(0, 4000))
        code = f"72.09.{kec:02d}.{1 if kelurahan else 2}{i:03d}"
        rows.append(
            {
                "code": code,
                "village": f"V{i}",
                "type": "kelurahan" if kelurahan else "desa",
                "kecamatan_code": code[:8],
                "kecamatan": f"Kec {kec}",
                "kabupaten_code": "72.09",
                "kabupaten": "Tojo Una-Una",
                "province_code": "72",
                "province": "Sulawesi Tengah",
                "base_year": 2025,
                "population": float(population),
                "working_population": float(working),
                "vulnerable_workers": float(vulnerable),
                "estimated": True,
                "method": "hypothesis",
            }
        )
    return pd.DataFrame(rows).sort_values("code").reset_index(drop=True)


def _schedule(values: st.SearchStrategy, max_size: int = 3) -> st.SearchStrategy:
    return st.dictionaries(st.integers(2018, 2040), values, max_size=max_size)


@st.composite
def scenarios(draw, rule=st.sampled_from(["equal", "proportional"])) -> dict:  # noqa: B008 - a hypothesis strategy
    """A valid scenario as a mapping (validated by the real Scenario model)."""
    start = draw(st.integers(2020, 2030))
    quota = st.integers(0, 2000)
    return {
        "name": "prop",
        "title": "property test",
        "horizon": {"start_year": start, "end_year": start + draw(st.integers(0, 8))},
        "quota_per_village": {"desa": draw(_schedule(quota)), "kelurahan": draw(_schedule(quota))},
        "allocation_rule": draw(rule),
        "payment_compliance_share": draw(_schedule(st.floats(0, 1), 2)) or {2000: 1.0},
        "programme_budget_per_village_idr": {
            "desa": draw(_schedule(st.floats(0, 5e9), 2)),
            "kelurahan": draw(_schedule(st.floats(0, 5e9), 2)),
        },
        "declared_income_idr": draw(st.floats(100_000, 5_000_000)),
        "include_jht": draw(st.booleans()),
        "transport_worker_share": draw(st.floats(0, 1)),
        "workforce_growth_share_per_year": draw(st.floats(-0.05, 0.10)),
    }


def _inputs(shipped: ModelInputs, villages: pd.DataFrame, **changes) -> ModelInputs:
    return dataclasses.replace(shipped, villages=villages, files=(), **changes)


def _run(scenario: dict, inputs: ModelInputs):
    return tp.project(scenario_from_dict(scenario), inputs)


# ------------------------------------------------------------------------------------------------
# bounds
# ------------------------------------------------------------------------------------------------


@FAST
@given(villages=village_tables(), scenario=scenarios())
def test_covered_workers_never_exceed_eligible_workers(shipped, villages, scenario):
    a = _run(scenario, _inputs(shipped, villages)).arrays
    assert (a.covered_workers <= a.eligible_workers * (1 + 1e-12) + 1e-9).all()
    assert (a.funded_workers <= a.covered_workers + 1e-9).all()


@FAST
@given(villages=village_tables(), scenario=scenarios())
def test_funded_workers_never_exceed_quota_places(shipped, villages, scenario):
    r = _run(scenario, _inputs(shipped, villages))
    v = r.villages
    assert (v["funded_workers"] <= v["quota_places"] + 1e-9).all()
    d = r.district
    assert (d["funded_workers"] <= d["quota_places"] + 1e-9).all()
    assert ((d["coverage_share"].dropna() >= 0) & (d["coverage_share"].dropna() <= 1 + 1e-12)).all()


# ------------------------------------------------------------------------------------------------
# tables agree
# ------------------------------------------------------------------------------------------------


@FAST
@given(villages=village_tables(), scenario=scenarios())
def test_village_and_kecamatan_tables_sum_to_the_district_table(shipped, villages, scenario):
    r = _run(scenario, _inputs(shipped, villages))
    district = r.district.set_index("year")
    by_year = r.villages.groupby("year")[SUMMED].sum()
    for column in SUMMED:
        np.testing.assert_allclose(by_year[column], district[column], rtol=1e-9, atol=1e-6, err_msg=column)
    kec = r.kecamatan().groupby("year")[["funded_workers", "premium_cost_idr"]].sum()
    np.testing.assert_allclose(kec["premium_cost_idr"], district["premium_cost_idr"], rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(kec["funded_workers"], district["funded_workers"], rtol=1e-9, atol=1e-6)
    assert (district["villages"] == len(villages)).all()


# ------------------------------------------------------------------------------------------------
# cost
# ------------------------------------------------------------------------------------------------


def _raise(schedule: dict[int, int], extra: int) -> dict[int, int]:
    return {year: min(quota + extra, 100_000) for year, quota in schedule.items()}


@FAST
@given(villages=village_tables(), scenario=scenarios(rule=st.just("equal")), extra=st.integers(1, 500))
def test_cost_rises_with_quota_under_the_equal_rule(shipped, villages, scenario, extra):
    inputs = _inputs(shipped, villages)
    more = {**scenario, "quota_per_village": {k: _raise(v, extra) for k, v in scenario["quota_per_village"].items()}}
    low = _run(scenario, inputs).arrays
    high = _run(more, inputs).arrays
    assert (high.premium_cost_idr >= low.premium_cost_idr - 1e-6).all()
    assert (high.funded_workers >= low.funded_workers - 1e-9).all()


@FAST
@given(villages=village_tables(), scenario=scenarios(rule=st.just("proportional")), extra=st.integers(1, 500))
def test_district_cost_rises_with_quota_under_the_proportional_rule(shipped, villages, scenario, extra):
    """The district total: one village may lose a place to rounding, the district never pays less."""
    inputs = _inputs(shipped, villages)
    assume(villages["vulnerable_workers"].sum() > 0)
    more = {**scenario, "quota_per_village": {k: _raise(v, extra) for k, v in scenario["quota_per_village"].items()}}
    low = _run(scenario, inputs).district
    high = _run(more, inputs).district
    assert (high["premium_cost_idr"].to_numpy() >= low["premium_cost_idr"].to_numpy() - 1e-6).all()


def _scaled_rates(rates, jkm_factor: float, jkk_factor: float, relief_factor: float):
    """The shipped schedule with every JKM and JKK contribution scaled and every relief share scaled."""
    out = rates.model_copy(deep=True)
    for entry in out.jkm_contribution.values.values():
        entry.value *= jkm_factor
    for entry in out.jkk_contribution_by_declared_income.values.values():
        for band in entry.bands:
            band.contribution_idr *= jkk_factor
        entry.share_above_last_band *= jkk_factor
    for sector in out.relief_share.by_sector.values():
        for entry in sector.values():
            entry.value *= relief_factor
    return out


@FAST
@given(
    villages=village_tables(max_size=8),
    scenario=scenarios(),
    jkm=st.floats(1, 3),
    jkk=st.floats(1, 3),
    relief=st.floats(0, 1),
)
def test_cost_rises_with_the_rate_schedule(shipped, villages, scenario, jkm, jkk, relief):
    """Higher contributions or a smaller relief never lower any village's cost in any year."""
    base = _run(scenario, _inputs(shipped, villages)).arrays
    dearer = _run(scenario, _inputs(shipped, villages, rates=_scaled_rates(shipped.rates, jkm, jkk, relief))).arrays
    assert (dearer.premium_cost_idr >= base.premium_cost_idr * (1 - 1e-12) - 1e-6).all()
    assert (dearer.premium_per_worker_year_idr >= base.premium_per_worker_year_idr * (1 - 1e-12)).all()


@FAST
@given(villages=village_tables(), scenario=scenarios())
def test_zero_quota_costs_zero(shipped, villages, scenario):
    zero = {**scenario, "quota_per_village": {"desa": {2000: 0}, "kelurahan": {}}}
    r = _run(zero, _inputs(shipped, villages))
    assert (r.district["premium_cost_idr"] == 0).all()
    assert (r.district["funded_workers"] == 0).all()
    assert (r.villages["premium_cost_idr"] == 0).all()


# ------------------------------------------------------------------------------------------------
# order of rows
# ------------------------------------------------------------------------------------------------


@FAST
@given(villages=village_tables(min_size=2), scenario=scenarios(), seed=st.randoms())
def test_village_results_do_not_depend_on_row_order_in_memory(shipped, villages, scenario, seed):
    shuffled = villages.sample(frac=1.0, random_state=seed.randint(0, 2**31)).reset_index(drop=True)
    a = _run(scenario, _inputs(shipped, villages)).villages.sort_values(["code", "year"]).reset_index(drop=True)
    b = _run(scenario, _inputs(shipped, shuffled)).villages.sort_values(["code", "year"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_proportional_rounding_ties_do_not_depend_on_row_order(shipped):
    """Many shipped villages have equal estimates: their rounding ties go to the lower code, in any row order."""
    scenario = tp.load_scenario(config.SCENARIOS_DIR / "proportional-150.yaml")
    shuffled = shipped.villages.sample(frac=1.0, random_state=3).reset_index(drop=True)
    a = tp.project(scenario, shipped).villages.sort_values(["code", "year"]).reset_index(drop=True)
    b = tp.project(scenario, _inputs(shipped, shuffled)).villages.sort_values(["code", "year"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def _shuffled_csv(path: Path, rng: random.Random, target: Path) -> Path:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    body = rows[1:]
    rng.shuffle(body)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([rows[0], *body])
    target.write_text(buf.getvalue(), encoding="utf-8")
    return target


@settings(max_examples=8, deadline=None)
@given(
    rng=st.randoms(use_true_random=False),
    scenario_name=st.sampled_from(["satu-miliar-150", "proportional-150", "baseline-100"]),
)
def test_results_do_not_depend_on_the_order_of_rows_in_the_input_files(shipped, rng, scenario_name):
    """Shuffle the registry and the village workforce CSV: district and village tables are identical."""
    scenario = tp.load_scenario(config.SCENARIOS_DIR / f"{scenario_name}.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        registry_csv = _shuffled_csv(config.TOUNA_VILLAGES_CSV, rng, Path(tmp) / "touna_villages.csv")
        workforce_csv = _shuffled_csv(config.VILLAGE_WORKFORCE_CSV, rng, Path(tmp) / "village_workforce.csv")
        registry = data_registry.load_registry(config.DEFAULT_AREA_CODE, registry_csv)
        villages = data_workforce.load_village_workforce(registry, workforce_csv)
    reordered = tp.project(scenario, _inputs(shipped, villages))
    original = tp.project(scenario, shipped)
    pd.testing.assert_frame_equal(reordered.district[DISTRICT_COLUMNS], original.district[DISTRICT_COLUMNS])
    pd.testing.assert_frame_equal(reordered.villages, original.villages)
