"""accord's YAML scenario files, with errors that name the file, line and field.

The JSON Schema comes from the model itself (:func:`schema`), so file and model cannot drift.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import Problem, ScenarioError
from ..model import FORMAT, Scenario

__all__ = ["dump", "dumps", "load_file", "loads", "schema"]

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_NODES = 2_000_000  # after expanding aliases: a "billion laughs" file is refused, not built


def _expanded_size(root: yaml.Node | None) -> int:
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
            memo[key] = min(memo[key], MAX_NODES + 1)
        return memo[key]

    return 0 if root is None else size(root)


class _Loader(yaml.SafeLoader):
    """Safe YAML without YAML 1.1 surprises: ``yes``/``no``/``on``/``off`` stay strings.

    Option ids such as ``no`` or ``yes`` are common in negotiation scenarios; only ``true`` and
    ``false`` are booleans. Mapping keys are always strings (they are ids).
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[str, Any]:
    loader.flatten_mapping(node)
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = str(key) if not isinstance(key, str) else key
        if key in out:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


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


def loads(text: str, *, file: str | None = None) -> Scenario:
    """A scenario from YAML text. Raises :class:`ScenarioError` with file, line and field."""
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ScenarioError([Problem((), f"not valid YAML: {exc.problem or exc}", line)], file=file) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"not valid YAML: {exc}", file=file) from None
    if _expanded_size(root) > MAX_NODES:
        raise ScenarioError(
            [
                Problem(
                    (),
                    f"the file expands to more than {MAX_NODES:,} YAML nodes "
                    "through aliases (*name); write the values out",
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


def _other_reading(data: Any, loc: tuple[str | int, ...]) -> bool:
    """Whether an error comes from the reading of a value table that the file did not mean.

    ``values: {issue: ...}`` is either a table of option values or ``{points: ...}``; pydantic
    reports why both readings fail. Keep only the reading the author meant: ``points`` or not.
    """
    for n, part in enumerate(loc):
        if isinstance(part, str) and ("PiecewiseLinear" in part or part.startswith("dict[")):
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
    if any("instance of Number" in m for m in messages):
        return (
            f"expected a number, or a mapping {{value: NUMBER, rationale: TEXT, source: TEXT}}; "
            f"got {errors[0].get('input')!r}"
        )
    return "; or ".join(messages)


def load_file(path: str | Path) -> Scenario:
    """A scenario from a YAML file; errors name the file."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ScenarioError(f"cannot read {path}: {exc.strerror}", file=str(path)) from None
    if size > MAX_FILE_BYTES:
        raise ScenarioError(
            f"file is {size:,} bytes, above the {MAX_FILE_BYTES:,}-byte limit", file=str(path)
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read as UTF-8 text: {exc}", file=str(path)) from None
    return loads(text, file=str(path))


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
