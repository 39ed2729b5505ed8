"""Read a parameter YAML file into a pydantic model, with errors that name the file, key and line."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from touna_policy.errors import InputError, problems_from_validation
from touna_policy.yamlio import load_yaml

ModelT = TypeVar("ModelT", bound=BaseModel)


def load_validated(model: type[ModelT], path: str | Path) -> ModelT:
    """The YAML file at ``path`` validated as ``model``.

    Raises
    ------
    InputError
        the file is not a mapping, or a key is missing, unknown or out of range (one wording, with
        the nearest valid key)
    """
    path = Path(path)
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError.single(path, "", f"a {type(data).__name__}", "a mapping of parameter names")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, str(path), lines, root=model)) from None
