"""A scenario's engine inputs, resolved once before the kernel runs: :func:`resolve_engine_inputs`.

Everything the kernel (:mod:`touna_policy.model.kernel`) consumes, at the central values:

- ``eligible_workers`` = vulnerable workers of the base year x (1 + g)^(t - base year) (times the
  seed-calibrated scale, if any), at most the ``working_population``, grown likewise;
- ``quota_places`` from the scenario (by village type, overrides, allocation rule) and payment
  compliance (with overrides);
- the other-channel paths (assumed, seed-calibrated or fitted: :mod:`touna_policy.calibration.channels`);
  the provincial pekerja-rentan programme's workers (not also village-funded) join the self-paying
  share as their share of the unfunded eligible workers at the central values
  (:func:`with_provincial_channel`), so the kernel counts them as covered and bills nobody for them;
- the payer of every village and its premium per worker and year (12 monthly rates, the PP 50/2025
  relief only where it applies to that payer: :mod:`touna_policy.model.payers`), the benefit rates,
  and the programme budget of every village;
- the months each village pays (the scenario's ``arrears``: :mod:`touna_policy.model.arrears`) and,
  with arrears, the premium paid factor (unpaid months cost nothing, arrears count when paid);
- the probability that each village pays each month (the scenario's ``payment_probability``, else
  participation.yaml's default; self-paying places 1 - the BPU non-active share), over the default:
  the deterministic projection's expected share of months paid (with the central compliance factor),
  the Monte Carlo's monthly draws;
- one central value per uncertain input (:mod:`touna_policy.model.central_values`): the centre of its
  distribution, so the deterministic projection is the Monte Carlo's central case.

The kernel itself reads no file and calls no calibration: what it needs is here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from touna_policy.calibration.channels import ChannelPaths, other_channel_paths
from touna_policy.calibration.seed import last_observed_programme_years
from touna_policy.model.allocation import allocate_quota
from touna_policy.model.arrears import PaymentPlan, payment_plan, payment_probability
from touna_policy.model.central_values import central_values, resolve_distributions
from touna_policy.model.inputs import ModelInputs
from touna_policy.model.kernel import (
    KernelInputs,
    block_sums,
    scholarship_entitled_share,
    village_block,
    village_keys,
)
from touna_policy.model.measures import share_of
from touna_policy.model.participation import paid_premium_factor
from touna_policy.model.payers import (
    payer_index,
    premium_per_payer_month_idr,
    premium_per_village_year_idr,
    scenario_premium_per_payer_year_idr,
)
from touna_policy.model.premiums import premium_schedule
from touna_policy.model.schedules import apply_overrides, override_masks, year_schedule
from touna_policy.parameters.benefit_rates import load_benefit_rates
from touna_policy.parameters.contributions import jkm_death_benefit_idr
from touna_policy.parameters.participation import ParticipationParameters, load_participation_parameters
from touna_policy.parameters.payers import PAYERS, relief_eligible_by_month
from touna_policy.scenario import Scenario


@dataclass(frozen=True)
class EngineInputs:
    """The resolved inputs of one scenario on one area.

    Attributes
    ----------
    kernel : the central arrays the kernel evaluates
    programme_budget_idr : programme budget of each village and year (villages x years, 0 without one)
    payers : index into :data:`~touna_policy.parameters.payers.PAYERS` of each village's payer
    premium_per_payer_year_idr : premium of one worker per payer and year (payers x years)
    distributions : the distribution of every uncertain input (centres = ``kernel.central``)
    synthetic_defaults : whether a distribution came from the shipped (synthetic) defaults
    channels : the other-channel paths the kernel's shares come from
    workforce_growth_share_per_year : the growth rate used (the scenario's, else the BPS-derived one)
    uses_unverified_jkk_band : whether a premium uses a JKK band not yet verified
    payment : the months each village pays (the scenario's arrears), None: every month paid
    participation : grace period, churn and lapse parameters (participation.yaml)
    """

    kernel: KernelInputs
    programme_budget_idr: np.ndarray
    channels: ChannelPaths
    workforce_growth_share_per_year: float
    uses_unverified_jkk_band: bool
    payers: np.ndarray
    premium_per_payer_year_idr: np.ndarray
    distributions: dict
    synthetic_defaults: bool
    payment: PaymentPlan | None = None
    participation: ParticipationParameters | None = None


def growth_share_per_year(scenario: Scenario, inputs: ModelInputs) -> float:
    """The yearly workforce growth: the scenario's, else the one derived from the BPS population series."""
    if scenario.workforce_growth_share_per_year is not None:
        return scenario.workforce_growth_share_per_year
    return inputs.workforce_growth_share_per_year


def village_type_schedule(scenario: Scenario, is_kelurahan: np.ndarray, per_type) -> np.ndarray:
    """A ``{desa, kelurahan}`` year schedule evaluated for every village (villages x years, 0 before it starts)."""
    years = scenario.years
    return np.where(
        is_kelurahan[:, None],
        year_schedule(per_type.kelurahan, years, 0.0)[None, :],
        year_schedule(per_type.desa, years, 0.0)[None, :],
    )


def compliance_uncertain_years(years: np.ndarray, village_codes) -> np.ndarray:
    """Villages x years: 1 where the payment compliance factor applies, 0 up to the last year whose
    paid-up programme workers are observed for the village's kabupaten (2024-2025 for Tojo Una-Una:
    13,400 and 14,600)."""
    last = last_observed_programme_years(village_codes)
    return (years[None, :] > last[:, None]).astype(float)


def payment_probability_ratio(
    scenario: Scenario, villages, payers: np.ndarray, participation: ParticipationParameters
) -> np.ndarray | None:
    """Villages x months: each village's probability of paying each month over the default
    (``monthly_payment_probability``); ``None`` when it is 1 everywhere (no entry, no self-paying place),
    so the central compliance alone sets the paid-up workers."""
    defaults = np.array([participation.default_payment_probability(p) for p in PAYERS])
    probability = payment_probability(scenario, villages, payers, defaults)
    ratio = probability / participation.monthly_payment_probability.value
    return None if bool((ratio == 1.0).all()) else ratio


def with_provincial_channel(kernel: KernelInputs, provincial_workers: np.ndarray | None) -> KernelInputs:
    """``kernel`` with the provincial programme's workers added to the other channels.

    The kernel's other-channel workers are s x (eligible - funded) per village; a provincial share of
    P / (eligible - funded) of the district (central values) added to s adds exactly P workers to the
    district's covered workers, spread over the villages by their unfunded eligible workers (a draw
    with fewer unfunded workers gets proportionally fewer). No premium: the province pays.
    """
    if provincial_workers is None or not np.any(provincial_workers > 0):
        return kernel
    block = village_block(kernel, np.zeros(kernel.n_villages, dtype=np.int64))
    sums = block_sums(kernel, block, kernel.central_draw(), ("eligible_workers", "funded_workers"))
    unfunded = (sums["eligible_workers"] - sums["funded_workers"])[0, 0]
    added = np.nan_to_num(share_of(provincial_workers, unfunded), nan=0.0)
    return dataclasses.replace(kernel, provincial_share=added)


def resolve_engine_inputs(scenario: Scenario, inputs: ModelInputs) -> EngineInputs:
    """Resolve ``scenario`` on ``inputs``: the central arrays, other-channel paths, rates and budgets."""
    villages = inputs.villages
    years = scenario.years
    is_kel = villages["type"].to_numpy() == "kelurahan"
    growth = growth_share_per_year(scenario, inputs)
    base_year = villages["base_year"].to_numpy(dtype=float)
    factor = (1.0 + growth) ** (years[None, :] - base_year[:, None])
    eligible = villages["vulnerable_workers"].to_numpy(dtype=float)[:, None] * factor
    working = villages["working_population"].to_numpy(dtype=float)[:, None] * factor
    channels = other_channel_paths(scenario, inputs)
    eligible = np.minimum(eligible * channels.vulnerable_scale, working)

    masks = override_masks(scenario, villages)
    quota = apply_overrides(
        village_type_schedule(scenario, is_kel, scenario.quota_per_village), scenario, masks, "quota"
    )
    compliance = np.broadcast_to(
        year_schedule(scenario.payment_compliance_share, years, 1.0)[None, :], quota.shape
    ).copy()
    compliance = apply_overrides(compliance, scenario, masks, "payment_compliance_share")
    by_code = np.argsort(
        villages["code"].to_numpy(), kind="stable"
    )  # rounding ties go to the lower code, whatever the row order
    quota[by_code] = allocate_quota(
        quota[by_code], eligible[by_code], scenario.allocation_rule, scenario.allocation_mix
    )

    rates = premium_schedule(scenario, inputs.rates)
    payers = payer_index(scenario, villages)
    per_payer = scenario_premium_per_payer_year_idr(scenario, rates)
    premium = premium_per_village_year_idr(per_payer, payers)
    is_apbdes = (payers == 0)[:, None]  # PAYERS[0] == "apbdes"
    delta = (
        scenario_premium_per_payer_year_idr(scenario, rates, True)[0]
        - scenario_premium_per_payer_year_idr(scenario, rates, False)[0]
    )
    relief_delta = np.where(is_apbdes, delta[None, :], 0.0)
    plan = payment_plan(scenario, villages)
    participation = load_participation_parameters()
    paid_factor = None
    per_payer_month = premium_per_payer_month_idr(
        rates, relief_eligible_by_month(years, scenario.relief_for_apbdes_paid)
    ).reshape(len(PAYERS), -1)
    if plan is not None:  # the premium of the months paid, arrears in the month they are paid
        by_month = per_payer_month[payers]
        paid_factor = paid_premium_factor(
            np.minimum(quota, eligible) * compliance,
            plan.paid,
            plan.settles,
            by_month,
            participation.grace_period_months.value,
            participation.arrears_after_closure_paid_months.value,
        )
    ratio = payment_probability_ratio(scenario, villages, payers, participation)
    benefits = load_benefit_rates()
    mortality = benefits.mortality(years)
    billed = (np.minimum(quota, eligible) * compliance).sum(axis=0)  # places billed in each year (district)
    deterministic = {
        "workforce_growth_share_per_year": float(growth),
        "vulnerable_share_factor": 1.0,
        "payment_compliance_factor": 1.0,
        "self_paid_bpu_annual_change": float(channels.self_paid_annual_change),
        "self_paid_lapse_share": 0.0,
        "mortality_rate_per_year": float(mortality[-1]),
        "work_accident_rate_per_year": float(benefits.accidents(years)[-1]),
        "apbdes_relief_granted": float(scenario.relief_for_apbdes_paid),
    }
    distributions, synthetic = resolve_distributions(scenario, deterministic)
    central = central_values(distributions, deterministic)
    kernel = KernelInputs(
        years=years,
        quota=quota,
        compliance=compliance,
        eligible=eligible,
        working=working,
        base_year=base_year,
        self_paid=channels.self_paid,
        wage=channels.wage,
        channel_base_year=channels.base_year,
        premium_per_worker_idr=premium,
        premium_relief_delta_idr=relief_delta,
        jkm_benefit_idr=jkm_death_benefit_idr(years, inputs.rates),
        jkk_payment_idr=benefits.jkk_payment(years),
        central=central,
        mortality_rate_year=mortality,
        jkk_fatal_share=benefits.jkk_fatal_share(years),
        jkk_death_benefit_idr=benefits.jkk_death_benefit(years),
        # the share of this year's workers with the 3 years of contributions the scholarship needs
        scholarship_entitled_share=scholarship_entitled_share(billed, int(benefits.scholarship_waiting_years.value)),
        scholarship_per_death_idr=benefits.scholarship_per_death_idr(years),
        village_key=village_keys(villages["code"].to_numpy()),
        compliance_uncertain=compliance_uncertain_years(years, villages["code"].to_numpy()),
        premium_paid_factor=paid_factor,
        payment_probability_ratio=ratio,
        payment_paid=None if plan is None else plan.paid,
        pays_individually=(payers == PAYERS.index("self")) if (payers == PAYERS.index("self")).any() else None,
    )
    kernel = with_provincial_channel(kernel, channels.provincial_workers)
    budget = village_type_schedule(scenario, is_kel, scenario.programme_budget_per_village_idr)
    return EngineInputs(
        kernel,
        budget,
        channels,
        float(growth),
        rates.uses_unverified_jkk_band,
        payers,
        per_payer,
        distributions,
        synthetic,
        plan,
        participation,
    )
