from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

import touna_policy as tp
from touna_policy import config
from touna_policy.data.validation_cache import CACHE_ENV

# the tests' validation cache: a fresh folder per session, never the user's cache (kernels inherit it)
os.environ.setdefault(CACHE_ENV, tempfile.mkdtemp(prefix="touna-test-cache-"))

SCENARIOS = config.SCENARIOS_DIR


@pytest.fixture(scope="session")
def inputs():
    return tp.load_inputs()


@pytest.fixture(scope="session")
def baseline(inputs):
    return tp.project(tp.load_scenario(SCENARIOS / "baseline-100.yaml"), inputs)


@pytest.fixture(scope="session")
def satu_miliar(inputs):
    return tp.project(tp.load_scenario(SCENARIOS / "satu-miliar-150.yaml"), inputs)


@pytest.fixture
def workforce_copy(tmp_path) -> Path:
    """A writable copy of the shipped village workforce CSV."""
    target = tmp_path / "village_workforce.csv"
    shutil.copy(config.VILLAGE_WORKFORCE_CSV, target)
    return target


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
