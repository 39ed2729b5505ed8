"""Command line: ``touna-policy project | validate | aggregate | run | batch | verify | check-report``.

Every sub-command is built here, explicitly; each command function imports the library code it needs
inside itself, lazily, so ``touna-policy --help`` and ``project`` start fast (no notebook stack, no
report layer unless the command needs it). No library module imports this one.

Exit codes: 0 success, 2 invalid input (the message names the file, the row or key, what was found
and what was expected), 1 a run that failed, 130 interrupted (Ctrl-C). No traceback unless ``--debug``.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import sys
import threading
from collections.abc import Sequence
from typing import NoReturn

from touna_policy import config
from touna_policy.errors import EXIT_INVALID_INPUT, EXIT_OK, EXIT_RUN_FAILED, InputError, TounaError

EXIT_INTERRUPTED = 130
"""Exit code after Ctrl-C (128 + SIGINT), as shells report it."""


# ------------------------------------------------------------------------------------------------
# argument types
# ------------------------------------------------------------------------------------------------


def positive_float(value: str) -> float:
    """A positive number of seconds (``--timeout``)."""
    try:
        f = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not f > 0:
        raise argparse.ArgumentTypeError(f"{value!r}: expected a positive number of seconds")
    return f


def positive_int(value: str) -> int:
    """A whole number of 1 or more (``--jobs``)."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: expected 1 or more")
    return n


# ------------------------------------------------------------------------------------------------
# commands (imports inside each: lazy, so `touna-policy --help` and `project` start fast)
# ------------------------------------------------------------------------------------------------


def _print_flags(lines: list[str], quiet: bool) -> None:
    for line in lines:
        print(f"warning: {line}" if quiet else line, file=sys.stderr if quiet else sys.stdout)


def cmd_project(args: argparse.Namespace) -> int:
    from touna_policy.io import atomic_write_csv, check_outputs, check_writable_file
    from touna_policy.model.inputs import load_inputs
    from touna_policy.model.projection import project
    from touna_policy.model.village_table import write_villages  # slice by slice: bounded memory at national scale
    from touna_policy.pipeline.result_flags import flag_lines, result_flags
    from touna_policy.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    inputs = load_inputs(scenario.area)
    check_outputs({"--csv": args.csv, "--villages": args.villages}, [args.scenario, *inputs.files])
    check_writable_file(args.csv, "--csv")
    check_writable_file(args.villages, "--villages")
    result = project(scenario, inputs)
    if args.csv:
        atomic_write_csv(args.csv, result.district)
    if args.villages:
        write_villages(args.villages, result)
    if not args.quiet:
        print(result.summary())
    _print_flags(flag_lines(result_flags(result)), args.quiet)
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from touna_policy.pipeline.validate import validate_files

    problems = validate_files(args.files, args.kind)
    if problems:
        raise InputError(problems)
    for f in args.files:
        print(f"ok: {f}")
    return EXIT_OK


def cmd_aggregate(args: argparse.Namespace) -> int:
    from touna_policy.errors import did_you_mean
    from touna_policy.io import atomic_write_csv, check_outputs, check_writable_file
    from touna_policy.model.areas import LEVELS, aggregate
    from touna_policy.model.inputs import load_inputs
    from touna_policy.model.projection import project
    from touna_policy.scenario import load_scenario

    if args.by not in LEVELS:
        raise InputError.single(
            "--by", "", repr(args.by), f"one of {', '.join(LEVELS)}", did_you_mean(args.by, list(LEVELS))
        )
    scenario = load_scenario(args.scenario)
    inputs = load_inputs(scenario.area)
    check_outputs({"--csv": args.csv}, [args.scenario, *inputs.files])
    check_writable_file(args.csv, "--csv")
    result = project(scenario, inputs)
    table = aggregate(result, args.by)
    if args.csv:
        atomic_write_csv(args.csv, table)
    if not args.quiet:
        last = table[table["year"] == table["year"].max()]
        print(
            f"Scenario {scenario.name}: {len(last)} {args.by} areas, {int(last['villages'].sum())} villages, "
            f"{int(last['year'].iloc[0])}: {last['funded_workers'].sum():,.0f} funded workers, "
            f"premium IDR {last['premium_cost_idr'].sum():,.0f}"
        )
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from touna_policy.io import check_output_folder
    from touna_policy.pipeline.index import write_index
    from touna_policy.pipeline.run import run

    check_output_folder(args.out or config.REPORTS_DIR)
    result = run(args.scenario, args.out, args.seed, args.lang, args.pdf, args.timeout)
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    index = write_index(args.out or config.REPORTS_DIR, args.lang)
    print(f"wrote {result.run_dir} ({result.seconds:.1f} s); index: {index}")
    return EXIT_OK


