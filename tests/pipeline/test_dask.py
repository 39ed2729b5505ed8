"""The Dask executor: same run folders as the serial executor, same Monte Carlo sums, clear errors.

Uses a LocalCluster of two worker processes and two-cell copies of the report notebooks, so the
whole file runs in seconds.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

import touna_policy as tp
from touna_policy import config
from touna_policy.analysis import uncertainty
from touna_policy.cli import main
from touna_policy.pipeline import executors, runner

pytestmark = pytest.mark.slow  # real report runs and kernels: `make test` runs them, `make test-fast` skips them

SCENARIOS = [str(config.SCENARIOS_DIR / n) for n in ("baseline-100.yaml", "satu-miliar-150.yaml")]
VOLATILE = {"manifest.json", "report.html"}  # hold the run's time and id; notebooks compared by outputs


def _short_notebooks(folder: Path) -> Path:
    """The report notebooks' names, each a parameters cell and one cell writing key figures."""
    folder.mkdir()
    for name in runner.SCENARIO_NOTEBOOKS:
        nb = nbformat.v4.new_notebook()
        params = nbformat.v4.new_code_cell('scenario_path = ""\noutput_dir = ""\nseed = 1\nlang = "id"')
        params.metadata["tags"] = ["parameters"]
        work = nbformat.v4.new_code_cell(
            "import pandas as pd, touna_policy as tp\n"
            "from pathlib import Path\n"
            "r = tp.project(tp.load_scenario(scenario_path))\n"
            f"pd.DataFrame([r.key_figures()]).to_csv(Path(output_dir) / '{Path(name).stem}.csv', index=False)\n"
            "print(r.key_figures()['funded_workers'], seed)"
        )
        nb.cells = [params, work]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, folder / name)
    return folder


def _files(run_dir: Path) -> dict[str, str]:
    return {
        p.relative_to(run_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(run_dir.rglob("*"))
        if p.is_file()
    }


def test_dask_batch_writes_the_same_run_folders_as_the_serial_executor(tmp_path):
    nb_dir = _short_notebooks(tmp_path / "notebooks")
    common = {"jobs": 2, "progress": False, "comparison": False, "notebooks_dir": nb_dir}
    serial = runner.batch(SCENARIOS, tmp_path / "serial", executor="serial", **common)
    dask = runner.batch(SCENARIOS, tmp_path / "dask", executor="dask", **common)
    assert [r.status for r in dask.results] == ["complete", "complete"], runner.format_table(dask)
    for a, b in zip(serial.results, dask.results, strict=True):
        assert a.scenario == b.scenario
        assert Path(a.run_dir).name.split("-", 1)[1] == Path(b.run_dir).name.split("-", 1)[1]  # same fingerprint
        files_a, files_b = _files(Path(a.run_dir)), _files(Path(b.run_dir))
        assert files_a.keys() == files_b.keys()
        for name in files_a:
            if name.endswith(".ipynb"):
                outputs = [
                    [c.get("outputs") for c in nbformat.read(Path(r.run_dir) / name, as_version=4).cells]
                    for r in (a, b)
                ]
                assert outputs[0] == outputs[1], name
            elif name not in VOLATILE:
                assert files_a[name] == files_b[name], name
    figures = pd.read_csv(Path(dask.results[1].run_dir) / "03-budget.csv")
    assert figures["funded_workers"].tolist() == [21_900.0 * 0.95]  # paid up: arrears (uncertainty.yaml mean)


def test_national_monte_carlo_chunks_on_dask_give_bit_identical_sums():
    scenario = tp.load_scenario(config.SCENARIOS_DIR / "satu-miliar-150.yaml")
    setup = uncertainty.prepare(scenario, None, "kecamatan_code")
    draws = uncertainty.draw_inputs(setup, 40)
    here = uncertainty.simulate_chunked(setup, draws, cells=3_000)
    with executors.dask_executor(n_workers=2) as pool:
        there = uncertainty.simulate_chunked(setup, draws, executor=pool, cells=3_000)
    for name in uncertainty.TOTALS:
        assert np.array_equal(here.totals[name], there.totals[name]), name
    # arrears per village and month: 150 places x the months of 2026 each village pays, each month
    # with its own draw of the compliance factor as the probability (one class of 12 months a year:
    # Binomial(12, factor) months paid)
    from touna_policy.model.kernel import (
        QUANTILE_GRID,
        binomial_counts,
        class_uniforms,
        month_class_keys,
        village_uniforms,
    )

    k = setup.kernel
    factor = np.interp(village_uniforms(draws.keys[:1], k.village_key), QUANTILE_GRID, k.compliance_table)
    u = class_uniforms(draws.keys[:1], k.village_key, month_class_keys(np.array([2026]), 1))[:, 0, 0, :]
    months = binomial_counts(u, 12, np.minimum(factor, 1.0))
    assert here.totals["funded_workers"].sum(axis=0)[0, list(setup.years).index(2026)] == pytest.approx(
        150 * months.sum() / 12, rel=1e-12
    )


def test_unreachable_scheduler_fails_with_exit_1_and_says_how_to_start_one(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT_S", 1)
    code = main(
        [
            "batch",
            SCENARIOS[0],
            "--out",
            str(tmp_path / "out"),
            "--executor",
            "dask",
            "--scheduler",
            "tcp://127.0.0.1:9",
            "--quiet",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "could not reach the Dask scheduler at tcp://127.0.0.1:9" in err and "dask scheduler" in err


def test_scheduler_without_the_dask_executor_is_refused_with_exit_2(tmp_path, capsys):
    code = main(["batch", SCENARIOS[0], "--out", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:9"])
    assert code == 2
    assert "--executor dask" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
