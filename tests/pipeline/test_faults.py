"""Faults: killed processes, failed writes and hostile text never cost a planner a report.

The batch tests (SIGKILL midway, --resume, failing notebooks, timeouts) run the real runner in a
subprocess; they are in the second half of this file.
"""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

import touna_policy as tp
from touna_policy import io as tio
from touna_policy.scenario import scenario_from_dict

BASE = {"name": "fault", "title": "fault test", "quota_per_village": {"desa": {2024: 100}, "kelurahan": {2025: 100}}}


# ------------------------------------------------------------------------------------------------
# atomic writes
# ------------------------------------------------------------------------------------------------


def test_failed_rename_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "summary.csv"
    target.write_text("old report\n", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tio.os, "replace", broken_replace)
    with pytest.raises(tio.WriteError, match=f"{target}: could not write the file: No space left on device"):
        tio.atomic_write_csv(target, pd.DataFrame({"year": [2026], "funded_workers": [21_900]}))
    assert target.read_text(encoding="utf-8") == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.csv"]


def test_error_while_building_the_text_does_not_touch_the_file(tmp_path):
    target = tmp_path / "manifest.json"
    target.write_text('{"ok": true}\n', encoding="utf-8")

    class Unserialisable:
        def __str__(self):
            raise RuntimeError("cannot format")

    with pytest.raises(RuntimeError):
        tio.atomic_write_json(target, {"bad": Unserialisable()})
    assert target.read_text(encoding="utf-8") == '{"ok": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]


@pytest.mark.parametrize("writer", ["atomic_write_text", "atomic_write_json", "atomic_write_csv"])
def test_writers_replace_the_whole_file(tmp_path, writer):
    target = tmp_path / "out"
    target.write_text("x" * 10_000, encoding="utf-8")
    value = {
        "atomic_write_text": "short\n",
        "atomic_write_json": {"a": 1},
        "atomic_write_csv": pd.DataFrame({"a": [1.5]}),
    }[writer]
    getattr(tio, writer)(target, value)
    assert len(target.read_bytes()) < 100
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


WRITER = textwrap.dedent("""
    import sys
    from touna_policy.io import atomic_write_bytes
    path = sys.argv[1]
    blocks = [b"a" * 4_000_000, b"b" * 4_000_000]
    n = 0
    print("ready", flush=True)
    while True:
        atomic_write_bytes(path, blocks[n % 2])
        n += 1
""")


def test_sigkill_during_writes_leaves_a_whole_old_or_new_file(tmp_path):
    """Kill a process that keeps rewriting a 4 MB file: the file is always one whole version."""
    target = tmp_path / "report.html"
    target.write_bytes(b"a" * 4_000_000)
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(0.4)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    content = target.read_bytes()
    assert content in (b"a" * 4_000_000, b"b" * 4_000_000)


# ------------------------------------------------------------------------------------------------
# hostile text from scenario files
# ------------------------------------------------------------------------------------------------

SCRIPT_TITLE = '<script>alert("x")</script> & <b>bold</b>'


def test_scenario_title_is_escaped_on_the_html_front_page(inputs):
    from touna_policy.report.frontpage import front_page_html

    scenario = scenario_from_dict({**BASE, "title": SCRIPT_TITLE, "description": "<img src=x onerror=alert(1)>"})
    page = front_page_html(tp.project(scenario, inputs), "en")
    assert "<script>" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page


def test_markdown_escape_neutralises_html_and_markdown():
    from touna_policy.report.tables import escape

    text = escape(SCRIPT_TITLE + " [link](javascript:alert(1)) | *x*")
    assert "<" not in text and ">" not in text
    assert "[link](" not in text and r"\[link\](javascript" in text


@pytest.mark.parametrize("name", ["../outside", "a/b", "/abs", "..", ".hidden", "x" * 65, "Satu Miliar", "nul\x00"])
def test_scenario_names_that_could_leave_the_output_folder_are_refused(name):
    with pytest.raises(tp.InputError) as info:
        scenario_from_dict({**BASE, "name": name})
    assert "key 'name'" in str(info.value)


# ------------------------------------------------------------------------------------------------
# batches: SIGKILL midway, --resume, failing notebooks (real runner, real subprocesses)
# ------------------------------------------------------------------------------------------------

runner = pytest.importorskip("touna_policy.pipeline.runner", reason="the issue-3 runner is not there yet")
if not hasattr(runner, "batch"):  # pragma: no cover
    pytest.skip("the runner has no batch yet", allow_module_level=True)

import json  # noqa: E402

from touna_policy import config  # noqa: E402
from touna_policy.pipeline.verify import verify_run  # noqa: E402


