"""Safe YAML reading that keeps line numbers and refuses duplicate keys and object tags."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from touna_policy.errors import InputError


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys."""

    def __init__(self, stream: Any, file: str):
        super().__init__(stream)
        self.file = file

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise InputError.single(
                    self.file,
                    f"line {key_node.start_mark.line + 1}",
                    "a key that is a list or mapping",
                    "a plain key (text or number)",
                )
            if key in seen:
                raise InputError.single(
                    self.file,
                    f"key '{key}' (line {key_node.start_mark.line + 1})",
                    f"a duplicate of the key first written on line {seen[key]}",
                    "each key once per mapping",
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def load_yaml(path: str | Path, text: str | None = None) -> tuple[Any, dict[str, int]]:
    """Read a YAML file safely.

    Returns
    -------
    data : the parsed document
    lines : dotted key path -> line number (``"horizon.start_year" -> 4``)

    Raises
    ------
    InputError
        syntax errors (with line and column), duplicate keys, tags that would construct objects,
        an unreadable or empty file.
    """
    path = Path(path)
    file = str(path)
    if text is None:
        if not path.exists():
            raise InputError.single(file, "", "no such file", "an existing YAML file")
        if path.is_dir():
            raise InputError.single(file, "", "a folder", "a YAML file")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError.single(file, f"byte {exc.start}", "text that is not UTF-8", "a UTF-8 text file")
    if not text.strip():
        raise InputError.single(file, "", "an empty file", "a YAML mapping of scenario keys")
    loader = _StrictLoader(text, file)
    lines: dict[str, int] = {}
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError.single(file, "", "a file with only comments", "a YAML mapping of scenario keys")
        if node is not None:
            _node_lines(node, "", lines)
        data = loader.construct_document(node) if node is not None else None
    except InputError:
        raise
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line = f"line {mark.line + 1}" if mark else ""
        raise InputError.single(
            file,
            line,
            f"a YAML tag that would construct an object ({exc.problem})",
            "plain YAML values (text, numbers, lists, mappings)",
        )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError.single(file, where, f"broken YAML syntax ({exc.problem or exc.context})", "valid YAML")
    except yaml.YAMLError as exc:
        raise InputError.single(file, "", f"broken YAML ({exc})", "valid YAML")
    finally:
        loader.dispose()
    return data, lines


def _node_lines(node: yaml.Node, prefix: str, lines: dict[str, int]) -> None:
    """Record the line of every mapping key under ``node`` as a dotted path."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
            dotted = f"{prefix}.{key}" if prefix else str(key)
            lines.setdefault(dotted, key_node.start_mark.line + 1)
            _node_lines(value_node, dotted, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            dotted = f"{prefix}.{i}" if prefix else str(i)
            lines.setdefault(dotted, item.start_mark.line + 1)
            _node_lines(item, dotted, lines)
