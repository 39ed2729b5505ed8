"""Faults: killed processes, failed writes and hostile text never cost a planner a report.

The batch tests (SIGKILL midway, --resume, failing notebooks, timeouts) run the real runner in a
subprocess; they are in the second half of this file.
"""

from __future__ import annotations

import os
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
    with pytest.raises(OSError):
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
    value = {"atomic_write_text": "short\n", "atomic_write_json": {"a": 1},
             "atomic_write_csv": pd.DataFrame({"a": [1.5]})}[writer]
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
    from touna_policy.frontpage import front_page_html

    scenario = scenario_from_dict({**BASE, "title": SCRIPT_TITLE, "description": "<img src=x onerror=alert(1)>"})
    page = front_page_html(tp.project(scenario, inputs), "en")
    assert "<script>" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page


def test_markdown_escape_neutralises_html_and_markdown():
    from touna_policy.report_tables import escape

    text = escape(SCRIPT_TITLE + " [link](javascript:alert(1)) | *x*")
    assert "<" not in text and ">" not in text
    assert "[link](" not in text and r"\[link\](javascript" in text


@pytest.mark.parametrize("name", ["../outside", "a/b", "/abs", "..", ".hidden", "x" * 65, "Satu Miliar", "nul\x00"])
def test_scenario_names_that_could_leave_the_output_folder_are_refused(name):
    with pytest.raises(tp.InputError) as info:
        scenario_from_dict({**BASE, "name": name})
    assert "key 'name'" in str(info.value)
