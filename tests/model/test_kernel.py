"""The projection kernel against the plain reference implementation (tests/model/reference.py)."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import touna_policy as tp
from touna_policy import config
from touna_policy.analysis import uncertainty
from touna_policy.model import kernel
from touna_policy.model.measures import coverage_share, ucj_coverage_share
from touna_policy.scenario import scenario_from_dict

from .reference import reference_monte_carlo, reference_projection

SHIPPED = ("baseline-100", "satu-miliar-150", "proportional-150")


@pytest.fixture(scope="module")
def touna_setup(inputs):
    return uncertainty.prepare(
        tp.load_scenario(config.SCENARIOS_DIR / "satu-miliar-150.yaml"), inputs, "kecamatan_code"
    )


def _assert_reference_totals(ours, reference):
    for name in uncertainty.TOTALS:
        np.testing.assert_allclose(ours.totals[name], reference[name], rtol=1e-11, atol=1e-6, err_msg=name)


@pytest.mark.parametrize("name", SHIPPED)
def test_projection_equals_the_reference_cell_by_cell_to_the_last_bit(inputs, name):
    scenario = tp.load_scenario(config.SCENARIOS_DIR / f"{name}.yaml")
    arrays = tp.project(scenario, inputs).arrays
    for quantity, expected in reference_projection(scenario, inputs).items():
        assert np.array_equal(getattr(arrays, quantity), expected), quantity


@pytest.mark.parametrize(
    ("rule", "override"),
    [
        ("equal", {"kecamatan": "Una Una", "quota": {2026: 40}, "payment_compliance_share": {2027: 0.5}}),
        # the other rules re-split the district's places, so a quota override is refused there
        ("proportional", {"kecamatan": "Una Una", "payment_compliance_share": {2027: 0.5}}),
    ],
)
def test_projection_with_overrides_and_seed_calibration_equals_the_reference(inputs, rule, override):
    scenario = scenario_from_dict(
        {
            "name": "t",
            "title": "t",
            "quota_per_village": {"desa": {2024: 100}, "kelurahan": {2025: 120}},
            "payment_compliance_share": {2024: 0.9},
            "overrides": [override],
            "other_channels": {"source": "seed_calibration"},
            "coverage_growth_reading": "percentage_points",
            "allocation_rule": rule,
        }
    )
    arrays = tp.project(scenario, inputs).arrays
    for quantity, expected in reference_projection(scenario, inputs).items():
        assert np.array_equal(getattr(arrays, quantity), expected), quantity


@pytest.mark.parametrize("group_by", ["kecamatan_code", None, "type"])
def test_monte_carlo_kernel_gives_the_reference_totals(inputs, group_by):
    """``type`` groups are not contiguous in code order: the one-hot path; the others use reduceat."""
    setup = uncertainty.prepare(tp.load_scenario(config.SCENARIOS_DIR / "satu-miliar-150.yaml"), inputs, group_by)
    draws = uncertainty.draw_inputs(setup, 60)
    _assert_reference_totals(uncertainty.simulate_chunk(setup, draws), reference_monte_carlo(setup, draws))


def test_monte_carlo_kernel_handles_villages_with_different_base_years(touna_setup):
    import dataclasses

    base_year = touna_setup.base_year.copy()
    base_year[::3] = 2024
    setup = dataclasses.replace(touna_setup, kernel=dataclasses.replace(touna_setup.kernel, base_year=base_year))
    draws = uncertainty.draw_inputs(setup, 30)
    _assert_reference_totals(
        uncertainty.simulate_chunk(setup, draws, slice(5, 90)), reference_monte_carlo(setup, draws, slice(5, 90))
    )


def test_chunked_run_with_tiny_chunks_gives_the_reference_totals(touna_setup):
    draws = uncertainty.draw_inputs(touna_setup, 50)
    _assert_reference_totals(
        uncertainty.simulate_chunked(touna_setup, draws, cells=700, tasks=3), reference_monte_carlo(touna_setup, draws)
    )


def test_chunked_run_is_bit_identical_on_a_thread_pool(touna_setup):
    draws = uncertainty.draw_inputs(touna_setup, 50)
    here = uncertainty.simulate_chunked(touna_setup, draws, cells=2_000)
    with ThreadPoolExecutor(2) as pool:
        there = uncertainty.simulate_chunked(touna_setup, draws, executor=pool, cells=2_000)
    for name in uncertainty.TOTALS:
        assert np.array_equal(here.totals[name], there.totals[name]), name


def test_central_draw_of_the_monte_carlo_is_the_projection_to_the_last_bit(inputs, satu_miliar):
    setup = uncertainty.prepare(satu_miliar.scenario, inputs, group_by=None)
    cells = kernel.village_cells(setup.kernel)
    for name in ("funded_workers", "covered_workers", "wage_earners_covered", "premium_cost_idr"):
        assert np.array_equal(cells[name][:, 0, :], getattr(satu_miliar.arrays, name)), name


def test_eligible_workers_grow_from_the_base_year_at_the_scenario_rate(inputs):
    """Taningkola (72.09.01.2005): 311 vulnerable workers, 474 working in the 2025 base year."""
    r = tp.project(
        scenario_from_dict(
            {
                "name": "t",
                "title": "t",
                "quota_per_village": {"desa": {2024: 0}, "kelurahan": {2024: 0}},
                "workforce_growth_share_per_year": 0.02,
            }
        ),
        inputs,
    )
    v = r.villages[r.villages["code"] == "72.09.01.2005"].set_index("year")
    for year in (2023, 2025, 2030, 2035):
        assert v.loc[year, "eligible_workers"] == pytest.approx(311 * 1.02 ** (year - 2025), rel=1e-13)
        assert v.loc[year, "working_population"] == pytest.approx(474 * 1.02 ** (year - 2025), rel=1e-13)
    assert v.loc[2030, "eligible_workers"] == pytest.approx(343.3691298, abs=1e-7)  # 311 x 1.104080803


def test_eligible_workers_grow_at_the_bps_derived_rate_by_default(baseline):
    """The BPS series gives 2.052 % a year: Taningkola's 311 workers of 2025 are 344.246065 in 2030, times
    the percentage-point seed calibration's scale (the model's 2024 universe / the estimated vulnerable
    workers of 2024, 1.0067483)."""
    from touna_policy.calibration.channels import other_channel_paths

    v = baseline.villages[baseline.villages["code"] == "72.09.01.2005"].set_index("year")
    g = baseline.inputs.workforce_growth_share_per_year
    scale = other_channel_paths(baseline.scenario, baseline.inputs).vulnerable_scale
    assert g == pytest.approx(0.020520467, abs=1e-9)
    assert scale == pytest.approx(1.0067483, abs=1e-7)
    assert v.loc[2030, "eligible_workers"] == pytest.approx(344.246065 * scale, abs=1e-6)
    assert v.loc[2023, "eligible_workers"] == pytest.approx(311 * (1 + g) ** -2 * scale, rel=1e-13)
    assert v.loc[2035, "working_population"] == pytest.approx(474 * (1 + g) ** 10, rel=1e-13)


def test_covered_workers_are_funded_plus_other_channel_capped_at_eligible():
    funded, other, eligible = np.array([10.0, 10.0]), np.array([5.0, 50.0]), np.array([40.0, 40.0])
    assert kernel.covered_workers(funded, other, eligible).tolist() == [15.0, 40.0]


def test_funded_for_covered_inverts_the_covered_formula():
    # covered = f + s (e - f): with s = 0.25 and e = 100, covered 40 needs f = (40 - 25) / 0.75 = 20
    assert kernel.funded_for_covered(40.0, 100.0, 0.25) == pytest.approx(20.0)
    assert kernel.funded_for_covered(10.0, 100.0, 0.25) == 0.0  # the other channels alone reach it
    assert kernel.funded_for_covered(40.0, 100.0, 1.0) == 0.0


def test_shares_are_computed_from_sums_with_nan_without_a_denominator():
    assert ucj_coverage_share(np.array([10.0]), np.array([30.0]), np.array([80.0])).tolist() == [0.5]
    assert coverage_share(np.array([10.0]), np.array([40.0])).tolist() == [0.25]
    assert np.isnan(ucj_coverage_share(np.array([1.0]), np.array([1.0]), np.array([0.0]))[0])


@pytest.fixture(scope="module")
def arrears_setup(inputs):
    """arrears-2025 with Togean's places self-paid and Ampana Kota's desa paying 70 % of months from 2027:
    the drawn months meet the scenario's arrears, a payment probability ratio and self-paying shares."""
    s = tp.load_scenario(config.SCENARIOS_DIR / "arrears-2025.yaml")
    data = s.model_dump(mode="python")
    data["payers"]["overrides"] = [{"kecamatan": "Togean", "payer": "self"}]
    data["payment_probability"] = [{"kecamatan": "Ampana Kota", "probability_per_month": 0.7, "from_month": "2027-01"}]
    return uncertainty.prepare(scenario_from_dict(data), inputs, "kecamatan_code")


