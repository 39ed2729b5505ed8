"""The explorer: widgets driven programmatically, figures checked against hand arithmetic."""

from __future__ import annotations

import json

import numpy as np
import pytest

import touna_policy as tp
from touna_policy import config
from touna_policy.cli import main as cli_main
from touna_policy.errors import InputError
from touna_policy.explorer import (
    ALLOCATION_RULES,
    READINGS,
    TOGGLES,
    ExplorerApp,
    ExplorerModel,
    explorer_figure,
    scenario_from_settings,
    settings_from_scenario,
    snapshot_figure,
)
from touna_policy.report import i18n

SATU = config.SCENARIOS_DIR / "satu-miliar-150.yaml"
BASELINE = config.SCENARIOS_DIR / "baseline-100.yaml"
PREMIUM_2027 = 201_600  # 12 x Rp 16,800 (JKK 10,000 + JKM 6,800)
VILLAGE_BUDGET = 146 * 1_000_000_000


@pytest.fixture
def app(tmp_path, inputs):
    return ExplorerApp(SATU, lang="id", save_dir=tmp_path, inputs=inputs)


def shown(app) -> str:
    return app.figures_html.value


def test_settings_read_from_satu_miliar_are_its_last_quota_step():
    s = settings_from_scenario(tp.load_scenario(SATU))
    assert (s.quota_desa, s.quota_kelurahan, s.change_year) == (150, 150, 2026)
    assert (s.payment_compliance_share, s.allocation_rule, s.coverage_growth_reading) == (
        1.0,
        "equal",
        "percentage_points",
    )
    assert s.target_year == 2026  # first year at full size and full rates (no relief for APBDes/APBD-paid places)


@pytest.mark.parametrize("path", [SATU, BASELINE])
def test_default_settings_reproduce_the_shipped_scenario_quota(path):
    base = tp.load_scenario(path)
    again = scenario_from_settings(base, settings_from_scenario(base))
    assert again.quota_per_village == base.quota_per_village
    a, b = tp.project(base).district, tp.project(again).district
    assert a["funded_workers"].tolist() == b["funded_workers"].tolist()
    assert a["premium_cost_idr"].tolist() == b["premium_cost_idr"].tolist()


def test_opening_shows_satu_miliar_2027_key_figures_in_indonesian(app):
    html = shown(app)
    assert "Angka kunci tahun 2026" in html
    assert "Rp 4,42 miliar" in html  # 21,900 x Rp 201,600
    assert "3,02%" in html  # desa: 20,100 x 201,600 of Rp 1 bn x 134
    assert "24.142 pekerja" in html and "39,4%" in html
    assert app.chart.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_english_explorer_formats_the_same_figures_in_english(tmp_path, inputs):
    html = shown(ExplorerApp(SATU, lang="en", save_dir=tmp_path, inputs=inputs))
    assert "Key figures for 2026" in html
    assert "IDR 4.42 billion" in html and "3.02%" in html and "24,142 workers" in html


def test_quota_per_desa_slider_200_raises_cost_to_28600_workers(app):
    app.controls["quota_desa"].value = 200
    v = app.model.view.result.villages
    v = v[v["year"] == 2026]
    desa, kelurahan = v[v["type"] == "desa"], v[v["type"] == "kelurahan"]
    # a desa fills at most its eligible workers: two desa have fewer than 200 in 2026
    assert (desa["eligible_workers"] < 200).sum() == 2 and (kelurahan["eligible_workers"] >= 150).all()
    places = np.minimum(200, desa["eligible_workers"]).sum() + 12 * 150  # 28,572.95
    assert app.model.view.key["funded_workers"] == pytest.approx(places * 0.95, rel=1e-12)  # paid up (arrears)
    assert app.model.view.key["premium_cost_idr"] == pytest.approx(places * PREMIUM_2027, rel=1e-12)
    assert "Rp 5,76 miliar" in shown(app)  # 5,760,306,485
    assert "4,03%" in shown(app)  # the desa's part of it over 134 x Rp 1 bn


def test_quota_per_kelurahan_slider(app):
    app.controls["quota_kelurahan"].value = 300
    assert app.model.view.key["premium_cost_idr"] == (134 * 150 + 12 * 300) * PREMIUM_2027


