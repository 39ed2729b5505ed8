"""Report notebooks, their parameter check, their tables, narrative and charts (no kernel needed)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import touna_policy as tp
from touna_policy import config
from touna_policy.errors import InputError
from touna_policy.pipeline.notebook_params import KNOWN_PARAMETERS, check_parameters, declared_parameters
from touna_policy.pipeline.runner import COMPARISON_NOTEBOOK, SCENARIO_NOTEBOOKS
from touna_policy.report import charts as plots
from touna_policy.report import i18n, narrative
from touna_policy.report import tables as rt

REPORT_NOTEBOOKS = [config.NOTEBOOKS_DIR / n for n in (*SCENARIO_NOTEBOOKS, COMPARISON_NOTEBOOK)]
SATU = str(config.SCENARIOS_DIR / "satu-miliar-150.yaml")


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _src(cell):
    return "".join(cell["source"])


# ---------------------------------------------------------------------------------------------
# The notebooks as committed
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", REPORT_NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_one_parameters_cell_with_the_common_parameters(path):
    tagged = [c for c in _cells(path) if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    declared = declared_parameters(path)
    assert {"scenario_path", "output_dir", "seed", "lang"} <= set(declared)
    assert set(declared) <= set(KNOWN_PARAMETERS)
    assert declared["output_dir"] == "" and declared["lang"] == "id"


@pytest.mark.parametrize("path", REPORT_NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_committed_without_volatile_outputs(path):
    checked = 0
    for cell in _cells(path):
        if cell["cell_type"] != "code":
            continue
        if _src(cell).startswith("# NBVAL_CHECK_OUTPUT"):
            checked += 1
            assert cell["outputs"], "a checked cell keeps its reference output"
            assert all(o["output_type"] == "stream" for o in cell["outputs"])
        else:
            assert cell["outputs"] == [] and cell["execution_count"] is None
    assert checked >= 1, "every report notebook checks at least one key figure under nbval"


def test_budget_notebook_reference_output_holds_the_published_figures():
    # 21,900 places x 201,600 = 4,415,040,000 in 2026 (no relief for APBDes- or APBD-paid places) and 2027;
    # 20,805 = 21,900 x 0.95 paid up (arrears at the compliance factor's central value)
    out = "".join(
        "".join(o["text"])
        for c in _cells(config.NOTEBOOKS_DIR / "03-budget.ipynb")
        if _src(c).startswith("# NBVAL_CHECK_OUTPUT")
        for o in c["outputs"]
    )
    assert "year 2026 | premium_per_worker_year_idr 201600 | funded_workers 20805 | premium_cost_idr 4415040000" in out
    assert "year 2027 | premium_per_worker_year_idr 201600 | funded_workers 20805 | premium_cost_idr 4415040000" in out


@pytest.mark.parametrize("path", REPORT_NOTEBOOKS, ids=lambda p: p.name)
def test_every_catalogue_key_a_notebook_uses_exists_in_both_languages(path):
    keys = set()
    for cell in _cells(path):
        keys |= set(re.findall(r'\bT\("([a-z_.]+)"', _src(cell)))
    assert keys
    for lang in i18n.LANGUAGES:
        missing = keys - set(i18n.catalogue(lang))
        assert not missing, f"{lang}: {sorted(missing)}"


# ---------------------------------------------------------------------------------------------
# Parameter check (papermill only warns; we refuse)
# ---------------------------------------------------------------------------------------------


def _params(**extra):
    return {"scenario_path": SATU, "output_dir": "", "seed": 1, "lang": "id", **extra}


def test_misspelled_parameter_is_refused_with_the_nearest_name():
    params = _params()
    params["sed"] = params.pop("seed")
    with pytest.raises(InputError) as err:
        check_parameters(REPORT_NOTEBOOKS[1], params)
    assert "unknown parameter 'sed'" in str(err.value) and "did you mean 'seed'?" in str(err.value)


def test_comparison_parameter_is_refused_by_a_scenario_notebook():
    with pytest.raises(InputError, match="unknown parameter 'run_dirs'"):
        check_parameters(REPORT_NOTEBOOKS[0], _params(run_dirs=[]))


@pytest.mark.parametrize(
    "bad, fragment",
    [
        ({"seed": "42"}, "parameter 'seed'"),
        ({"seed": -1}, "greater than or equal to 0"),
        ({"lang": "fr"}, "parameter 'lang'"),
        ({"output_dir": 3}, "output_dir"),
    ],
)
def test_parameter_of_the_wrong_type_or_range_is_refused(bad, fragment):
    with pytest.raises(InputError, match=re.escape(fragment)):
        check_parameters(REPORT_NOTEBOOKS[0], _params(**bad))


def test_valid_parameters_come_back_with_the_declared_defaults():
    values = check_parameters(config.NOTEBOOKS_DIR / COMPARISON_NOTEBOOK, {"scenario_path": SATU, "seed": 7})
    assert values == {"scenario_path": SATU, "output_dir": "", "seed": 7, "lang": "id", "run_dirs": []}


# ---------------------------------------------------------------------------------------------
# Tables and narrative
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def satu():
    scenario = tp.load_scenario(SATU)
    inputs = tp.load_inputs(scenario.area)
    return scenario, inputs, tp.project(scenario, inputs)


def test_registry_by_kecamatan_total_row_is_the_district(satu):
    _, inputs, _ = satu
    table = rt.registry_by_kecamatan(inputs.villages)
    total = table.iloc[-1]
    assert (total["desa"], total["kelurahan"]) == (134, 12)  # 134 desa + 12 kelurahan = 146
    assert total["vulnerable_workers"] == inputs.villages["vulnerable_workers"].sum()
    assert len(rt.registry_by_kecamatan(inputs.villages, total=False)) == 12


def test_rate_schedule_shows_the_relief_year(satu):
    scenario, inputs, _ = satu
    s = rt.rate_schedule(scenario, inputs).set_index("year")
    assert s.at[2026, "premium_per_worker_year_idr"] == 126_000  # 3 x 16,800 + 9 x 8,400
    assert s.at[2026, "relief_months"] == 9
    assert s.at[2027, "premium_per_worker_year_idr"] == 201_600  # 12 x 16,800
    assert rt.relief_years(s.reset_index()) == [2026]
    monthly = rt.monthly_premium(scenario, inputs, [2025, 2026, 2027])
    assert rt.relief_span(monthly) == pytest.approx((2026 + 3 / 12, 2027.0))  # April to December 2026


def test_milestones_are_the_seed_figures(satu):
    _, _, result = satu
    assert rt.quota_milestones(result).values.tolist() == [[2024, 13400], [2025, 14600], [2026, 21900]]
    reported = rt.reported_milestones("72.09")
    assert reported[["year", "funded_workers"]].values.tolist() == [[2024, 13400], [2025, 14600]]
    assert rt.target_year(result) == 2026 and rt.report_years(result) == [2024, 2025, 2026, 2027, 2035]


def test_budget_by_type_per_village_premium_and_share(satu):
    _, _, result = satu
    t = rt.budget_by_type(result, 2027).set_index("type")
    assert t.at["desa", "premium_cost_idr_per_village"] == 30_240_000  # 150 x 201,600
    assert t.at["desa", "budget_share"] == pytest.approx(0.03024)  # of Rp 1,000,000,000
    assert t.at["kelurahan", "villages"] == 12
    assert narrative.budget_year(result) == 2026  # no relief for APBDes/APBD-paid places by default (issue 11)


def test_comparison_years_and_text_of_the_shipped_scenarios():
    district = rt.project_scenarios(tp.scenario.shipped_scenarios())
    assert rt.comparison_years(district) == [2024, 2025, 2026, 2027, 2035]
    assert rt.focus_year(district) == 2027
    text = rt.comparison_text(district, [2027])
    # funded workers are the paid-up ones: 0.95 of the places after the observed years (arrears)
    assert "2027 satu-miliar-150: funded_workers 20805 | premium_cost_idr 4415040000 | budget_share 0.0302" in text
    assert "2027 baseline-100: funded_workers 13870 | premium_cost_idr 2943360000 | budget_share n/a" in text


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_narrative_fills_every_placeholder_in_both_languages(satu, lang):
    scenario, inputs, result = satu
    schedule = rt.rate_schedule(scenario, inputs)
    district = rt.project_scenarios([SATU])
    texts = [
        narrative.registry(inputs, lang),
        narrative.workforce(inputs, lang),
        narrative.method(inputs, lang),
        narrative.assumptions(inputs, lang),
        narrative.rates(schedule, scenario, lang),
        narrative.coverage_key(result, lang),
        narrative.coverage_shares(result, lang),
        narrative.coverage_district(result, rt.reported_milestones("72.09"), lang),
        narrative.coverage_kecamatan(result, 2026, lang),
        narrative.budget_district(result, schedule, lang),
        narrative.budget_share(result, lang),
        narrative.budget_kecamatan(result, 2027, lang),
        narrative.comparison_intro(district, lang),
    ]
    for t in texts:
        assert t and "{" not in t and "}" not in t
    money = "Rp 4,42 miliar" if lang == "id" else "IDR 4.42 billion"
    assert money in narrative.budget_district(result, schedule, lang)


def test_display_table_headers_and_numbers_follow_the_language(satu):
    _, _, result = satu
    frame = rt.budget_by_type(result, 2027)
    en, id_ = rt.display_table(frame, "en"), rt.display_table(frame, "id")
    assert "Premium per village" in en.columns and "Iuran per desa" in id_.columns
    # kelurahan have no village budget: their places are paid from the APBD line (apbd_budget_share)
    assert en["Share of budget"].tolist() == ["3.02%", "–"] and id_["Bagian anggaran"].tolist() == ["3,02%", "–"]


def test_scenario_text_is_escaped_for_markdown_and_html():
    assert rt.escape("<script>alert(1)</script> *x*") == "&lt;script&gt;alert(1)&lt;/script&gt; \\*x\\*"


def test_write_tables_writes_nothing_without_an_output_dir(tmp_path, satu):
    _, _, result = satu
    assert rt.write_tables("", {"a.csv": result.district}) == []
    assert [p.name for p in rt.write_tables(tmp_path, {"a.csv": result.district})] == ["a.csv"]
    with pytest.raises(ValueError):
        rt.write_tables(tmp_path, {"../a.csv": result.district})


# ---------------------------------------------------------------------------------------------
# House-style charts
# ---------------------------------------------------------------------------------------------


def _chart():
    fig, ax = plots.figure()
    plots.line_chart(ax, [2024, 2025], {"a": [1, 2], "b": [2, 3]}, title="t", xlabel="x", ylabel="y")
    plots.axis_format(ax, "share", "id")
    return fig


def test_same_chart_gives_the_same_png_bytes():
    a, b = plots.to_png(_chart()), plots.to_png(_chart())
    assert a[:8] == b"\x89PNG\r\n\x1a\n" and a == b


def test_show_saves_the_named_figure_and_refuses_a_path(tmp_path):
    plots.show(_chart(), "coverage-district", tmp_path)
    assert (tmp_path / "figures" / "coverage-district.png").stat().st_size > 1000
    with pytest.raises(ValueError, match="figure name"):
        plots.show(_chart(), "../escape", tmp_path)


def test_axis_format_uses_the_language():
    fig, ax = plots.figure()
    plots.bar_chart(ax, ["a"], [21900], title="t")
    plots.axis_format(ax, "workers", "id")
    assert ax.yaxis.get_major_formatter()(21900, 0) == "21.900"
    plots.axis_format(ax, "money", "en", scale=1e9, decimals=1)
    assert ax.yaxis.get_major_formatter()(4.415e9, 0) == "4.4"
    with pytest.raises(ValueError):
        plots.axis_format(ax, "percent")


def test_fan_chart_draws_bands_and_median():
    fig, ax = plots.figure()
    x = np.arange(2024, 2030)
    plots.fan_chart(
        ax, x, x * 1.0, [(x - 2.0, x + 2.0, "90 %"), (x - 1.0, x + 1.0, "50 %")], title="t", median_label="median"
    )
    assert len(ax.collections) == 2 and len(ax.lines) == 1


def test_a_default_computed_in_the_parameters_cell_is_not_reported_missing():
    # scenario_path's default is computed from touna_policy.config, so it is not a literal
    values = check_parameters(config.NOTEBOOKS_DIR / "02-coverage-projection.ipynb", {"seed": 3})
    assert values == {"output_dir": "", "seed": 3, "lang": "id"}


def test_a_mistyped_parameter_says_what_was_expected_in_plain_words():
    with pytest.raises(InputError, match=r"parameter 'seed': found 'abc'; expected a valid integer"):
        check_parameters(config.NOTEBOOKS_DIR / "02-coverage-projection.ipynb", {"seed": "abc"})
