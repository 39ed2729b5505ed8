"""The process pool's workers leave without the interpreter's teardown, yet run the exit handlers
that the work registered and flush what it printed."""

from __future__ import annotations

import atexit
from pathlib import Path

from touna_policy.pipeline.executors import process_pool


def register_exit_note(path: str) -> int:
    """Work for a pool worker: an exit handler (as a library would register one) that writes ``path``."""
    atexit.register(Path(path).write_text, "ran", encoding="utf-8")
    print("printed by the worker", flush=False)
    return 42


def test_a_pool_worker_returns_its_result_and_still_runs_the_exit_handlers_registered_by_its_work(tmp_path):
    note = tmp_path / "exit-handler.txt"
    pool = process_pool(1)
    try:
        assert pool.submit(register_exit_note, str(note)).result(timeout=120) == 42
        workers = list(pool._processes.values())  # noqa: SLF001 - the exit codes are the point of the test
    finally:
        pool.shutdown(wait=True)
    assert note.read_text(encoding="utf-8") == "ran"
    assert [w.exitcode for w in workers] == [0]
