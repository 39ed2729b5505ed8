"""parameters.contributions: the first year a horizon can start, from the BPU schedule."""

import datetime as dt

from touna_policy.parameters.contributions import first_full_rate_year


def test_the_first_full_rate_year_is_the_year_after_the_july_2015_rates():
    assert first_full_rate_year() == (2016, "jkm_contribution", dt.date(2015, 7, 1))
