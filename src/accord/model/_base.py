"""Shared building blocks of the scenario model: strict, frozen data with no I/O."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

__all__ = ["Identifier", "Number", "Real", "Text", "Value", "value_of"]


def _reject_bool(value: Any) -> Any:
    # YAML and JSON booleans are numbers to pydantic; in a scenario they are always a mistake.
    if isinstance(value, bool):
        raise ValueError("expected a number, got a boolean")
    return value


Real = Annotated[float, BeforeValidator(_reject_bool)]
"""A float that refuses booleans."""

Identifier = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, pattern=r"^[^\s=,][^=,]*$", strip_whitespace=False),
]
"""An id: non-empty, no leading space, no ``=`` or ``,`` (they separate packages on the command line)."""

Text = Annotated[str, StringConstraints(max_length=20_000)]


class Frozen(BaseModel):
    """Base of every model class: immutable, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


class Number(Frozen):
    """A number with the reasons for it: every assumption in a scenario can say why and whence."""

    value: Real
    rationale: Text | None = None
    source: Text | None = None


Value = Annotated[Real | Number, Field(union_mode="left_to_right")]
"""A bare number, or a :class:`Number` with its rationale and source."""


def value_of(value: float | Number) -> float:
    """The numeric part of a :data:`Value`."""
    return value.value if isinstance(value, Number) else float(value)
