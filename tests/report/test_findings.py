"""Every body section opens with its finding, in the brief's one reference year; chart titles state
what the chart shows; the source line marks estimated and synthetic inputs in a few words."""

from __future__ import annotations

from touna_policy.report import charts as plots
from touna_policy.report import findings
from touna_policy.report.frontpage import headline_year


def test_the_reference_year_is_the_briefs_headline_year_2026_for_satu_miliar_150(satu_miliar):
    assert findings.reference_year(satu_miliar) == headline_year(satu_miliar) == 2026


def test_the_coverage_finding_names_the_funded_workers_and_the_coverage_of_2026(satu_miliar):
    assert findings.coverage(satu_miliar, 2026, "id") == (
        "**Temuan:** pada 2026 program mendanai 20.805 pekerja, dan 39,4% pekerja rentan terlindungi "
        "BPJS Ketenagakerjaan; pada 2035 cakupan menjadi 34,7%."
    )


def test_the_budget_finding_splits_rp_4_42_billion_between_apbdes_and_apbd(satu_miliar):
    text = findings.budget(satu_miliar, 2026, "en")
    assert "IDR 4.42 billion: IDR 4.05 billion from the APBDes and IDR 362.88 million from the APBD" in text
    assert text.endswith("One desa pays IDR 30.24 million, 3.0% of its programme budget.")


def test_the_coverage_chart_title_says_it_rises_then_falls(satu_miliar):
    assert findings.coverage_chart_title(satu_miliar, "en") == (
        "Coverage rises to 39.4% in 2026, then falls to 34.7% by 2035 as the workforce grows"
    )


def test_the_map_title_names_the_lowest_and_highest_kecamatan(satu_miliar):
    assert findings.kecamatan_chart_title(satu_miliar, 2026, "id") == (
        "Cakupan 2026: terendah di Ampana Kota (22,3%), tertinggi di Walea Besar (68,7%)"
    )


def test_the_source_line_marks_estimated_and_synthetic_inputs_in_lower_case():
    line = findings.source_line("id", estimated=True, synthetic=True)
    assert line.startswith("Sumber: ") and "perhitungan touna-policy." in line
    assert "estimasi" in line and "sintetis" in line and "ESTIMASI" not in line


def test_a_long_chart_title_wraps_to_the_figure_width():
    title = "Cakupan naik ke 36,4% pada 2026, lalu turun ke 32,2% pada 2035 karena jumlah pekerja bertambah"
    lines = plots.wrap_title(title, 8.0).split("\n")
    assert len(lines) == 2 and " ".join(lines) == title
    assert plots.wrap_title("Iuran program Rp 4,42 miliar pada 2026", 8.0) == "Iuran program Rp 4,42 miliar pada 2026"


def test_satu_miliar_150_gets_no_relief_year_so_the_budget_chart_highlights_none(satu_miliar):
    assert findings.discounted_years(satu_miliar) == []


def test_the_benefits_finding_counts_every_benefit_as_the_ratio_does(satu_miliar):
    from touna_policy.analysis.benefits import benefits_table

    text = findings.benefits(benefits_table(satu_miliar), 2026, "id")
    assert "Rp 3,99 miliar manfaat (JKM, JKK dan beasiswa), dibanding iuran Rp 4,42 miliar (0,90 rupiah" in text


def test_without_a_programme_budget_the_budget_finding_names_no_share_of_it(baseline):
    text = findings.budget(baseline, 2025, "id")
    assert text.endswith("Satu desa membayar Rp 20,16 juta.") and "–" not in text


def test_a_title_in_a_sub_figure_wraps_to_the_sub_figures_width():
    from matplotlib.figure import Figure

    left = Figure(figsize=(10, 4), dpi=plots.DPI).subfigures(1, 2)[0].subplots()
    assert plots.axes_width_in(left) == 5.0
    plots.style_axes(
        left, title="Cakupan naik ke 36,4% pada 2026, lalu turun ke 32,2% pada 2035 karena pekerja bertambah"
    )
    assert "\n" in left.get_title(loc="left")
