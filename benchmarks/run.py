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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # `python benchmarks/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import touna_policy as tp
from touna_policy import config

GIB = 1024**3
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
            raise NotAvailable(f"touna_policy/{module.replace('.', '/')}.py does not exist yet") from None
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
    from touna_policy.model.projection import compute

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
    from touna_policy.model import areas as national

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
    row.notes.append(
        f"{n:,} villages -> {table['kabupaten_code'].nunique()} kabupaten; load+estimate (first in process) {sec(load)}"
    )
    row.notes.append(_cold_cli(["project", str(NATIONAL_SCENARIO), "--csv", "{tmp}/district.csv", "--quiet"]))
    row.notes.append(
        _cold_cli(
            [
                "project",
                str(NATIONAL_SCENARIO),
                "--csv",
                "{tmp}/district.csv",
                "--villages",
                "{tmp}/villages.csv",
                "--quiet",
            ]
        )
    )
    _p3_monte_carlo(row, scenario, inputs, repeat)


def _cold_cli(args: list[str]) -> str:
    """Wall time and peak resident memory of ``touna-policy ARGS`` in a fresh process (one run)."""
    import subprocess
    import tempfile

    # A small Python in between starts the command and reports its peak: a child forked straight from
    # this (large) process would carry this process's resident size into its own high-water mark.
    launcher = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    with tempfile.TemporaryDirectory(prefix="touna-bench-") as tmp:
        argv = [
            sys.executable,
            "-c",
            launcher,
            sys.executable,
            "-m",
            "touna_policy",
            *[a.format(tmp=tmp) for a in args],
        ]
        out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout.split()
        wall, peak_kib = float(out[-2]), float(out[-1])
    shown = " ".join(a.replace("{tmp}/", "") for a in args).replace(str(config.PROJECT_ROOT) + "/", "")
    return f"`touna-policy {shown}` from a cold start: {sec(wall)}, max resident {peak_kib / 1024:,.0f} MiB"


def _p3_monte_carlo(row: Row, scenario, inputs, repeat: int) -> None:
    """1,000 draws over 83,762 villages, summed to kabupaten, in bounded chunks (one run: it takes seconds)."""
    from touna_policy.analysis.uncertainty import monte_carlo_by_area
    from touna_policy.model.kernel import CELLS_PER_CHUNK

    try:
        need("analysis.uncertainty", "prepare", "draw_inputs", "AreaTotals")
    except NotAvailable as exc:
        row.figure += f" / n/a: {exc}"
        return
    start = time.perf_counter()
    result, peak = peak_memory(lambda: monte_carlo_by_area(scenario, inputs, draws=1000, level="kabupaten"))
    t = time.perf_counter() - start
    totals = result.totals.totals["funded_workers"]
    row.figure += f" / {sec(t)}, peak {mib(peak)}"
    row.ok = bool(row.ok) and t <= 60.0 and peak <= GIB
    row.notes.append(
        f"MC: uncertainty.monte_carlo_by_area, 1 run; result {totals.shape[0]} kabupaten x "
        f"{totals.shape[1]} draws x {totals.shape[2]} years x 11 totals = "
        f"{mib(totals.nbytes * 11)} of the peak; chunks of {CELLS_PER_CHUNK:,} cells"
    )


def bench_p2(row: Row, repeat: int) -> None:
    """Monte Carlo of Tojo Una-Una, 10,000 draws, summed by kecamatan (as the report does)."""
    uncertainty = need("analysis.uncertainty", "run_monte_carlo", "prepare")
    from touna_policy.model.kernel import CELLS_PER_CHUNK

    scenario = tp.load_scenario(TOUNA_SCENARIO)
    inputs = tp.load_inputs(scenario.area)

    def run():
        return uncertainty.run_monte_carlo(scenario, inputs, draws=10_000, group_by="kecamatan_code")

    t = median_time(run, max(repeat, 3))
    _, peak = peak_memory(run)
    row.figure = f"{sec(t)}, peak {mib(peak)}"
    row.ok = t <= 1.0 and peak <= GIB
    row.notes.append(
        f"uncertainty.run_monte_carlo, the notebooks' path: the chunked kernel of "
        f"model.kernel.chunked_area_sums (chunks of at most {CELLS_PER_CHUNK:,} cells)"
    )


# --- report runs (P4, P5) ---------------------------------------------------------------------


