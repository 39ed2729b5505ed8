"""The notebooks' setup(globals()) call: strict parameters under any client, paths from notebooks/."""

from __future__ import annotations

import os

import pytest

from touna_policy import config
from touna_policy.errors import InputError
from touna_policy.notebook import setup
from touna_policy.pipeline.notebook_params import INJECTED_HEADER, PARAMETERS_HEADER, check_namespace, parameter_cells

SATU = str(config.SCENARIOS_DIR / "satu-miliar-150.yaml")
PARAMS_CELL = (
    PARAMETERS_HEADER + "\nfrom touna_policy import config\n\n"
    'scenario_path: str = str(config.SCENARIOS_DIR / "satu-miliar-150.yaml")\n'
    'output_dir: str = ""\nseed: int = 20250626\nlang: str = "id"\n'
)
SETUP_CELL = "from touna_policy.notebook import setup\n\nnb = setup(globals())"


def _namespace(injected: str | None = None, **values):
    """A kernel namespace as papermill leaves it: history ``In`` (current cell last) and the values."""
    history = ["", PARAMS_CELL] + ([INJECTED_HEADER + injected] if injected else []) + [SETUP_CELL]
    ns = {"In": history, "scenario_path": SATU, "output_dir": "", "seed": 20250626, "lang": "id"}
    ns.update(values)
    return ns


def test_misspelled_injected_parameter_stops_with_the_nearest_name():
    ns = _namespace('scenaro_path = "x.yaml"\n', scenaro_path="x.yaml")
    with pytest.raises(InputError) as err:
        setup(ns)
    assert "unknown parameter 'scenaro_path'" in str(err.value)
    assert "did you mean 'scenario_path'?" in str(err.value)


def test_injected_seed_abc_is_refused_as_not_an_integer():
    with pytest.raises(InputError, match=r"parameter 'seed': found 'abc'; expected a valid integer"):
        setup(_namespace('seed = "abc"\n', seed="abc"))


def test_injected_scenario_path_42_is_refused_as_not_a_string():
    with pytest.raises(InputError, match=r"parameter 'scenario_path': found 42; expected a valid string"):
        setup(_namespace("scenario_path = 42\n", scenario_path=42))


def test_language_outside_id_en_is_refused():
    with pytest.raises(InputError, match="parameter 'lang'"):
        setup(_namespace('lang = "fr"\n', lang="fr"))


def test_comparison_parameter_injected_into_a_scenario_notebook_is_unknown():
    with pytest.raises(InputError, match="unknown parameter 'run_dirs'"):
        setup(_namespace("run_dirs = []\n", run_dirs=[]))


def test_valid_injection_gives_the_injected_values():
    nb = setup(_namespace("seed = 7\nlang = 'en'\n", seed=7, lang="en"))
    assert (nb.seed, nb.lang, nb.output_dir) == (7, "en", "")
    assert nb.T("charts.year") == "Year"


def test_rerun_in_jupyterlab_with_the_notebooks_own_names_is_not_an_injection():
    # Run All twice: the namespace holds the notebook's own names, the history no injected cell
    ns = _namespace(scenario=object(), year=2026, T=len)
    ns["In"] = ["", PARAMS_CELL, SETUP_CELL, "year = 2026", PARAMS_CELL, SETUP_CELL]
    assert setup(ns).seed == 20250626


def test_history_finds_the_last_parameters_cell_and_papermills_injection_after_it():
    declared, injected = parameter_cells(["", PARAMS_CELL, INJECTED_HEADER + "seed = 1\nsed = 2\n", SETUP_CELL])
    assert declared == ["scenario_path", "output_dir", "seed", "lang"] and injected == ["seed", "sed"]
    assert parameter_cells(["", "x = 1", SETUP_CELL]) == (None, [])


def test_plain_namespace_without_history_checks_the_values_present():
    with pytest.raises(InputError, match="parameter 'seed'"):
        check_namespace({"scenario_path": SATU, "seed": 1.5})
    assert check_namespace({"scenario_path": SATU, "seed": 3}).seed == 3


def test_relative_scenario_path_from_the_notebooks_folder_resolves_against_the_project_root(monkeypatch):
    monkeypatch.chdir(config.NOTEBOOKS_DIR)
    nb = setup(_namespace(scenario_path="data/scenarios/baseline-100.yaml"))
    assert nb.scenario_file == config.PROJECT_ROOT / "data/scenarios/baseline-100.yaml"
    assert nb.scenario.name == "baseline-100"


def test_missing_scenario_file_names_both_places_looked_in(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as err:
        setup(_namespace(scenario_path="data/scenarios/nope.yaml"))
    message = str(err.value)
    assert str(tmp_path / "data/scenarios/nope.yaml") in message
    assert str(config.PROJECT_ROOT / "data/scenarios/nope.yaml") in message


def test_locate_input_keeps_a_path_that_exists_from_the_working_directory(monkeypatch):
    monkeypatch.chdir(config.PROJECT_ROOT)
    assert (
        os.fspath(config.locate_input("data/scenarios/satu-miliar-150.yaml")) == "data/scenarios/satu-miliar-150.yaml"
    )


def test_scenario_and_projection_are_loaded_once_on_first_use():
    nb = setup(_namespace())
    assert nb.scenario is nb.scenario and nb.result is nb.result
    assert nb.result.district["billed_places"].iloc[-1] == 21_900  # 146 villages x 150
