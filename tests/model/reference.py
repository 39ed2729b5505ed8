"""The plain reference implementation of the projection arithmetic: the test oracle for the kernel.

Written cell by cell (every quantity per draw, village and year, then summed), independently of the
kernel's sum-first formulation in :mod:`touna_policy.model.kernel`. Not used by the package.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import binom

from touna_policy.calibration.channels import other_channel_paths
from touna_policy.model.allocation import allocate_quota
from touna_policy.model.kernel import QUANTILE_GRID, class_uniforms, month_class_keys, village_uniforms
from touna_policy.model.premiums import premium_schedule
from touna_policy.model.schedules import override_masks, year_schedule
from touna_policy.parameters.uncertainty_defaults import load_uncertainty_defaults

OBSERVED_UNTIL = {"72.09": 2025}  # coverage_history.csv: programme-funded workers observed 2024-2025


def _premium_per_worker(scenario, inputs, is_kel: np.ndarray, relief_for_desa: bool) -> np.ndarray:
    """villages x years: twelve months of (JKK + JKM) x (1 - relief) + JHT; the relief only for desa
    places when ``relief_for_desa`` (APBDes), never for kelurahan places (APBD)."""
    r = premium_schedule(scenario, inputs.rates)
    full = (r.jkk_idr + r.jkm_idr + r.jht_idr).sum(axis=1)
    relieved = ((r.jkk_idr + r.jkm_idr) * (1.0 - r.relief_share) + r.jht_idr).sum(axis=1)
    desa = relieved if relief_for_desa else full
    return np.where(is_kel, full[None, :], desa[None, :])


def _compliance_factor(scenario) -> float:
    """The deterministic compliance factor: the shipped beta's mean unless the scenario declares one or none."""
    declared = scenario.uncertainty.payment_compliance_factor
    if declared is not None:
        return declared.mean if declared.distribution == "beta" else (declared.value or 1.0)
    return (
        load_uncertainty_defaults().payment_compliance_factor.mean
        if scenario.uncertainty.defaults == "shipped"
        else 1.0
    )


def reference_projection(scenario, inputs) -> dict[str, np.ndarray]:
    """Every per-village quantity of the deterministic projection (villages x years)."""
    villages = inputs.villages
    years = scenario.years
    is_kel = (villages["type"].to_numpy() == "kelurahan")[:, None]
    growth = (
        scenario.workforce_growth_share_per_year
        if scenario.workforce_growth_share_per_year is not None
        else inputs.workforce_growth_share_per_year
    )
    base_year = villages["base_year"].to_numpy(dtype=float)[:, None]
    factor = (1.0 + growth) ** (years[None, :] - base_year)
    eligible = villages["vulnerable_workers"].to_numpy(dtype=float)[:, None] * factor
    working = villages["working_population"].to_numpy(dtype=float)[:, None] * factor
    channels = other_channel_paths(scenario, inputs)
    eligible = np.minimum(eligible * channels.vulnerable_scale, working)
    quota = np.where(
        is_kel,
        year_schedule(scenario.quota_per_village.kelurahan, years, 0.0)[None, :],
        year_schedule(scenario.quota_per_village.desa, years, 0.0)[None, :],
    )
    compliance = np.broadcast_to(
        year_schedule(scenario.payment_compliance_share, years, 1.0)[None, :], quota.shape
    ).copy()
    for mask, override in zip(override_masks(scenario, villages), scenario.overrides, strict=True):
        if override.quota is not None:
            values = year_schedule(override.quota, years)
            quota[np.ix_(mask, ~np.isnan(values))] = values[~np.isnan(values)]
        if override.payment_compliance_share is not None:
            values = year_schedule(override.payment_compliance_share, years)
            compliance[np.ix_(mask, ~np.isnan(values))] = values[~np.isnan(values)]
    by_code = np.argsort(villages["code"].to_numpy(), kind="stable")
    quota[by_code] = allocate_quota(
        quota[by_code], eligible[by_code], scenario.allocation_rule, scenario.allocation_mix
    )
    billed = np.minimum(quota, eligible) * compliance
    observed = np.array([OBSERVED_UNTIL.get(str(c)[:5], -1) for c in villages["code"]])[:, None]
    factor = np.where(years[None, :] > observed, _compliance_factor(scenario), 1.0)
    funded = billed * factor
    # the provincial programme's workers (not also village-funded) join the self-paying share as their
    # share of the district's unfunded eligible workers
    unfunded = np.add.reduceat(eligible[None], [0], axis=1)[0, 0] - np.add.reduceat(funded[None], [0], axis=1)[0, 0]
    provincial = channels.provincial_workers if channels.provincial_workers is not None else np.zeros(len(years))
    added = np.where(unfunded > 0, provincial / np.where(unfunded > 0, unfunded, 1.0), 0.0)
    self_paid = np.clip(channels.self_paid + added, 0.0, 1.0) if np.any(provincial > 0) else channels.self_paid
    other = self_paid[None, :] * (eligible - funded)
    covered = np.minimum(funded + other, eligible)
    wage = channels.wage[None, :] * np.maximum(working - eligible, 0.0)
    cost = billed * _premium_per_worker(scenario, inputs, is_kel, scenario.relief_for_apbdes_paid)
    return {
        "quota_places": quota,
        "eligible_workers": eligible,
        "working_population": working,
        "funded_workers": funded,
        "other_channel_workers": other,
        "covered_workers": covered,
        "wage_earners_covered": wage,
        "premium_cost_idr": cost,
        "unused_quota_places": quota - np.minimum(quota, eligible),
    }


