"""Year schedules and village overrides of a scenario, as arrays over years and villages.

- :func:`year_schedule`: a step schedule ``{first_year: value}`` evaluated at the projection years;
- :func:`override_masks`: one boolean mask over villages per override (unknown villages or kecamatan
  raise :class:`~touna_policy.errors.InputError`);
- :func:`apply_overrides`: a villages x years schedule with one field of the overrides applied.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from touna_policy.errors import InputError, InputProblem, did_you_mean
from touna_policy.scenario import Scenario


def year_schedule(schedule: dict[int, float] | None, years: np.ndarray, before: float = np.nan) -> np.ndarray:
    """Evaluate a step schedule ``{first_year: value}`` at ``years``; ``before`` ahead of the first key."""
    if not schedule:
        return np.full(len(years), before, dtype=float)
    keys = np.array(sorted(schedule), dtype=int)
    values = np.array([schedule[k] for k in sorted(schedule)], dtype=float)
    idx = np.searchsorted(keys, years, side="right") - 1
    return np.where(idx >= 0, values[np.clip(idx, 0, None)], before)


def override_masks(scenario: Scenario, villages: pd.DataFrame, file: str = "<scenario>") -> list[np.ndarray]:
    """One boolean mask over villages per override; unknown villages or kecamatan raise :class:`InputError`."""
    codes = villages["code"].to_numpy()
    kec_codes = villages["kecamatan_code"].to_numpy()
    kec_names = villages["kecamatan"].to_numpy()
    masks, problems = [], []
    at = scenario.key_location

    for n, override in enumerate(scenario.overrides):
        if override.village is not None:
            mask = codes == override.village
            if not mask.any():
                problems.append(
                    (
                        at(f"overrides.{n}.village"),
                        f"'{override.village}', not a village of area {scenario.area}",
                        "a Kemendagri village code of the area's registry",
                        did_you_mean(override.village, codes),
                    )
                )
        else:
            mask = (kec_codes == override.kecamatan) | (kec_names == override.kecamatan)
            if not mask.any():
                known = sorted(set(kec_names)) + sorted(set(kec_codes))
                problems.append(
                    (
                        at(f"overrides.{n}.kecamatan"),
                        f"'{override.kecamatan}', not a kecamatan of area {scenario.area}",
                        "a kecamatan code or name of the area's registry",
                        did_you_mean(str(override.kecamatan), known),
                    )
                )
        masks.append(mask)
    if problems:
        file = file if file != "<scenario>" else (scenario.source_path or file)
        raise InputError([InputProblem(file, *p) for p in problems])
    return masks


def apply_overrides(values: np.ndarray, scenario: Scenario, masks: list[np.ndarray], field: str) -> np.ndarray:
    """``values`` (villages x years, a copy) with each override's ``field`` schedule set on its villages.

    An override sets its villages from the first year of its schedule on; earlier years keep ``values``.
    """
    out = np.array(values, dtype=float)
    years = scenario.years
    for mask, override in zip(masks, scenario.overrides, strict=True):
        schedule = getattr(override, field)
        if schedule is not None:
            at = year_schedule(schedule, years)
            out[np.ix_(mask, ~np.isnan(at))] = at[~np.isnan(at)]
    return out
