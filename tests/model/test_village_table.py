"""The village-by-year table as CSV (pandas' bytes, formatted by Arrow) and as Parquet (the same numbers)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from touna_policy import config
from touna_policy.cli import main
from touna_policy.io import atomic_write_csv
from touna_policy.model import village_table

SATU = config.SCENARIOS_DIR / "satu-miliar-150.yaml"


def pandas_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.6f").encode()


def test_fixed_decimals_rounds_like_percent_format_at_ties_signs_and_extremes():
    values = np.array(
        [0.0078125, 1 / 128 * 3, 0.1234565, 2.5e-6, -0.0, -1e-9, 1e-300, 4.5e15, 2.0**53, 1e300, np.inf, -np.inf, 1.5]
    )
    assert village_table.fixed_decimals(values).to_pylist() == [f"{v:.6f}" for v in values]


def test_fixed_decimals_writes_nan_as_an_empty_cell_as_pandas_does():
    assert village_table.fixed_decimals(np.array([np.nan, 2.0])).to_pylist() == ["", "2.000000"]


def test_csv_bytes_quote_names_with_commas_quotes_and_line_breaks_as_pandas_does():
    frame = pd.DataFrame(
        {
            "village": pd.array(["Bone, Baru", 'Kampung "Lama"', "Dua\nBaris", "", None, "Ampana"], dtype="str"),
            "year": [2023, 2024, 2025, 2026, 2027, 2028],
            "share": [0.5, np.nan, -0.0, 1 / 3, 2.0**53, 0.0078125],
            "estimated": [True, False, True, False, True, False],
        }
    )
    assert bytes(village_table.csv_bytes(frame, header=True)) == pandas_csv(frame)


def test_csv_bytes_match_pandas_for_random_values_over_many_magnitudes():
    rng = np.random.default_rng(7)
    values = rng.uniform(-1, 1, 20_000) * 10.0 ** rng.integers(-10, 14, 20_000)
    frame = pd.DataFrame({"value_idr": values, "rounded": values.round(7)})
    assert bytes(village_table.csv_bytes(frame, header=False)) == pandas_csv(frame).split(b"\n", 1)[1]


def test_village_csv_keeps_the_bytes_of_pandas_whole_frame_csv(tmp_path, satu_miliar):
    whole = atomic_write_csv(tmp_path / "whole.csv", satu_miliar.villages)
    fast = village_table.write_villages_csv(tmp_path / "fast.csv", satu_miliar, chunk_villages=37)
    assert fast.read_bytes() == whole.read_bytes()


def test_parquet_holds_the_same_numbers_and_types_as_the_village_frame(tmp_path, satu_miliar):
    path = village_table.write_villages(tmp_path / "villages.parquet", satu_miliar, chunk_villages=50)
    back = pd.read_parquet(path)
    pd.testing.assert_frame_equal(back, satu_miliar.villages, check_exact=True)
    assert not list(tmp_path.glob(".*.tmp"))  # written through a temporary file, renamed into place


def test_parquet_and_csv_of_one_run_agree_to_the_csv_six_decimals(tmp_path, satu_miliar):
    parquet = pd.read_parquet(village_table.write_villages(tmp_path / "v.parquet", satu_miliar))
    csv = pd.read_csv(village_table.write_villages(tmp_path / "v.csv", satu_miliar), dtype={"code": str})
    numbers = parquet.select_dtypes("number").columns
    np.testing.assert_allclose(csv[numbers].to_numpy(), parquet[numbers].to_numpy(), rtol=0, atol=5e-7)
    assert csv["code"].tolist() == parquet["code"].tolist()


def test_cli_project_writes_parquet_for_a_parquet_name(tmp_path):
    out = tmp_path / "villages.parquet"
    assert main(["project", str(SATU), "--villages", str(out), "--quiet"]) == 0
    table = pd.read_parquet(out)
    assert len(table) == 146 * 13
    assert table.loc[table["year"] == 2026, "quota_places"].sum() == pytest.approx(21_900)  # 146 x 150


def test_cli_refuses_a_parquet_output_through_a_symlink_to_the_scenario(tmp_path, capsys):
    scenario = tmp_path / "satu.yaml"
    scenario.write_bytes(SATU.read_bytes())
    link = tmp_path / "villages.parquet"
    link.symlink_to(scenario)
    assert main(["project", str(scenario), "--villages", str(link), "--quiet"]) == 2
    assert "--villages" in capsys.readouterr().err
    assert scenario.read_bytes() == SATU.read_bytes()


def test_cli_refuses_a_parquet_output_that_is_a_folder(tmp_path, capsys):
    folder = tmp_path / "out.parquet"
    folder.mkdir()
    assert main(["project", str(SATU), "--villages", str(folder), "--quiet"]) == 2
    assert "a folder" in capsys.readouterr().err
