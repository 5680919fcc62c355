"""A read-only mapping for the tables of the model (weights, values, conditions, preferences).

A frozen pydantic model only refuses assigning its own fields: a ``dict`` inside it can still be
changed, and a changed weight would change every answer computed after it, unchecked. The
model's tables are :class:`FrozenDict` instead, and its lists are tuples, so that a scenario that
has been validated stays exactly what was validated.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NoReturn, TypeVar, get_args

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

__all__ = ["FrozenDict", "NonEmpty"]

K = TypeVar("K")
V = TypeVar("V", covariant=True)


class FrozenDict(Mapping[K, V]):
    """A mapping that cannot change once it is made: it has no method that changes it, item
    assignment and deletion raise ``TypeError``, attribute assignment ``AttributeError``.

    Unlike :class:`types.MappingProxyType` (which it wraps) it can be pickled, as the worker
    processes and Dask need to send scenarios, and hashed when its values can be. As a pydantic
    field type it validates, serialises and describes itself (JSON Schema) as a ``dict`` of the
    same key and value types, so files, dumps and the schema are those of a plain ``dict``.
    """

    __slots__ = ("_hash", "_items")
    _items: MappingProxyType[K, V]
    _hash: int | None

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = (), /) -> None:
        object.__setattr__(self, "_items", MappingProxyType(dict(items)))
        object.__setattr__(self, "_hash", None)

    def __getitem__(self, key: K) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    # The views of the underlying dict, read-only through the proxy (faster than Mapping's).
    def keys(self) -> KeysView[K]:
        return self._items.keys()

    def values(self) -> ValuesView[V]:
        return self._items.values()

    def items(self) -> ItemsView[K, V]:
        return self._items.items()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._items) == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        # Computed once: the model's checks are cached by the (immutable) objects they check.
        if self._hash is None:
            object.__setattr__(self, "_hash", hash(frozenset(self._items.items())))
        assert self._hash is not None
        return self._hash

    def __or__(self, other: Mapping[Any, Any]) -> FrozenDict[Any, Any]:
        return FrozenDict({**self._items, **other})

    def __repr__(self) -> str:
        return f"FrozenDict({dict(self._items)!r})"

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"a FrozenDict cannot change (setting '{name}'); build a new one")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"a FrozenDict cannot change (deleting '{name}'); build a new one")

    def __reduce__(self) -> tuple[type[FrozenDict[K, V]], tuple[dict[K, V]]]:
        return type(self), (dict(self._items),)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return _schema(source, handler, min_length=None)


@dataclass(frozen=True)
class NonEmpty:
    """``Annotated[FrozenDict[K, V], NonEmpty()]``: at least one entry, as ``Field(min_length=1)``
    is for a ``dict`` (which pydantic cannot apply to a type of its own)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return _schema(source, handler, min_length=1)


def _schema(source: Any, handler: GetCoreSchemaHandler, *, min_length: int | None) -> CoreSchema:
    # Validated as the dict of the same types (any mapping is accepted, as for a dict), then
    # frozen; serialised through that dict's schema, so nested models dump as they did.
    args = get_args(source)
    table = handler.generate_schema(dict[args[0], args[1]] if args else dict)  # type: ignore[valid-type]
    if min_length is not None:
        assert table["type"] == "dict", table["type"]
        table = core_schema.dict_schema(
            table.get("keys_schema"), table.get("values_schema"), min_length=min_length
        )
    return core_schema.no_info_after_validator_function(
        FrozenDict,
        table,
        serialization=core_schema.wrap_serializer_function_ser_schema(_as_dict, schema=table),
    )


def _as_dict(value: Mapping[Any, Any], serialize: core_schema.SerializerFunctionWrapHandler) -> Any:
    return serialize(dict(value))
