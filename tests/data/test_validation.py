"""Every table is validated on load; errors name the file, the row and the column."""

import pandas as pd
import pytest

from touna_policy import config
from touna_policy.data.registry import load_registry
from touna_policy.data.workforce import load_village_workforce
from touna_policy.data.workforce_estimate import estimate_village_workforce, fit_kelurahan_weight
from touna_policy.errors import InputError


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def _edit(path, fn):
    frame = pd.read_csv(path, dtype=str)
    frame = fn(frame)
    frame.to_csv(path, index=False)
    return path


def test_shipped_workforce_is_flagged_estimated(registry):
    w = load_village_workforce(registry)
    assert w.attrs["estimated"] and w["estimated"].all()


def test_a_real_workforce_csv_replaces_the_estimate(registry, workforce_copy):
    _edit(workforce_copy, lambda f: f.assign(estimated="false"))
    w = load_village_workforce(registry, workforce_copy)
    assert not w.attrs["estimated"]


def test_missing_column_names_the_file_and_the_column(registry, workforce_copy):
    _edit(workforce_copy, lambda f: f.rename(columns={"vulnerable_workers": "vulnerable_worker"}))
    with pytest.raises(InputError) as err:
        load_village_workforce(registry, workforce_copy)
    msg = str(err.value)
    assert "village_workforce.csv" in msg and "column 'vulnerable_workers'" in msg
    assert "did you mean 'vulnerable_worker'" in msg


def test_negative_count_names_the_row(registry, workforce_copy):
    def neg(f):
        f.loc[4, "population"] = "-5"
        return f

    _edit(workforce_copy, neg)
    with pytest.raises(
        InputError, match=r"row 6, column 'population': found -5.0; expected a number that is not negative"
    ):
        load_village_workforce(registry, workforce_copy)


def test_non_numeric_count_names_the_row(registry, workforce_copy):
    def bad(f):
        f.loc[0, "vulnerable_workers"] = "banyak"
        return f

    _edit(workforce_copy, bad)
    with pytest.raises(
        InputError, match=r"row 2, column 'vulnerable_workers': found 'banyak'; expected a finite number"
    ):
        load_village_workforce(registry, workforce_copy)


def test_duplicate_code_is_refused(registry, workforce_copy):
    def dup(f):
        f.loc[1, "code"] = f.loc[0, "code"]
        return f

    _edit(workforce_copy, dup)
    with pytest.raises(InputError, match=r"row 3, column 'code'.*not repeated"):
        load_village_workforce(registry, workforce_copy)


def test_unknown_kecamatan_is_refused_with_the_registry_name(registry, workforce_copy):
    def kec(f):
        f.loc[0, "kecamatan"] = "Una Unaa"
        return f

    _edit(workforce_copy, kec)
    with pytest.raises(InputError, match=r"row 2, column 'kecamatan': found 'Una Unaa'; expected 'Una Una'"):
        load_village_workforce(registry, workforce_copy)


def test_unknown_village_code_is_refused(registry, workforce_copy):
    def code(f):
        f.loc[0, "code"] = "72.09.01.2999"
        return f

    _edit(workforce_copy, code)
    with pytest.raises(InputError, match=r"'72.09.01.2999', a village not in the registry"):
        load_village_workforce(registry, workforce_copy)


def test_semicolon_export_is_explained(registry, workforce_copy):
    text = workforce_copy.read_text().replace(",", ";")
    workforce_copy.write_text(text)
    with pytest.raises(InputError, match="semicolon"):
        load_village_workforce(registry, workforce_copy)


def test_registry_type_must_match_code(tmp_path):
    path = tmp_path / "reg.csv"
    path.write_text("kecamatan,village,type,code\nUna Una,X,kelurahan,72.09.01.2005\n")
    with pytest.raises(InputError, match=r"row 2, column 'type': found 'kelurahan'; expected 'desa'"):
        load_registry(path=path)


def test_estimate_rebuild_matches_the_shipped_file(registry):
    shipped = pd.read_csv(config.VILLAGE_WORKFORCE_CSV, dtype={"code": str})
    rebuilt = estimate_village_workforce(registry)
    assert shipped["vulnerable_workers"].tolist() == rebuilt["vulnerable_workers"].tolist()
    assert shipped["population"].sum() == 173_534  # Kemendagri 2025, split exactly


def test_kelurahan_weight_is_fitted_above_one():
    fit = fit_kelurahan_weight()
    assert 2.0 < fit.ratio < 6.0
    assert fit.results.params.index.tolist() == ["desa", "kelurahan"]
