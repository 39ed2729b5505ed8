"""The names notebook 05 imports as ``estimation.*``, kept while the notebook moves to the modules
that define them: :mod:`touna_policy.calibration.seed` and :mod:`touna_policy.calibration.trend`."""

from __future__ import annotations

from touna_policy.calibration.seed import seed_calibration_table, seed_facts_available
from touna_policy.calibration.trend import fit_coverage_trend, series_available

__all__ = ["fit_coverage_trend", "seed_calibration_table", "seed_facts_available", "series_available"]
