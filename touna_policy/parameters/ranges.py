"""Value ranges and the scenario-name rule, each written once.

Every typed input (scenario, parameter files, notebook parameters, the explorer) takes its ranges and
its plain-number types from here, so a range is changed in one place.

The number types refuse what YAML or a spreadsheet would silently turn into another number: ``true``
where a count is expected (read as 1), text such as ``'2:30'`` (YAML 1.1 base 60) or ``'150'``
(quoted), so a count is a plain decimal integer and a share a plain decimal number.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

YEAR_MIN, YEAR_MAX = 2000, 2100  # projection and schedule years
QUOTA_MAX = 100_000  # funded places per village (workers)
SEED_MAX = 2**32 - 1
VILLAGE_BUDGET_MAX_IDR = 1e13
DISTRICT_BUDGET_MAX_IDR = 1e14
DECLARED_INCOME_MAX_IDR = 1e9
ANNUAL_CHANGE_MAX = 0.2  # yearly change of a coverage share, 0-1 units (either sign)
WORKFORCE_GROWTH_MIN, WORKFORCE_GROWTH_MAX = -0.05, 0.10

SCENARIO_NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
SCENARIO_NAME_RULE = "a-z, 0-9, - and _ (starting with a letter or digit, at most 64 characters)"
# folder and file names the tool uses itself beside the scenarios' report folders (reports/comparison/,
# reports/index.html): a scenario of that name would write into them
RESERVED_SCENARIO_NAMES = ("comparison", "index")
_NAME = re.compile(SCENARIO_NAME_PATTERN)


def scenario_name_problem(name: object) -> str | None:
    """What is wrong with a scenario name (``None`` if it is a valid one): the one rule for scenario
    files, report folders and the explorer."""
    if not isinstance(name, str) or not _NAME.match(name):
        return f"a short id used for folder names: {SCENARIO_NAME_RULE}"
    if name in RESERVED_SCENARIO_NAMES:
        return (
            f"a name other than {', '.join(repr(n) for n in RESERVED_SCENARIO_NAMES)} (the tool's own report folders)"
        )
    return None


def _not_reserved(name: str) -> str:
    if name in RESERVED_SCENARIO_NAMES:
        raise ValueError(scenario_name_problem(name))
    return name


def _what(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def _plain_integer(value: Any) -> Any:
    """Refuse true/false and text where a whole number is expected (pydantic would read them as 1 or 150)."""
    if isinstance(value, (bool, str)):
        raise ValueError(f"a valid integer written as a plain decimal number such as 150, not {_what(value)}")
    return value


def _plain_number(value: Any) -> Any:
    """Refuse true/false and text where a number is expected."""
    if isinstance(value, (bool, str)):
        raise ValueError(f"a valid number written as a plain decimal such as 0.85, not {_what(value)}")
    return value


def _plain_year(value: Any) -> Any:
    if isinstance(value, (bool, str)):
        raise ValueError(f"a year as a valid integer such as 2024, not {_what(value)}")
    return value


Integer = Annotated[int, BeforeValidator(_plain_integer)]
Number = Annotated[float, BeforeValidator(_plain_number)]
Year = Annotated[int, BeforeValidator(_plain_year), Field(ge=YEAR_MIN, le=YEAR_MAX)]
ScheduleYear = Annotated[int, BeforeValidator(_plain_year)]  # range checked with the schedule's message
Share = Annotated[float, BeforeValidator(_plain_number), Field(ge=0, le=1)]
Count = Annotated[int, BeforeValidator(_plain_integer), Field(ge=0)]
Seed = Annotated[int, BeforeValidator(_plain_integer), Field(ge=0, le=SEED_MAX)]
AnnualChange = Annotated[float, BeforeValidator(_plain_number), Field(ge=-ANNUAL_CHANGE_MAX, le=ANNUAL_CHANGE_MAX)]
ScenarioName = Annotated[str, Field(pattern=SCENARIO_NAME_PATTERN), AfterValidator(_not_reserved)]
