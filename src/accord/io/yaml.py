"""accord's YAML scenario files, with errors that name the file, line and field.

The JSON Schema comes from the model itself (:func:`schema`), so file and model cannot drift.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import Problem, ScenarioError
from ..model import FORMAT, Scenario
from ._files import read_bounded

__all__ = ["LIMITS", "YamlLimits", "dump", "dumps", "load_file", "loads", "schema"]


@dataclass(frozen=True)
class YamlLimits:
    """How large a scenario file may be; checked while the file is read, so an oversized or
    hostile file fails in about a second instead of filling the memory.

    The defaults are far above any real scenario: the 8-party ceasefire scenario has 43 kB and
    2,599 nodes; 50 parties valuing 1,000 options would have about 60,000 nodes. At the node
    limit the reader has spent about a second (libyaml parses, Python composes and counts).
    """

    max_bytes: int = 5 * 1024 * 1024
    """Bytes in the file."""
    max_nodes: int = 200_000
    """YAML nodes (mappings, lists, scalars), counted with every alias (``*name``) expanded."""
    max_depth: int = 64
    """Nesting of mappings and lists (a scenario needs about 8)."""


LIMITS = YamlLimits()
_RAISE = "raise it from Python with accord.io.load_file(path, limits=YamlLimits({field}=...))"


class _LimitError(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _expanded_size(root: yaml.Node | None, cap: int) -> int:
    """Nodes the document has once every alias is expanded (memoised: linear in the file)."""
    memo: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key not in memo:
            memo[key] = 1  # a cycle counts once; PyYAML refuses recursive objects anyway
            if isinstance(node, yaml.SequenceNode):
                memo[key] = 1 + sum(size(child) for child in node.value)
            elif isinstance(node, yaml.MappingNode):
                memo[key] = 1 + sum(size(k) + size(v) for k, v in node.value)
            memo[key] = min(memo[key], cap + 1)
        return memo[key]

    return 0 if root is None else size(root)


class _Resolver(yaml.resolver.Resolver):
    """YAML without YAML 1.1 surprises: ``yes``/``no``/``on``/``off`` stay strings.

    Option ids such as ``no`` or ``yes`` are common in negotiation scenarios; only ``true`` and
    ``false`` are booleans.
    """


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


class _Constructor(yaml.constructor.SafeConstructor):
    """Safe construction; mapping keys are always strings (they are ids) and never repeated."""


def _construct_mapping(loader: _Constructor, node: yaml.MappingNode) -> dict[str, Any]:
    loader.flatten_mapping(node)
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = str(key) if not isinstance(key, str) else key
        if key in out:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
    return out


_Constructor.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)  # type: ignore[type-var]


class _Composer(yaml.composer.Composer):
    """PyYAML's composer, counting nodes and nesting as they are read: a file past a limit is
    refused at the place it passes it, before the rest is read."""

    limits: YamlLimits

    def _start_counting(self, limits: YamlLimits) -> None:
        self.limits = limits
        self.n_nodes = 0
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        self.n_nodes += 1
        if self.n_nodes > self.limits.max_nodes:
            raise _LimitError(
                f"the file has more than {self.limits.max_nodes:,} YAML nodes (mappings, lists and "
                "values), the limit; no scenario needs that many: check the file, or "
                + _RAISE.format(field="max_nodes"),
                line,
            )
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise _LimitError(
                f"mappings and lists nested more than {self.limits.max_depth} deep, the limit "
                "(a scenario needs about 8); check the indentation or brackets, or "
                + _RAISE.format(field="max_depth"),
                line,
            )
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        return node


class _PyLoader(
    _Composer,
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    _Constructor,
    _Resolver,
):
    """The pure-Python reader (where PyYAML was built without libyaml)."""

    def __init__(self, text: str, limits: YamlLimits) -> None:
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Constructor.__init__(self)
        _Resolver.__init__(self)
        self._start_counting(limits)


_CParser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)
_Loader: Any = _PyLoader
if _CParser is not None:

    class _CLoader(_Composer, _CParser, _Constructor, _Resolver):  # type: ignore[misc]
        """libyaml scans and parses (about 10x faster); composing stays in Python, counted."""

        def __init__(self, text: str, limits: YamlLimits) -> None:
            _CParser.__init__(self, text)
            yaml.composer.Composer.__init__(self)
            _Constructor.__init__(self)
            _Resolver.__init__(self)
            self._start_counting(limits)

    _Loader = _CLoader


def _line_of(root: yaml.Node | None, loc: tuple[str | int, ...]) -> int | None:
    """The 1-based line of the deepest node on ``loc`` (pydantic's union tags are skipped)."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if str(key_node.value) == str(part):
                    child = value_node
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and (0 <= part < len(node.value)):
            child = node.value[part]
        if child is None:
            continue
        node = child
        line = node.start_mark.line + 1
    return line


def _clean_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    # pydantic puts the name of a union member in the path ("float", "Number", "function-after[...]").
    noise = (
        "float",
        "Number",
        "PiecewiseLinear",
        "RangeCondition",
        "list[",
        "dict[",
        "str",
        "function-",
        "tuple[",
        "constrained-str",
        "literal[",
    )
    return tuple(p for p in loc if isinstance(p, int) or not p.startswith(noise))


def loads(text: str, *, file: str | None = None, limits: YamlLimits = LIMITS) -> Scenario:
    """A scenario from YAML text. Raises :class:`ScenarioError` with file, line and field.

    ``limits`` bounds the size, node count and nesting (see :class:`YamlLimits`); each is
    checked while the text is read, and the error says which limit was passed.
    """
    size = len(text) if len(text) * 4 <= limits.max_bytes else len(text.encode("utf-8", "replace"))
    if size > limits.max_bytes:
        raise ScenarioError(
            [Problem((), _too_many_bytes(size, limits), None)],
            file=file,
        )
    loader = _Loader(text, limits)
    try:
        root = loader.get_single_node()
        data = None if root is None else loader.construct_document(root)
    except _LimitError as exc:
        raise ScenarioError([Problem((), exc.message, exc.line)], file=file) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ScenarioError([Problem((), f"not valid YAML: {exc.problem or exc}", line)], file=file) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"not valid YAML: {exc}", file=file) from None
    finally:
        loader.dispose()
    if _expanded_size(root, limits.max_nodes) > limits.max_nodes:
        raise ScenarioError(
            [
                Problem(
                    (),
                    f"the file expands to more than {limits.max_nodes:,} YAML nodes "
                    "through aliases (*name), the limit; write the values out",
                    1,
                )
            ],
            file=file,
        )
    if not isinstance(data, dict):
        raise ScenarioError(
            [
                Problem(
                    (),
                    "a scenario file is a mapping with `format`, `id`, `parties`, `issues` and `preferences`",
                    1,
                )
            ],
            file=file,
        )
    if data.get("format") != FORMAT:
        raise ScenarioError(
            [
                Problem(
                    ("format",),
                    f"expected `format: {FORMAT}`, got {data.get('format')!r}; add or correct it",
                    _line_of(root, ("format",)),
                )
            ],
            file=file,
        )
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        grouped: dict[tuple[str | int, ...], list[dict[str, Any]]] = {}
        for err in exc.errors():
            if _other_reading(data, tuple(err["loc"])):
                continue
            grouped.setdefault(_clean_loc(tuple(err["loc"])), []).append(dict(err))
        # An error with deeper errors below it is the other branch of a union (a bare number
        # where a {value, rationale} mapping was written): the deeper ones say what is wrong.
        deepest = [
            loc for loc in grouped if not any(len(o) > len(loc) and o[: len(loc)] == loc for o in grouped)
        ]
        problems = [Problem(loc, _message(loc, grouped[loc]), _line_of(root, loc)) for loc in deepest]
        raise ScenarioError(problems, file=file) from None
    except ScenarioError as exc:
        raise ScenarioError(
            [Problem(p.loc, p.message, _line_of(root, p.loc)) for p in exc.problems], file=file
        ) from None


