"""touna-policy benchmarks: one table of medians with the targets beside them.

Run ``python -m benchmarks`` (or ``make bench``, or ``python benchmarks/run.py``). Options:
``--only P1,P3`` runs some rows, ``--repeat N`` sets the repetitions of the fast rows.

Each row is measured on the machine it runs on; a row whose code is missing prints ``n/a: reason``,
never a figure. Times are medians over repeated runs (``time.perf_counter``); memory is the peak of
Python-level allocations during the measured call (``tracemalloc``, which numpy reports to), i.e.
what the computation itself holds, not the interpreter's resident size.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

if __package__ in (None, ""):  # `python benchmarks/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import touna_policy as tp
from touna_policy import config

GIB = 1024 ** 3
TOUNA_SCENARIO = config.SCENARIOS_DIR / "satu-miliar-150.yaml"
NATIONAL_SCENARIO = config.SCENARIOS_DIR / "scale" / "indonesia-150.yaml"


class NotAvailable(Exception):
    """A benchmark whose code is not (yet) in the package: the table says why."""


@dataclass
class Row:
    """One line of the table."""

    id: str
    what: str
    target: str
    figure: str = ""
    ok: bool | None = None
    notes: list[str] = field(default_factory=list)


def median_time(fn: Callable[[], object], repeat: int, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` in seconds over ``repeat`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_memory(fn: Callable[[], object]) -> tuple[object, int]:
    """``fn()``'s result and the peak bytes allocated while it ran (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        out = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return out, peak


def need(module: str, *attributes: str):
    """Import ``touna_policy.<module>`` and check it provides ``attributes``, else :class:`NotAvailable`."""
    try:
        mod = importlib.import_module(f"touna_policy.{module}")
    except ModuleNotFoundError as exc:
        if exc.name == f"touna_policy.{module}":
            raise NotAvailable(f"touna_policy/{module}.py does not exist yet") from None
        raise
    missing = [a for a in attributes if not hasattr(mod, a)]
    if missing:
        raise NotAvailable(f"touna_policy.{module} has no {', '.join(missing)}")
    return mod


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.2f} ms"


def sec(seconds: float) -> str:
    return f"{seconds:,.2f} s"


def mib(nbytes: float) -> str:
    return f"{nbytes / 2**20:,.0f} MiB"


# ---------------------------------------------------------------------------------------------
# The rows
# ---------------------------------------------------------------------------------------------

def bench_p1(row: Row, repeat: int) -> None:
    """Deterministic projection of Tojo Una-Una with pre-loaded inputs (the engine alone)."""
    from touna_policy.projection import compute

    scenario = tp.load_scenario(TOUNA_SCENARIO)
    inputs = tp.load_inputs(scenario.area)
    shape = compute(scenario, inputs).funded_workers.shape
    t = median_time(lambda: compute(scenario, inputs), max(repeat * 20, 100), warmup=5)
    full = median_time(lambda: tp.project(scenario, inputs).district, max(repeat * 5, 20), warmup=2)
    row.figure = ms(t)
    row.ok = t <= 0.005
    row.notes.append(f"{shape[0]} villages x {shape[1]} years; engine + district table {ms(full)}")


def bench_p3(row: Row, repeat: int) -> None:
    """National deterministic projection and kabupaten totals; the Monte Carlo half follows."""
    from touna_policy import national

    scenario = tp.load_scenario(NATIONAL_SCENARIO)
    start = time.perf_counter()
    inputs = tp.load_inputs(scenario.area)  # first load in this process: registry, OLS fit, estimate
    load = time.perf_counter() - start
    n = len(inputs.villages)

    def run():
        return national.aggregate(tp.project(scenario, inputs), "kabupaten")

    t = median_time(run, max(repeat, 5))
    table, peak = peak_memory(run)
    row.figure = f"{sec(t)}, peak {mib(peak)}"
    row.ok = t <= 1.0
    row.notes.append(f"{n:,} villages -> {table['kabupaten_code'].nunique()} kabupaten; "
                     f"load+estimate (first in process) {sec(load)}")
    _p3_monte_carlo(row, scenario, inputs, repeat)


