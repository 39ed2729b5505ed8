"""The projection kernel: every quantity of the model, over draws x areas x years, in one function.

The deterministic projection, the Monte Carlo (district and national, chunked, any executor), the
sensitivity analyses, goal seek and the area tables all evaluate :func:`block_sums`. Its inputs are
the central arrays of a scenario (:class:`KernelInputs`, villages x years: quota places after
allocation, payment compliance, eligible workers and working population grown from the base year,
the other-channel paths, the premium per worker) and a set of draws of the uncertain inputs (one row
per draw; the deterministic run is one draw at the central values). Per draw, village and year:

- working population = central working x r and eligible workers = min(central eligible x vulnerable
  factor, central working) x r, with r = ((1 + g) / (1 + g central))^(years since the base year);
- billed places = min(quota, eligible) x the scenario's payment compliance: what the payer is billed
  for and budgets;
- funded (paid-up) workers = billed places x the compliance factor x the village's payment
  probability relative to the default (its expected share of months paid; 1 unless the scenario sets
  ``payment_probability`` or the payer is ``self``), the factor drawn per village when the draws
  carry a ``draw_key`` (:func:`village_uniforms`), else once per draw. When the Monte Carlo draws
  months (``payment_months_drawn``), each village pays each month with that probability and funded
  = billed x the share of the year's months it paid, the months of a year with the same probability
  and arrears plan drawn as one binomial count (:func:`drawn_months`): a bad year in a few desa
  shows in the band;
- active workers = funded x the share of months paid under the scenario's ``arrears`` (with drawn
  months: billed x the share of months paid, drawn and under the arrears);
- other-channel workers = self-paying share x (eligible - funded), the self-paying share being the
  central path with the drawn yearly change, times (1 - drawn lapse) / (1 - central lapse) (the
  central path is the share net of the central lapse);
- covered workers = min(funded + other, eligible);
- wage earners covered = wage-earner share x max(working - eligible, 0);
- premium cost = billed places x the village's premium per worker and year (its payer's, with the
  PP 50/2025 relief where it applies; a drawn answer on the APBDes relief adds the difference for
  APBDes-paid villages), times the premium paid factor when the scenario has arrears (unpaid months
  cost nothing, arrears count in the year they are paid); drawn months leave it the bill (a desa
  settles its drawn arrears); unused places = quota - min(quota, eligible);
- expected deaths, work accidents and benefit payments (JKM, JKK with its death benefit, the
  scholarship) among funded workers (:func:`benefit_payments`).

Only eligible, min(quota, eligible), the funded cells and the premium need a value per village: every other
quantity is linear in their sums over an area (the model keeps funded <= eligible <= working and
every share in 0-1), so :func:`block_sums` sums those first and computes the rest per area. With
each village as its own area (:func:`village_cells`) the same function gives the per-village
projection. :func:`chunked_area_sums` runs it over chunks of villages x draws that fit the cache,
optionally spread over a ``concurrent.futures`` executor, with bit-identical sums whichever runs it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from touna_policy.model.participation import MONTHS_PER_YEAR
from touna_policy.model.premiums import premium_cost_idr

ArrayOrFloat = np.ndarray | float

SUMMED = (
    "eligible_workers",
    "working_population",
    "quota_places",
    "funded_workers",
    "other_channel_workers",
    "covered_workers",
    "wage_earners_covered",
    "premium_cost_idr",
    "unused_quota_places",
)
"""Counts and money the kernel gives for every area, draw and year."""

PARTICIPATION_TOTALS = ("active_workers",)
"""Participation the kernel gives when asked for: the year's average of workers whose month is paid."""

BENEFIT_TOTALS = ("expected_deaths", "expected_work_accidents", "expected_benefits_idr")
"""The benefit side among funded workers, given when asked for."""

CELLS_PER_CHUNK = 200_000
"""Draw x village x year cells per chunk (about 1.6 MB per array): small enough for the CPU cache to
help (measured: 200,000 a few per cent faster than 400,000 or 800,000), large enough that numpy's
per-call overhead does not matter."""

FEW_AREAS = 8
"""Up to this many areas in a block, :func:`group_sums` multiplies by a one-hot matrix (faster than
``reduceat`` over few long groups); beyond, the one-hot product would cost areas x villages."""

TASKS = 8
"""Village ranges a chunked run is split into (run here one after the other, or spread over an
executor). Fixed, not taken from the machine, so every executor adds the same numbers in the same
order and gives bit-identical results."""


