"""A scenario's arrears episodes as villages x months arrays: :func:`payment_plan`.

Each episode of the scenario's ``arrears`` list selects villages (one village by code, one kecamatan
by code or name, or every village of one type) and leaves their premiums unpaid from its ``stop``
month to the month before ``resume``; with ``pays_arrears`` the ``resume`` month settles the arrears
(:func:`touna_policy.model.participation.paid_premium_idr` says how much of them). Episodes
overlapping on a village combine: a month is unpaid if any episode leaves it unpaid.

:func:`payment_probability` resolves the scenario's ``payment_probability`` entries to the probability
that each village pays each month (villages x months): the default of
``data/parameters/participation.yaml`` (0.95; 1 - 0.096 for self-paying places), then each entry in
the order written on its villages (by code, kecamatan or type) and months.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from touna_policy.errors import InputError, InputProblem, did_you_mean
from touna_policy.model.participation import MONTHS_PER_YEAR
from touna_policy.scenario import Scenario, month_number


@dataclass(frozen=True)
class PaymentPlan:
    """Villages x months (12 per projection year): ``paid`` on time, and ``settles`` the arrears."""

    paid: np.ndarray
    settles: np.ndarray

    def villages(self, start: int, stop: int) -> PaymentPlan:
        return PaymentPlan(self.paid[start:stop], self.settles[start:stop])


def full_payment(n_villages: int, n_years: int) -> PaymentPlan:
    """Every month paid, nothing to settle."""
    shape = (n_villages, n_years * MONTHS_PER_YEAR)
    return PaymentPlan(np.ones(shape, dtype=bool), np.zeros(shape, dtype=bool))


def episode_villages(scenario: Scenario, villages: pd.DataFrame, n: int) -> np.ndarray:
    """The villages (boolean mask) episode ``n`` of ``scenario.arrears`` applies to; a village code or
    kecamatan the area does not have raises :class:`InputError` naming the key and line."""
    return target_villages(scenario, villages, scenario.arrears[n], f"arrears.{n}")


def target_villages(scenario: Scenario, villages: pd.DataFrame, episode, key_prefix: str) -> np.ndarray:
    """The villages (boolean mask) an entry naming one ``village``, ``kecamatan`` or ``type`` applies to
    (``key_prefix``: its dotted key, for the message when the area has no such village or kecamatan)."""
    if episode.type is not None:
        return villages["type"].to_numpy() == episode.type
    if episode.village is not None:
        codes = villages["code"].to_numpy()
        mask, key, known = codes == episode.village, f"{key_prefix}.village", codes
        what = f"'{episode.village}', not a village of area {scenario.area}"
    else:
        kec_codes, kec_names = villages["kecamatan_code"].to_numpy(), villages["kecamatan"].to_numpy()
        mask = (kec_codes == episode.kecamatan) | (kec_names == episode.kecamatan)
        key, known = f"{key_prefix}.kecamatan", np.array(sorted(set(kec_names)) + sorted(set(kec_codes)))
        what = f"'{episode.kecamatan}', not a kecamatan of area {scenario.area}"
    if not mask.any():
        hint = did_you_mean(str(episode.village or episode.kecamatan), known)
        raise InputError(
            [
                InputProblem(
                    scenario.source_path or "<scenario>",
                    scenario.key_location(key),
                    what,
                    "a village code or kecamatan code or name of the area's registry",
                    hint,
                )
            ]
        )
    return mask


def payment_plan(scenario: Scenario, villages: pd.DataFrame) -> PaymentPlan | None:
    """The months each village pays, or ``None`` when the scenario has no arrears (every month paid)."""
    if not scenario.arrears:
        return None
    plan = full_payment(len(villages), len(scenario.years))
    month = scenario.horizon.start_year * MONTHS_PER_YEAR + np.arange(plan.paid.shape[1])
    for n, episode in enumerate(scenario.arrears):  # a few episodes; each is vectorised over villages x months
        where = episode_villages(scenario, villages, n)[:, None]
        stop = month_number(episode.stop)
        resume = month_number(episode.resume) if episode.resume is not None else month[-1] + 1
        plan.paid[:] &= ~(where & ((month >= stop) & (month < resume))[None, :])
        if episode.pays_arrears:
            plan.settles[:] |= where & (month == resume)[None, :]
    return plan


def payment_probability(
    scenario: Scenario, villages: pd.DataFrame, payers: np.ndarray, default_by_payer: np.ndarray
) -> np.ndarray:
    """Probability that each village pays each month (villages x months, 12 per projection year).

    ``payers`` : index of each village's payer; ``default_by_payer`` : the default probability of each
    payer (:meth:`~touna_policy.parameters.participation.ParticipationParameters.default_payment_probability`).
    The scenario's ``payment_probability`` entries then apply in the order written.
    """
    n_months = len(scenario.years) * MONTHS_PER_YEAR
    out = np.repeat(np.asarray(default_by_payer, dtype=float)[payers][:, None], n_months, axis=1)
    month = scenario.horizon.start_year * MONTHS_PER_YEAR + np.arange(n_months)
    for n, entry in enumerate(scenario.payment_probability):  # a few entries, each vectorised
        where = target_villages(scenario, villages, entry, f"payment_probability.{n}")
        first = month_number(entry.from_month) if entry.from_month else month[0]
        last = month_number(entry.to_month) if entry.to_month else month[-1]
        out[where[:, None] & ((month >= first) & (month <= last))[None, :]] = entry.probability_per_month
    return out
