"""The scenario's ``arrears`` block: episodes of unpaid months, refused with the key and line when wrong."""

from __future__ import annotations

import pytest

import touna_policy as tp
from touna_policy.errors import InputError
from touna_policy.model.arrears import payment_plan
from touna_policy.scenario import load_scenario

from .conftest import write

HEAD = "name: x\ntitle: x\nquota_per_village:\n  desa: {2024: 100}\n"


def _scenario(tmp_path, episode: str):
    return write(tmp_path, "s.yaml", HEAD + "arrears:\n" + episode)


def test_an_episode_is_read_with_month_text(tmp_path):
    s = load_scenario(_scenario(tmp_path, "  - kecamatan: Togean\n    stop: 2025-10\n    resume: 2026-03\n"))
    assert (s.arrears[0].stop, s.arrears[0].resume, s.arrears[0].pays_arrears) == ("2025-10", "2026-03", True)


def test_a_month_thirteen_is_refused_with_its_key_and_line(tmp_path):
    with pytest.raises(
        InputError, match=r"arrears.0.stop. \(line 7\): found .2025-13.; expected first unpaid month, YYYY-MM"
    ):
        load_scenario(_scenario(tmp_path, "  - kecamatan: Togean\n    stop: 2025-13\n"))


def test_resume_not_after_stop_is_refused(tmp_path):
    with pytest.raises(InputError, match="resume 2025-09 is not after stop 2025-10"):
        load_scenario(_scenario(tmp_path, "  - kecamatan: Togean\n    stop: 2025-10\n    resume: 2025-09\n"))


def test_an_episode_naming_a_kecamatan_and_a_type_is_refused(tmp_path):
    with pytest.raises(InputError, match="exactly one of 'village', 'kecamatan' or 'type'"):
        load_scenario(_scenario(tmp_path, "  - kecamatan: Togean\n    type: desa\n    stop: 2025-10\n"))


def test_a_stop_month_outside_the_horizon_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"arrears.0.stop.*2040-01, outside the horizon 2023-2035"):
        load_scenario(_scenario(tmp_path, "  - type: desa\n    stop: 2040-01\n"))


def test_an_unknown_kecamatan_is_refused_with_the_nearest_name(tmp_path, inputs):
    s = load_scenario(_scenario(tmp_path, "  - kecamatan: Walea Besr\n    stop: 2025-10\n"))
    with pytest.raises(
        InputError, match=r"arrears.0.kecamatan.*'Walea Besr', not a kecamatan.*did you mean 'Walea Besar'"
    ):
        payment_plan(s, inputs.villages)


def test_an_episode_without_resume_leaves_every_later_month_unpaid(tmp_path, inputs):
    s = load_scenario(_scenario(tmp_path, "  - type: kelurahan\n    stop: 2035-07\n    pays_arrears: false\n"))
    plan = payment_plan(s, inputs.villages)
    kelurahan = (inputs.villages["type"] == "kelurahan").to_numpy()
    assert (~plan.paid[kelurahan, -6:]).all() and plan.paid[kelurahan, :-6].all() and plan.paid[~kelurahan].all()
    assert not plan.settles.any()


def test_a_scenario_without_arrears_has_no_payment_plan(inputs):
    assert payment_plan(tp.scenario.scenario_from_dict({"name": "x", "title": "x"}), inputs.villages) is None
