"""parameters.distributions: no check is skipped because a centre is left out."""

import pytest
from pydantic import ValidationError

from touna_policy.parameters.distributions import Distribution


def test_a_triangular_without_mode_still_checks_its_bounds():
    with pytest.raises(ValueError, match="low-high -0.5-0.5 is outside the valid range -0.05-0.1"):
        Distribution(distribution="triangular", low=-0.5, high=0.5).check_range("workforce_growth_share_per_year")


def test_a_normal_without_mean_too_wide_for_any_centre_is_refused():
    with pytest.raises(ValueError, match="wherever it is centred"):
        Distribution(distribution="normal", sd=0.3).check_range("payment_compliance_factor")


def test_a_normal_without_mean_that_fits_somewhere_waits_for_the_deterministic_value():
    Distribution(distribution="normal", sd=0.01).check_range("workforce_growth_share_per_year")


def test_a_beta_without_mean_and_sd_half_or_more_is_refused():
    with pytest.raises(ValueError, match="too large for any beta"):
        Distribution(distribution="beta", sd=0.5).check_range("self_paid_lapse_share")


def test_a_truncated_normal_mean_outside_its_bounds_is_refused():
    with pytest.raises(ValidationError, match="mean 1.5 is outside low-high 0.8-1.2"):
        Distribution(distribution="normal", mean=1.5, sd=0.1, low=0.8, high=1.2)
