"""The bad-input corpus: every case in tests/bad_inputs/ must give a clear message and the right exit code.

Each case is a folder holding one input file (named as the real file would be, so ``validate`` picks
the right checks) and ``expected.txt``::

    command: validate {input}          # one or more: touna-policy arguments ({input}, {dir})
    command: project {input} --quiet
    exit: 2                            # optional, default 2 (invalid input)
    stream: stderr                     # optional, where the message goes
    names: {input}                     # optional, the path the message must name (default the input)
    notebook: notebooks/NN-name.ipynb  # instead of command: the input is a YAML of notebook parameters
    special: fifo                      # optional: the input is replaced by a named pipe of the same name,
    special: unreadable                #   or reading it raises PermissionError (as for another user's
    special: pad 3000000               #   file: chmod does not stop root), or it is padded with a comment
                                       #   to that many bytes (files too large to commit)

    line 1 of the message fragments    # every non-empty line below the blank line must appear
    ...

Every case also checks that the message names the file and that no traceback is printed. The case
folder is copied to a temporary folder first, so nothing is ever written into the repository.
"""

from __future__ import annotations

import errno
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from touna_policy import config
from touna_policy.cli import main
from touna_policy.errors import EXIT_INVALID_INPUT, InputError

CORPUS = Path(__file__).parent / "bad_inputs"


def _parse_expected(path: Path) -> tuple[dict[str, list[str]], list[str]]:
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n\n")
    if not sep:
        head, body = "", text
    header: dict[str, list[str]] = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        header.setdefault(key.strip(), []).append(value.strip())
    fragments = [line for line in body.splitlines() if line.strip() and not line.startswith("#")]
    return header, fragments


def _cases() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if (p / "expected.txt").is_file())


def _input_file(case: Path) -> Path:
    files = [p for p in case.iterdir() if p.name != "expected.txt"]
    assert len(files) == 1, f"{case.name}: expected exactly one input file, found {files}"
    return files[0]


def test_corpus_has_at_least_30_bad_inputs():
    bad = [c for c in _cases() if _parse_expected(c / "expected.txt")[0].get("exit", ["2"])[0] != "0"]
    assert len(bad) >= 30


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_bad_input_gives_clear_message(case: Path, tmp_path: Path, capsys, monkeypatch):
    work = tmp_path / case.name
    shutil.copytree(case, work)
    (work / "expected.txt").unlink()
    file = _input_file(work)
    header, fragments = _parse_expected(case / "expected.txt")
    exit_code = int(header.get("exit", [str(EXIT_INVALID_INPUT)])[0])
    stream = header.get("stream", ["stderr"])[0]
    names = header.get("names", ["{input}"])[0].format(input=file, dir=work)
    if "notebook" in header:  # notebook parameters: checked against the notebook before a kernel starts
        _check_notebook_case(case, file, header["notebook"][0], fragments)
        return
    for special in header.get("special", []):
        _make_special(special, file, monkeypatch)
    for command in header.get("command", ["validate {input}"]):
        args = shlex.split(command.format(input=file, dir=work))
        try:
            code = main(args)
        except SystemExit as exc:  # argparse: a malformed option (usage message, exit 2)
            code = exc.code
        assert code == exit_code, f"{case.name}: `touna-policy {command}`"
        out = capsys.readouterr()
        message = getattr(out, "err" if stream == "stderr" else "out")
        assert "Traceback" not in out.err + out.out
        if exit_code == EXIT_INVALID_INPUT and command.startswith(("run ", "batch ")):  # nothing half-written
            assert not list(work.glob("reports/*/*")), f"{case.name}: a run folder was written"
        assert names in message, f"{case.name}: message does not name {names}:\n{message}"
        for fragment in fragments:
            assert fragment in message, f"{case.name}: `touna-policy {command}` lacks {fragment!r}:\n{message}"


