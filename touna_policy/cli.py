"""Command line: ``touna-policy project | validate``.

Exit codes: 0 success, 2 invalid input (the message names the file, the row or key, what was found
and what was expected), 1 a run that failed. No traceback unless ``--debug``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from touna_policy.errors import EXIT_INVALID_INPUT, EXIT_OK, EXIT_RUN_FAILED, InputError, TounaError
from touna_policy.io import check_output_folder, check_writable_file  # noqa: F401  (check_output_folder: used by sub-commands)


def _cmd_project(args: argparse.Namespace) -> int:
    from touna_policy.io import atomic_write_csv
    from touna_policy.model.projection import project
    from touna_policy.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    result = project(scenario)
    check_writable_file(args.csv, "--csv")
    if args.villages:
        check_writable_file(args.villages, "--villages")
    if args.csv:
        atomic_write_csv(args.csv, result.district)
    if args.villages:
        from touna_policy.model.village_table import (
            write_villages_csv,  # slice by slice: bounded memory at national scale
        )

        write_villages_csv(args.villages, result)
    if not args.quiet:
        print(result.summary())
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from touna_policy.pipeline.validate import validate_files

    problems = validate_files(args.files)
    if problems:
        raise InputError(problems)
    for f in args.files:
        print(f"ok: {f}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="touna-policy",
        description="Coverage, cost and budget of village-funded BPJS Ketenagakerjaan for vulnerable workers.",
    )
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks")
    from touna_policy import __version__

    parser.add_argument("--version", action="version", version=f"touna-policy {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("project", help="project one scenario and write its district and village tables")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--csv", help="write the district-by-year table here")
    p.add_argument("--villages", help="write the village-by-year table here")
    p.add_argument("--quiet", action="store_true", help="do not print the summary")
    p.set_defaults(func=_cmd_project)

    p = sub.add_parser("validate", help="check scenario and data files; list every problem")
    p.add_argument("files", nargs="+", help="scenario YAML, parameter YAML or data CSV files")
    p.set_defaults(func=_cmd_validate)

    for register in EXTRA_COMMANDS:
        register(sub)
    return parser


# Other modules add their sub-commands here (runner, analysis, ...): each entry is a function
# ``register(subparsers)`` that adds a parser with ``set_defaults(func=...)``.
EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def _load_extra_commands() -> None:
    import importlib

    for module in (
        "touna_policy.pipeline.runner",
        "touna_policy.model.areas",
        "touna_policy.report.browser_check",
        "touna_policy.pipeline.verify",
    ):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name == module:
                continue
            raise
        register = getattr(mod, "register_cli", None)
        if register is not None and register not in EXTRA_COMMANDS:
            EXTRA_COMMANDS.append(register)


def main(argv: Sequence[str] | None = None) -> int:
    _load_extra_commands()
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
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last resort: one line, not a traceback
        if args.debug:
            raise
        print(f"error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", file=sys.stderr)
        return EXIT_RUN_FAILED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