def cmd_batch(args: argparse.Namespace) -> int:
    from touna_policy.io import check_output_folder
    from touna_policy.pipeline.batch import batch, format_table

    if args.scheduler and args.executor != "dask":  # refused before anything is created
        raise InputError.single(
            "<batch>", "--scheduler", f"--executor {args.executor}", "--executor dask with --scheduler"
        )
    check_output_folder(args.out or config.REPORTS_DIR)
    result = batch(
        args.scenarios or None,
        args.out,
        args.jobs,
        args.resume,
        args.timeout,
        args.lang,
        args.pdf,
        args.seed,
        args.executor,
        progress=not args.quiet,
        executor_options={"scheduler": args.scheduler} if args.scheduler else None,
    )
    print(format_table(result))
    for r in result.results + ([result.comparison] if result.comparison else []):
        for w in r.warnings:
            print(f"warning: {r.scenario}: {w}", file=sys.stderr)
    return EXIT_RUN_FAILED if result.failed else EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from touna_policy.pipeline.verify import verify

    found = verify(args.run_dir, args.root)
    recorded = [c for c in found.checks if c.status != "extra"]
    for check in found.checks:
        if check.status != "ok" or not args.quiet:
            print(check)
    for problem in found.problems:
        print(f"NOT OK   manifest {problem}")
    if not found.ok:
        bad = [c for c in recorded if c.status != "ok"]
        extra = [c.path for c in found.checks if c.status == "extra"]
        parts = []
        if bad:
            names = ", ".join(f"{c.path} ({c.status})" for c in bad)
            parts.append(f"{len(bad)} of {len(recorded)} recorded files changed or missing: {names}")
        if extra:
            parts.append(f"{len(extra)} files in the folder are not in the manifest: {', '.join(extra)}")
        parts += found.problems
        print(f"error: {args.run_dir}: " + "; ".join(parts), file=sys.stderr)
        return EXIT_RUN_FAILED
    print(f"ok: {args.run_dir}: all {len(recorded)} recorded files match")
    return EXIT_OK


def cmd_check_report(args: argparse.Namespace) -> int:
    from touna_policy.errors import RunError
    from touna_policy.report.browser_check import check_report, find_reports

    pages = find_reports(args.paths)
    if not pages:
        raise InputError.single(
            ", ".join(args.paths), "", "no report.html", "a folder holding runs (make report first)"
        )
    if args.png and len(pages) > 1:
        raise InputError.single(
            args.png, "--png", f"one file for {len(pages)} reports", "a single report.html with --png"
        )
    results = [check_report(page, args.png, min_images=args.min_images) for page in pages]
    for result in results:
        print(result.summary())
    failed = [r for r in results if not r.ok]
    if failed:
        raise RunError(f"{len(failed)} of {len(results)} reports show an error, a missing image or an empty chart")
    return EXIT_OK


# ------------------------------------------------------------------------------------------------
# the parser
# ------------------------------------------------------------------------------------------------


def _run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default=None, help=f"reports folder (default {config.REPORTS_DIR})")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: the scenario's seed)")
    p.add_argument("--lang", default="id", help="report language: id (default) or en")
    p.add_argument("--pdf", action="store_true", help="also print report.pdf with headless Chromium")
    p.add_argument("--timeout", type=positive_float, default=None, help="seconds a scenario's run may take")