@dataclass(frozen=True)
class KernelInputs:
    """The central arrays of a scenario: what every draw reuses.

    Attributes
    ----------
    years : projection years (t)
    quota, compliance, eligible, working : villages x years at the central values (quota after the
        allocation rule, compliance with overrides, eligible <= working)
    base_year : base year of each village's workforce figures (villages)
    self_paid, wage : other-channel shares by year (t)
    channel_base_year : year the self-paying trend is anchored (a drawn yearly change pivots on it)
    premium_per_worker_idr : premium per billed place, villages x years (the village's payer, at the
        central answer on the APBDes relief)
    premium_relief_delta_idr : villages x years: the premium with the relief granted to APBDes-paid
        places minus without it (0 for other payers)
    village_key : a stable id per village (its code as a number): the per-village draws' stream
    compliance_table : the payment compliance factor's quantile function on :data:`QUANTILE_GRID`
        (per-village draws), or None (one factor per draw)
    compliance_uncertain : villages x years: 1 where the compliance factor applies, 0 where the paid-up
        workers are observed (Tojo Una-Una 2024-2025); None: everywhere
    premium_paid_factor : villages x years: premium paid in the year over the full-year premium of the
        billed places (months in arrears not paid, arrears counted in the year they are paid:
        :func:`touna_policy.model.participation.paid_premium_factor`); None: 1 everywhere
    payment_probability_ratio : villages x months: the probability that the village pays the month
        over the default probability (participation.yaml); None: 1 everywhere
    payment_paid : villages x months: the months paid under the scenario's arrears; None: every month paid
    pays_individually : villages: True where each worker pays their own premium (payer ``self``): the
        drawn months pay that village's expected share of places, not all or none; None: no such village
    payment_months_drawn : whether draws with a ``draw_key`` draw every village's months (the Monte Carlo)
    jkm_benefit_idr, jkk_payment_idr : JKM death benefit and average JKK payment by year (t)
    central : the central value of every uncertain input (the deterministic draw); the mortality
        rate's is ``mortality_rate_year[-1]``
    mortality_rate_year : deaths per funded worker by year at the central values (t); a draw scales the
        whole path by its rate over the central one
    jkk_fatal_share, jkk_death_benefit_idr : share of work accidents that are fatal and the JKK death
        benefit by year (t)
    scholarship_entitled_share : share of JKM deaths entitled to the scholarship by year (t,
        :func:`scholarship_entitled_share`)
    scholarship_per_death_idr : expected scholarship per entitled death by year (t)
    """

    years: np.ndarray
    quota: np.ndarray
    compliance: np.ndarray
    eligible: np.ndarray
    working: np.ndarray
    base_year: np.ndarray
    self_paid: np.ndarray
    wage: np.ndarray
    channel_base_year: int
    premium_per_worker_idr: np.ndarray
    premium_relief_delta_idr: np.ndarray
    jkm_benefit_idr: np.ndarray
    jkk_payment_idr: np.ndarray
    central: Mapping[str, float]
    mortality_rate_year: np.ndarray
    jkk_fatal_share: np.ndarray
    jkk_death_benefit_idr: np.ndarray
    scholarship_entitled_share: np.ndarray
    scholarship_per_death_idr: np.ndarray
    village_key: np.ndarray | None = None
    compliance_table: np.ndarray | None = None
    compliance_uncertain: np.ndarray | None = None
    premium_paid_factor: np.ndarray | None = None
    payment_probability_ratio: np.ndarray | None = None
    payment_paid: np.ndarray | None = None
    pays_individually: np.ndarray | None = None
    payment_months_drawn: bool = False
    provincial_share: np.ndarray | None = None

    @property
    def n_villages(self) -> int:
        return self.quota.shape[0]

    def villages(self, start: int, stop: int) -> KernelInputs:
        """The same inputs for villages ``start:stop`` (views)."""
        idx = slice(start, stop)
        return dataclasses.replace(
            self,
            quota=self.quota[idx],
            compliance=self.compliance[idx],
            eligible=self.eligible[idx],
            working=self.working[idx],
            base_year=self.base_year[idx],
            premium_per_worker_idr=self.premium_per_worker_idr[idx],
            premium_relief_delta_idr=self.premium_relief_delta_idr[idx],
            village_key=None if self.village_key is None else self.village_key[idx],
            compliance_uncertain=None if self.compliance_uncertain is None else self.compliance_uncertain[idx],
            premium_paid_factor=None if self.premium_paid_factor is None else self.premium_paid_factor[idx],
            payment_probability_ratio=_rows(self.payment_probability_ratio, idx),
            payment_paid=_rows(self.payment_paid, idx),
            pays_individually=_rows(self.pays_individually, idx),
        )

    def draws_months(self, draws: Mapping[str, np.ndarray]) -> bool:
        """Whether ``draws`` draw every village's months (a Monte Carlo with per-village draws)."""
        return (
            self.payment_months_drawn
            and "draw_key" in draws
            and self.compliance_table is not None
            and self.village_key is not None
        )

    def central_draw(self) -> dict[str, np.ndarray]:
        """One draw at the central values (the deterministic run)."""
        return {name: np.array([float(value)]) for name, value in self.central.items()}


def _rows(x: np.ndarray | None, idx) -> np.ndarray | None:
    return None if x is None else x[idx]


QUANTILE_GRID = np.linspace(0.0, 1.0, 4097)
"""Probabilities at which a per-village input's quantile function is tabulated (linear in between)."""