def test_change_year_after_target_year_shows_todays_100_per_village(app):
    app.controls["change_year"].value = 2028
    assert app.model.view.key["premium_cost_idr"] == 14_600 * PREMIUM_2027
    assert "Rp 2,94 miliar" in shown(app)  # baseline-100 in 2026: 14,600 x 201,600 (README)
    assert app.model.view.scenario.quota_per_village.desa == {2024: 100, 2028: 150}


def test_half_payment_compliance_halves_funded_workers_and_cost(app):
    app.controls["payment_compliance_share"].value = 0.5
    assert app.model.view.key["funded_workers"] == pytest.approx(10_950 * 0.95)  # and 0.95 of those paid up
    assert "Rp 2,21 miliar" in shown(app)  # 10,950 x 201,600 = 2,207,520,000
    # compliance applies from the change year: 2025 is untouched
    d = app.model.view.district.set_index("year")
    assert d.loc[2025, "funded_workers"] == 14_600


def test_proportional_rule_keeps_the_same_places_and_cost(app):
    assert "proportional" in ALLOCATION_RULES
    app.controls["allocation_rule"].value = "proportional"
    assert app.model.view.scenario.allocation_rule == "proportional"
    assert app.model.view.key["premium_cost_idr"] == pytest.approx(21_900 * PREMIUM_2027)
    assert "Rp 4,42 miliar" in shown(app)


def test_target_year_2027_shows_the_full_cost_as_2026_has_no_relief_by_default(app):
    app.controls["target_year"].value = 2027
    assert "Angka kunci tahun 2027" in shown(app)
    assert "Rp 4,42 miliar" in shown(app)  # 21,900 x 201,600: no relief for APBDes/APBD-paid places


def test_reading_toggle_changes_the_note_and_the_saved_scenario(app, tmp_path):
    assert set(READINGS) == {"relative", "percentage_points", "share_net_of_growth", "level"}
    assert "Bacaan poin persentase" in app.reading_html.value and "60.171 pekerja" in app.reading_html.value
    assert "Proyeksi memakai bacaan ini" in app.reading_html.value  # shipped: other_channels seed_calibration
    app.controls["coverage_growth_reading"].value = "relative"
    assert "Bacaan relatif" in app.reading_html.value and "60.171 pekerja" in app.reading_html.value  # 13,400 / 0.2227
    app.controls["coverage_growth_reading"].value = "level"
    assert "Bacaan tingkat" in app.reading_html.value
    path = app.save(tmp_path / "lv.yaml")
    assert tp.load_scenario(path).coverage_growth_reading == "level"


def test_reading_moves_the_figures_when_the_scenario_calibrates_other_channels_from_the_seed(tmp_path, inputs):
    from touna_policy.scenario import scenario_from_dict

    data = tp.load_scenario(SATU).model_dump()
    assert data["other_channels"]["source"] == "seed_calibration"  # shipped
    app = ExplorerApp(scenario_from_dict(data), lang="en", save_dir=tmp_path, inputs=inputs)
    points = app.model.view.key["covered_workers"]
    assert "The projection uses this reading" in app.reading_html.value
    app.controls["coverage_growth_reading"].value = "level"
    assert app.model.view.key["covered_workers"] != points
    assert app.model.view.key["premium_cost_idr"] == 21_900 * PREMIUM_2027  # the programme itself does not change


def test_each_change_redraws_the_chart(app):
    before = app.chart.value
    app.controls["quota_desa"].value = 250
    assert app.chart.value != before


def test_invalid_setting_shows_a_message_and_keeps_the_figures(app):
    before = shown(app)
    assert app.apply(quota_desa=200_000) is None
    assert "Pengaturan tidak valid" in app.status.value and "100000" in app.status.value
    assert shown(app) == before and app.model.settings.quota_desa == 150


def test_model_refuses_an_unknown_setting_with_the_nearest_name(inputs):
    model = ExplorerModel(SATU, inputs)
    with pytest.raises(InputError, match="quota_desa"):
        model.update(quota_dessa=10)