def reference_monte_carlo(setup, draws, villages=None) -> dict[str, np.ndarray]:
    """Monte Carlo totals per area x draw x year of the villages ``villages`` (default all), cell by cell."""
    k = setup.kernel
    idx = np.arange(k.n_villages)[villages] if villages is not None else np.arange(k.n_villages)
    years = k.years
    q, c = k.quota[idx], k.compliance[idx]
    e0, w0 = k.eligible[idx], k.working[idx]
    g = draws["workforce_growth_share_per_year"][:, None, None]
    gc = k.central["workforce_growth_share_per_year"]
    since = years[None, :] - k.base_year[idx][:, None]
    ratio = ((1.0 + g) / (1.0 + gc)) ** since[None, :, :]
    working = w0[None] * ratio
    eligible = np.minimum(e0[None] * draws["vulnerable_share_factor"][:, None, None] * ratio, working)
    billed = np.minimum(q[None], eligible) * c[None]
    if draws.keys is not None and k.compliance_table is not None:
        factor = np.interp(village_uniforms(draws.keys, k.village_key[idx]), QUANTILE_GRID, k.compliance_table)
        factor = factor[:, :, None]
    else:
        factor = draws["payment_compliance_factor"][:, None, None]
    mask = k.compliance_uncertain[idx][None]
    n_months = len(years) * 12
    ratio = np.ones((len(idx), n_months)) if k.payment_probability_ratio is None else k.payment_probability_ratio[idx]
    plan_paid = np.ones((len(idx), n_months), bool) if k.payment_paid is None else k.payment_paid[idx]
    columns = {"draw_key": draws.keys} if draws.keys is not None else {}
    if k.draws_months(columns):
        # every village pays each month with probability min(factor x ratio, 1) where the factor applies;
        # the months of a village-year with the same ratio and plan (a class, numbered by its first
        # month) are drawn together: Binomial(months, probability) from one uniform per class
        ratio_m = ratio.reshape(len(idx), len(years), 12)
        plan_m = plan_paid.reshape(len(idx), len(years), 12)
        drawn = np.zeros((draws.n, len(idx), len(years)))
        paid = np.zeros((draws.n, len(idx), len(years)))
        own = np.zeros(len(idx), bool) if k.pays_individually is None else k.pays_individually[idx]
        for i in range(len(idx)):  # plain loops over villages and years: the oracle favours clarity
            for t, year in enumerate(years):
                classes: dict[tuple[float, bool], list[int]] = {}
                for month in range(12):
                    classes.setdefault((ratio_m[i, t, month], bool(plan_m[i, t, month])), []).append(month)
                keys = month_class_keys(np.array([year]), len(classes))
                u = class_uniforms(draws.keys, k.village_key[idx][i : i + 1], keys)[:, 0, :, 0]
                for c, ((r, on_plan), months) in enumerate(classes.items()):
                    probability = np.minimum(factor[:, i, 0] * r, 1.0) if mask[0, i, t] > 0 else np.ones(draws.n)
                    if own[i]:  # self-paying places: the expected share, every month
                        count = len(months) * probability
                    else:
                        count = len(months) - binom.ppf(u[:, c], len(months), 1.0 - probability)
                    drawn[:, i, t] += count / 12
                    paid[:, i, t] += count / 12 if on_plan else 0.0
        funded = billed * drawn
        active = billed * paid
    else:
        ratio_year = ratio.reshape(len(idx), len(years), 12).mean(axis=2)[None]
        funded = billed * np.where(mask > 0, np.minimum(factor * ratio_year, 1.0), 1.0)
        active = funded * plan_paid.reshape(len(idx), len(years), 12).mean(axis=2)[None]
    paid_factor = 1.0 if k.premium_paid_factor is None else k.premium_paid_factor[idx][None]  # drawn arrears settled
    turn = (draws["apbdes_relief_granted"] - k.central["apbdes_relief_granted"])[:, None, None]
    premium = k.premium_per_worker_idr[idx][None] + turn * k.premium_relief_delta_idr[idx][None]
    slope = draws["self_paid_bpu_annual_change"] - k.central["self_paid_bpu_annual_change"]
    path = np.clip(k.self_paid[None, :] + slope[:, None] * (years - k.channel_base_year)[None, :], 0.0, 1.0)
    path = path * ((1.0 - draws["self_paid_lapse_share"]) / (1.0 - k.central["self_paid_lapse_share"]))[:, None]
    if k.provincial_share is not None:  # the province pays: no self-paying change or lapse on it
        path = np.minimum(path + k.provincial_share[None, :], 1.0)
    covered = np.minimum(funded + path[:, None, :] * (eligible - funded), eligible)
    mortality = (
        k.mortality_rate_year[None, :]
        * (draws["mortality_rate_per_year"] / k.central["mortality_rate_per_year"])[:, None]
    )
    deaths = funded * mortality[:, None, :]
    accidents = funded * draws["work_accident_rate_per_year"][:, None, None]
    jkk_deaths = accidents * k.jkk_fatal_share[None, None, :]
    jkm_claims = np.maximum(deaths - jkk_deaths, 0.0)
    benefits = (
        jkm_claims * k.jkm_benefit_idr[None, None, :]
        + (accidents - jkk_deaths) * k.jkk_payment_idr[None, None, :]
        + jkk_deaths * k.jkk_death_benefit_idr[None, None, :]
        + (jkm_claims * k.scholarship_entitled_share[None, None, :] + jkk_deaths)
        * k.scholarship_per_death_idr[None, None, :]
    )
    cells = {
        "eligible_workers": eligible,
        "working_population": working,
        "quota_places": np.broadcast_to(q[None], eligible.shape),
        "funded_workers": funded,
        "covered_workers": covered,
        "wage_earners_covered": k.wage[None, None, :] * np.maximum(working - eligible, 0.0),
        "premium_cost_idr": billed * paid_factor * premium,
        "unused_quota_places": q[None] - np.minimum(q[None], eligible),
        "expected_deaths": deaths,
        "expected_work_accidents": accidents,
        "expected_benefits_idr": benefits,
        "active_workers": active,
    }
    groups = setup.group_index[idx]
    n_groups = len(setup.group_labels)
    out = {}
    for name, x in cells.items():
        totals = np.zeros((n_groups, draws.n, len(years)))
        for gi in np.unique(groups):  # plain loop over areas: the oracle favours clarity over speed
            totals[gi] = x[:, groups == gi, :].sum(axis=1)
        out[name] = totals
    return out
