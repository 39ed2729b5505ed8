"""`touna-policy project` starts without the heavy libraries and ends without the interpreter's teardown."""

import subprocess
import sys

from touna_policy import config

HEAVY = ("pandera", "matplotlib", "statsmodels", "scipy", "SALib", "dask", "distributed", "papermill", "nbformat")
SCENARIO = str(config.SCENARIOS_DIR / "satu-miliar-150.yaml")


def test_project_imports_none_of_the_heavy_libraries_once_the_tables_are_validated(tmp_path):
    code = (
        "import sys\n"
        "from touna_policy.cli import main\n"
        f"main(['project', {SCENARIO!r}, '--csv', {str(tmp_path / 'd.csv')!r}, '--quiet'])\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)  # fills the validation cache
    second = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert second.stdout.strip().splitlines()[-1] == "[]"


def test_importing_the_cli_imports_no_heavy_library():
    code = f"import sys, touna_policy.cli; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_python_m_exits_with_the_command_code_and_flushes_all_output(tmp_path):
    ok = subprocess.run(
        [sys.executable, "-m", "touna_policy", "project", SCENARIO, "--csv", str(tmp_path / "d.csv")],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0
    assert ok.stdout.splitlines()[0].startswith("Scenario satu-miliar-150") and " 2035 " in ok.stdout
    assert (tmp_path / "d.csv").read_text().count("\n") == 14  # header and 2023-2035
    missing = subprocess.run(
        [sys.executable, "-m", "touna_policy", "project", str(tmp_path / "none.yaml")], capture_output=True, text=True
    )
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_the_installed_command_exits_with_the_command_code_through_the_fast_exit(tmp_path):
    from importlib.metadata import entry_points

    (command,) = [e for e in entry_points(group="console_scripts") if e.name == "touna-policy"]
    assert command.value == "touna_policy.cli:console_main"
    code = "import sys; from touna_policy.cli import console_main; sys.argv[1:] = sys.argv[1:]; console_main()"
    bad = subprocess.run(
        [sys.executable, "-c", code, "project", str(tmp_path / "none.yaml")], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "no such file" in bad.stderr