def test_save_button_writes_a_scenario_the_cli_accepts(app, tmp_path, capsys):
    app.controls["quota_desa"].value = 200
    app.controls["change_year"].value = 2027
    app.name.value = "rencana-200"
    app.save_button.click()
    path = tmp_path / "rencana-200.yaml"
    assert path.is_file() and "Tersimpan" in app.status.value
    saved = tp.load_scenario(path)
    assert saved.name == "rencana-200"
    assert saved.quota_per_village.desa == {2024: 100, 2027: 200}
    assert saved.quota_per_village.kelurahan == {2025: 100, 2027: 150}
    # the saved file reproduces the explorer's figure (desa with fewer than 200 eligible fill what they have)
    key = app.model.view.key
    assert tp.project(saved).key_figures(key["year"])["premium_cost_idr"] == key["premium_cost_idr"]
    assert cli_main(["validate", str(path)]) == 0
    out = tmp_path / "summary.csv"
    assert cli_main(["project", str(path), "--csv", str(out), "--quiet"]) == 0
    assert out.is_file()


def test_save_refuses_a_bad_name_and_writes_nothing(app, tmp_path):
    app.name.value = "Rencana Baru!"
    assert app.save() is None
    assert "Gagal menyimpan" in app.status.value
    assert list(tmp_path.glob("*.yaml")) == []


def test_pictures_have_both_charts(app):
    fig = explorer_figure(app.model.view, "id")
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles == ["Cakupan pekerja rentan", "Biaya iuran per tahun"]
    from matplotlib.text import Text

    texts = {t.get_text() for t in snapshot_figure(app.model.view, "en").findobj(Text)}
    assert {"24,142 workers", "39.4%", "IDR 4.42 billion", "3.02%"} <= texts


