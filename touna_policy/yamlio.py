"""Safe YAML reading: YAML 1.2 core-schema numbers, line numbers kept, bounded work.

What it refuses, each with the file, the line and what was expected:

- duplicate keys, also a year written once as ``2024`` and once as ``"2024"``;
- tags that would construct objects (``!!python/object``, ``!include``);
- the YAML 1.1 forms that read as a number the writer did not mean: ``0150`` (octal 104 in YAML 1.1),
  ``2:30`` (base 60: 150), ``0x96``, ``0o226``, ``0b1001``, ``1_000``. Plain scalars resolve by the
  YAML 1.2 core schema (``true``/``false`` only are booleans, so ``yes``, ``no``, ``on``, ``off``
  stay text and a typed field then refuses them);
- a document deeper than :data:`MAX_DEPTH`, expanding (through aliases) to more than :data:`MAX_NODES`
  values, or a file larger than :data:`MAX_YAML_BYTES` (an alias bomb or 5,000 nested lists end
  with a message, not a hang or a ``RecursionError``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from touna_policy.errors import InputError
from touna_policy.io import read_input_bytes

MAX_YAML_BYTES = 2 * 2**20  # the shipped scenario and parameter files are a few KB
MAX_DEPTH = 40  # nesting of mappings and lists (a scenario needs 4)
MAX_NODES = 200_000  # values after expanding aliases

_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_TIMESTAMP = next(  # dated parameter keys (2015-07-01), as PyYAML reads them
    regexp for tag, regexp in yaml.resolver.Resolver.yaml_implicit_resolvers["2"] if tag.endswith(":timestamp")
)
# YAML 1.1 numbers that YAML 1.2 reads differently or as text: refused rather than guessed
_AMBIGUOUS_NUMBERS = (
    (re.compile(r"^[-+]?0[0-9]+$"), "a number with a leading zero (YAML 1.1 reads {text} as {octal})"),
    (
        re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$"),
        "a base-60 number (YAML 1.1 reads {text} as {sexagesimal})",
    ),
    (re.compile(r"^[-+]?0[xob][0-9a-fA-F_]+$"), "a hexadecimal, octal or binary number"),
    (re.compile(r"^[-+]?[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?$"), "a number with '_' separators"),
)


class _Core12Resolver(yaml.resolver.BaseResolver):
    """Plain scalars resolved by the YAML 1.2 core schema (plus dates for dated parameter keys)."""


for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:bool", _BOOL, "tTfF"),
    ("tag:yaml.org,2002:null", _NULL, ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", _INT, "-+0123456789"),
    ("tag:yaml.org,2002:float", _FLOAT, "-+0123456789."),
    ("tag:yaml.org,2002:timestamp", _TIMESTAMP, "0123456789"),
):
    _Core12Resolver.add_implicit_resolver(_tag, _pattern, list(_first))


class _StrictLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    yaml.constructor.SafeConstructor,
    _Core12Resolver,
):
    """SafeLoader with YAML 1.2 core scalars, refusing duplicate keys, ambiguous numbers and deep nesting."""

    def __init__(self, stream: Any, file: str):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        _Core12Resolver.__init__(self)
        self.file = file
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise InputError.single(
                    self.file,
                    f"line {mark.line + 1}",
                    f"lists or mappings nested more than {MAX_DEPTH} deep",
                    "a scenario or parameter file (a few levels of keys)",
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_scalar(self, node: yaml.ScalarNode) -> Any:
        if node.style is None and node.tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:int"):
            _refuse_ambiguous_number(node, self.file)
        return super().construct_scalar(node)

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
                ) from None
            for same in (key, f"str:{key}"):  # 2024 and "2024" are the same year to a reader
                if same in seen:
                    raise InputError.single(
                        self.file,
                        f"key '{key}' (line {key_node.start_mark.line + 1})",
                        f"a duplicate of the key first written on line {seen[same]}",
                        "each key once per mapping",
                    )
            seen[key] = seen[f"str:{key}"] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _sexagesimal(text: str) -> str:
    digits = text.lstrip("+-").replace("_", "").split(":")
    value = 0.0
    for part in digits:
        value = value * 60 + float(part)
    return f"{value:g}"


def _refuse_ambiguous_number(node: yaml.ScalarNode, file: str) -> None:
    text = node.value
    for pattern, words in _AMBIGUOUS_NUMBERS:
        if pattern.match(text):
            octal = f"octal {int(text, 8)}" if re.match(r"^[-+]?[0-7]+$", text) else "text"
            found = words.format(text=text, sexagesimal=_sexagesimal(text) if ":" in text else "", octal=octal)
            raise InputError.single(
                file,
                f"line {node.start_mark.line + 1}",
                f"{text}, {found}",
                "a plain decimal number such as 150 (no leading zero, ':' or '_'), or text in quotes",
            )


def _expanded_size(node: yaml.Node, file: str) -> int:
    """Values in the document once aliases are expanded (memoised, so an alias bomb costs its size)."""
    sizes: dict[int, int] = {}

    def size(n: yaml.Node) -> int:
        if id(n) in sizes:
            return sizes[id(n)]
        if isinstance(n, yaml.MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in n.value)
        elif isinstance(n, yaml.SequenceNode):
            total = 1 + sum(size(v) for v in n.value)
        else:
            total = 1
        sizes[id(n)] = total
        if total > MAX_NODES:
            raise InputError.single(
                file,
                f"line {n.start_mark.line + 1}",
                f"aliases (*name) that expand to more than {MAX_NODES:,} values",
                "a scenario or parameter file without repeated aliases",
            )
        return total

    return size(node)


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
        ambiguous YAML 1.1 numbers, too deep or too large documents, an unreadable, non-regular or
        empty file.
    """
    path = Path(path)
    file = str(path)
    if text is None:
        raw = read_input_bytes(path, "YAML file", MAX_YAML_BYTES)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError.single(file, f"byte {exc.start}", "text that is not UTF-8", "a UTF-8 text file") from None
    if len(text) > MAX_YAML_BYTES:
        raise InputError.single(file, "", f"{len(text):,} characters", f"a YAML file of at most {MAX_YAML_BYTES:,}")
    if not text.strip():
        raise InputError.single(file, "", "an empty file", "a YAML mapping of scenario keys")
    loader = _StrictLoader(text, file)
    lines: dict[str, int] = {}
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError.single(file, "", "a file with only comments", "a YAML mapping of scenario keys")
        _expanded_size(node, file)
        _node_lines(node, "", lines)
        data = loader.construct_document(node)
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
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError.single(
            file, where, f"broken YAML syntax ({exc.problem or exc.context})", "valid YAML"
        ) from None
    except yaml.YAMLError as exc:
        raise InputError.single(file, "", f"broken YAML ({exc})", "valid YAML") from None
    except RecursionError:  # a last guard: MAX_DEPTH stops nesting long before Python's limit
        raise InputError.single(
            file, "", "lists or mappings nested too deep", "a scenario or parameter file (a few levels of keys)"
        ) from None
    finally:
        loader.dispose()
    return data, lines


def _node_lines(node: yaml.Node, prefix: str, lines: dict[str, int]) -> None:
    """Record the line of every mapping key under ``node`` as a dotted path (first written wins)."""
    stack: list[tuple[yaml.Node, str]] = [(node, prefix)]
    while stack:  # depth-first without recursion; the size is bounded by :func:`_expanded_size`
        current, base = stack.pop()
        if isinstance(current, yaml.MappingNode):
            children = [(k.value if isinstance(k, yaml.ScalarNode) else "?", k, v) for k, v in current.value]
        elif isinstance(current, yaml.SequenceNode):
            children = [(i, item, item) for i, item in enumerate(current.value)]
        else:
            continue
        pending = []
        for key, mark_node, value in children:
            dotted = f"{base}.{key}" if base else str(key)
            lines.setdefault(dotted, mark_node.start_mark.line + 1)
            pending.append((value, dotted))
        stack.extend(reversed(pending))
