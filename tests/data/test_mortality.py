"""Working-age mortality: the WPP 2024 rates and the employed age mix, read, validated and weighted."""

from pathlib import Path

import numpy as np
import pytest

from touna_policy.data.mortality import load_age_mix, load_mortality_table
from touna_policy.errors import InputError
from touna_policy.parameters.benefit_rates import load_benefit_rates, working_age_mortality_rate
from touna_policy.pipeline.validate import FILE_KINDS, kind_of


def test_tables_load_with_every_age_group_sex_and_period():
    table, mix = load_mortality_table(), load_age_mix()
    assert len(table) == 10 * 3 * 3  # 10 age groups x 3 sexes x 3 periods
    assert len(mix) == 10 * 3
    assert np.isnan(mix.loc[mix["age_from"] == 60, "age_to"]).all()  # 60+ is open


def test_weighted_rate_15_59_for_2020_2025_is_4_689_per_1000():
    # sum over male and female 15-59 of share x mx (2020-2025) = 0.00407191498804,
    # over the shares 15-59 = 0.868359 (1 - 0.086026 - 0.045613 for 60+, less 0.000002 rounding)
    rate, period = working_age_mortality_rate([2024], load_mortality_table(), load_age_mix(), 15, 59)
    assert rate[0] == pytest.approx(0.00407191498804 / 0.868359, rel=1e-12)  # 0.0046892
    assert period[0] == "2020-2025"


def test_widening_the_age_range_to_64_adds_the_60_plus_group_at_the_60_64_rate():
    # all groups: 0.00703422334362 / 0.999998 = 7.034 per 1,000 (2020-2025)
    rate, _ = working_age_mortality_rate([2024], load_mortality_table(), load_age_mix(), 15, 64)
    assert rate[0] == pytest.approx(0.00703422334362 / 0.999998, rel=1e-12)


def test_an_age_limit_inside_a_group_takes_the_share_of_its_ages():
    # 15-56: the 55-59 group counts 2 of its 5 ages; male 0.05343 x 0.4, female 0.0332 x 0.4
    table, mix = load_mortality_table(), load_age_mix()
    full, _ = working_age_mortality_rate([2024], table, mix, 15, 54)
    part, _ = working_age_mortality_rate([2024], table, mix, 15, 56)
    top, _ = working_age_mortality_rate([2024], table, mix, 55, 59)
    w54 = 0.868359 - 0.05343 - 0.0332
    w_part = 0.4 * (0.05343 + 0.0332)
    assert part[0] == pytest.approx((full[0] * w54 + top[0] * w_part) / (w54 + w_part), rel=1e-9)


def test_the_period_follows_the_projection_year():
    rate, period = working_age_mortality_rate(
        [2014, 2019, 2020, 2024, 2025, 2031], load_mortality_table(), load_age_mix(), 15, 59
    )
    assert list(period) == ["2015-2020", "2015-2020", "2020-2025", "2020-2025", "2025-2030", "2025-2030"]
    assert rate[4] == pytest.approx(0.0035450790353 / 0.868359, rel=1e-12)  # 4.083 per 1,000


def test_shipped_age_range_is_15_59_and_labelled_an_assumption():
    r = load_benefit_rates().participant_age_range
    assert (r.age_from, r.age_to, r.status) == (15, 59, "assumption")
    assert load_benefit_rates().mortality_basis.in_force == "working_age"
    assert len(load_benefit_rates().mortality_basis.values) == 2  # the crude-rate history is kept


def test_validate_knows_both_new_files():
    assert kind_of("data/raw/mortality_working_age.csv").name == "mortality_working_age"
    assert kind_of("data/raw/informal_workers_age_mix.csv").name == "age_mix"
    FILE_KINDS["mortality_working_age"].check(Path("data/raw/mortality_working_age.csv"))
    FILE_KINDS["age_mix"].check(Path("data/raw/informal_workers_age_mix.csv"))


def test_an_open_age_group_that_is_not_the_last_empty_cell_is_refused(tmp_path):
    path = load_age_mix.__defaults__[0]
    text = path.read_text().replace("15,19,male,", "15,abc,male,", 1)
    bad = tmp_path / "informal_workers_age_mix.csv"
    bad.write_text(text)
    with pytest.raises(InputError, match="row 2, column 'age_to'"):
        load_age_mix(bad)


def test_two_rates_for_one_group_sex_and_period_are_refused(tmp_path):
    path = load_mortality_table.__defaults__[0]
    lines = path.read_text().splitlines(True)
    bad = tmp_path / "mortality_working_age.csv"
    bad.write_text("".join([*lines, lines[1]]))
    with pytest.raises(InputError, match="a second row"):
        load_mortality_table(bad)