def _empty_notebooks(folder: Path) -> Path:
    """The report notebooks' names, each holding only its parameters cell (papermill needs it)."""
    import nbformat

    from touna_policy.pipeline import runner

    folder.mkdir(parents=True, exist_ok=True)
    for name in runner.SCENARIO_NOTEBOOKS:
        source = nbformat.read(config.NOTEBOOKS_DIR / name, as_version=4)
        nb = nbformat.v4.new_notebook(metadata=source.metadata)
        nb.cells = [c for c in source.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        nbformat.write(nb, folder / name)
    return folder


def _cells(notebook: Path) -> list[tuple[str, float]]:
    """(role, seconds) of every code cell papermill ran: parameters, injected, imports (the first
    cell after them) or work."""
    import nbformat

    out = []
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        role = (
            "parameters"
            if "parameters" in tags
            else "injected"
            if "injected-parameters" in tags
            else "imports"
            if not any(r == "imports" for r, _ in out)
            else "work"
        )
        out.append((role, float(cell.get("metadata", {}).get("papermill", {}).get("duration") or 0.0)))
    return out


def _breakdown(run_dir: Path, notebooks) -> dict[str, float]:
    import json

    timings = json.loads((run_dir / "manifest.json").read_text())["timings_seconds"]
    parts = {"kernel start": timings.get("kernel_start", 0.0), "projection + CSVs": timings.get("projection", 0.0)}
    cells = [c for name in notebooks for c in _cells(run_dir / name)]
    for role in ("parameters", "imports", "work"):
        parts[f"cells: {role}"] = sum(t for r, t in cells if r == role or (role == "parameters" and r == "injected"))
    parts["papermill per-cell overhead"] = sum(timings.get(name, 0.0) for name in notebooks) - sum(t for _, t in cells)
    parts["HTML (nbconvert + front page)"] = timings.get("html", 0.0)
    parts["total"] = timings.get("total", 0.0)
    parts["rest (checks, checksums, manifest)"] = parts["total"] - sum(v for k, v in parts.items() if k != "total")
    return parts


def bench_p4(row: Row, repeat: int) -> None:
    """Full report of one scenario / the same run with empty notebooks: the notebooks' own cost."""
    import tempfile

    runner = need("pipeline.runner", "run", "SCENARIO_NOTEBOOKS")
    n = max(3, repeat // 2)
    with tempfile.TemporaryDirectory(prefix="touna-bench-") as tmp:
        tmp = Path(tmp)
        empty = _empty_notebooks(tmp / "empty-notebooks")
        runner.run(TOUNA_SCENARIO, tmp / "warm")  # imports and caches of this process, kernel spec
        full_runs, empty_runs, cpu_full, cpu_empty = [], [], [], []
        for _ in range(n):
            before = _cpu_seconds()
            full_runs.append(runner.run(TOUNA_SCENARIO, tmp / "full"))
            middle = _cpu_seconds()
            empty_runs.append(runner.run(TOUNA_SCENARIO, tmp / "empty", notebooks_dir=empty))
            cpu_full.append(middle - before)
            cpu_empty.append(_cpu_seconds() - middle)
        t_full = statistics.median(r.seconds for r in full_runs)
        t_empty = statistics.median(r.seconds for r in empty_runs)
        median_full = sorted(full_runs, key=lambda r: r.seconds)[n // 2]
        median_empty = sorted(empty_runs, key=lambda r: r.seconds)[n // 2]
        full = _breakdown(Path(median_full.run_dir), runner.SCENARIO_NOTEBOOKS)
        bare = _breakdown(Path(median_empty.run_dir), runner.SCENARIO_NOTEBOOKS)
        slowest = sorted(
            (
                (t, name)
                for name in runner.SCENARIO_NOTEBOOKS
                for k, (r, t) in enumerate(_cells(Path(median_full.run_dir) / name))
                if r == "work"
            ),
            reverse=True,
        )[:3]
    ratio = t_full / t_empty
    row.figure = f"{ratio:.2f} ({sec(t_full)} / {sec(t_empty)})"
    row.ok = ratio <= 1.5
    row.notes.append(
        f"where the time goes (median run; full report | empty notebooks), {n} runs each, "
        f"{len(runner.SCENARIO_NOTEBOOKS)} notebooks in one reused kernel:"
    )
    for key in full:
        row.notes.append(f"  {key}: {sec(full[key])} | {sec(bare[key])}")
    c_full, c_empty = statistics.median(cpu_full), statistics.median(cpu_empty)
    row.notes.append(
        f"  CPU seconds (this process and the kernels, medians): {c_full:.2f} | {c_empty:.2f}, "
        f"ratio {c_full / c_empty:.2f} (less sensitive than wall time to the other users of the machine)"
    )
    row.notes.append("  slowest cells: " + ", ".join(f"{name} {t:.2f} s" for t, name in slowest))


P5_SCENARIOS = 8


def _eight_scenarios(folder: Path) -> list[Path]:
    """Eight scenarios: the shipped ones and variants of satu-miliar-150 with other quotas and names."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    base = yaml.safe_load((TOUNA_SCENARIO).read_text(encoding="utf-8"))
    paths = []
    for k in range(P5_SCENARIOS):
        data = dict(
            base,
            name=f"bench-{k + 1}",
            title=f"benchmark scenario {k + 1}",
            quota_per_village={"desa": {2024: 100, 2026: 110 + 10 * k}, "kelurahan": {2025: 100, 2026: 110 + 10 * k}},
        )
        path = folder / f"bench-{k + 1}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its finished children (and theirs: kernels of pool workers)."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def bench_p5(row: Row, repeat: int) -> None:
    """Batch of 8 scenarios: one at a time (1 job) against all cores (process pool)."""
    import tempfile

    runner = need("pipeline.runner", "batch")
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="touna-bench-") as tmp:
        tmp = Path(tmp)
        paths = [str(p) for p in _eight_scenarios(tmp / "scenarios")]
        times, cpu, load = {}, {}, os.getloadavg()[0]
        for jobs in (1, cores):
            before = _cpu_seconds()
            start = time.perf_counter()
            result = runner.batch(
                paths, tmp / f"jobs-{jobs}", jobs=jobs, executor="process", progress=False, comparison=False
            )
            times[jobs] = time.perf_counter() - start
            cpu[jobs] = _cpu_seconds() - before
            failed = [r.scenario for r in result.results if not r.ok]
            if failed:
                raise NotAvailable(f"batch failed for {', '.join(failed)}")
    speedup = times[1] / times[cores]
    row.figure = f"{speedup:.2f} ({sec(times[1])} / {sec(times[cores])})"
    row.ok = speedup >= 1.8
    row.notes.append(
        f"runner.batch, process executor, comparison report off; one batch each (1 job, then {cores} jobs)"
    )
    row.notes.append(
        f"cores kept busy by the batch (CPU seconds of it and its workers and kernels / wall seconds): "
        f"{cpu[1] / times[1]:.2f} with 1 job, {cpu[cores] / times[cores]:.2f} with {cores}; "
        f"load average {load:.1f} before, {os.getloadavg()[0]:.1f} after (the machine is shared)"
    )


def bench_p6(row: Row, repeat: int) -> None:
    """Cold start of ``touna-policy project`` against ``python -c "import numpy, pandas"``, alternating
    in one run (the validation cache warmed by the first, untimed, run)."""
    import subprocess
    import tempfile

    n = max(repeat, 5)
    floor_argv = [sys.executable, "-c", "import numpy, pandas"]
    with tempfile.TemporaryDirectory(prefix="touna-bench-") as tmp:
        cli_argv = [sys.executable, "-m", "touna_policy", "project", str(TOUNA_SCENARIO), "--csv", f"{tmp}/d.csv"]
        cli_argv.append("--quiet")
        subprocess.run(cli_argv, check=True)  # warm-up: file cache, validation cache, .pyc files
        subprocess.run(floor_argv, check=True)
        times: dict[str, list[float]] = {"cli": [], "floor": []}
        cpu: dict[str, list[float]] = {"cli": [], "floor": []}
        for _ in range(n):
            for key, argv in (("floor", floor_argv), ("cli", cli_argv)):
                before = _cpu_seconds()
                start = time.perf_counter()
                subprocess.run(argv, check=True)
                times[key].append(time.perf_counter() - start)
                cpu[key].append(_cpu_seconds() - before)
    ratios = sorted(c / f for c, f in zip(times["cli"], times["floor"], strict=True))
    cli, floor = statistics.median(times["cli"]), statistics.median(times["floor"])
    row.figure = f"{cli / floor:.2f} ({sec(cli)} / {sec(floor)})"
    row.ok = cli / floor <= 1.5
    row.notes.append(
        f"medians of {n} alternating cold starts; ratio of each pair from {ratios[0]:.2f} to {ratios[-1]:.2f} "
        f"(the machine is shared)"
    )
    c_cli, c_floor = statistics.median(cpu["cli"]), statistics.median(cpu["floor"])
    row.notes.append(f"CPU seconds (user + sys, medians): {c_cli:.3f} / {c_floor:.3f} = {c_cli / c_floor:.2f}")


def _old_villages_csv(path: Path, result) -> None:
    """The village table as written before P7: pandas' ``to_csv`` slice by slice (one Python ``%`` per cell)."""
    from touna_policy.model.village_table import iter_village_frames

    with open(path, "w", encoding="utf-8", newline="") as fh:
        for n, frame in enumerate(iter_village_frames(result)):
            frame.to_csv(fh, index=False, header=(n == 0), lineterminator="\n", float_format="%.6f")


def bench_p7(row: Row, repeat: int) -> None:
    """National village-by-year table: Parquet run / run without it (cold CLI), CSV writer old / new."""
    import tempfile

    village_table = need("model.village_table", "write_villages_parquet", "write_villages_csv")
    scenario = tp.load_scenario(NATIONAL_SCENARIO)
    result = tp.project(scenario, tp.load_inputs(scenario.area))
    rows = len(result.villages)
    with tempfile.TemporaryDirectory(prefix="touna-bench-") as tmp:
        tmp = Path(tmp)
        start = time.perf_counter()
        _old_villages_csv(tmp / "old.csv", result)
        old = time.perf_counter() - start
        start = time.perf_counter()
        village_table.write_villages_csv(tmp / "new.csv", result)
        new = time.perf_counter() - start
        same = (tmp / "old.csv").read_bytes() == (tmp / "new.csv").read_bytes()
        start = time.perf_counter()
        village_table.write_villages_parquet(tmp / "villages.parquet", result)
        parquet = time.perf_counter() - start
    plain, plain_note = _cold_cli_seconds(["project", str(NATIONAL_SCENARIO), "--csv", "{tmp}/district.csv", "--quiet"])
    with_parquet, parquet_note = _cold_cli_seconds(
        ["project", str(NATIONAL_SCENARIO), "--csv", "{tmp}/district.csv", "--villages", "{tmp}/v.parquet", "--quiet"]
    )
    ratio, speedup = with_parquet / plain, old / new
    row.figure = f"{ratio:.2f} ({sec(with_parquet)} / {sec(plain)}) / CSV {speedup:.1f}x ({sec(old)} -> {sec(new)})"
    row.ok = ratio <= 2.0 and speedup >= 5.0 and same
    row.notes.append(
        f"{rows:,} rows; in process: Parquet writer {sec(parquet)}; CSV same bytes as before: {'yes' if same else 'NO'}"
    )
    row.notes.append(plain_note)
    row.notes.append(parquet_note)


def _cold_cli_seconds(args: list[str]) -> tuple[float, str]:
    """Wall seconds of ``touna-policy ARGS`` from a cold start, and :func:`_cold_cli`'s line."""
    line = _cold_cli(args)
    return float(line.split("from a cold start: ")[1].split(" s,")[0].replace(",", "")), line


ROWS: list[tuple[Row, Callable[[Row, int], None]]] = [
    (Row("P1", "deterministic projection, Tojo Una-Una, 146 villages x 13 years", "<= 5 ms"), bench_p1),
    (Row("P2", "Monte Carlo 10,000 draws, Tojo Una-Una", "<= 1 s and <= 1 GiB peak"), bench_p2),
    (
        Row(
            "P3",
            "national, 83,762 villages: deterministic / 1,000 draws to kabupaten",
            "<= 1 s / <= 60 s, bounded memory",
        ),
        bench_p3,
    ),
    (Row("P4", "one scenario's full report / same number of empty notebooks", "<= 1.5"), bench_p4),
    (Row("P5", f"batch of 8 scenarios on {os.cpu_count()} cores, speed-up over one at a time", ">= 1.8"), bench_p5),
    (
        Row("P6", "`touna-policy project satu-miliar-150 --csv` / `python -c 'import numpy, pandas'`", "<= 1.5"),
        bench_p6,
    ),
    (
        Row(
            "P7",
            "national village table (1.09 M rows): run with --villages x.parquet / without; CSV writer speed-up",
            "<= 2 / >= 5x, same CSV bytes",
        ),
        bench_p7,
    ),
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
    known = [row.id for row, _ in ROWS]
    if wanted and not wanted <= set(known):
        parser.error(
            f"--only: unknown row {', '.join(sorted(wanted - set(known)))}; expected some of {', '.join(known)}"
        )
    if args.repeat < 1:
        parser.error("--repeat: expected 1 or more")
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
    print(
        f"touna-policy {tp.__version__} benchmarks, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"medians over repeated runs\n"
    )
    print(render(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
