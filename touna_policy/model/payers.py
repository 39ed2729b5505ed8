"""Who pays every funded place, the premium per worker of each payer, and the cost split by payer.

- :func:`payer_index`: the payer of every village (index into
  :data:`~touna_policy.parameters.payers.PAYERS`): the scenario's payer of its type (desa:
  ``apbdes``, kelurahan: ``apbd`` by default), then the kecamatan overrides, then the village
  overrides (a village's own payer wins);
- :func:`premium_per_payer_year_idr`: the premium of one worker per payer and year, the PP 50/2025
  relief counted only in the months it is in force and only for payers it applies to
  (``relief_eligibility.yaml``; ``apbdes`` by the scenario's ``relief_for_apbdes_paid``);
- :func:`cost_by_payer`: a villages x years cost split into one array per payer.

The kernel (:mod:`touna_policy.model.kernel`) multiplies each village's billed places by its row of
:func:`premium_per_village_year_idr`: the one place of the premium arithmetic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from touna_policy.errors import InputError, InputProblem, did_you_mean
from touna_policy.parameters.contributions import MonthlyRates
from touna_policy.parameters.payers import PAYERS, relief_eligible_by_month
from touna_policy.scenario import Scenario


def payer_index(scenario: Scenario, villages: pd.DataFrame) -> np.ndarray:
    """Index into :data:`PAYERS` of every village's payer (unknown villages or kecamatan raise :class:`InputError`)."""
    spec = scenario.payers
    is_kel = villages["type"].to_numpy() == "kelurahan"
    out = np.where(is_kel, PAYERS.index(spec.kelurahan), PAYERS.index(spec.desa)).astype(np.int64)
    codes = villages["code"].to_numpy()
    kec_codes, kec_names = villages["kecamatan_code"].to_numpy(), villages["kecamatan"].to_numpy()
    problems = []
    ordered = sorted(enumerate(spec.overrides), key=lambda item: item[1].village is not None)  # kecamatan first
    for n, override in ordered:
        if override.village is not None:
            mask, key = codes == override.village, f"payers.overrides.{n}.village"
            known, what = codes, f"'{override.village}', not a village of area {scenario.area}"
        else:
            mask = (kec_codes == override.kecamatan) | (kec_names == override.kecamatan)
            key = f"payers.overrides.{n}.kecamatan"
            known = np.array(sorted(set(kec_names)) + sorted(set(kec_codes)))
            what = f"'{override.kecamatan}', not a kecamatan of area {scenario.area}"
        if not mask.any():
            where = scenario.key_location(key)
            hint = did_you_mean(str(override.village or override.kecamatan), known)
            problems.append((where, what, "a village code or kecamatan code or name of the area's registry", hint))
        out[mask] = PAYERS.index(override.payer)
    if problems:
        file = scenario.source_path or "<scenario>"
        raise InputError([InputProblem(file, *p) for p in problems])
    return out


def premium_per_payer_month_idr(rates: MonthlyRates, eligible_by_month: np.ndarray) -> np.ndarray:
    """Premium of one worker per payer and month (payers x years x 12): (JKK + JKM) x (1 - relief
    share x the payer's eligibility) + JHT."""
    jkk_jkm = (rates.jkk_idr + rates.jkm_idr)[None]
    return jkk_jkm * (1.0 - rates.relief_share[None] * eligible_by_month) + rates.jht_idr[None]


def premium_per_payer_year_idr(rates: MonthlyRates, eligible_by_month: np.ndarray) -> np.ndarray:
    """Premium of one worker per payer and year (payers x years): the twelve months of
    :func:`premium_per_payer_month_idr`, summed."""
    return premium_per_payer_month_idr(rates, eligible_by_month).sum(axis=2)


def scenario_premium_per_payer_year_idr(
    scenario: Scenario, rates: MonthlyRates, relief_for_apbdes_paid: bool | None = None
) -> np.ndarray:
    """:func:`premium_per_payer_year_idr` for ``scenario`` (``relief_for_apbdes_paid`` default: the scenario's)."""
    flag = scenario.relief_for_apbdes_paid if relief_for_apbdes_paid is None else relief_for_apbdes_paid
    return premium_per_payer_year_idr(rates, relief_eligible_by_month(scenario.years, flag))


def premium_per_village_year_idr(per_payer: np.ndarray, payers: np.ndarray) -> np.ndarray:
    """Each village's row of the per-payer premium (villages x years)."""
    return per_payer[payers]


def cost_by_payer(cost_idr: np.ndarray, payers: np.ndarray) -> dict[str, np.ndarray]:
    """``{payer: cost of the villages it pays, zero elsewhere}`` (each villages x years, or years after a sum)."""
    return {name: np.where((payers == k)[:, None], cost_idr, 0.0) for k, name in enumerate(PAYERS)}
