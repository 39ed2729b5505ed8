"""The UCJ section of notebook 02 (touna_policy.report.ucj_tables) in both languages."""

from __future__ import annotations

from touna_policy.model.projection import ProjectionResult
from touna_policy.report import ucj_tables


def test_indonesian_segment_table_labels_every_estimated_row_and_uses_iuran(satu_miliar):
    t = ucj_tables.segment_display(satu_miliar, "id")
    assert list(t.columns) == ["segment", "real_at", "2024", "2025", "2026", "2035"]
    row = t.set_index("segment").loc["Pekerja informal, iuran dibayar desa (BPU)"]
    assert (row["real_at"], row["2024"], row["2025"]) == ("nyata (kabupaten)", "13.400", "14.600")
    pu = t.set_index("segment").loc["Penerima upah (PU)", "real_at"]
    assert pu == "PERKIRAAN (nyata di tingkat: provinsi)"
    text = " ".join(t["segment"]) + ucj_tables.read_table(satu_miliar, "id")
    assert "iuran" in text and "premi" not in text


def test_english_reading_quotes_the_2026_share_over_all_working_people(satu_miliar):
    text = ucj_tables.read_table(satu_miliar, "en")
    assert "in 2026" in text and "49.1%" in text and "1,883" in text and "dues" not in text


def test_target_statuses_in_both_languages(satu_miliar):
    en = ucj_tables.target_statuses(satu_miliar, "en").set_index("ucj_target")
    assert en.loc["Central Sulawesi target (71%)", "ucj_status"] == "not reached by 2035"
    idn = ucj_tables.target_statuses(satu_miliar, "id")
    assert idn["ucj_status"].tolist()[-1] == "belum tercapai sampai 2035"


def test_outside_central_sulawesi_the_section_says_it_is_not_available(satu_miliar):
    national = ProjectionResult(
        satu_miliar.scenario.model_copy(update={"area": "0"}), satu_miliar.inputs, satu_miliar.arrays
    )
    assert "not available" in ucj_tables.segment_display(national, "en").iloc[0, 0]
    assert ucj_tables.read_table(national, "en") == ""
