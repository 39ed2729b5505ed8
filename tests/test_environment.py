"""environment.yml must list the same dependencies as pyproject.toml."""

import re

import tomllib
import yaml

from touna_policy import config

CONDA_NAMES = {"dask[distributed]": {"dask", "distributed"}}


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ ]", spec.strip(), maxsplit=1)[0].lower()


def test_environment_yml_and_pyproject_list_the_same_packages():
    project = tomllib.loads((config.PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    wanted = set()
    for spec in project["dependencies"] + project["optional-dependencies"]["dev"]:
        wanted |= CONDA_NAMES.get(_name(spec), {_name(spec)})
    env = yaml.safe_load((config.PROJECT_ROOT / "environment.yml").read_text())
    listed = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert listed == wanted


def test_environment_yml_is_a_valid_conda_file():
    env = yaml.safe_load((config.PROJECT_ROOT / "environment.yml").read_text())
    assert set(env) == {"name", "channels", "dependencies"}
    assert any(isinstance(d, dict) and "pip" in d for d in env["dependencies"])
