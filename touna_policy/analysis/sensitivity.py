"""Sensitivity: which uncertain input moves coverage and cost most in a target year.

- :func:`tornado`: one input at a time from its 5th to its 95th percentile, every other input at its
  deterministic value (``sensitivity.csv``; the tornado chart sorts inputs by swing).
- :func:`sobol_indices`: global variance-based indices (first order S1 and total ST, with confidence
  half-widths) with SALib: Saltelli/Sobol' sampling of the unit cube, mapped through each input's
  quantile function, so the declared distributions are respected.

Both evaluate the projection kernel as the Monte Carlo does (:mod:`touna_policy.analysis.uncertainty`).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from touna_policy.analysis.uncertainty import (
    INPUT_NAMES,
    InputDraws,
    MonteCarloSetup,
    measures_from_totals,
    prepare,
    simulate,
)
from touna_policy.errors import InputError
from touna_policy.parameters.distributions import quantile

SENSITIVITY_MEASURES = ("coverage_share", "ucj_coverage_share", "covered_workers", "premium_cost_idr")


def _year_index(setup: MonteCarloSetup, year: int | None) -> tuple[int, int]:
    year = int(year if year is not None else setup.years[-1])
    hits = np.flatnonzero(setup.years == year)
    if not len(hits):
        raise InputError.single(
            "<sensitivity>",
            "year",
            str(year),
            f"a year of the scenario's horizon, {int(setup.years[0])}-{int(setup.years[-1])}",
        )
    return year, int(hits[0])


def tornado(
    scenario,
    inputs=None,
    year: int | None = None,
    measures: tuple[str, ...] = SENSITIVITY_MEASURES,
    low: float = 0.05,
    high: float = 0.95,
    setup: MonteCarloSetup | None = None,
) -> pd.DataFrame:
    """One-at-a-time sensitivity of ``measures`` in ``year`` (default: last year) to each uncertain input.

    Returns one row per measure and input that varies: the input's low and high values (its
    ``low`` and ``high`` quantiles), the measure at each, at the deterministic values, and the swing
    (|high - low|), sorted by swing within each measure.
    """
    setup = setup or prepare(scenario, inputs, group_by=None)
    year, t = _year_index(setup, year)
    names = setup.varying
    central = np.array([setup.central[k] for k in INPUT_NAMES], dtype=float)
    values = np.tile(central, (1 + 2 * len(names), 1))
    for n, name in enumerate(names):
        j = INPUT_NAMES.index(name)
        dist = setup.distributions[name]
        lo, hi = quantile(dist, np.array([low, high]), setup.central[name], setup.fitted_trend)
        values[1 + 2 * n, j], values[2 + 2 * n, j] = lo, hi
    m = measures_from_totals(simulate(setup, InputDraws(values, setup.central)).whole_area())
    rows = []
    for measure in measures:
        y = m[measure][:, t]
        for n, name in enumerate(names):
            j = INPUT_NAMES.index(name)
            at_low, at_high = y[1 + 2 * n], y[2 + 2 * n]
            rows.append(
                {
                    "scenario": setup.scenario.name,
                    "year": year,
                    "measure": measure,
                    "input": name,
                    "input_low": values[1 + 2 * n, j],
                    "input_high": values[2 + 2 * n, j],
                    "input_deterministic": setup.central[name],
                    "measure_deterministic": y[0],
                    "measure_at_low": at_low,
                    "measure_at_high": at_high,
                    "swing": abs(at_high - at_low),
                }
            )
    frame = pd.DataFrame(
        rows,
        columns=[
            "scenario",
            "year",
            "measure",
            "input",
            "input_low",
            "input_high",
            "input_deterministic",
            "measure_deterministic",
            "measure_at_low",
            "measure_at_high",
            "swing",
        ],
    )
    order = {m_: i for i, m_ in enumerate(measures)}
    return (
        frame.assign(_m=frame["measure"].map(order))
        .sort_values(["_m", "swing"], ascending=[True, False])
        .drop(columns="_m")
        .reset_index(drop=True)
    )


def sobol_indices(
    scenario,
    inputs=None,
    year: int | None = None,
    measures: tuple[str, ...] = ("coverage_share", "premium_cost_idr"),
    base_samples: int = 256,
    seed: int | None = None,
    setup: MonteCarloSetup | None = None,
) -> pd.DataFrame:
    """First-order and total Sobol' indices of ``measures`` in ``year`` with SALib.

    Parameters
    ----------
    base_samples : SALib's N (a power of 2); the kernel runs N x (inputs + 2) points
    seed : sampling and bootstrap seed (default: the scenario's ``seed``)

    Returns
    -------
    One row per measure and varying input: ``S1, S1_conf, ST, ST_conf`` (``nan`` where the measure
    does not vary at all, e.g. cost against the mortality rate).
    """
    # SALib is heavy and optional for the tornado: loaded only for Sobol' indices
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    setup = setup or prepare(scenario, inputs, group_by=None)
    year, t = _year_index(setup, year)
    names = setup.varying
    seed = int(setup.scenario.seed if seed is None else seed)
    columns = ["scenario", "year", "measure", "input", "S1", "S1_conf", "ST", "ST_conf"]
    if not names:
        return pd.DataFrame(columns=columns)
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    x = sobol_sample.sample(problem, base_samples, calc_second_order=False, seed=seed)
    u = np.full((len(x), len(INPUT_NAMES)), 0.5)
    for n, name in enumerate(names):
        u[:, INPUT_NAMES.index(name)] = np.clip(x[:, n], 1e-9, 1 - 1e-9)
    m = measures_from_totals(simulate(setup, setup.values_at(u)).whole_area())
    rows = []
    for measure in measures:
        y = m[measure][:, t]
        if not np.isfinite(y).all() or np.ptp(y) == 0:
            res = {
                "S1": [np.nan] * len(names),
                "S1_conf": [np.nan] * len(names),
                "ST": [np.nan] * len(names),
                "ST_conf": [np.nan] * len(names),
            }
        else:
            with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                res = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed)
        for n, name in enumerate(names):
            rows.append(
                {
                    "scenario": setup.scenario.name,
                    "year": year,
                    "measure": measure,
                    "input": name,
                    **{k: float(res[k][n]) for k in ("S1", "S1_conf", "ST", "ST_conf")},
                }
            )
    return pd.DataFrame(rows, columns=columns)


def report_base_samples(setup: MonteCarloSetup, cell_budget: float = 4e7, largest: int = 256, smallest: int = 8) -> int:
    """SALib's N for a report notebook: a power of 2, at most ``largest``, within ``cell_budget`` cells."""
    per_point = setup.n_villages * len(setup.years) * (len(setup.varying) + 2)
    n = largest
    while n > smallest and n * per_point > cell_budget:
        n //= 2
    return n
