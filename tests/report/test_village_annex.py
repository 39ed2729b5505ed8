"""The village annex a Camat can photocopy: one table per kecamatan, every desa and kelurahan with its
places, payer, cost and coverage; estimated columns marked in the header."""

from __future__ import annotations

from touna_policy.report import village_annex as va

YEAR = 2026


def test_twelve_kecamatan_tables_list_all_146_villages(satu_miliar):
    tables = va.village_tables(satu_miliar, YEAR)
    assert len(tables) == 12
    assert sum(len(v) for _, v in tables) == 146
    assert tables[0][0] == "Una Una" and len(tables[0][1]) == 11


def test_taningkola_2026_shows_150_places_paid_from_the_apbdes_at_rp_30_24_million(satu_miliar):
    name, villages = va.village_tables(satu_miliar, YEAR)[0]
    html = va.kecamatan_table_html(name, villages, "id")
    assert (
        "<tr><td>Taningkola</td><td>Desa</td><td>150</td><td>APBDes</td><td>30.240.000</td>"
        "<td>320</td><td>49,2%</td></tr>"
    ) in html


def test_a_kelurahan_is_paid_from_the_district_apbd(satu_miliar):
    kel = [v[v["type"] == "kelurahan"] for _, v in va.village_tables(satu_miliar, YEAR)]
    payers = {p for k in kel for p in k["payer"]}
    assert payers == {"apbd"}
    assert "<td>Kelurahan</td><td>150</td><td>District APBD</td>" in va.village_annex_html(satu_miliar, YEAR, "en")


def test_estimated_columns_are_marked_in_the_header_and_the_scenario_columns_are_not():
    assert va.headers("id", estimated=True) == [
        "Desa/kelurahan",
        "Jenis",
        "Kuota",
        "Pembayar",
        "Biaya iuran setahun (Rp)",
        "Pekerja rentan (estimasi)",
        "Cakupan (estimasi)",
    ]
    assert "(estimated)" not in " ".join(va.headers("en", estimated=False))


def test_the_kecamatan_total_sums_places_and_cost_and_divides_covered_by_eligible(satu_miliar):
    _, villages = va.village_tables(satu_miliar, YEAR)[0]
    total = va.total_row(villages)
    assert total["quota_places"] == 11 * 150
    assert total["premium_cost_idr"] == 11 * 30_240_000
    assert abs(total["coverage_share"] - villages["covered_workers"].sum() / villages["eligible_workers"].sum()) < 1e-12


def test_the_annex_prints_one_section_per_kecamatan_kept_on_one_page(satu_miliar):
    html = va.village_annex_html(satu_miliar, YEAR, "id")
    assert html.count("<section>") == 12
    assert "break-inside: avoid" in html
    assert "Kecamatan Ampana Kota: 10 desa/kelurahan" in html
