"""Village workforce: population, working population and vulnerable workers per village.

The shipped file is an estimate (see :mod:`touna_policy.data.workforce_estimate`) until a district
replaces it with real figures in the same columns.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import pandera.pandas as pa

from touna_policy import config
from touna_policy.data.tables import (
    VILLAGE_CODE_PATTERN,
    VILLAGE_TYPES,
    csv_row,
    read_csv_strings,
    to_numbers,
    validate_frame,
    whole_number_problems,
)
from touna_policy.errors import ProblemList, did_you_mean

WORKFORCE_COLUMNS = [
    "code",
    "village",
    "type",
    "kecamatan",
    "base_year",
    "population",
    "working_population",
    "vulnerable_workers",
    "estimated",
    "method",
]
COUNT_COLUMNS = ("population", "working_population", "vulnerable_workers")


@lru_cache(maxsize=1)
def _workforce_schema() -> pa.DataFrameSchema:
    """The pandera schema (built on first use: pandera is imported only to validate a table)."""
    import pandera.pandas as pa  # lazy: pandera only when a table is validated in full

    return pa.DataFrameSchema(
        {
            "code": pa.Column(str, pa.Check.str_matches(VILLAGE_CODE_PATTERN), unique=True),
            "type": pa.Column(str, pa.Check.isin(VILLAGE_TYPES)),
            "base_year": pa.Column(float, pa.Check.in_range(1990, 2100)),
            "population": pa.Column(float, pa.Check.ge(0)),
            "working_population": pa.Column(float, pa.Check.ge(0)),
            "vulnerable_workers": pa.Column(float, pa.Check.ge(0)),
            "estimated": pa.Column(str, pa.Check.isin(["true", "false", "True", "False", "TRUE", "FALSE", "1", "0"])),
        },
        strict=False,
    )


def _registry_problems(frame: pd.DataFrame, registry: pd.DataFrame, file: str, problems: ProblemList) -> None:
    """Codes not in the registry, and a kecamatan or village type that contradicts it."""
    known = registry.set_index("code")
    in_area = frame["code"].isin(known.index)
    for index in frame.index[~in_area.to_numpy()][:20]:
        code = frame.at[index, "code"]
        problems.add(
            file,
            f"{csv_row(index)}, column 'code'",
            f"'{code}', a village not in the registry",
            "a Kemendagri village code of the registry",
            did_you_mean(code, known.index),
        )
    matched = frame[in_area]
    wrong_kec = matched["kecamatan"].to_numpy() != known.loc[matched["code"], "kecamatan"].to_numpy()
    for index in matched.index[wrong_kec][:20]:
        code = frame.at[index, "code"]
        problems.add(
            file,
            f"{csv_row(index)}, column 'kecamatan'",
            repr(frame.at[index, "kecamatan"]),
            f"'{known.at[code, 'kecamatan']}', the registry's kecamatan of village {code}",
            did_you_mean(frame.at[index, "kecamatan"], known["kecamatan"].unique()),
        )
    wrong_type = matched["type"].to_numpy() != known.loc[matched["code"], "type"].to_numpy()
    for index in matched.index[wrong_type][:20]:
        code = frame.at[index, "code"]
        problems.add(
            file,
            f"{csv_row(index)}, column 'type'",
            repr(frame.at[index, "type"]),
            f"'{known.at[code, 'type']}', the registry's type of village {code}",
        )


def load_village_workforce(registry: pd.DataFrame, path: str | Path = config.VILLAGE_WORKFORCE_CSV) -> pd.DataFrame:
    """Population, working population and vulnerable workers per village, aligned to ``registry``.

    The shipped file is an *estimate* (see :mod:`touna_policy.data.workforce_estimate`); its ``estimated`` column
    says so row by row and the returned frame's ``attrs['estimated']`` is True if any row is. A user
    with real figures replaces the CSV with the same columns and ``estimated`` false.

    Raises
    ------
    InputError
        unknown village codes, a kecamatan or village type that does not match the registry, negative
        counts, counts or base years that are not plain whole numbers (``1.000`` is refused, not read
        as 1), working population above population or vulnerable workers above working population,
        villages of the registry missing from the file.
    """
    file = str(path)
    text = read_csv_strings(path, WORKFORCE_COLUMNS)
    frame = to_numbers(text.copy(), ["base_year", *COUNT_COLUMNS], file)
    frame = validate_frame(frame, _workforce_schema, path)
    problems = ProblemList()
    _registry_problems(frame, registry, file, problems)
    problems.extend(whole_number_problems(text, ["base_year"], file, "a whole year", year=True))
    problems.extend(whole_number_problems(text, COUNT_COLUMNS, file, "a whole number of people"))
    for index in frame.index[(frame["working_population"] > frame["population"]).to_numpy()][:20]:
        problems.add(
            file,
            f"{csv_row(index)}, column 'working_population'",
            f"{frame.at[index, 'working_population']:g}",
            f"at most the population ({frame.at[index, 'population']:g})",
        )
    for index in frame.index[(frame["vulnerable_workers"] > frame["working_population"]).to_numpy()][:20]:
        problems.add(
            file,
            f"{csv_row(index)}, column 'vulnerable_workers'",
            f"{frame.at[index, 'vulnerable_workers']:g}",
            f"at most the working population ({frame.at[index, 'working_population']:g})",
        )
    missing = sorted(set(registry["code"]) - set(frame["code"]))
    if missing:
        problems.add(
            file,
            "column 'code'",
            f"{len(missing)} villages of the registry missing (first: {missing[0]})",
            "one row for every village of the registry",
        )
    problems.raise_if_any()
    frame["estimated"] = frame["estimated"].str.lower().isin(["true", "1"])
    frame["base_year"] = frame["base_year"].astype(int)
    out = registry[["code"]].merge(frame.drop(columns=["village", "type", "kecamatan"]), on="code", how="left")
    out = registry.merge(out, on="code")
    out.attrs["estimated"] = bool(out["estimated"].any())
    out.attrs["source_file"] = file
    return out
