"""Participants month by month (issue 12): registered, active and lapsed workers, enrolments and closures.

Villages x months arrays (12 months per projection year, January first), from each village's funded
places per year and whether its premium for each month was paid on time (``paid``):

- unpaid run = consecutive unpaid months up to and including the month (0 when paid);
- registered = places while the unpaid run is at most the grace period (BPJS: arrears of up to 3
  months can be paid and keep the membership; one more unpaid month ends it, and the workers must
  re-register), else 0;
- active = places in a paid month; lapsed = registered - active (registered, in arrears);
- each January (not the first month) a churn share of the places kept from December is refilled by
  new workers: churned = churn x min(registered last month, registered now);
- new enrolments = increase of registered over last month + churned (re-registration after a closure
  counts); closures = decrease + churned;
- ever protected = the highest registered count so far + all churned workers so far (a re-registered
  worker is the same person; places that rise again after a fall are refilled by the same workers);
- lapses = workers newly in arrears: increase of lapsed over last month.

Premium paid (:func:`paid_premium_idr`): a paid month pays its own premium; the first paid month
after a gap marked as settling pays the arrears too, counted in the month they are paid: all the gap
when it was within the grace period (reactivation), else ``after_closure_months`` of it (the months
owed while still registered). The kernel's premium is scaled by :func:`paid_premium_factor`, the
premium paid over the full-year premium of the billed places (1 in every year without a gap).

No loop over villages or months: cumulative numpy operations over the months axis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MONTHS_PER_YEAR = 12


@dataclass(frozen=True)
class YearlyParticipation:
    """Participation per village and year (villages x years).

    Attributes
    ----------
    registered_workers : registered in December (enrolled and not closed)
    active_workers : average over the year's 12 months of the workers whose month is paid
    lapsed_workers : workers newly in arrears during the year
    new_enrolments : enrolments during the year (new places, churn refills and re-registrations)
    closures : memberships ended during the year (closed after the grace period, churned, places cut)
    ever_protected_workers : distinct workers registered at some time since the horizon starts, in December
    """

    registered_workers: np.ndarray
    active_workers: np.ndarray
    lapsed_workers: np.ndarray
    new_enrolments: np.ndarray
    closures: np.ndarray
    ever_protected_workers: np.ndarray


def monthly_places(places_by_year: np.ndarray) -> np.ndarray:
    """Villages x years -> villages x months: each year's places in each of its 12 months."""
    return np.repeat(np.asarray(places_by_year, dtype=float), MONTHS_PER_YEAR, axis=1)


def unpaid_run_months(paid: np.ndarray) -> np.ndarray:
    """Consecutive unpaid months up to and including each month (villages x months; 0 in a paid month,
    counted from the first month of the horizon when nothing was paid before)."""
    month = np.arange(paid.shape[1])
    last_paid = np.maximum.accumulate(np.where(paid, month[None, :], -1), axis=1)
    return month[None, :] - last_paid


def _previous(x: np.ndarray) -> np.ndarray:
    """The value of the month before (0 before the first month)."""
    return np.concatenate([np.zeros((x.shape[0], 1)), x[:, :-1]], axis=1)


def monthly_participation(
    places_by_year: np.ndarray, paid: np.ndarray, grace_months: int, churn_share: float
) -> dict[str, np.ndarray]:
    """Registered, active and lapsed workers, lapses, new enrolments, closures and ever-protected workers
    per village and month (each villages x months), as in the module docstring."""
    places = monthly_places(places_by_year)
    if paid.all():  # never in arrears: registered and active are the places (no unpaid run to find)
        registered = active = places
    else:
        registered = np.where(unpaid_run_months(paid) <= grace_months, places, 0.0)
        active = np.where(paid, places, 0.0)
    lapsed = registered - active
    before = _previous(registered)
    month = np.arange(places.shape[1])
    january = (month % MONTHS_PER_YEAR == 0) & (month > 0)
    churned = np.where(january[None, :], churn_share * np.minimum(before, registered), 0.0)
    return {
        "registered": registered,
        "active": active,
        "lapsed": lapsed,
        "lapses": np.maximum(lapsed - _previous(lapsed), 0.0),
        "new_enrolments": np.maximum(registered - before, 0.0) + churned,
        "closures": np.maximum(before - registered, 0.0) + churned,
        "ever_protected": np.maximum.accumulate(registered, axis=1) + np.cumsum(churned, axis=1),
    }


