"""The comparison's figures, tie sentences, summary page and charts (report/comparison*.py)."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import pytest

from touna_policy import config
from touna_policy.report import comparison as cmp
from touna_policy.report import comparison_charts as cc
from touna_policy.report import comparison_page as cp
from touna_policy.report import i18n


@pytest.fixture(scope="module")
def shipped():
    names = ("baseline-100", "satu-miliar-150", "proportional-150")
    return cmp.project_options([config.SCENARIOS_DIR / f"{n}.yaml" for n in names])


def test_reference_year_is_2026_the_first_year_every_option_runs_at_full_size(shipped):
    # baseline-100 is flat from 2025, the 150-place options from 2026: the comparison reads 2026
    assert cmp.reference_year(shipped.district) == 2026


def test_satu_miliar_adds_7300_places_and_1471680000_rupiah_in_2026_over_the_baseline(shipped):
    d = cmp.option_differences(shipped.district, shipped.desa_costs, 2026).set_index("scenario")
    assert list(d.index) == ["baseline-100", "satu-miliar-150", "proportional-150"]
    row = d.loc["satu-miliar-150"]
    assert row["quota_places"] == 21_900 and row["quota_places_change"] == 7_300
    assert row["premium_cost_idr"] == 4_415_040_000
    assert row["premium_cost_idr_change"] == 1_471_680_000 == 7_300 * 201_600
    assert d.loc["baseline-100", ["quota_places_change", "premium_cost_idr_change"]].tolist() == [0, 0]


def test_cost_per_desa_is_150_contributions_and_3_02_percent_of_one_billion_under_satu_miliar(shipped):
    d = cmp.option_differences(shipped.district, shipped.desa_costs, 2026).set_index("scenario")
    assert d.loc["satu-miliar-150", "cost_per_desa_idr"] == 150 * 201_600 == 30_240_000
    assert d.loc["satu-miliar-150", "desa_budget_share"] == pytest.approx(0.03024)
    assert d.loc["baseline-100", "cost_per_desa_idr"] == 100 * 201_600
    assert d.loc["satu-miliar-150", "cost_per_desa_idr_change"] == 50 * 201_600
    # proportional places vary by desa: the mean lies between its lowest and highest desa
    p = d.loc["proportional-150"]
    assert p["cost_per_desa_min_idr"] < p["cost_per_desa_idr"] < p["cost_per_desa_max_idr"]


def test_equal_cost_options_are_a_tie_that_differs_only_in_the_kecamatan_spread(shipped):
    ties = cmp.find_ties(shipped.district, shipped.kecamatan, 2026)
    assert [(t.first, t.second) for t in ties] == [("satu-miliar-150", "proportional-150")]
    tie = ties[0]
    assert tie.quota_places == 21_900 and tie.premium_cost_idr == 4_415_040_000
    assert len(tie.spread) == 12 and len(tie.other_years) == 0
    en = cmp.tie_text(tie, "en")
    assert en.startswith("**satu-miliar-150 and proportional-150**: same places (21,900) and same cost")
    assert "They differ only in how places are spread over the kecamatan: " in en
    assert "Walea Besar 69% against 39%" in en  # the largest gap comes first
    idn = cmp.tie_text(tie, "id")
    assert "kuota sama (21.900) dan biaya sama (Rp 4,42 miliar pada 2026)" in idn
    assert "Keduanya hanya berbeda dalam sebaran kuota antarkecamatan" in idn


def _district(name: str, cost_2025: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "scenario": name,
            "year": [2025, 2026],
            "quota_places": [100.0, 150.0],
            "funded_workers": [100.0, 150.0],
            "covered_workers": [120.0, 170.0],
            "premium_cost_idr": [cost_2025, 150 * 201_600.0],
            "premium_per_worker_year_idr": [201_600.0, 201_600.0],
            "coverage_share": [0.2, 0.3],
            "ucj_coverage_share": [0.25, 0.32],
        }
    )


def _kecamatan(name: str, shares: tuple[float, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "scenario": name,
            "kecamatan_code": ["72.09.01", "72.09.02"],
            "kecamatan": ["Una Una", "Togean"],
            "year": 2026,
            "coverage_share": list(shares),
        }
    )


def test_a_tie_with_the_same_kecamatan_coverage_is_said_to_differ_only_in_the_other_year():
    district = pd.concat([_district("a", 100 * 201_600.0), _district("b", 90 * 201_600.0)], ignore_index=True)
    kec = pd.concat([_kecamatan("a", (0.3, 0.3)), _kecamatan("b", (0.3, 0.3))], ignore_index=True)
    (tie,) = cmp.find_ties(district, kec, 2026, baseline="a")
    assert tie.spread.empty and tie.other_years["year"].tolist() == [2025]
    text = cmp.tie_text(tie, "en")
    assert "give the same coverage in every kecamatan and differ only in 2025" in text
    assert "IDR 20.16 million against IDR 18.14 million" in text
    assert "spread" not in text


def test_identical_options_are_said_to_have_the_same_figures_in_every_year():
    district = pd.concat([_district("a", 1.0), _district("b", 1.0)], ignore_index=True)
    kec = pd.concat([_kecamatan("a", (0.3, 0.4)), _kecamatan("b", (0.3, 0.4))], ignore_index=True)
    (tie,) = cmp.find_ties(district, kec, 2026, baseline="a")
    assert cmp.tie_text(tie, "id").endswith("Keduanya memiliki angka yang sama pada setiap tahun.")


def test_three_tied_options_get_one_head_and_the_clauses_of_the_member_closest_to_both():
    district = pd.concat(
        [_district("base", 1.0), _district("even", 1.0), _district("late", 2.0), _district("spread", 1.0)],
        ignore_index=True,
    ).assign(quota_places=lambda f: np.where(f["scenario"] == "base", 1.0, f["quota_places"]))
    kec = pd.concat(
        [_kecamatan(n, s) for n, s in (("base", (0.1, 0.1)), ("even", (0.3, 0.3)), ("late", (0.3, 0.3)),
                                       ("spread", (0.2, 0.4)))],
        ignore_index=True,
    )  # fmt: skip
    ties = cmp.find_ties(district, kec, 2026, baseline="base")
    assert len(ties) == 3
    (text,) = cmp.ties_text(ties, "en")
    assert text.startswith("**even, late and spread**: same places (150)")
    assert "**even and late** give the same coverage" in text
    assert "**even and spread** differ only in how places are spread" in text
    assert "**late and spread**" not in text


def test_year_list_joins_two_years_and_ranges_consecutive_ones():
    assert cmp.year_list([2026, 2025], "id") == "2025 dan 2026"
    assert cmp.year_list([2025, 2026, 2027], "en") == "2025–2027"


def test_summary_page_shows_each_difference_from_today_in_brackets(shipped):
    page = cp.summary_page_html(shipped, "id")
    assert "Semua angka untuk tahun 2026" in page
    assert "(+7.300)" in page and "(+Rp 1,47 miliar)" in page
    assert "Rp 30,24 juta" in page and "3,02%" in page
    assert "<strong>Satu Miliar (150 sama rata) dan 150 sebanding pekerja rentan</strong>: kuota sama" in page
    assert 'src="data:image/png;base64,' in page
    english = cp.summary_page_html(shipped, "en")
    assert "(+7,300)" in english and "(+IDR 1.47 billion)" in english and "differ only in how places" in english


def test_summary_table_labels_are_the_catalogue_s_in_both_languages(shipped):
    d = cmp.option_differences(shipped.district, shipped.desa_costs, 2026)
    values, changes = cp.summary_cells(d, 2026, "id")
    assert values.index[1] == "Biaya iuran 2026" and values.loc["Kuota pekerja", "satu-miliar-150"] == "21.900"
    assert (
        changes.loc["Kuota pekerja", "baseline-100"] == ""
        and changes.loc["Kuota pekerja", "satu-miliar-150"] == "+7.300"
    )
    assert changes.loc["Bagian dari Rp 1 miliar per desa", "satu-miliar-150"] == "+1,01 poin persen"
    en, _ = cp.summary_cells(d, 2026, "en")
    assert en.index[1] == "Contribution cost 2026"


def test_dodge_offsets_spread_equal_points_and_leave_a_lone_point_in_place():
    values = np.array([[1.0, 1.0, 2.0], [3.0, 3.0, 3.0]])
    shift = cc.dodge_offsets(values, step=0.1)
    assert shift[0].tolist() == pytest.approx([-0.05, 0.05, 0.0])
    assert shift[1].tolist() == pytest.approx([-0.1, 0.0, 0.1])


def test_every_option_line_is_visible_even_when_two_options_have_equal_figures():
    frame = pd.DataFrame({"a": [1.0, 2.0, 2.0], "b": [1.0, 2.0, 2.0], "c": [0.5, 1.0, 1.0]}, index=[2024, 2025, 2026])
    from touna_policy.report import charts as plots

    fig, ax = plots.figure()
    cc.option_lines(ax, frame)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert sorted(lines) == ["a", "b", "c"]
    looks = {(ln.get_linestyle(), ln.get_marker(), ln.get_color()) for ln in lines.values()}
    assert len(looks) == 3  # no two options share colour, line style and marker
    assert not np.array_equal(lines["a"].get_xydata(), lines["b"].get_xydata())  # equal lines are dodged apart
    assert lines["c"].get_xdata().tolist() == [2024, 2025, 2026]  # a line alone stays on its years
    assert cc.lines_note(frame, 2026, "en").startswith("The lines of a and b coincide in 2026")


def test_kecamatan_dots_draw_one_series_per_option_each_with_its_own_marker(shipped):
    fig = cc.kecamatan_dots(cmp.kecamatan_coverage(shipped.kecamatan, 2026), 2026, "id")
    series = fig.axes[0].collections
    assert len(series) == 3 and len({tuple(map(tuple, s.get_offsets()[:, 1:].tolist())) for s in series}) == 3


def test_comparison_catalogue_has_the_same_keys_and_placeholders_in_both_languages():
    problems = [p for p in i18n.catalogue_differences() if "comparison" in p]
    assert problems == []


def test_chart_reading_names_every_option_that_shares_the_highest_value():
    frame = pd.DataFrame({"a": [4.0], "b": [4.0], "c": [3.0]}, index=[2026])
    text = cmp.option_reading(frame, 2026, "cost", "id", lambda v: i18n.money(v * 1e9, "id"))
    assert "tertinggi Rp 4 miliar (a dan b) dan terendah Rp 3 miliar (c)" in text


def test_read_options_takes_the_figures_from_run_folders_without_running_the_model(shipped, tmp_path):
    import json

    dirs = []
    for name in ("baseline-100", "satu-miliar-150"):
        d = tmp_path / name / "20261201T000000Z-00000000"
        d.mkdir(parents=True)
        shipped.district[shipped.district["scenario"] == name].to_csv(d / "summary.csv", index=False)
        shipped.kecamatan[shipped.kecamatan["scenario"] == name].to_csv(d / "kecamatan.csv", index=False)
        per_desa = 30_240_000.0 if "satu" in name else 20_160_000.0
        villages = pd.DataFrame(
            {"scenario": name, "year": 2026, "type": ["desa", "kelurahan"], "premium_apbdes_idr": [per_desa, 0.0]}
        )
        villages.to_csv(d / "villages.csv", index=False)
        manifest = {"run_id": d.name, "scenario": {"name": name, "title": name, "file": f"data/scenarios/{name}.yaml"}}
        (d / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        dirs.append(d)
    read = cmp.read_options(dirs, "id")
    assert read.titles["satu-miliar-150"].startswith("Satu Miliar Satu Desa: 150 pekerja")  # the Indonesian title
    d = cmp.option_differences(read.district, read.desa_costs, cmp.reference_year(read.district)).set_index("scenario")
    assert d.loc["satu-miliar-150", "premium_cost_idr_change"] == 1_471_680_000
    assert d.loc["satu-miliar-150", "cost_per_desa_idr_change"] == 10_080_000
    assert read.kecamatan["kecamatan_code"].iloc[0] == "72.09.01"  # codes stay text
    assert read.names == {"baseline-100": "Kebijakan sekarang (100)", "satu-miliar-150": "Satu Miliar (150 sama rata)"}


def _visible(page: str) -> str:
    import html
    import re

    return html.unescape(
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<(style|img)[^>]*>.*?(</style>)?", " ", page)))
    )


SHORT_NAMES = {
    "id": ("Kebijakan sekarang (100)", "Satu Miliar (150 sama rata)", "150 sebanding pekerja rentan"),
    "en": ("Current policy (100)", "Satu Miliar (150 each)", "150 by vulnerable workers"),
}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_summary_page_names_every_option_by_its_short_name_and_never_by_its_id(shipped, lang):
    names = ("baseline-100", "satu-miliar-150", "proportional-150")
    options = (
        shipped if lang == "id" else cmp.project_options([config.SCENARIOS_DIR / f"{n}.yaml" for n in names], lang)
    )
    page = cp.summary_page_html(options, lang, include_css=False)
    text = _visible(page)
    for name in ("baseline-100", "satu-miliar-150", "proportional-150"):
        assert name not in page
    today, satu, proportional = SHORT_NAMES[lang]
    head = "".join(f"<th>{n}" for n in (satu, proportional))
    tag = "" if lang == "id" else "<br><small>(today)</small>"  # "Kebijakan sekarang" needs no "(sekarang)"
    assert f"<th>{today}{tag}</th>" in page and head in page.replace("</th>", "")  # the table's columns
    if lang == "id":
        assert "tarif iuran penuh. Pembanding: Kebijakan sekarang (100)." in text
        assert f"Dibanding kebijakan sekarang, {satu} dan {proportional} menambah 7.300 kuota" in text
        assert f"Angka dalam kurung: selisih dari {today}." in text
        assert f"cakupan ({satu} berbanding {proportional}) berbeda di 12 kecamatan" in text
    else:
        assert "full contribution rate. Baseline: Current policy (100)." in text
        assert f"{satu} and {proportional}: 7,300 more places than today" in text
        assert f"In brackets: the difference from {today}." in text
        assert f"<strong>{satu} and {proportional}</strong>: same places (21,900)" in html.unescape(page)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_chart_frames_and_legends_carry_the_short_names_with_the_baseline_first(lang):
    options = cmp.project_options(
        [config.SCENARIOS_DIR / f"{n}.yaml" for n in ("satu-miliar-150", "baseline-100", "proportional-150")], lang
    )
    today, satu, proportional = SHORT_NAMES[lang]
    assert list(cmp.option_frame(options, "funded_workers").columns) == [today, satu, proportional]
    assert list(cmp.option_list(options)["option"]) == [today, satu, proportional]
    fig = cc.kecamatan_dots(cmp.named_kecamatan_coverage(options, 2026), 2026, lang)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [today, satu, proportional]


def test_two_options_with_the_same_short_name_stay_apart_numbered():
    assert cmp.unique_names(["a", "b", "c"], {"a": "Opsi", "b": "Opsi"}) == ["Opsi", "Opsi (2)", "c"]


def test_a_run_s_short_name_comes_from_its_manifest_when_the_scenario_file_is_gone():
    entry = {"file": "data/scenarios/gone.yaml", "title": "T", "short_titles": {"id": "Pendek", "en": "Short"}}
    assert (cmp.scenario_short_title(entry, "id"), cmp.scenario_short_title(entry, "en")) == ("Pendek", "Short")
    assert cmp.scenario_short_title({"titles": {"id": "Judul"}}, "id") == "Judul"  # a manifest before short titles
