"""data.workforce: the village workforce agrees with the registry."""

import pytest

from touna_policy import config
from touna_policy.data.registry import load_registry
from touna_policy.data.workforce import load_village_workforce
from touna_policy.errors import InputError


def test_a_village_type_that_contradicts_the_registry_is_refused(tmp_path):
    lines = config.VILLAGE_WORKFORCE_CSV.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",desa,", ",kelurahan,", 1)
    path = tmp_path / "village_workforce.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as info:
        load_village_workforce(load_registry(), path)
    (problem,) = info.value.problems
    assert (problem.location, problem.found) == ("row 2, column 'type'", "'kelurahan'")
    assert problem.expected == "'desa', the registry's type of village 72.09.01.2005"


def test_the_shipped_workforce_counts_are_whole_numbers_read_as_such():
    villages = load_village_workforce(load_registry())
    assert villages.loc[villages["code"] == "72.09.01.2005", "vulnerable_workers"].item() == 311.0
