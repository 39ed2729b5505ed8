"""One error style for the whole project.

Every problem with an input is an :class:`InputProblem` naming the file, the place in it (row, column,
key, YAML line), what was found and what was expected. :class:`InputError` carries one or more
problems; the CLI prints them without a traceback and exits with :data:`EXIT_INVALID_INPUT`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

EXIT_OK = 0
EXIT_RUN_FAILED = 1
EXIT_INVALID_INPUT = 2


@dataclass(frozen=True)
class InputProblem:
    """One thing wrong with one input.

    Parameters
    ----------
    file : path of the file (or a label such as ``<parameters>``)
    location : where in it: ``row 12, column 'quota'``, ``key 'horizon.start_year' (line 4)``
    found : what was there
    expected : what should have been there
    """

    file: str
    location: str
    found: str
    expected: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}: {self.location}" if self.location else self.file
        text = f"{where}: found {self.found}; expected {self.expected}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class TounaError(Exception):
    """Base class of the project's own errors."""

    exit_code = 1


class InputError(TounaError, ValueError):
    """Invalid input: one or more :class:`InputProblem`."""

    exit_code = EXIT_INVALID_INPUT

    def __init__(self, problems: Sequence[InputProblem] | InputProblem):
        if isinstance(problems, InputProblem):
            problems = [problems]
        self.problems: list[InputProblem] = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)

    @classmethod
    def single(cls, file: str | Path, location: str, found: str, expected: str, hint: str = "") -> InputError:
        return cls([InputProblem(str(file), location, found, expected, hint)])


class RunError(TounaError):
    """A run (notebook execution, report) failed; the input was valid."""

    exit_code = EXIT_RUN_FAILED


def nearest(name: str, candidates: Iterable[str]) -> str | None:
    """The closest valid name to a misspelled one, or ``None`` if nothing is close."""
    matches = difflib.get_close_matches(str(name), list(candidates), n=1, cutoff=0.5)
    return matches[0] if matches else None


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """``"did you mean 'x'?"`` or the empty string."""
    best = nearest(name, candidates)
    return f"did you mean '{best}'?" if best else ""


@dataclass
class ProblemList:
    """Collects problems so a validator can report all of them, not only the first."""

    problems: list[InputProblem] = field(default_factory=list)

    def add(self, file: str | Path, location: str, found: str, expected: str, hint: str = "") -> None:
        self.problems.append(InputProblem(str(file), location, found, expected, hint))

    def extend(self, other: Iterable[InputProblem]) -> None:
        self.problems.extend(other)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)

    def __bool__(self) -> bool:
        return bool(self.problems)


def _field_names(model: type[BaseModel]) -> list[str]:
    return list(model.model_fields)


def _model_at(loc: tuple, root: type[BaseModel]) -> type[BaseModel] | None:
    """The pydantic model that owns the last element of ``loc`` (counted from ``root``)."""
    model: Any = root
    for part in loc[:-1]:
        field = getattr(model, "model_fields", {}).get(part) if isinstance(part, str) else None
        if field is None:
            if isinstance(part, int):
                continue
            return None
        ann = field.annotation
        args = getattr(ann, "__args__", ())
        candidates = [ann, *args]
        model = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if model is None:
            return None
    return model


def _key_text(part: object) -> str:
    """A location part as written in the YAML file (pydantic shows a date key as ``datetime.date(2015, 7, 1)``)."""
    text = str(part)
    match = re.fullmatch(r"datetime\.date\((\d+), (\d+), (\d+)\)", text)
    return f"{int(match[1]):04d}-{int(match[2]):02d}-{int(match[3]):02d}" if match else text


def problems_from_validation(
    exc: ValidationError, file: str, lines: dict[str, int], root: type[BaseModel]
) -> list[InputProblem]:
    """Turn pydantic errors into :class:`InputProblem` with YAML lines and nearest-key hints.

    ``root`` is the model validated (a scenario, a parameter file), for the valid keys of a misspelling.
    """
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        key = ".".join(_key_text(p) for p in loc if p != "[key]")  # a bad dict key: named by the key itself
        line = lines.get(key)
        probe = key
        while line is None and "." in probe:
            probe = probe.rsplit(".", 1)[0]
            line = lines.get(probe)
        where = f"key '{key}'" + (f" (line {line})" if line else "") if key else "top level"
        hint = ""
        if err["type"] == "extra_forbidden":
            owner = _model_at(loc, root)
            best = nearest(str(loc[-1]), _field_names(owner)) if owner else None
            hint = f"did you mean '{best}'?" if best else ""
            found, expected = (
                f"unknown key '{loc[-1]}'",
                f"one of: {', '.join(_field_names(owner))}" if owner else "a known key",
            )
        elif err["type"] == "missing":
            found, expected = "nothing", "this required key"
        else:
            found = repr(err.get("input"))[:80]
            expected = err["msg"].replace("Value error, ", "").replace("Input should be ", "")
            ctx = err.get("ctx") or {}
            if err["type"] == "literal_error":  # a misspelled choice: suggest the nearest one
                best = nearest(str(err.get("input")), re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
                hint = f"did you mean '{best}'?" if best else ""
            elif err["type"] == "string_pattern_mismatch":  # say it in words, not only as a regex
                owner = _model_at(loc, root)
                info = getattr(owner, "model_fields", {}).get(loc[-1]) if owner else None
                if info is not None and info.description:
                    expected = f"{info.description}, matching {ctx.get('pattern')}"
        problems.append(InputProblem(file, where, found, expected, hint))
    return problems
