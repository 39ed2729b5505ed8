"""The three readings of the seed's 22.27 % rise that notebook 05 charts side by side."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from touna_policy.model.inputs import ModelInputs
from touna_policy.model.projection import project
from touna_policy.scenario import Scenario

READING_VARIANTS = (
    ("estimation.series_assumption", None, "assumption"),
    ("estimation.series_relative", "relative", "seed_calibration"),
    ("estimation.series_points", "percentage_points", "seed_calibration"),
)
"""(catalogue key of the series, coverage-growth reading or ``None`` for the scenario's own, other-channel source)."""


def reading_variant(scenario: Scenario, reading: str | None, source: str) -> Scenario:
    """The scenario with another 22.27 %-reading and other-channel source (``None``: keep its reading)."""
    return scenario.model_copy(
        update={
            "coverage_growth_reading": scenario.coverage_growth_reading if reading is None else reading,
            "other_channels": scenario.other_channels.model_copy(update={"source": source}),
        }
    )


def reading_variants(scenario: Scenario, inputs: ModelInputs, label: Callable[[str], str]) -> dict[str, np.ndarray]:
    """District coverage share per year under each of :data:`READING_VARIANTS`, keyed by ``label(key)``."""
    return {
        label(key): project(reading_variant(scenario, reading, source), inputs).district["coverage_share"].to_numpy()
        for key, reading, source in READING_VARIANTS
    }
