"""Command line: ``touna-policy project | validate``.

Exit codes: 0 success, 2 invalid input (the message names the file, the row or key, what was found
and what was expected), 1 a run that failed. No traceback unless ``--debug``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Sequence

from .errors import EXIT_INVALID_INPUT, EXIT_OK, EXIT_RUN_FAILED, InputError, TounaError


def _cmd_project(args: argparse.Namespace) -> int:
    from .io import atomic_write_csv
    from .projection import project
    from .scenario import load_scenario

    scenario = load_scenario(args.scenario)
    result = project(scenario)
    _check_writable(args.csv, "--csv")
    if args.villages:
        _check_writable(args.villages, "--villages")
    if args.csv:
        atomic_write_csv(args.csv, result.district)
    if args.villages:
        from .national import write_villages_csv  # slice by slice: bounded memory at national scale
        write_villages_csv(args.villages, result)
    if not args.quiet:
        print(result.summary())
    return EXIT_OK


def _check_writable(path: str | None, flag: str) -> None:
    if path is None:
        return
    target = Path(path)
    if target.is_dir():
        raise InputError.single(path, flag, "a folder", "a file path to write a CSV to")
    parent = target.parent if str(target.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError.single(path, flag, f"a folder that cannot be created ({exc.strerror})",
                                "a writable output location") from None
    import tempfile
    try:  # try it: permission bits say nothing for root, nor for read-only or special file systems
        with tempfile.TemporaryFile(dir=parent):
            pass
    except OSError as exc:
        raise InputError.single(path, flag, f"a folder that cannot be written ({exc.strerror})",
                                "a writable output location") from None


def check_output_folder(path: str | Path, flag: str = "--out") -> None:
    """Refuse (exit 2) an output folder that is a file or cannot be created or written."""
    target = Path(path).absolute()
    if target.exists() and not target.is_dir():
        raise InputError.single(path, flag, "a file", "a folder to write reports into")
    existing = next(p for p in (target, *target.parents) if p.exists())  # creates nothing: probes the nearest folder
    try:
        if not existing.is_dir():
            raise NotADirectoryError(20, "Not a directory")
        import tempfile
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        raise InputError.single(path, flag, f"a folder that cannot be written ({exc.strerror})",
                                "a writable output folder") from None


def _cmd_validate(args: argparse.Namespace) -> int:
    from .validate import validate_files

    problems = validate_files(args.files)
    if problems:
        raise InputError(problems)
    for f in args.files:
        print(f"ok: {f}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="touna-policy",
        description="Coverage, cost and budget of village-funded BPJS Ketenagakerjaan for vulnerable workers.")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks")
    from . import __version__
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

    for module in ("touna_policy.runner", "touna_policy.national", "touna_policy.browser_check", "touna_policy.verify"):
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
