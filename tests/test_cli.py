"""The command line: projection CSVs, validate, exit codes."""

import pandas as pd

from touna_policy import config
from touna_policy.cli import main

from .conftest import write

COLUMNS = [
    "scenario",
    "year",
    "quota_places",
    "funded_workers",
    "covered_workers",
    "eligible_workers",
    "working_population",
    "coverage_share",
    "ucj_coverage_share",
    "premium_cost_idr",
    "budget_share",
]


def test_project_writes_district_and_village_tables(tmp_path):
    out, villages = tmp_path / "d.csv", tmp_path / "v.csv"
    code = main(
        [
            "project",
            str(config.SCENARIOS_DIR / "satu-miliar-150.yaml"),
            "--csv",
            str(out),
            "--villages",
            str(villages),
            "--quiet",
        ]
    )
    assert code == 0
    d = pd.read_csv(out)
    assert list(d.columns[: len(COLUMNS)]) == COLUMNS
    assert d.set_index("year").loc[2026, "billed_places"] == 21_900
    assert d.set_index("year").loc[2026, "funded_workers"] == 21_900 * 0.95  # paid up: arrears
    assert len(pd.read_csv(villages)) == 146 * 13


def test_project_twice_gives_identical_bytes(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for out in (a, b):
        main(["project", str(config.SCENARIOS_DIR / "baseline-100.yaml"), "--csv", str(out), "--quiet"])
    assert a.read_bytes() == b.read_bytes()


def test_invalid_scenario_exits_2_without_traceback(tmp_path, capsys):
    path = write(tmp_path, "bad.yaml", "name: x\ntitle: x\nquota: 5\n")
    assert main(["project", str(path)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "Traceback" not in err


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["project", str(tmp_path / "nope.yaml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_validate_reports_every_problem_in_every_file(tmp_path, capsys):
    a = write(tmp_path, "a.yaml", "name: x\ntitle: x\nhorizn: {}\nseed: -1\n")
    b = write(tmp_path, "b.yaml", "name: Bad Name\ntitle: x\n")
    assert main(["validate", str(a), str(b)]) == 2
    err = capsys.readouterr().err
    assert "3 problems" in err and "a.yaml" in err and "b.yaml" in err


def test_validate_accepts_shipped_files(capsys):
    files = [str(p) for p in sorted(config.SCENARIOS_DIR.glob("*.yaml"))]
    files += [
        str(config.VILLAGE_WORKFORCE_CSV),
        str(config.TOUNA_VILLAGES_CSV),
        str(config.BPU_PARAMETERS_YAML),
        str(config.REGENCY_POPULATION_CSV),
        str(config.REGENCY_INDICATORS_CSV),
    ]
    assert main(["validate", *files]) == 0