# How pydantic names the table reading of a value table in an error's place.
_TABLE_TAGS = ("dict[", "function-after[FrozenDict")


def _other_reading(data: Any, loc: tuple[str | int, ...]) -> bool:
    """Whether an error comes from the reading of a value table that the file did not mean.

    ``values: {issue: ...}`` is either a table of option values or ``{points: ...}``; pydantic
    reports why both readings fail. Keep only the reading the author meant: ``points`` or not.
    """
    for n, part in enumerate(loc):
        if isinstance(part, str) and ("PiecewiseLinear" in part or part.startswith(_TABLE_TAGS)):
            node = data
            for key in loc[:n]:
                try:
                    node = node[key]
                except (KeyError, IndexError, TypeError):
                    return False
            means_points = isinstance(node, dict) and "points" in node
            return means_points != ("PiecewiseLinear" in part)
    return False


def _message(loc: tuple[str | int, ...], errors: list[dict[str, Any]]) -> str:
    """One message per place, also where pydantic tried several forms of a union."""
    if any(e["type"] == "extra_forbidden" for e in errors):
        return f"unknown key '{loc[-1]}'; remove it or check its spelling"
    messages = list(dict.fromkeys(e["msg"].removeprefix("Value error, ") for e in errors))
    if len(messages) == 1:
        return str(messages[0])
    # A quoted number or a `!!binary` value: the model's own message says what to write.
    plain = [
        m for m in messages if m.startswith(("expected a number, got the text", "expected text, got binary"))
    ]
    if plain:
        return str(plain[0])
    if any("instance of Number" in m for m in messages):
        return (
            f"expected a number, or a mapping {{value: NUMBER, rationale: TEXT, source: TEXT}}; "
            f"got {errors[0].get('input')!r}"
        )
    return "; or ".join(messages)


