"""One error style for the whole project.

Every problem with an input is an :class:`InputProblem` naming the file, the place in it (row, column,
key, YAML line), what was found and what was expected. :class:`InputError` carries one or more
problems; the CLI prints them without a traceback and exits with :data:`EXIT_INVALID_INPUT`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

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