def _p3_monte_carlo(row: Row, scenario, inputs, repeat: int) -> None:
    """1,000 draws over 83,762 villages, aggregated to kabupaten, chunked over villages."""
    try:
        national_mc = need("national", "monte_carlo_by_area")
        need("uncertainty")
    except NotAvailable as exc:
        row.figure += f" / n/a: {exc}"
        row.ok = False if row.ok is False else None
        return
    start = time.perf_counter()
    out, peak = peak_memory(lambda: national_mc.monte_carlo_by_area(scenario, inputs, draws=1000, level="kabupaten"))
    t = time.perf_counter() - start
    row.figure += f" / {sec(t)}, peak {mib(peak)}"
    row.ok = bool(row.ok) and t <= 60.0 and peak <= GIB
    row.notes.append(f"MC: 1 run (too slow to repeat), {national_mc.describe_monte_carlo(out)}"
                     if hasattr(national_mc, "describe_monte_carlo") else "MC: 1 run (too slow to repeat)")


def bench_p2(row: Row, repeat: int) -> None:
    """Monte Carlo of Tojo Una-Una, 10,000 draws."""
    raise NotAvailable("touna_policy/uncertainty.py does not exist yet") if importlib.util.find_spec(
        "touna_policy.uncertainty") is None else NotAvailable("not wired yet")


def bench_p4(row: Row, repeat: int) -> None:
    raise NotAvailable("touna_policy/runner.py does not exist yet") if importlib.util.find_spec(
        "touna_policy.runner") is None else NotAvailable("not wired yet")


def bench_p5(row: Row, repeat: int) -> None:
    raise NotAvailable("touna_policy/runner.py does not exist yet") if importlib.util.find_spec(
        "touna_policy.runner") is None else NotAvailable("not wired yet")


ROWS: list[tuple[Row, Callable[[Row, int], None]]] = [
    (Row("P1", "deterministic projection, Tojo Una-Una, 146 villages x 13 years", "<= 5 ms"), bench_p1),
    (Row("P2", "Monte Carlo 10,000 draws, Tojo Una-Una", "<= 1 s and <= 1 GiB peak"), bench_p2),
    (Row("P3", "national, 83,762 villages: deterministic / 1,000 draws to kabupaten",
         "<= 1 s / <= 60 s, bounded memory"), bench_p3),
    (Row("P4", "one scenario's full report / same number of empty notebooks", "<= 1.5"), bench_p4),
    (Row("P5", f"batch of 8 scenarios on {os.cpu_count()} cores, speed-up over one at a time", ">= 1.7"), bench_p5),
]


def render(rows: list[Row]) -> str:
    """The table as Markdown (readable in a terminal, pasteable into the issue)."""
    lines = ["| id | what | measured | target | met |", "|---|---|---|---|---|"]
    for r in rows:
        met = {True: "yes", False: "NO", None: "-"}[r.ok]
        lines.append(f"| {r.id} | {r.what} | {r.figure} | {r.target} | {met} |")
    notes = [f"- {r.id}: {note}" for r in rows for note in r.notes]
    return "\n".join(lines + ([""] + notes if notes else []))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated row ids, e.g. P1,P3")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of the fast rows (default 5)")
    args = parser.parse_args(argv)
    wanted = {s.strip().upper() for s in args.only.split(",")} if args.only else None
    rows = []
    for row, fn in ROWS:
        if wanted and row.id not in wanted:
            continue
        print(f"running {row.id}: {row.what} ...", file=sys.stderr, flush=True)
        try:
            fn(row, args.repeat)
        except NotAvailable as exc:
            row.figure, row.ok = f"n/a: {exc}", None
        rows.append(row)
    print(f"touna-policy {tp.__version__} benchmarks, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"medians over repeated runs\n")
    print(render(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