class VersionAction(argparse.Action):
    """``--version``: the installed version, looked up only when asked (the lookup costs a CLI start 30 ms)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        import touna_policy

        parser.exit(message=f"touna-policy {touna_policy.__version__}\n")


def build_parser() -> argparse.ArgumentParser:
    """The ``touna-policy`` parser with every sub-command."""
    from touna_policy.model.areas import LEVELS  # the choices of --by and --executor: one list each, where they live
    from touna_policy.pipeline.executors import EXECUTORS

    parser = argparse.ArgumentParser(
        prog="touna-policy",
        description="Coverage, cost and budget of village-funded BPJS Ketenagakerjaan for vulnerable workers.",
    )
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks")
    parser.add_argument("--version", action=VersionAction, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("project", help="project one scenario and write its district and village tables")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--csv", help="write the district-by-year table here")
    p.add_argument(
        "--villages", help="write the village-by-year table here (Parquet if the name ends in .parquet, else CSV)"
    )
    p.add_argument("--quiet", action="store_true", help="do not print the summary (flags go to stderr)")
    p.set_defaults(func=cmd_project)

    p = sub.add_parser("validate", help="check scenario and data files; list every problem")
    p.add_argument("files", nargs="+", help="scenario YAML, parameter YAML or data CSV files")
    p.add_argument(
        "--kind", default=None, help="the kind of every file (default: from its shipped name; other YAML: scenario)"
    )
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("aggregate", help="project one scenario and write totals by kecamatan, kabupaten or province")
    p.add_argument("scenario", help="scenario YAML file (any area: 72.09, 72 or 0)")
    p.add_argument("--by", default="kabupaten", choices=list(LEVELS), help="kabupaten (default), province or kecamatan")
    p.add_argument("--csv", help="write the area-by-year table here")
    p.add_argument("--quiet", action="store_true", help="do not print the summary line")
    p.set_defaults(func=cmd_aggregate)

    p = sub.add_parser("run", help="run one scenario's report notebooks into reports/<scenario>/<run-id>/")
    p.add_argument("scenario", help="scenario YAML file")
    _run_options(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("batch", help="run many scenarios in parallel, then a comparison report and reports/index.html")
    p.add_argument("scenarios", nargs="*", help="scenario YAML files (default: every shipped scenario)")
    _run_options(p)
    p.add_argument("--jobs", type=positive_int, default=None, help="parallel runs (default: all cores)")
    p.add_argument("--resume", action="store_true", help="skip scenarios whose inputs match a finished run")
    p.add_argument("--executor", default="process", choices=sorted(EXECUTORS), help="where runs execute")
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="with --executor dask: a running scheduler (tcp://host:8786); default: a LocalCluster here",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser(
        "verify",
        help="recompute the checksums in a run's manifest.json; list changed, missing and extra files",
        description=f"Exit {EXIT_OK}: the run is complete, its manifest unedited and every recorded file "
        f"matches; {EXIT_RUN_FAILED}: something does not; {EXIT_INVALID_INPUT}: the run folder or its "
        "manifest cannot be read.",
    )
    p.add_argument("run_dir", help="run folder holding manifest.json")
    p.add_argument(
        "--root", default=None, help="folder the manifest's input paths are relative to (default: the project root)"
    )
    p.add_argument("--quiet", action="store_true", help="list only the files that do not match")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser(
        "check-report", help="open reports in headless Chromium; fail on error output, missing image or empty chart"
    )
    p.add_argument(
        "paths", nargs="*", default=["reports"], help="report.html files or folders to search (default: reports)"
    )
    p.add_argument("--png", help="where to save the first screen (one report only; default beside the report)")
    p.add_argument("--min-images", type=int, default=1, help="fewest images a report must show (default 1)")
    p.set_defaults(func=cmd_check_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or EXIT_OK)
    except InputError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID_INPUT
    except TounaError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        print(f"interrupted: {exc}" if str(exc) else "interrupted (Ctrl-C)", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        if args.debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc} (run with --debug for the traceback)", file=sys.stderr)
        return EXIT_RUN_FAILED
    except Exception as exc:  # noqa: BLE001 - last resort: one line, not a traceback
        if args.debug:
            raise
        print(f"error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", file=sys.stderr)
        return EXIT_RUN_FAILED


def exit_now(code: int) -> NoReturn:
    """End the process with ``code`` without the interpreter's teardown (``python -m touna_policy``).

    The teardown frees every object of every imported module one by one: after pandas, pyarrow and
    pydantic about 0.15-0.25 s of CPU, more than ``touna-policy project`` computes. The atexit
    handlers still run and stdout and stderr are flushed first; files the commands write are closed
    (and renamed into place) before a command returns. With other threads still running (none of
    the commands leaves one), the normal exit runs, which waits for them.
    """
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def console_main() -> NoReturn:
    """The ``touna-policy`` command: :func:`main`, then :func:`exit_now` with its exit code."""
    exit_now(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