def _by_year(x: np.ndarray) -> np.ndarray:
    return x.reshape(x.shape[0], -1, MONTHS_PER_YEAR)


def yearly_participation(
    places_by_year: np.ndarray, paid: np.ndarray, grace_months: int, churn_share: float
) -> YearlyParticipation:
    """:func:`monthly_participation` summed into the yearly tables' measures (villages x years)."""
    if paid.all():
        return _always_paid(np.asarray(places_by_year, dtype=float), churn_share)
    m = monthly_participation(places_by_year, paid, grace_months, churn_share)
    return YearlyParticipation(
        registered_workers=_by_year(m["registered"])[:, :, -1],
        active_workers=_by_year(m["active"]).mean(axis=2),
        lapsed_workers=_by_year(m["lapses"]).sum(axis=2),
        new_enrolments=_by_year(m["new_enrolments"]).sum(axis=2),
        closures=_by_year(m["closures"]).sum(axis=2),
        ever_protected_workers=_by_year(m["ever_protected"])[:, :, -1],
    )


def _always_paid(places: np.ndarray, churn_share: float) -> YearlyParticipation:
    """:func:`yearly_participation` when every month is paid, year by year: registered and active are
    the year's places in each of its months, so the monthly sums reduce to January's change (the other
    months add exact zeros) and December's values are the year's: the same numbers without the
    villages x months arrays (a national projection's largest cost)."""
    before = np.concatenate([np.zeros((places.shape[0], 1)), places[:, :-1]], axis=1)  # the December before
    churned = churn_share * np.minimum(before, places)  # 0 in the first year: nothing registered before it
    return YearlyParticipation(
        registered_workers=places.copy(),
        active_workers=places.copy(),
        lapsed_workers=np.zeros_like(places),
        new_enrolments=np.maximum(places - before, 0.0) + churned,
        closures=np.maximum(before - places, 0.0) + churned,
        ever_protected_workers=np.maximum.accumulate(places, axis=1) + np.cumsum(churned, axis=1),
    )


def paid_premium_idr(
    places_by_year: np.ndarray,
    paid: np.ndarray,
    settles: np.ndarray,
    premium_by_month_idr: np.ndarray,
    grace_months: int,
    after_closure_months: int,
) -> np.ndarray:
    """Premium paid in each month (villages x months, IDR): the month's own premium when paid, plus the
    arrears settled in that month (the first months of the gap just ended, each at its own places and
    premium), when ``settles`` marks it.

    ``premium_by_month_idr`` : one worker's premium per village and month (villages x months).
    """
    value = monthly_places(places_by_year) * premium_by_month_idr
    gap = _previous(unpaid_run_months(paid).astype(float)).astype(np.int64)  # unpaid months just before
    owed = np.where(gap <= grace_months, gap, after_closure_months)
    month = np.arange(value.shape[1])[None, :]
    start = month - gap
    cumulative = np.concatenate([np.zeros((value.shape[0], 1)), np.cumsum(value, axis=1)], axis=1)
    arrears = np.take_along_axis(cumulative, start + owed, axis=1) - np.take_along_axis(cumulative, start, axis=1)
    return np.where(paid, value, 0.0) + np.where(paid & settles & (gap > 0), arrears, 0.0)


def paid_premium_factor(
    billed_by_year: np.ndarray,
    paid: np.ndarray,
    settles: np.ndarray,
    premium_by_month_idr: np.ndarray,
    grace_months: int,
    after_closure_months: int,
) -> np.ndarray:
    """Premium paid in each year over the full-year premium of its billed places (villages x years):
    the kernel's premium per billed place is multiplied by it. Exactly 1 in a year with every month
    paid and no arrears settled; where nothing is billed it stays 1 (arrears settled in a year without
    billed places are not counted)."""
    monthly = paid_premium_idr(billed_by_year, paid, settles, premium_by_month_idr, grace_months, after_closure_months)
    paid_year = _by_year(monthly).sum(axis=2)
    full_year = _by_year(monthly_places(billed_by_year) * premium_by_month_idr).sum(axis=2)
    untouched = _by_year(paid & ~settles).all(axis=2)
    ratio = np.divide(paid_year, full_year, out=np.ones_like(full_year), where=full_year > 0)
    return np.where(untouched, 1.0, ratio)
