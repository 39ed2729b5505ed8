"""``data/parameters/benefit_rates.yaml``: mortality, work-accident rates and the average JKK payment.

Sourced national figures, labelled as such in every report; :func:`load_benefit_rates` reads and
validates them (errors name the file, key and line).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from touna_policy import config
from touna_policy.parameters.dated import Leaf, step_values
from touna_policy.parameters.loading import load_validated

BENEFIT_RATES_YAML = config.BENEFIT_RATES_YAML


class BenefitRates(BaseModel):
    """The whole ``benefit_rates.yaml`` file."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["sourced-national", "observed", "synthetic"]
    mortality_rate_per_year: Leaf
    work_accident_rate_per_year: Leaf
    jkk_payment_per_accident_idr: Leaf

    def _at(self, leaf: Leaf, years) -> np.ndarray:
        """Value of a leaf in each year: the latest value dated on or before 1 July, else the earliest."""
        years = np.asarray(years, dtype=int)
        dates = (years - 1970).astype("datetime64[Y]").astype("datetime64[D]") + 181
        out = step_values(leaf.values, dates)
        first = leaf.values[min(leaf.values)].value
        return np.where(np.isnan(out), first, out)

    def mortality(self, years) -> np.ndarray:
        return self._at(self.mortality_rate_per_year, years)

    def accidents(self, years) -> np.ndarray:
        return self._at(self.work_accident_rate_per_year, years)

    def jkk_payment(self, years) -> np.ndarray:
        return self._at(self.jkk_payment_per_accident_idr, years)


@lru_cache(maxsize=4)
def load_benefit_rates(path: Path = BENEFIT_RATES_YAML) -> BenefitRates:
    """Read and validate the benefit rates (errors name the file, key and line)."""
    return load_validated(BenefitRates, Path(path))
