"""data/parameters/ucj_segments.yaml: the shipped figures, the rates derived from them, and bad files."""

from __future__ import annotations

import pytest

from touna_policy.cli import main
from touna_policy.errors import InputError
from touna_policy.parameters.participation import load_participation_parameters
from touna_policy.parameters.ucj_segments import UCJ_SEGMENTS_YAML, load_ucj_segments
from touna_policy.pipeline.validate import kind_of


def _bad_copy(tmp_path, old: str, new: str):
    text = UCJ_SEGMENTS_YAML.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "ucj_segments.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_province_segments_of_2024_add_up_to_518141():
    a = load_ucj_segments().province_active_2024
    assert (a.wage_earners_pu, a.bpu, a.construction_jakon, a.migrant_workers_pmi) == (314_034, 128_993, 74_773, 341)
    assert a.total == 518_141


def test_wage_earners_are_scaled_per_formal_worker_outside_imip():
    # (314,034 - 83,000) / (1,525,660 - 1,002,420 - 83,000) = 231,034 / 440,240
    assert load_ucj_segments().segment_rate("wage_earners_pu") == 231_034 / 440_240


def test_jakon_per_employed_worker_outside_imip_and_pmi_per_employed_worker():
    p = load_ucj_segments()
    assert p.segment_rate("construction_jakon") == 74_773 / 1_442_660
    assert p.segment_rate("migrant_workers_pmi") == 341 / 1_525_660


def test_every_scaled_segment_is_labelled_as_real_at_the_province():
    p = load_ucj_segments()
    assert {rule.real_at for rule in p.segments.values()} == {"province"}
    assert p.segments["wage_earners_pu"].status == "estimated"
    assert {p.segments[s].status for s in ("construction_jakon", "migrant_workers_pmi")} == {"assumption"}


def test_the_denominator_ratio_is_bpjs_2021_workers_over_bps_employed_and_the_published_share_is_flagged():
    d = load_ucj_segments().denominator
    assert d.ratio("bpjs_2021") == 946_261 / 1_516_700
    assert d.ratio("all_employed") == 1.0
    assert d.default_reading == "all_employed"
    # 231,145 / 946,261 is 24.43 %, not the published 24.22 %: the file says so
    assert d.bpjs_2021.share == pytest.approx(0.24427, abs=1e-5)
    assert "CONFLICT" in d.bpjs_2021.reference


def test_the_self_paying_anchor_is_the_budget_free_bpu_over_the_unfunded_informal_workers():
    # (128,993 - 68,188 - 18,028) / (1,002,420 - 68,188 - 18,028) = 42,777 / 916,204
    assert load_ucj_segments().self_paying_anchor_share == 42_777 / 916_204


def test_the_lapse_reading_is_the_bpu_non_active_share_the_engine_uses():
    lapse = load_ucj_segments().self_paying_lapse
    assert (lapse.reading, lapse.bpu_non_active_share, lapse.all_segment_non_active_share) == (
        "bpu_non_active",
        0.096,
        0.3195,
    )
    assert load_participation_parameters().self_paid_lapse_share.value == lapse.bpu_non_active_share


def test_provincial_programme_defaults_touna_share_of_informal_workers_and_a_prudent_overlap():
    p = load_ucj_segments()
    prog = p.provincial_programme
    assert (prog.province_workers, prog.start_month) == (62_969, "2025-11")
    assert prog.district_share.value == pytest.approx(59_979 / 1_002_420, abs=5e-5)  # the rule in the file
    assert (prog.overlap_share.value, prog.overlap_share.status) == (0.5, "assumption")
    assert p.provincial_district_workers == 0.0598 * 62_969


def test_the_rpjmn_target_is_a_path_and_the_others_levels():
    t = load_ucj_segments().targets
    assert t["rpjmn_path"].path == {2025: 0.3215, 2029: 0.4392}
    assert (t["national_2025"].share, t["central_sulawesi"].share) == (0.3568, 0.71)


def test_segments_that_do_not_add_up_to_the_total_are_refused_naming_file_and_key(tmp_path):
    path = _bad_copy(tmp_path, "  total: 518141", "  total: 518000")
    with pytest.raises(InputError) as err:
        load_ucj_segments.__wrapped__(path)
    text = str(err.value)
    assert str(path) in text and "key 'province_active_2024'" in text
    assert "add up to 518,141, not the total 518,000" in text


def test_an_overlap_share_above_one_is_refused_naming_file_and_key(tmp_path):
    path = _bad_copy(tmp_path, "  overlap_share:\n    value: 0.5", "  overlap_share:\n    value: 1.5")
    with pytest.raises(InputError) as err:
        load_ucj_segments.__wrapped__(path)
    assert str(path) in str(err.value) and "provincial_programme.overlap_share.value" in str(err.value)


def test_a_fractional_participant_count_is_refused(tmp_path):
    path = _bad_copy(tmp_path, "  migrant_workers_pmi: 341", "  migrant_workers_pmi: 341.5")
    with pytest.raises(InputError, match="province_active_2024.migrant_workers_pmi"):
        load_ucj_segments.__wrapped__(path)


def test_a_missing_segment_rule_is_refused(tmp_path):
    text = UCJ_SEGMENTS_YAML.read_text(encoding="utf-8")
    start = text.index("  migrant_workers_pmi:\n    base:")
    end = text.index("\n\n", start)
    path = tmp_path / "ucj_segments.yaml"
    path.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    with pytest.raises(InputError, match="segments has no rule for migrant_workers_pmi"):
        load_ucj_segments.__wrapped__(path)


def test_validate_knows_the_ucj_segments_file(capsys):
    assert kind_of("ucj_segments.yaml").name == "ucj_segments"
    assert main(["validate", str(UCJ_SEGMENTS_YAML)]) == 0
    capsys.readouterr()
