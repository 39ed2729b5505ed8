"""Capped quotas and the unverified JKK band are said in ``project``'s output and a run's manifest (class 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from touna_policy import config
from touna_policy.cli import main
from touna_policy.model.projection import project
from touna_policy.pipeline.result_flags import flag_lines, result_flags
from touna_policy.scenario import load_scenario

SATU = config.SCENARIOS_DIR / "satu-miliar-150.yaml"


def _scenario(tmp_path: Path, quota: int = 150, income: int = 1_000_000) -> Path:
    text = SATU.read_text(encoding="utf-8")
    text = text.replace("desa: {2024: 100, 2026: 150}", f"desa: {{2024: 100, 2026: {quota}}}")
    text = text.replace("declared_income_idr: 1000000", f"declared_income_idr: {income}")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_shipped_scenario_has_no_flags():
    flags = result_flags(project(load_scenario(SATU)))
    assert flags == {"unused_quota": None, "uses_unverified_jkk_band": False} and flag_lines(flags) == []


def test_unused_places_equal_the_quota_minus_the_capped_places(tmp_path):
    result = project(load_scenario(_scenario(tmp_path, quota=5000)))
    unused = result_flags(result)["unused_quota"]
    district = result.district.set_index("year")
    assert unused["places"] == round(district["unused_quota_places"].max())
    assert unused["year"] == int(district["unused_quota_places"].idxmax())
    assert 0 < unused["villages"] <= unused["villages_any_year"] <= len(result.inputs.villages)


def test_project_prints_how_many_places_go_unused_and_where(tmp_path, capsys):
    assert main(["project", str(_scenario(tmp_path, quota=5000))]) == 0
    out = capsys.readouterr().out
    assert "CAPPED: " in out and "quota places unused in" in out and "villages whose quota exceeds" in out


def test_project_flags_an_income_above_the_verified_jkk_band(tmp_path, capsys):
    assert main(["project", str(_scenario(tmp_path, income=50_000_000))]) == 0
    assert "UNVERIFIED: an income above the verified JKK band" in capsys.readouterr().out


def test_quiet_project_still_warns_on_stderr(tmp_path, capsys):
    assert main(["project", str(_scenario(tmp_path, income=50_000_000)), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("warning: UNVERIFIED:")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_report_title_page_texts_exist_in_both_languages(lang):
    from touna_policy.pipeline.result_flags import report_flag_keys
    from touna_policy.report.i18n import text

    flags = {"unused_quota": {"year": 2026, "places": 5, "villages": 2, "villages_any_year": 3}}
    flags["uses_unverified_jkk_band"] = True
    shown = [text(key, lang, **values) for key, values in report_flag_keys(flags)]
    assert len(shown) == 2 and "5" in shown[0] and "JKK" in shown[1]