def test_monte_carlo_with_drawn_months_arrears_and_self_payers_gives_the_reference_totals(arrears_setup):
    draws = uncertainty.draw_inputs(arrears_setup, 40)
    assert arrears_setup.kernel.draws_months(draws.columns())
    _assert_reference_totals(
        uncertainty.simulate_chunk(arrears_setup, draws), reference_monte_carlo(arrears_setup, draws)
    )
    _assert_reference_totals(
        uncertainty.simulate_chunked(arrears_setup, draws, cells=900, tasks=3),
        reference_monte_carlo(arrears_setup, draws),
    )


def test_drawn_months_are_bit_identical_on_a_thread_pool(arrears_setup):
    draws = uncertainty.draw_inputs(arrears_setup, 30)
    here = uncertainty.simulate_chunked(arrears_setup, draws, cells=5_000)
    with ThreadPoolExecutor(2) as pool:
        there = uncertainty.simulate_chunked(arrears_setup, draws, executor=pool, cells=5_000)
    for name in uncertainty.TOTALS:
        assert np.array_equal(here.totals[name], there.totals[name]), name


def test_drawn_months_are_bit_identical_whatever_the_village_and_draw_chunks(arrears_setup):
    # one uniform per draw, village, calendar year and month class: the months drawn for a village in a
    # draw do not depend on which other villages or draws share its chunk
    k = arrears_setup.kernel
    columns = uncertainty.draw_inputs(arrears_setup, 30).columns()
    group = arrears_setup.group_index

    def months(villages: slice, draws: slice) -> np.ndarray:
        block = kernel.village_block(k, group, villages)
        return kernel.drawn_months(k, block, {name: x[draws] for name, x in columns.items()}).paid

    whole = months(slice(0, 146), slice(0, 30))
    parts = np.concatenate(
        [
            np.concatenate([months(v, d) for v in (slice(0, 50), slice(50, 146))], axis=1)
            for d in (slice(0, 7), slice(7, 30))
        ]
    )
    assert np.array_equal(whole, parts) and np.unique(whole).size > 5