def _scenario_copy(folder: Path, name: str, base: str = "baseline-100", **changes) -> Path:
    """A shipped scenario under another name (and other keys), in ``folder``."""
    import yaml

    data = yaml.safe_load((config.SCENARIOS_DIR / f"{base}.yaml").read_text(encoding="utf-8"))
    data.update(name=name, **changes)
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _complete_runs(out: Path, name: str) -> list[Path]:
    base = out / name
    if not base.is_dir():
        return []
    runs = []
    for d in sorted(base.iterdir()):
        manifest = d / "manifest.json"
        if d.is_dir() and not d.name.startswith(".") and manifest.is_file():
            with contextlib.suppress(ValueError):
                if json.loads(manifest.read_text(encoding="utf-8")).get("status") == "complete":
                    runs.append(d)
    return runs


def _outputs_intact(run_dir: Path) -> bool:
    """Every output file recorded in the run's manifest is there with its recorded checksum."""
    outputs = [c for c in verify_run(run_dir) if c.role == "output"]
    assert any(c.path == "report.html" for c in outputs) and any(c.path == "summary.csv" for c in outputs)
    return all(c.status == "ok" for c in outputs)


def _kill_tree(proc: subprocess.Popen) -> None:
    """SIGKILL the batch process and every process it started (pool workers, kernels), by pid."""
    import psutil

    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    proc.send_signal(signal.SIGKILL)
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    psutil.wait_procs(children, timeout=30)


def _run_bounded(cmd: list[str], cwd: Path, limit: float) -> subprocess.CompletedProcess:
    """Run ``cmd``; past ``limit`` seconds kill it and everything it started, and fail (never hang the suite)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd)
    try:
        stdout, stderr = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        _kill_tree(proc)
        stdout, stderr = proc.communicate()
        pytest.fail(f"`{' '.join(cmd[:4])}...` still running after {limit:.0f} s (killed):\n{stdout}\n{stderr}")
    return subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)


@pytest.mark.slow
def test_sigkill_midway_keeps_finished_reports_and_resume_runs_only_the_missing(tmp_path):
    """Kill a real `touna-policy batch` as soon as its first report is complete, then `--resume`."""
    scenarios = [_scenario_copy(tmp_path, "fault-a"), _scenario_copy(tmp_path, "fault-b")]
    out = tmp_path / "reports"
    cmd = [
        sys.executable,
        "-m",
        "touna_policy",
        "batch",
        *map(str, scenarios),
        "--out",
        str(out),
        "--jobs",
        "1",
        "--quiet",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
    try:
        limit = time.monotonic() + 240
        while not _complete_runs(out, "fault-a"):
            assert proc.poll() is None, "the batch ended before it could be killed"
            assert time.monotonic() < limit, "no report finished within 240 s"
            time.sleep(0.1)
    finally:
        _kill_tree(proc)
    assert proc.returncode == -signal.SIGKILL
    [first] = _complete_runs(out, "fault-a")
    assert _complete_runs(out, "fault-b") == []  # killed midway through the second run
    before = {p.relative_to(first): p.read_bytes() for p in first.rglob("*") if p.is_file()}
    assert _outputs_intact(first)

    resumed = _run_bounded(cmd + ["--resume"], tmp_path, limit=400)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert _complete_runs(out, "fault-a") == [first]  # not run again
    assert len(_complete_runs(out, "fault-b")) == 1  # run exactly once
    table = resumed.stdout
    assert re.search(r"fault-a\s+skipped", table) and re.search(r"fault-b\s+complete", table)
    after = {p.relative_to(first): p.read_bytes() for p in first.rglob("*") if p.is_file()}
    assert after == before
    assert _outputs_intact(_complete_runs(out, "fault-b")[0])


PARAMETERS_CELL = 'scenario_path = ""\noutput_dir = ""\nseed = 20250626\nlang = "id"\n'
FAULTY_CELL = """
import touna_policy as tp
name = tp.load_scenario(scenario_path).name
if name.endswith("raises"):
    raise ValueError("boom in the notebook")
if name.endswith("dies"):
    import os
    os._exit(9)
if name.endswith("hangs"):
    import time
    time.sleep(120)
