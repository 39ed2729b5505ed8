"""The trend of the other channels is printed as a readable coefficient table, not statsmodels' raw one."""

from __future__ import annotations

from touna_policy.calibration import estimation
from touna_policy.report import model_tables as mt


def test_the_trend_table_labels_the_terms_and_prints_three_decimals_in_indonesian():
    rows = mt.trend_coefficient_rows(estimation.fit_coverage_trend(area="72.09"), "id")
    assert rows[0] == [
        "Pekerja informal yang membayar sendiri",
        "Tingkat pada 2023 (logit)",
        "-3,467",
        "0,007",
        "<\u00a00,001",
        "-3,478 – -3,456",
    ]
    assert [r[1] for r in rows] == ["Tingkat pada 2023 (logit)", "Perubahan per tahun (logit)"] * 2


def test_the_trend_table_shows_no_statsmodels_names():
    page = mt.trend_coefficients_html(estimation.fit_coverage_trend(area="72.09"), "en")
    assert not any(word in page for word in ("const", "x1", "P>|z|", "std err"))
    assert "<th>90% interval</th>" in page
