"""Parameter YAML files read into pydantic models, with the project's messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from touna_policy.errors import InputError, problems_from_validation
from touna_policy.yamlio import load_yaml


def load_validated(model: type[BaseModel], path: str | Path) -> Any:
    """Read a YAML file (:func:`~touna_policy.yamlio.load_yaml`) and validate it as ``model``.

    Raises
    ------
    InputError
        naming the file, the key and its YAML line, with the nearest valid key for a misspelling.
    """
    path = Path(path)
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError.single(path, "", f"a {type(data).__name__}", "a mapping of parameter names")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, str(path), lines, root=model)) from None