print(name, "ok")
"""


def _notebooks(folder: Path) -> Path:
    """Report notebooks whose first one raises, kills its kernel or hangs, by scenario name."""
    import nbformat

    folder.mkdir()
    for n, name in enumerate(runner.SCENARIO_NOTEBOOKS):
        nb = nbformat.v4.new_notebook()
        params = nbformat.v4.new_code_cell(PARAMETERS_CELL)
        params.metadata["tags"] = ["parameters"]
        nb.cells = [params, nbformat.v4.new_code_cell(FAULTY_CELL if n == 0 else "print('next')")]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, folder / name)
    return folder


BATCH = textwrap.dedent("""
    import json, sys
    from touna_policy.pipeline.runner import batch, format_table
    scenarios, out, notebooks, timeout = json.loads(sys.argv[1])
    result = batch(scenarios, out, jobs=2, timeout=timeout, notebooks_dir=notebooks, progress=False,
                   comparison=False)
    print(format_table(result))
    print(json.dumps([r.__dict__ for r in result.results]))
    sys.exit(1 if result.failed else 0)
""")


@pytest.mark.slow
def test_a_raising_dying_or_hanging_notebook_fails_only_its_own_run(tmp_path):
    names = ["fault-ok", "fault-raises", "fault-dies", "fault-hangs"]
    scenarios = [str(_scenario_copy(tmp_path, n)) for n in names]
    notebooks = _notebooks(tmp_path / "notebooks")
    out = tmp_path / "reports"
    proc = _run_bounded(
        [sys.executable, "-c", BATCH, json.dumps([scenarios, str(out), str(notebooks), 20])], tmp_path, limit=300
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    results = {r["scenario"]: r for r in json.loads(proc.stdout.strip().splitlines()[-1])}
    assert results["fault-ok"]["status"] == "complete"
    assert len(_complete_runs(out, "fault-ok")) == 1
    expected = {"fault-raises": "ValueError: boom in the notebook", "fault-dies": "kernel died", "fault-hangs": "time"}
    for name, fragment in expected.items():
        r = results[name]
        assert r["status"] == "failed", name
        assert "01-data-overview.ipynb" in r["error"] and fragment in r["error"], (name, r["error"])
        failed = Path(r["run_dir"])
        assert failed.name.endswith(".failed") and failed.parent == out / name
        assert (failed / "01-data-overview.ipynb").is_file()  # the failed notebook, where the table says
        assert _complete_runs(out, name) == []
    table = proc.stdout
    assert "1 succeeded, 3 failed" in table
    assert str(Path(results["fault-raises"]["run_dir"])) in table


@pytest.mark.slow
def test_scenario_text_is_escaped_in_the_html_report_of_a_real_run(tmp_path):
    scenario = _scenario_copy(
        tmp_path,
        "fault-html",
        title='<script>alert("title")</script> Satu & Dua',
        description="<img src=x onerror=alert(1)> **bold**",
    )
    result = runner.run(scenario, tmp_path / "reports")
    page = (Path(result.run_dir) / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(" in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_run_folders_cannot_be_placed_outside_the_output_folder(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    for name in ["../escape", "a/b", "..", ".hidden", "/abs", "link"]:
        with pytest.raises(tp.InputError):
            runner.safe_child(out, name)
    assert runner.safe_child(out, "satu-miliar-150") == out / "satu-miliar-150"
    run_id = runner.new_run_id(out, "0123456789abcdef")
    assert re.fullmatch(r"\d{8}T\d{6}Z-01234567", run_id)


RUN_WITH_NOTEBOOKS = textwrap.dedent("""
    import sys
    from touna_policy import config
    from touna_policy.cli import main
    config.NOTEBOOKS_DIR = sys.argv[1]
    sys.exit(main(["run", sys.argv[2], "--out", sys.argv[3]]))
""")


@pytest.mark.slow
def test_ctrl_c_during_a_run_exits_130_and_says_it_was_interrupted(tmp_path):
    scenario = _scenario_copy(tmp_path, "fault-hangs")
    notebooks = _notebooks(tmp_path / "notebooks")
    out = tmp_path / "reports"
    cmd = [sys.executable, "-c", RUN_WITH_NOTEBOOKS, str(notebooks), str(scenario), str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        limit = time.monotonic() + 120
        while not list(out.glob("fault-hangs/.partial-*/01-data-overview.ipynb")):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < limit, "the first notebook never started"
            time.sleep(0.1)
        time.sleep(1.5)  # inside the sleeping cell
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            _kill_tree(proc)
    assert proc.returncode == 130, stderr
    assert "interrupted: run of fault-hangs interrupted (Ctrl-C); partial results:" in stderr
    assert "failed" not in stderr.split("partial results:")[0] and "Traceback" not in stderr
    (failed,) = (out / "fault-hangs").iterdir()
    assert failed.name.endswith(".failed") and "interrupted" in (failed / "error.txt").read_text()
    assert json.loads((failed / "manifest.json").read_text())["interrupted"] is True
