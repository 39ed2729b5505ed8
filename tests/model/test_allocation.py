"""Allocation rules at equal total places: whole places, caps, unused quota."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import touna_policy as tp
from touna_policy.model.allocation import allocate_quota, capped_mix_quota
from touna_policy.scenario import scenario_from_dict

BASE = {
    "name": "t",
    "title": "t",
    "quota_per_village": {"desa": {2024: 100, 2026: 150}, "kelurahan": {2025: 100, 2026: 150}},
}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(1, 2000), min_size=2, max_size=40), st.integers(0, 200), st.floats(0.01, 1.0))
def test_proportional_rule_at_equal_cost_never_leaves_quota_unused_where_workers_exist(eligible, per_village, fill):
    e = np.array(eligible)[:, None]
    total = int(min(per_village * len(eligible), fill * e.sum()))  # no more places than eligible workers
    quota = np.zeros_like(e)
    quota[0, 0] = total
    q = allocate_quota(quota, e, "proportional")
    assert q.sum() == total
    assert (q <= np.ceil(e) + 1e-9).all()
    assert np.minimum(q, e).sum() == pytest.approx(min(total, e.sum()), abs=len(eligible))  # at most rounding
    unused = q - np.minimum(q, e)
    assert (unused < 1).all()  # never a whole place unused


def test_equal_rule_leaves_quota_unused_in_small_villages_and_capped_mix_does_not():
    e = np.array([[50.0], [400.0], [400.0]])
    quota = np.full((3, 1), 150.0)
    eq = allocate_quota(quota, e, "equal")
    assert (eq - np.minimum(eq, e)).sum() == 100  # 150 places for 50 workers
    cm = capped_mix_quota(quota, e, equal_share=0.5)
    assert cm.sum() == 450 and cm[0, 0] == 50 and (cm <= e).all()


def test_capped_mix_with_equal_share_one_is_the_equal_split_when_no_cap_binds():
    e = np.array([[300.0], [500.0], [700.0], [900.0]])
    cm = capped_mix_quota(np.full((4, 1), 100.0), e, equal_share=1.0)
    assert np.array_equal(cm, np.full((4, 1), 100.0))


def test_capped_mix_respects_a_places_cap_and_leaves_what_fits_nowhere():
    e = np.array([[1000.0], [1000.0]])
    cm = capped_mix_quota(np.full((2, 1), 300.0), e, equal_share=0.0, max_places_per_village=200)
    assert np.array_equal(cm, np.full((2, 1), 200.0))  # 600 places, 400 fit under the cap


def test_capped_mix_scenario_runs_through_the_engine(inputs):
    r = tp.project(
        scenario_from_dict({**BASE, "allocation_rule": "capped_mix", "allocation_mix": {"equal_share": 0.25}}), inputs
    )
    d = r.district.set_index("year")
    assert d.loc[2030, "quota_places"] == 21_900 and d.loc[2030, "unused_quota_places"] == 0
