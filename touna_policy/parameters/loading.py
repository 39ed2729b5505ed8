"""Read a parameter YAML file into a pydantic model, with errors that name the file, key and line.

A file that validated once is not parsed again: the validated model is kept (pickled) under the cache
folder (:func:`touna_policy.data.validation_cache.cache_root`) named after the SHA-256 of the file's
bytes, the model and the code that reads it (``touna_policy/parameters/*.py``, ``yamlio.py``, the
model's own module and the pydantic version). Scenario files use the same cache
(:func:`cached_validation`). A changed file, model or loader gives another key and is read and validated in
full; an entry that cannot be read back as the model is ignored. Only valid files are kept, so a
bad file reports its problems every time.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from touna_policy.data.validation_cache import cache_root, installed_versions, read_pickled, write_pickled
from touna_policy.errors import InputError, problems_from_validation
from touna_policy.io import read_input_bytes
from touna_policy.yamlio import MAX_YAML_BYTES, load_yaml

ModelT = TypeVar("ModelT", bound=BaseModel)
CACHE_FORMAT = b"touna-policy parameters v1"


def load_validated(model: type[ModelT], path: str | Path) -> ModelT:
    """The YAML file at ``path`` validated as ``model`` (read back from the cache when unchanged).

    Raises
    ------
    InputError
        the file is not a mapping, or a key is missing, unknown or out of range (one wording, with
        the nearest valid key)
    """
    path = Path(path)

    def validate() -> ModelT:
        data, lines = load_yaml(path)
        if not isinstance(data, dict):
            raise InputError.single(path, "", f"a {type(data).__name__}", "a mapping of parameter names")
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise InputError(problems_from_validation(exc, str(path), lines, root=model)) from None

    return cached_validation(model, read_input_bytes(path, "YAML file", MAX_YAML_BYTES), validate)


def cached_validation(model: type[ModelT], raw: bytes, validate: Callable[[], ModelT]) -> ModelT:
    """``validate()``'s model of a file whose bytes are ``raw``, read back from the cache when the same
    bytes validated as ``model`` before under the same code; ``validate`` raises for a bad file (and
    nothing is kept, so it raises every time)."""
    key = _entry_key(model, raw)
    cached = read_cached(model, key)
    if cached is not None:
        return cached
    value = validate()
    remember(key, value)
    return value


@lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    """SHA-256 over the code that decides what a parameter file reads as."""
    digest = hashlib.sha256(CACHE_FORMAT)
    here = Path(__file__).parent
    for source in [*sorted(here.glob("*.py")), here.parent / "yamlio.py"]:
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    digest.update(f"pydantic={installed_versions('pydantic')}".encode())
    return digest.digest()


def _entry_key(model: type[BaseModel], raw: bytes) -> str:
    digest = hashlib.sha256(code_fingerprint())
    digest.update(f"{model.__module__}.{model.__qualname__}\0".encode())
    digest.update(_module_source(model.__module__))
    digest.update(hashlib.sha256(raw).digest())
    return digest.hexdigest()


@lru_cache(maxsize=8)
def _module_source(module: str) -> bytes:
    """The source of the module defining a model (a scenario's model lives outside this package)."""
    file = getattr(sys.modules.get(module), "__file__", None)
    try:
        return Path(file).read_bytes() if file else b""
    except OSError:
        return b""


def _folder() -> Path | None:
    root = cache_root()
    return None if root is None else root / "parameters"


def read_cached(model: type[ModelT], key: str) -> ModelT | None:
    """The model stored under ``key``, or ``None`` (missing, switched off, unreadable or another type)."""
    folder = _folder()
    if folder is None:
        return None
    value = read_pickled(folder / f"{key}.pickle", CACHE_FORMAT + b" " + key.encode())
    return value if type(value) is model else None


def remember(key: str, value: BaseModel) -> None:
    """Keep ``value`` under ``key`` (atomically); a folder that cannot be written costs only a re-read."""
    folder = _folder()
    if folder is not None:
        write_pickled(folder, f"{key}.pickle", CACHE_FORMAT + b" " + key.encode(), value)