def test_explorer_notebook_has_a_parameters_cell_and_no_outputs():
    nb = json.loads((config.NOTEBOOKS_DIR / "explorer.ipynb").read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    for name in ("scenario_path", "output_dir", "seed", "lang"):
        assert name in "".join(tagged[0]["source"])
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    checked = [c for c in code if "".join(c["source"]).startswith("# NBVAL_CHECK_OUTPUT")]
    assert all(not c.get("outputs") for c in code if c not in checked)  # no volatile outputs committed
    assert len(checked) == 1 and "premium_cost_idr: Rp 4,42 miliar" in "".join(checked[0]["outputs"][0]["text"])


def test_every_allocation_rule_of_the_scenario_model_is_offered_with_a_translated_label(app):
    options = app.controls["allocation_rule"].options
    assert [value for _label, value in options] == list(ALLOCATION_RULES)
    labels = {v: k for k, v in options}
    assert labels["equal"] == "sama rata" and labels["proportional"] == "proporsional"
    for rule in ALLOCATION_RULES:
        app.controls["allocation_rule"].value = rule
        assert app.status.value == "" and app.model.view.scenario.allocation_rule == rule
        assert app.model.view.key["funded_workers"] <= 21_900 + 1e-6


# --- labels, inert toggles, HTML export --------------------------------------------------------


def test_save_button_is_wide_enough_for_simpan_sebagai_skenario_in_both_languages(app):
    longest = max(len(i18n.text("explorer.save", lang)) for lang in i18n.LANGUAGES)
    assert longest == len("Simpan sebagai skenario")
    assert app.save_button.layout.width == f"{longest + 5}ch"


def test_toggle_buttons_and_descriptions_fit_their_longest_label(app):
    for name, kind in (("allocation_rule", "rule"), ("coverage_growth_reading", "reading")):
        labels = [i18n.text(f"explorer.{kind}_{o}", lang) for o in TOGGLES[name] for lang in i18n.LANGUAGES]
        assert app.controls[name].style.button_width == f"{max(map(len, labels)) + 5}ch"
    assert int(app.controls["quota_desa"].style.description_width.removesuffix("ch")) > len("Bacaan angka 22,27%")


def test_with_real_kecamatan_data_and_the_seed_calibration_both_toggles_change_figures_and_carry_no_note(app):
    # kecamatan workforces differ (census blocks) and the shipped scenario calibrates from the seed
    assert app.model.options_differ("allocation_rule", ALLOCATION_RULES)
    assert app.model.options_differ("coverage_growth_reading", READINGS)
    assert all(note.value == "" for note in app.toggle_notes.values())


def test_reading_toggle_says_it_changes_no_figure_when_other_channels_are_assumptions(tmp_path, inputs):
    from touna_policy.scenario import scenario_from_dict

    data = tp.load_scenario(SATU).model_dump()
    data["other_channels"]["source"] = "assumption"  # the reading then feeds no figure
    app = ExplorerApp(scenario_from_dict(data), lang="en", save_dir=tmp_path, inputs=inputs)
    assert not app.model.options_differ("coverage_growth_reading", READINGS)
    assert "Changes no figure" in app.toggle_notes["coverage_growth_reading"].value
    assert app.toggle_notes["allocation_rule"].value == ""


def test_quota_option_would_differ_so_the_check_is_not_constant(app):
    assert app.model.options_differ("quota_desa", (100, 200))


def test_html_export_without_widget_state_shows_a_note_not_an_empty_box(app):
    bundle = app._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle  # JupyterLab shows the widgets
    assert "JupyterLab" in bundle["text/html"] and "<em>" in bundle["text/html"]  # nbconvert without state


def test_dead_control_names_are_gone():
    import touna_policy.explorer as explorer

    assert not hasattr(explorer, "CONTROL_NAMES")


def test_same_figures_ignores_summation_noise_but_not_a_worker():
    import pandas as pd

    from touna_policy.explorer import same_figures

    a = pd.DataFrame({"scenario": ["s"], "covered_workers": [23_088.0]})
    assert same_figures(a, a.assign(covered_workers=23_088.0 + 6.5e-11))
    assert not same_figures(a, a.assign(covered_workers=23_089.0))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_explorer_texts_show_no_keys_file_names_or_code_to_a_planner(lang):
    # "other_channels.source is seed_calibration" once reached the planner's screen
    import re

    from touna_policy.report import browser_check as bc

    texts = [v for k, v in i18n.catalogue(lang).items() if k.startswith("explorer.") and isinstance(v, str)]
    assert texts
    for text in texts:
        shown = re.sub(r"\{[^}]*\}", "12", text)  # placeholders are filled with figures
        assert bc.text_problems(f"<p>{shown}</p>") == [], text


def test_explorer_heading_shows_the_scenario_title_in_the_explorer_language(app):
    heading = app.box.children[0].value
    assert "150 pekerja per desa dan kelurahan" in heading and "workers" not in heading


def test_kecamatan_payment_slider_at_half_takes_walea_besar_s_paid_up_workers_to_half(app):
    # Walea Besar's 8 desa x 150 places: 0.95 -> 0.5 a month, 8 x 150 x 0.45 = 540 fewer paid-up workers
    assert app.payment_controls["probability"].value == 0.95  # the first kecamatan at the default
    app.payment_controls["kecamatan"].value = "Walea Besar"
    assert app.payment_controls["probability"].value == 0.95
    app.payment_controls["probability"].value = 0.5
    assert app.model.view.key["funded_workers"] == pytest.approx(20_805 - 540, rel=1e-12)
    assert app.model.view.scenario.payment_probability[-1].kecamatan == "Walea Besar"
    d = app.model.view.district.set_index("year")
    assert d.loc[2026, "active_workers"] == pytest.approx(20_805 - 540, rel=1e-12)
    assert d.loc[2025, "funded_workers"] == 14_600  # observed paid-up workers stay


def test_choosing_another_kecamatan_shows_its_own_probability_without_projecting_again(app):
    app.payment_controls["kecamatan"].value = "Walea Besar"
    app.payment_controls["probability"].value = 0.5
    view = app.model.view
    app.payment_controls["kecamatan"].value = "Togean"
    assert app.payment_controls["probability"].value == 0.95 and app.model.view is view
    app.payment_controls["kecamatan"].value = "Walea Besar"
    assert app.payment_controls["probability"].value == 0.5


def test_saved_scenario_keeps_the_kecamatan_payment_probability(app, tmp_path):
    app.payment_controls["kecamatan"].value = "Togean"
    app.payment_controls["probability"].value = 0.8
    path = app.save(tmp_path / "togean.yaml")
    entries = tp.load_scenario(path).payment_probability
    assert [(e.kecamatan, e.probability_per_month) for e in entries] == [("Togean", 0.8)]