def quantile_at(u: np.ndarray, table: np.ndarray) -> np.ndarray:
    """A quantile function tabulated on :data:`QUANTILE_GRID` at probabilities ``u`` (0 <= u < 1), linear in
    between: ``np.interp(u, QUANTILE_GRID, table)`` to the last bit, without its search (the grid is
    uniform: u's cell is floor(u x 4096), and the grid's steps and offsets are exact)."""
    steps = len(QUANTILE_GRID) - 1
    cell = np.minimum((u * steps).astype(np.int64), steps - 1)
    out = np.diff(table)[cell] * float(steps)
    out *= u - QUANTILE_GRID[cell]
    out += table[cell]
    return out


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _splitmix64(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, element by element (uint64, wrapping), on one new array updated in place."""
    z = np.add(x, _GOLDEN, out=np.empty(np.shape(x), dtype=np.uint64))
    t = np.empty_like(z)
    with np.errstate(over="ignore"):
        for shift, multiplier in ((30, 0xBF58476D1CE4E5B9), (27, 0x94D049BB133111EB)):
            np.right_shift(z, np.uint64(shift), out=t)
            z ^= t
            z *= np.uint64(multiplier)
    np.right_shift(z, np.uint64(31), out=t)
    z ^= t
    return z


def _village_bits(draw_key: np.ndarray, village_key: np.ndarray) -> np.ndarray:
    """64 random bits per draw and village (draws x villages): the stream of :func:`village_uniforms`."""
    with np.errstate(over="ignore"):
        x = np.asarray(draw_key, dtype=np.uint64)[:, None] ^ _splitmix64(np.asarray(village_key, dtype=np.uint64))[None]
    return _splitmix64(x)


def village_uniforms(draw_key: np.ndarray, village_key: np.ndarray) -> np.ndarray:
    """Uniform (0, 1) numbers per draw and village (draws x villages), a pure function of the two keys:
    the same whichever chunk or executor computes them (counter-based, after splitmix64)."""
    return _uniform_of(_village_bits(draw_key, village_key))


_CLASS_SALT = np.uint64(0xD1B54A32D192ED03)
CLASSES_PER_YEAR = 16
"""Room for each year's month classes in a class key (a year has at most 12)."""


def month_class_keys(years: np.ndarray, n_classes: int) -> np.ndarray:
    """The stream key of each calendar year's month classes (years x classes, uint64): splitmix64 of
    year x 16 + class, salted apart from :func:`village_uniforms`' stream."""
    number = np.asarray(years, dtype=np.uint64)[:, None] * np.uint64(CLASSES_PER_YEAR) + np.arange(
        n_classes, dtype=np.uint64
    )
    return _splitmix64(number ^ _CLASS_SALT)


def class_uniforms(draw_key: np.ndarray, village_key: np.ndarray, class_key: np.ndarray) -> np.ndarray:
    """Uniform (0, 1) numbers per draw, calendar year, month class and village (draws x years x
    classes x villages: villages last, the long axis numpy's loops run fastest over), a pure function
    of the keys (``class_key``: :func:`month_class_keys`), independent of :func:`village_uniforms`'
    stream: the same whichever chunk, executor or horizon computes them."""
    with np.errstate(over="ignore"):
        z = _splitmix64(_village_bits(draw_key, village_key)[:, None, None, :] ^ class_key[None, :, :, None])
    return _uniform_of(z)


def _uniform_of(bits: np.ndarray) -> np.ndarray:
    """(bits >> 11 + 0.5) x 2**-53: a uniform in (0, 1) from 64 random bits (``bits`` is overwritten)."""
    bits >>= np.uint64(11)
    u = bits.astype(np.float64)
    u += 0.5
    u *= 2.0**-53
    return u


def binomial_counts(u: np.ndarray, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Successes of Binomial(``n``, ``p``) drawn from uniforms ``u`` by the exact inverse CDF (int8, the
    broadcast shape of the three): n - the number of failures J, the least j with P(J <= j) >= u.

    P(J = 0) = p^n and P(J = j + 1) = P(J = j) x (n - j) / (j + 1) x (1 - p) / p, at the (often
    smaller) shape of ``p`` and ``n``; J counts the steps j with u > P(J <= j) (at most n). While many
    cells are still open every cell is compared; the last few are followed one by one. p = 0 gives
    0, p = 1 gives n, n = 0 gives 0.
    """
    u = np.asarray(u, dtype=np.float64)
    n = np.asarray(n)
    p = np.asarray(p, dtype=np.float64)
    shape = np.broadcast_shapes(u.shape, n.shape, p.shape)
    odds = np.divide(1.0 - p, p, out=np.zeros(p.shape), where=p > 0)  # p = 0: J = n through the cap
    pmf = np.power(p, n)
    cdf = pmf.copy()
    failures = np.zeros(shape, dtype=np.int8)
    most = int(n.max()) if n.size else 0
    j = 0
    while j < most:  # every cell: J > j where u > P(J <= j) and j < n
        over = u > np.where(n > j, cdf, 2.0)
        failures += over
        open_cells = int(np.count_nonzero(over))
        if open_cells == 0:
            return np.subtract(n, failures, dtype=np.int8)
        pmf = pmf * (odds * ((n - j) / (j + 1)))
        cdf = cdf + pmf
        j += 1
        if open_cells * 32 < over.size:  # a compared cell costs far less than one followed alone
            break
    cell = np.flatnonzero(over) if j < most else np.zeros(0, dtype=np.int64)
    if cell.size:  # the few cells still open: one by one
        at = np.unravel_index(cell, shape)
        uu, trials, o, f, c = (np.broadcast_to(x, shape)[at] for x in (u, n, odds, pmf, cdf))
        flat = failures.reshape(-1)
        while cell.size:
            over = (uu > c) & (trials > j)
            flat[cell[over]] += 1
            f = f * (o * ((trials - j) / (j + 1)))
            c = c + f
            j += 1
            cell, uu, trials, o, f, c = (x[over] for x in (cell, uu, trials, o, f, c))
    return np.subtract(n, failures, dtype=np.int8)


def village_keys(codes) -> np.ndarray:
    """A stable uint64 id per village: its Kemendagri code's digits (``72.09.01.2001`` -> 7209012001)."""
    return np.char.replace(np.asarray(codes).astype(str), ".", "").astype(np.uint64)


@dataclass(frozen=True)
class VillageBlock:
    """The draw-independent pieces of one slice of villages, computed once and reused for every draw chunk."""

    local: np.ndarray  # global area index of each area present in the slice
    groups: np.ndarray  # per village: index into ``local``
    starts: np.ndarray | None  # first village of each area when villages are sorted by area, else None
    since: np.ndarray  # years since the base year: (1, t) when equal for all villages, else (i, t)
    uniform: bool
    quota: np.ndarray
    compliance: np.ndarray
    eligible: np.ndarray
    working: np.ndarray
    quota_sum: np.ndarray  # (local areas, t)
    working_sum: np.ndarray  # (local areas, t)
    premium: np.ndarray  # premium per billed place (i, t)
    relief_delta: np.ndarray  # premium with the APBDes relief minus without (i, t)
    village_key: np.ndarray | None  # (i,)
    compliance_uncertain: np.ndarray  # (i, t): 1 where the compliance factor applies
    premium_paid_factor: np.ndarray | None  # (i, t): premium paid over the full-year premium, None: 1
    payment_ratio_year: np.ndarray | None  # (i, t): the year's mean payment probability ratio, None: 1
    plan_paid_share: np.ndarray | None  # (i, t): share of the year's months paid under the arrears, None: 1
    rows: np.ndarray  # the villages of ``inputs`` in the block (indices)
    months: MonthClasses | None = None  # the months grouped for the drawn months (KernelInputs.payment_months_drawn)
    drawn_years: slice | None = None  # the years some village's compliance factor applies in (None: none)
    observed: np.ndarray | None = None  # (i, drawn years): True where it does not; None: nowhere
    own: np.ndarray | None = None  # (i,): True where each worker pays their own premium; None: no such village
    relief: bool = False  # whether some village's premium changes with the APBDes relief answer


@dataclass(frozen=True)
class MonthClasses:
    """Each village-year's 12 months grouped into classes of equal payment probability ratio and arrears
    plan (draw-independent; classes numbered in the order of their first month, absent ones empty).

    ``n`` : months in each class (villages x years x classes; (1, 1, 1) when every year is one class of
    12); ``ratio`` : their payment probability ratio ((villages, 1, 1) when a village's is the same all
    year long, every year); ``paid`` : whether the arrears plan pays them (None: every month paid).
    """

    n: np.ndarray
    ratio: np.ndarray
    paid: np.ndarray | None


def month_classes(ratio: np.ndarray | None, paid: np.ndarray | None, n_villages: int) -> MonthClasses:
    """:class:`MonthClasses` of the villages x months payment probability ratio and arrears plan
    (None: 1 and every month paid)."""
    if paid is None and (ratio is None or bool((ratio == ratio[:, :1]).all())):
        one = np.ones((n_villages, 1, 1)) if ratio is None else ratio[:, :1, None]
        return MonthClasses(np.full((1, 1, 1), MONTHS_PER_YEAR, dtype=np.int8), one, None)
    shape = (n_villages, -1, MONTHS_PER_YEAR)
    months = ratio if ratio is not None else paid
    assert months is not None  # both None returned above
    r = (np.ones(months.shape) if ratio is None else months).reshape(shape)
    plan = np.ones(r.shape, dtype=bool) if paid is None else paid.reshape(shape)
    same = (r[..., :, None] == r[..., None, :]) & (plan[..., :, None] == plan[..., None, :])
    first = same.argmax(axis=-1)  # each month's first month with the same ratio and plan
    opens = first == np.arange(MONTHS_PER_YEAR)
    number = np.take_along_axis(np.cumsum(opens, axis=-1) - 1, first, axis=-1)  # each month's class
    member = number[..., None] == np.arange(int(number.max()) + 1)  # (i, t, 12, classes)
    lead = member.argmax(axis=-2)[..., None, :]  # first month of each class
    return MonthClasses(
        member.sum(axis=-2).astype(np.int8),
        np.take_along_axis(r[..., None], lead, axis=-2)[..., 0, :],
        None if paid is None else np.take_along_axis(plan[..., None], lead, axis=-2)[..., 0, :] & member.any(axis=-2),
    )


def village_block(
    inputs: KernelInputs, group_index: np.ndarray, villages: slice | np.ndarray | None = None, ordered: bool = True
) -> VillageBlock:
    """The villages ``villages`` of ``inputs`` (default all), grouped by ``group_index`` (one area index per village).

    ``ordered=False`` sums areas with a one-hot product even when the villages are sorted by area.
    """
    idx = np.arange(inputs.n_villages)[villages] if villages is not None else np.arange(inputs.n_villages)
    local, groups = np.unique(np.asarray(group_index)[idx], return_inverse=True)
    ordered = ordered and (len(groups) < 2 or bool((np.diff(groups) >= 0).all()))
    starts = np.flatnonzero(np.r_[True, np.diff(groups) != 0]) if ordered else None
    since = inputs.years[None, :] - inputs.base_year[idx][:, None]
    applies = np.ones(since.shape) if inputs.compliance_uncertain is None else inputs.compliance_uncertain[idx]
    uncertain = applies > 0
    own = _rows(inputs.pays_individually, idx)
    uniform = bool((since == since[:1]).all())
    q, w = inputs.quota[idx], inputs.working[idx]
    quota_sum, working_sum = np.zeros((len(local), len(inputs.years))), np.zeros((len(local), len(inputs.years)))
    np.add.at(quota_sum, groups, q)
    np.add.at(working_sum, groups, w)
    return VillageBlock(
        local,
        groups,
        starts,
        since[:1] if uniform else since,
        uniform,
        q,
        inputs.compliance[idx],
        inputs.eligible[idx],
        w,
        quota_sum,
        working_sum,
        inputs.premium_per_worker_idr[idx],
        inputs.premium_relief_delta_idr[idx],
        None if inputs.village_key is None else inputs.village_key[idx],
        applies,
        None if inputs.premium_paid_factor is None else inputs.premium_paid_factor[idx],
        None if inputs.payment_probability_ratio is None else _year_means(inputs.payment_probability_ratio[idx]),
        None if inputs.payment_paid is None else _year_means(inputs.payment_paid[idx].astype(float)),
        idx,
        month_classes(_rows(inputs.payment_probability_ratio, idx), _rows(inputs.payment_paid, idx), len(idx))
        if inputs.payment_months_drawn
        else None,
        *_drawn_years(uncertain),
        own if own is not None and own.any() else None,
        bool(np.any(inputs.premium_relief_delta_idr[idx] != 0)),
    )


def _drawn_years(uncertain: np.ndarray) -> tuple[slice | None, np.ndarray | None]:
    """The years some village draws (villages x years ``uncertain``), and where a village does not."""
    years = np.flatnonzero(uncertain.any(axis=0))
    if not len(years):
        return None, None
    drawn = slice(int(years[0]), int(years[-1]) + 1)
    return drawn, None if uncertain[:, drawn].all() else ~uncertain[:, drawn]


def _year_means(x: np.ndarray) -> np.ndarray:
    """(..., months) -> (..., years): the mean of each year's 12 months."""
    return x.reshape(*x.shape[:-1], -1, MONTHS_PER_YEAR).mean(axis=-1)


def group_sums(x: np.ndarray, block: VillageBlock) -> np.ndarray:
    """Sum draws x villages x years over villages of the same area: (local areas, draws, years)."""
    if block.starts is not None and not 1 < len(block.local) <= FEW_AREAS:  # areas are code prefixes: no copies
        return np.moveaxis(np.add.reduceat(x, block.starts, axis=1), 1, 0)
    if len(block.local) == 1:
        return x.sum(axis=1)[None]
    onehot = np.zeros((len(block.local), x.shape[1]))
    onehot[block.groups, np.arange(x.shape[1])] = 1.0
    if block.starts is not None:  # a few areas: one matrix product per draw beats reduceat's short rows
        return np.moveaxis(np.matmul(onehot, x), 1, 0)
    return np.einsum("gi,dit->gdt", onehot, x, optimize=True)


def self_paid_path(inputs: KernelInputs, draws: Mapping[str, np.ndarray]) -> np.ndarray:
    """Other-channel share per draw and year (draws x years): the self-paying central path turned by the
    drawn yearly change about the channel's base year, kept in 0-1, times (1 - the drawn lapse share), plus
    the provincial programme's share (paid by the province: neither the self-paying change nor its lapse
    applies to it), at most 1."""
    slope = draws["self_paid_bpu_annual_change"] - inputs.central["self_paid_bpu_annual_change"]
    years = inputs.years
    path = np.clip(inputs.self_paid[None, :] + slope[:, None] * (years - inputs.channel_base_year)[None, :], 0.0, 1.0)
    kept = (1.0 - draws["self_paid_lapse_share"]) / (1.0 - inputs.central["self_paid_lapse_share"])
    path = path * kept[:, None]
    if inputs.provincial_share is None:
        return path
    return np.minimum(path + inputs.provincial_share[None, :], 1.0)


def other_channel_share(inputs: KernelInputs) -> np.ndarray:
    """The central other-channel share by year: self-paying plus the provincial programme, at most 1."""
    if inputs.provincial_share is None:
        return inputs.self_paid
    return np.minimum(inputs.self_paid + inputs.provincial_share, 1.0)


def covered_workers(funded: ArrayOrFloat, other: ArrayOrFloat, eligible: ArrayOrFloat) -> np.ndarray:
    """Covered vulnerable workers: funded plus other-channel workers, at most the eligible workers."""
    return np.minimum(funded + other, eligible)


def funded_for_covered(covered: float, eligible: float, self_paid_share: float) -> float:
    """Funded workers that give ``covered`` covered workers (the inverse of the covered formula):
    covered = funded + s x (eligible - funded), so funded = (covered - s x eligible) / (1 - s), at least 0."""
    s = self_paid_share
    return max((covered - s * eligible) / (1.0 - s), 0.0) if s < 1 else 0.0


def scholarship_entitled_share(funded_by_year: np.ndarray, waiting_years: int) -> np.ndarray:
    """Share of the funded workers of each year who have contributed for ``waiting_years`` full years.

    min(funded ``waiting_years`` earlier, funded now) / funded now, years on the last axis (consecutive
    years; funded before the first year counts as 0; 0 where nobody is funded). Assumes the workers
    funded earlier stay funded (no turnover), so it is an upper bound of the entitled share.
    """
    funded = np.asarray(funded_by_year, dtype=float)
    k = int(waiting_years)
    lag = np.zeros_like(funded)
    if k < funded.shape[-1]:
        lag[..., k:] = funded[..., : funded.shape[-1] - k]
    return np.divide(np.minimum(lag, funded), funded, out=np.zeros_like(funded), where=funded > 0)


def benefit_payments(
    funded,
    mortality_rate,
    accident_rate,
    jkm_benefit_idr,
    jkk_payment_idr,
    *,
    jkk_fatal_share,
    jkk_death_benefit_idr,
    scholarship_entitled_share,
    scholarship_per_death_idr,
) -> dict[str, np.ndarray]:
    """Expected deaths and work accidents among ``funded`` workers and the JKM, JKK and scholarship
    payments they bring (arrays that broadcast together, years on the last axis).

    - deaths = funded x mortality rate (all causes); accidents = funded x accident rate;
    - JKK deaths = accidents x fatal share: paid the JKK death benefit instead of the JKM one;
    - JKM claims = deaths - JKK deaths (at least 0), each paid the JKM death benefit;
    - JKK payments = (accidents - JKK deaths) x average JKK payment + JKK deaths x JKK death benefit;
    - scholarship = (JKM claims x entitled share + JKK deaths) x expected scholarship per death (the
      JKM route after the waiting years, the JKK route at once);
    - benefits = JKM + JKK + scholarship payments.
    """
    deaths = funded * mortality_rate
    accidents = funded * accident_rate
    jkk_deaths = accidents * jkk_fatal_share
    jkm_claims = np.maximum(deaths - jkk_deaths, 0.0)
    jkm = jkm_claims * jkm_benefit_idr
    jkk_death = jkk_deaths * jkk_death_benefit_idr
    jkk = (accidents - jkk_deaths) * jkk_payment_idr + jkk_death
    scholarship = (jkm_claims * scholarship_entitled_share + jkk_deaths) * scholarship_per_death_idr
    return {
        "expected_deaths": deaths,
        "expected_work_accidents": accidents,
        "expected_jkk_deaths": jkk_deaths,
        "expected_jkm_claims": jkm_claims,
        "expected_jkm_payments_idr": jkm,
        "expected_jkk_death_payments_idr": jkk_death,
        "expected_jkk_payments_idr": jkk,
        "expected_scholarship_payments_idr": scholarship,
        "expected_benefits_idr": jkm + jkk + scholarship,
    }


def mortality_paths(inputs: KernelInputs, drawn_rate: np.ndarray) -> np.ndarray:
    """Mortality per draw and year (draws x years): the central path scaled by each drawn rate over
    the central rate (the path itself when the central rate is 0)."""
    central = float(inputs.central["mortality_rate_per_year"])
    if central <= 0:
        return np.broadcast_to(inputs.mortality_rate_year[None, :], (len(drawn_rate), len(inputs.years)))
    return inputs.mortality_rate_year[None, :] * (np.asarray(drawn_rate, dtype=float) / central)[:, None]


def block_sums(
    inputs: KernelInputs,
    block: VillageBlock,
    draws: Mapping[str, np.ndarray],
    names: tuple[str, ...] = SUMMED + BENEFIT_TOTALS,
) -> dict[str, np.ndarray]:
    """Area sums (local areas, draws, years) of each quantity in ``names`` for one block and some draws.

    ``draws[name]`` holds one value per draw of every uncertain input
    (:data:`touna_policy.parameters.distributions.UNCERTAIN_INPUTS`).
    """
    g = draws["workforce_growth_share_per_year"]
    gc = inputs.central["workforce_growth_share_per_year"]
    ratio = ((1.0 + g) / (1.0 + gc))[:, None, None] ** block.since[None]  # (d, 1, t) or (d, i, t)
    eligible = np.multiply(block.eligible[None], draws["vulnerable_share_factor"][:, None, None])
    np.minimum(eligible, block.working[None], out=eligible)
    eligible *= ratio
    m = np.minimum(block.quota[None], eligible)
    E = group_sums(eligible, block)
    M = group_sums(m, block)
    billed = np.multiply(m, block.compliance[None], out=m)  # m summed: its array holds the billed places
    months = drawn_months(inputs, block, draws) if inputs.draws_months(draws) else None
    funded = funded_cells(inputs, block, billed, draws, months)
    F = group_sums(funded, block)
    if block.uniform:
        W = block.working_sum[:, None, :] * ratio[:, 0, :][None]
    else:
        W = group_sums(block.working[None] * ratio, block)
    Q = np.broadcast_to(block.quota_sum[:, None, :], E.shape)
    other = self_paid_path(inputs, draws)[None] * (E - F)
    out = {
        "eligible_workers": E,
        "working_population": W,
        "quota_places": Q,
        "funded_workers": F,
        "other_channel_workers": other,
        "covered_workers": covered_workers(F, other, E),
        "wage_earners_covered": inputs.wage[None, None, :] * np.maximum(W - E, 0.0),
        "premium_cost_idr": premium_sums(inputs, block, billed, draws),
        "unused_quota_places": Q - M,
    }
    if "active_workers" in names:
        active = active_cells(block, billed, funded, months)
        out["active_workers"] = F if active is funded else group_sums(active, block)
    if any(name in BENEFIT_TOTALS for name in names):
        out.update(
            benefit_payments(
                F,
                mortality_paths(inputs, draws["mortality_rate_per_year"])[None],
                draws["work_accident_rate_per_year"][None, :, None],
                inputs.jkm_benefit_idr[None, None, :],
                inputs.jkk_payment_idr[None, None, :],
                jkk_fatal_share=inputs.jkk_fatal_share[None, None, :],
                jkk_death_benefit_idr=inputs.jkk_death_benefit_idr[None, None, :],
                scholarship_entitled_share=inputs.scholarship_entitled_share[None, None, :],
                scholarship_per_death_idr=inputs.scholarship_per_death_idr[None, None, :],
            )
        )
    return {name: out[name] for name in names}


@dataclass(frozen=True)
class DrawnMonths:
    """The months one block's villages pay in some draws, as shares of each year's 12 months (draws x
    villages x years, 0-1).

    ``drawn`` : share of the places paid by the draw (each month paid with the village's drawn
    probability, else not; for self-paying places the probability itself: many workers paying one by
    one); ``paid`` : that share counting only the months paid under the scenario's arrears.
    """

    drawn: np.ndarray
    paid: np.ndarray


def compliance_factors(inputs: KernelInputs, block: VillageBlock, draws: Mapping[str, np.ndarray]) -> np.ndarray:
    """The payment compliance factor per draw and village (draws x villages): per village from its
    quantile table when the draws carry a ``draw_key``, else one per draw."""
    if "draw_key" in draws and inputs.compliance_table is not None and block.village_key is not None:
        return quantile_at(village_uniforms(draws["draw_key"], block.village_key), inputs.compliance_table)
    return np.broadcast_to(
        draws["payment_compliance_factor"][:, None], (len(draws["payment_compliance_factor"]), len(block.rows))
    )


def drawn_months(inputs: KernelInputs, block: VillageBlock, draws: Mapping[str, np.ndarray]) -> DrawnMonths:
    """Each village pays each month with probability min(compliance factor x payment probability
    ratio, 1) in the years the factor applies (for sure in observed years); self-paying places pay
    that probability's share every month.

    Only the count of months paid matters, so each village-year's months of one class
    (:class:`MonthClasses`: the same probability, the same arrears plan) are drawn at once: one
    uniform per draw, village, calendar year and class (:func:`class_uniforms`) gives the class's
    months paid by the exact Binomial inverse CDF (:func:`binomial_counts`), the same distribution
    as month-by-month draws. Only the years some village of the block draws are drawn.
    """
    assert block.village_key is not None and block.months is not None  # KernelInputs.draws_months checked it
    classes = block.months
    factor = compliance_factors(inputs, block, draws)[:, :, None, None]  # (d, i, 1, 1)
    shape = (factor.shape[0], len(block.rows), len(inputs.years))
    years = block.drawn_years
    drawn = np.ones(shape) if years is None or (years.stop - years.start) < shape[2] else np.empty(shape)
    paid = drawn if block.plan_paid_share is None else np.broadcast_to(block.plan_paid_share[None], shape).copy()
    if years is not None:  # draws x years x classes x villages: villages last (numpy's fast axis)
        n, ratio, plan = (_villages_last(_years(x, years)) for x in (classes.n, classes.ratio, classes.paid))
        keys = month_class_keys(inputs.years[years], max(n.shape[1], ratio.shape[1]))
        probability = np.minimum(np.moveaxis(factor, 1, -1) * ratio[None], 1.0)
        counts = binomial_counts(class_uniforms(draws["draw_key"], block.village_key, keys), n[None], probability)
        if block.observed is not None:  # observed years: every month paid
            counts = np.where(block.observed.T[None, :, None, :], n[None], counts)
        months = counts[:, :, 0] if counts.shape[2] == 1 else counts.sum(axis=2, dtype=np.int64)
        np.divide(np.swapaxes(months, 1, 2), MONTHS_PER_YEAR, out=drawn[:, :, years])
        if plan is not None:
            paid_months = (counts * plan[None]).sum(axis=2, dtype=np.int64)
            np.divide(np.swapaxes(paid_months, 1, 2), MONTHS_PER_YEAR, out=paid[:, :, years])
    if block.own is not None:
        own = block.own
        ratio = np.broadcast_to(classes.ratio, (len(own), *classes.ratio.shape[1:]))[own]
        uncertain = block.compliance_uncertain[own][None, :, :, None] > 0
        probability = np.where(uncertain, np.minimum(factor[:, own] * ratio[None], 1.0), 1.0)
        months = np.broadcast_to(classes.n, (len(own), *classes.n.shape[1:]))[own] * probability
        drawn[:, own] = months.sum(axis=-1) / MONTHS_PER_YEAR  # also paid's without arrears (the same array)
        if classes.paid is not None:
            paid[:, own] = (months * classes.paid[own]).sum(axis=-1) / MONTHS_PER_YEAR
    return DrawnMonths(drawn, paid)


def _villages_last(x):
    """villages x years x classes -> years x classes x villages (a view; None stays None)."""
    return None if x is None else np.moveaxis(x, 0, -1)


def _years(x: np.ndarray | None, years: slice):
    """Years ``years`` of a villages x years x classes array (all of it when it has one year for all)."""
    return x if x is None or x.shape[1] == 1 else x[:, years]


def funded_cells(
    inputs: KernelInputs,
    block: VillageBlock,
    billed: np.ndarray,
    draws: Mapping[str, np.ndarray],
    months: DrawnMonths | None = None,
) -> np.ndarray:
    """Paid-up (funded) workers per draw, village and year: billed places x the share of months paid
    when ``months`` are drawn; else billed x the compliance factor (per village when the draws carry a
    ``draw_key``) x the village's payment probability ratio, where the factor applies."""
    if months is not None:
        return billed * months.drawn
    mask = block.compliance_uncertain[None]  # (1, i, t)
    factor = compliance_factors(inputs, block, draws)[:, :, None]  # (d, i, 1)
    if block.payment_ratio_year is None:
        return billed * (1.0 + (factor - 1.0) * mask)
    return billed * (1.0 + (np.minimum(factor * block.payment_ratio_year[None], 1.0) - 1.0) * mask)


def active_cells(block: VillageBlock, billed: np.ndarray, funded: np.ndarray, months: DrawnMonths | None) -> np.ndarray:
    """Active workers (the year's average of workers whose month is paid) per draw, village and year:
    billed x the share of months paid (drawn and under the arrears) when months are drawn, else funded
    x the share of months paid under the scenario's arrears."""
    if months is not None:
        return funded if months.paid is months.drawn else billed * months.paid
    return funded if block.plan_paid_share is None else funded * block.plan_paid_share[None]


def premium_sums(
    inputs: KernelInputs, block: VillageBlock, billed: np.ndarray, draws: Mapping[str, np.ndarray]
) -> np.ndarray:
    """Premium cost per area: billed places x each village's premium per worker (x the premium paid
    factor of scenarios with arrears), plus the drawn change of answer on the APBDes relief times the
    relief's difference for APBDes-paid villages. Drawn months do not change it: a desa settles its
    drawn arrears (BPJS accepts 3 months), so a year's premium is its bill, as in the deterministic
    projection."""
    if block.premium_paid_factor is not None:
        billed = billed * block.premium_paid_factor[None]
    cost = group_sums(premium_cost_idr(billed, block.premium), block)
    turn = draws["apbdes_relief_granted"] - inputs.central["apbdes_relief_granted"]
    if block.relief and np.any(turn != 0):
        cost = cost + group_sums(premium_cost_idr(billed, block.relief_delta), block) * turn[None, :, None]
    return cost


def village_cells(
    inputs: KernelInputs, draws: Mapping[str, np.ndarray] | None = None, names: tuple[str, ...] = SUMMED
) -> dict[str, np.ndarray]:
    """Every quantity per village: :func:`block_sums` with each village as its own area.

    Returns arrays of shape (villages, draws, years); ``draws`` defaults to the central draw.
    """
    draws = inputs.central_draw() if draws is None else draws
    block = village_block(inputs, np.arange(inputs.n_villages))
    return block_sums(inputs, block, draws, names)


def _chunk_shape(n_villages: int, n_draws: int, n_years: int, cells: int) -> tuple[int, int]:
    """(villages, draws) per chunk: as many villages as fit (area sums stay few), then draws."""
    villages = max(1, min(n_villages, cells // max(n_years, 1)))
    draws = max(1, min(n_draws, cells // (villages * max(n_years, 1))))
    return villages, draws


def _n_draws(draws: Mapping[str, np.ndarray]) -> int:
    return len(next(iter(draws.values())))


def _take(draws: Mapping[str, np.ndarray], rows: slice) -> dict[str, np.ndarray]:
    return {name: values[rows] for name, values in draws.items()}


def _slice_of(rows: np.ndarray) -> slice | np.ndarray:
    """Consecutive increasing row numbers as a slice (added to in place, no copy), others as they are."""
    if len(rows) and rows[-1] - rows[0] == len(rows) - 1 and bool((np.diff(rows) == 1).all()):
        return slice(int(rows[0]), int(rows[-1]) + 1)
    return rows


def range_sums(
    inputs: KernelInputs, group_index: np.ndarray, draws: Mapping[str, np.ndarray], names: tuple[str, ...], cells: int
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """One village range, every draw, in chunks: (areas present, area sums areas x draws x years)."""
    n_villages, n_years, n_draws = inputs.n_villages, len(inputs.years), _n_draws(draws)
    per_village, per_draw = _chunk_shape(n_villages, n_draws, n_years, cells)
    present = np.unique(group_index)
    position = np.zeros(int(present.max()) + 1 if len(present) else 0, dtype=np.int64)
    position[present] = np.arange(len(present))
    totals = {name: np.zeros((len(present), n_draws, n_years)) for name in names}
    for v0 in range(0, n_villages, per_village):
        block = village_block(inputs, group_index, slice(v0, min(v0 + per_village, n_villages)))
        rows = _slice_of(position[block.local])
        for d0 in range(0, n_draws, per_draw):
            sums = block_sums(inputs, block, _take(draws, slice(d0, d0 + per_draw)), names)
            d1 = d0 + sums[names[0]].shape[1]
            for name in names:
                totals[name][rows, d0:d1] += sums[name]
    return present, totals


def chunked_area_sums(
    inputs: KernelInputs,
    group_index: np.ndarray,
    n_groups: int,
    draws: Mapping[str, np.ndarray],
    names: tuple[str, ...] = SUMMED + BENEFIT_TOTALS,
    executor=None,
    cells: int = CELLS_PER_CHUNK,
    tasks: int = TASKS,
) -> dict[str, np.ndarray]:
    """Every draw and village in chunks, summed by area: ``{name: (areas, draws, years)}``.

    Bit-identical whichever executor runs it. Memory: the result, one range's sums and one chunk
    of ``cells`` cells, whatever the number of villages (with an executor, finished ranges wait in
    memory until added, in order).

    Parameters
    ----------
    group_index : area index of every village (0 .. n_groups - 1)
    executor : a ``concurrent.futures`` executor (a process pool, or
        :func:`touna_policy.pipeline.executors.dask_executor`) to spread the village ranges over;
        ``None`` runs them here
    cells : draw x village x year cells per chunk
    tasks : village ranges (:data:`TASKS`)
    """
    n_draws, n_years = _n_draws(draws), len(inputs.years)
    totals = {name: np.zeros((n_groups, n_draws, n_years)) for name in names}
    bounds = np.unique(np.linspace(0, inputs.n_villages, max(1, tasks) + 1).astype(int))
    ranges = list(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True))
    args = [(inputs.villages(a, b), group_index[a:b], draws, names, cells) for a, b in ranges]
    if executor is None:
        parts = (range_sums(*arg) for arg in args)
    else:
        futures = [executor.submit(range_sums, *arg) for arg in args]
        parts = (f.result() for f in futures)
    for present, sums in parts:
        rows = _slice_of(present)
        for name in names:
            totals[name][rows] += sums[name]
    return totals
