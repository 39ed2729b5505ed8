"""The fitted trend is kept per fitted rows: read back identical, refitted when the rows change."""

import json
import subprocess
import sys

import numpy as np
import pytest

from touna_policy.calibration import trend as tr
from touna_policy.data.coverage import load_coverage_series


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TOUNA_POLICY_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "trend"


def test_a_fit_read_back_from_the_cache_is_the_same_fit_bit_for_bit(cache):
    fresh = tr.fit_coverage_trend(area="72.09")
    assert len(list(cache.glob("*.json"))) == 1
    again = tr.fit_coverage_trend(area="72.09")
    for channel in fresh.results:
        a, b = fresh.results[channel], again.results[channel]
        assert np.array_equal(a.params, b.params) and np.array_equal(a.cov_params(), b.cov_params())
        assert a.scale == b.scale and str(a.summary()) == str(b.summary())
    years = list(range(2015, 2036))
    assert fresh.predict(years).equals(again.predict(years))
    assert fresh.annual_change("self_paid_bpu", 2023, 2035) == again.annual_change("self_paid_bpu", 2023, 2035)


def test_changed_rows_are_fitted_again_not_read_from_the_old_entry(cache):
    series = load_coverage_series()
    first = tr.fit_coverage_trend(series, area="72.09")
    changed = series.copy()
    row = changed.index[(changed["area"] == "72.09") & (changed["channel"] == "self_paid_bpu")][0]
    changed.loc[row, "participants"] += 500
    second = tr.fit_coverage_trend(changed, area="72.09")
    assert tr.fit_key(series[series["area"] == "72.09"], "72.09") != tr.fit_key(
        changed[changed["area"] == "72.09"], "72.09"
    )
    assert len(list(cache.glob("*.json"))) == 2
    assert not np.array_equal(first.results["self_paid_bpu"].params, second.results["self_paid_bpu"].params)


def test_a_corrupt_entry_is_ignored_and_the_trend_fitted_again(cache):
    fresh = tr.fit_coverage_trend(area="72.09")
    (entry,) = cache.glob("*.json")
    data = json.loads(entry.read_text())
    data["key"] = "0" * 64  # an entry that is not the one its name says
    entry.write_text(json.dumps(data))
    again = tr.fit_coverage_trend(area="72.09")
    assert np.array_equal(fresh.results["wage_earner"].params, again.results["wage_earner"].params)
    assert json.loads(entry.read_text())["key"] == entry.stem  # rewritten whole


def test_a_cached_trend_is_read_without_importing_statsmodels(cache):
    code = (
        "import sys\n"
        "from touna_policy.calibration.trend import fit_coverage_trend\n"
        "t = fit_coverage_trend(area='72.09')\n"
        "t.predict([2030]); print(t.summary('self_paid_bpu').tables[1])\n"
        "print('statsmodels' in sys.modules)\n"
    )
    env = {**__import__("os").environ, "TOUNA_POLICY_CACHE_DIR": str(cache.parent)}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert first.stdout.splitlines()[-1] == "True" and second.stdout.splitlines()[-1] == "False"
    assert first.stdout.splitlines()[:-1] == second.stdout.splitlines()[:-1]  # the same coefficient table


def test_a_kept_fit_gives_the_standard_errors_p_values_and_intervals_statsmodels_gives():
    import statsmodels.api as sm

    rows = load_coverage_series()
    rows = rows[(rows["area"] == "72.09") & (rows["channel"] == "self_paid_bpu")].sort_values("year")
    trials = rows["denominator"].to_numpy(dtype=float)
    exog = sm.add_constant(rows["year"].to_numpy(dtype=float) - 2023, has_constant="add")
    share = rows["participants"].to_numpy(dtype=float) / trials
    res = sm.GLM(share, exog, family=sm.families.Binomial(), var_weights=trials).fit(scale="X2")
    kept = tr.ChannelFit.from_json(tr.ChannelFit.from_statsmodels(res).to_json())
    np.testing.assert_allclose(kept.bse, res.bse, rtol=1e-12)
    np.testing.assert_allclose(kept.pvalues, res.pvalues, rtol=1e-9)
    np.testing.assert_allclose(kept.conf_int(alpha=0.10), res.conf_int(alpha=0.10), rtol=1e-12)