def _make_special(special: str, file: Path, monkeypatch) -> None:
    """Inputs that cannot be committed as a file: a FIFO, a file this user may not read, a large file."""
    kind, _, arg = special.partition(" ")
    if kind == "fifo":
        file.unlink()
        os.mkfifo(file)  # reading it would wait for a writer for ever
    elif kind == "unreadable":
        real_open = os.open

        def refuse(path, *args, **kwargs):
            if os.fspath(path) == str(file):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse)
    elif kind == "pad":
        with open(file, "a", encoding="utf-8") as fh:
            fh.write("\n#" + "x" * max(int(arg) - file.stat().st_size, 0) + "\n")
    else:
        raise AssertionError(f"unknown special input {special!r}")


def _check_notebook_case(case: Path, file: Path, notebook: str, fragments: list[str]) -> None:
    import yaml

    from touna_policy.pipeline.notebook_params import check_parameters

    parameters = {"scenario_path": str(config.SCENARIOS_DIR / "baseline-100.yaml"), **yaml.safe_load(file.read_text())}
    path = config.PROJECT_ROOT / notebook
    with pytest.raises(InputError) as info:
        check_parameters(path, parameters)
    message = str(info.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, f"{case.name}: lacks {fragment!r}:\n{message}"


def test_bom_from_spreadsheet_export_is_accepted_and_read_like_the_plain_file():
    """A UTF-8 byte-order mark (Excel 'CSV UTF-8') is removed silently: same columns, same numbers."""
    from touna_policy.data.registry import load_registry
    from touna_policy.data.workforce import load_village_workforce

    registry = load_registry()
    with_bom = load_village_workforce(registry, CORPUS / "workforce_bom_accepted" / "village_workforce.csv")
    plain = load_village_workforce(registry)
    assert list(with_bom.columns) == list(plain.columns)
    pd.testing.assert_series_equal(with_bom["vulnerable_workers"], plain["vulnerable_workers"])


def test_scenario_errors_are_input_errors_from_the_api_too():
    """The Python API raises the same InputError the CLI prints (no second error style)."""
    import touna_policy as tp

    path = CORPUS / "scenario_unknown_key" / "scenario.yaml"
    with pytest.raises(InputError) as info:
        tp.load_scenario(path)
    problem = info.value.problems[0]
    assert problem.file == str(path)
    assert problem.location == "key 'quota_per_vilage' (line 4)"
    assert problem.hint == "did you mean 'quota_per_village'?"


def test_validate_lists_problems_of_every_file_in_one_run(capsys):
    files = [
        CORPUS / "scenario_many_problems" / "scenario.yaml",
        CORPUS / "workforce_negative_count" / "village_workforce.csv",
        config.SCENARIOS_DIR / "baseline-100.yaml",
    ]
    assert main(["validate", *map(str, files)]) == EXIT_INVALID_INPUT
    err = capsys.readouterr().err
    assert "4 problems:" in err
    assert str(files[0]) in err and str(files[1]) in err and str(files[2]) not in err


def test_installed_command_prints_no_traceback_and_exits_2(tmp_path):
    """The real console script (not only main()) keeps tracebacks out and exits 2."""
    bad = CORPUS / "scenario_python_object_tag" / "scenario.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "touna_policy", "project", str(bad)], capture_output=True, text=True, cwd=tmp_path
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "owned" not in proc.stdout
    assert proc.stderr.startswith(f"error: {bad}: line 7")


def test_debug_flag_shows_the_traceback(tmp_path):
    bad = CORPUS / "scenario_unknown_key" / "scenario.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "touna_policy", "--debug", "validate", str(bad)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode != 0 and "Traceback" in proc.stderr


def test_unknown_subcommand_is_a_usage_error_with_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["projekt", "x.yaml"])
    assert info.value.code == 2
    assert "invalid choice: 'projekt'" in capsys.readouterr().err


def test_a_failed_run_exits_1_with_one_line_and_no_traceback(monkeypatch, capsys):
    """A fault that is not the user's input (here a crash in the engine) is exit 1, one line, no traceback."""
    import touna_policy.model.projection as projection

    def crash(scenario, inputs=None):
        raise MemoryError("engine ran out of memory")

    monkeypatch.setattr(projection, "project", crash)
    assert main(["project", str(config.SCENARIOS_DIR / "baseline-100.yaml"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err == "error: MemoryError: engine ran out of memory (run with --debug for the traceback)\n"