def _too_many_bytes(size: int, limits: YamlLimits) -> str:
    return (
        f"the file has {size:,} bytes, more than the limit of {limits.max_bytes:,} "
        "(real scenarios have kilobytes); " + _RAISE.format(field="max_bytes")
    )


def load_file(path: str | Path, *, limits: YamlLimits = LIMITS) -> Scenario:
    """A scenario from a YAML file; errors name the file. Anything but a regular file is
    refused and at most ``limits.max_bytes`` are read (see :class:`YamlLimits`)."""
    path = Path(path)
    file = str(path)

    def error(message: str) -> ScenarioError:
        return ScenarioError(message, file=file)

    typical = "real scenarios have kilobytes; " + _RAISE.format(field="max_bytes")
    data = read_bounded(path, limits.max_bytes, typical, error=error)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            [Problem((), f"not UTF-8 text (byte {exc.start:,}); save the file as UTF-8", line)], file=file
        ) from None
    return loads(text.removeprefix("\ufeff"), file=file, limits=limits)


def _plain(scenario: Scenario) -> dict[str, Any]:
    data: dict[str, Any] = scenario.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data = {"format": FORMAT, **data}
    return data


def dumps(scenario: Scenario) -> str:
    """YAML text that :func:`loads` reads back to an equal scenario."""
    return yaml.safe_dump(_plain(scenario), sort_keys=False, allow_unicode=True, width=100)


def dump(scenario: Scenario, path: str | Path) -> None:
    """Write a scenario as YAML."""
    Path(path).write_text(dumps(scenario), encoding="utf-8")


def schema() -> dict[str, Any]:
    """The JSON Schema of the scenario file format, generated from the model."""
    out: dict[str, Any] = Scenario.model_json_schema(mode="validation")
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    out["title"] = "accord scenario (format accord/1)"
    plain: dict[str, Any] = json.loads(json.dumps(out))
    return plain
