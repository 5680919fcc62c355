"""Shared building blocks of the scenario model: strict, frozen data with no I/O."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..errors import Problem, ScenarioError

__all__ = [
    "Distribution",
    "Identifier",
    "Normal",
    "Number",
    "Real",
    "Text",
    "Value",
    "support_of",
    "value_of",
]


def _number_only(value: Any) -> Any:
    # pydantic takes booleans, the text "0.3" and bytes for numbers; in a scenario each is a
    # mistake (a quoted number is text to every other reader of the file).
    if isinstance(value, bool):
        raise ValueError("expected a number, got a boolean")
    if isinstance(value, str | bytes | bytearray) and _reads_as_number(value):
        # Other text fails as a number anyway, with pydantic's own message.
        shown = repr(value if isinstance(value, str) else bytes(value))[:60]
        raise ValueError(f"expected a number, got the text {shown}; write the number without quotes")
    return value


def _reads_as_number(text: str | bytes | bytearray) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _text_only(value: Any) -> Any:
    # pydantic decodes bytes (YAML's `!!binary`) into text; an id or a name is written as text.
    if isinstance(value, bytes | bytearray):
        raise ValueError(
            f"expected text, got binary data ({len(value):,} bytes, a YAML `!!binary` value); "
            "write it as plain text"
        )
    return value


Real = Annotated[float, BeforeValidator(_number_only)]
"""A float that refuses booleans, text and bytes."""

Whole = Annotated[int, BeforeValidator(_number_only)]
"""An int that refuses booleans, text and bytes."""

Name = Annotated[str, BeforeValidator(_text_only)]
"""Text that refuses bytes: an option id in a condition."""

# C0 controls, DEL and C1 controls: an ESC in a name would reach the terminal as a command
# (``ESC]0;...`` sets the window title) wherever the name is printed.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_TEXT_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab and line breaks are text


def _no_control(pattern: re.Pattern[str], what: str) -> Any:
    def check(value: str) -> str:
        found = pattern.search(value)
        if found:
            raise ValueError(
                f"{what} contains the control character {ord(found.group()):#04x} at position "
                f"{found.start() + 1}; remove it (ids and names are printable text)"
            )
        return value

    return AfterValidator(check)


Identifier = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, pattern=r"\S", strip_whitespace=False),
    _no_control(_CONTROL, "the id"),
    BeforeValidator(_text_only),  # last, so the constraints are the str's own (JSON Schema)
]
"""An id: at most 200 characters, not blank, no control characters. Any other text is allowed
(``,``, ``=``, ``%``, spaces): ids imported from Genius and GeniusWeb files are the files' own
strings. Where an id holds ``,`` or ``=``, the command line's ``issue=option,...`` cannot name it;
``--package`` takes JSON and ``--set ISSUE=OPTION`` for those."""

Text = Annotated[
    str,
    StringConstraints(max_length=20_000),
    _no_control(_TEXT_CONTROL, "the text"),
    BeforeValidator(_text_only),
]
"""Free text (names, labels, rationales): no control characters but tabs and line breaks."""


class Frozen(BaseModel):
    """Base of every model class: immutable, unknown keys refused.

    Immutable all the way down: fields cannot be assigned, lists are tuples and tables are
    :class:`~accord.model.FrozenDict`, so a validated object stays what was validated. A changed
    copy is made with :meth:`model_copy` and is validated like a new object.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy; with ``update``, the changed copy is validated as a new object would be.

        pydantic's own ``model_copy(update=...)`` skips validation, so a copy could hold what no
        file may (a negative weight, an unknown issue, a list where a tuple belongs). Here every
        field check and every consistency check of the class runs again, and a change that fails
        raises :class:`~accord.errors.ScenarioError` naming the field (``deep`` is then moot:
        nothing in the copy can change). The fields set on this object and those updated count
        as set, as with pydantic's copy, so a dump leaves the same defaults out.
        """
        if not update:
            return super().model_copy(deep=deep)
        data = {name: getattr(self, name) for name in self.model_fields_set}
        data.update(update)
        try:
            return self.model_validate(data)
        except ValidationError as exc:
            raise ScenarioError(
                [
                    Problem(_plain_loc(tuple(e["loc"])), str(e["msg"]).removeprefix("Value error, "))
                    for e in exc.errors()
                ]
            ) from None


def _plain_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """A pydantic error's place without the names of union members (``float``, ``Number``,
    ``function-after[...]``, ``tuple[...]``): keys, field names and indices only."""
    tags = ("float", "int", "str", "bool", "Number", "PiecewiseLinear", "RangeCondition", "constrained-str")
    generic = ("function-", "tuple[", "list[", "dict[", "union[", "literal[", "nullable[")
    return tuple(p for p in loc if isinstance(p, int) or not (p in tags or p.startswith(generic)))


class Normal(Frozen):
    """A normal distribution of mean ``mean`` and standard deviation ``sd``, truncated to
    ``[min, max]`` when either is given (the mean must lie inside)."""

    mean: Real
    sd: Real
    min: Real | None = None
    max: Real | None = None

    @model_validator(mode="after")
    def _check(self) -> Normal:
        if not all(math.isfinite(x) for x in (self.mean, self.sd, self.min or 0.0, self.max or 0.0)):
            raise ValueError("mean, sd, min and max must be finite numbers")
        if self.sd <= 0:
            raise ValueError(f"sd must be positive, got {self.sd:g}")
        if self.min is not None and self.max is not None and self.max < self.min:
            raise ValueError(f"max ({self.max:g}) is below min ({self.min:g}); swap them")
        if (self.min is not None and self.mean < self.min) or (self.max is not None and self.mean > self.max):
            raise ValueError(
                f"mean ({self.mean:g}) lies outside [min, max]; the truncated normal "
                "is centred inside its bounds"
            )
        return self


class Distribution(Frozen):
    """What an uncertain number may be: exactly one of ``uniform: [low, high]``,
    ``triangular: [low, mode, high]`` or ``normal: {mean, sd, min, max}`` (truncated)."""

    uniform: tuple[Real, Real] | None = None
    triangular: tuple[Real, Real, Real] | None = None
    normal: Normal | None = None

    @field_validator("uniform", "triangular")
    @classmethod
    def _ordered(cls, v: tuple[float, ...] | None) -> tuple[float, ...] | None:
        if v is None:
            return v
        if not all(math.isfinite(x) for x in v):
            raise ValueError("must be finite numbers")
        if v[-1] < v[0]:
            raise ValueError(f"low ({v[0]:g}) is above high ({v[-1]:g}); swap them")
        if len(v) == 3 and not v[0] <= v[1] <= v[2]:
            raise ValueError(f"the mode ({v[1]:g}) must lie between low ({v[0]:g}) and high ({v[2]:g})")
        return v

    @model_validator(mode="after")
    def _one(self) -> Distribution:
        given = [k for k in ("uniform", "triangular", "normal") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of `uniform: [low, high]`, "
                "`triangular: [low, mode, high]` or `normal: {mean, sd, min, max}`"
            )
        return self

    @property
    def nominal(self) -> float:
        """The value used when the number gives none: the midpoint, the mode or the mean."""
        if self.uniform is not None:
            return (self.uniform[0] + self.uniform[1]) / 2
        if self.triangular is not None:
            return self.triangular[1]
        assert self.normal is not None
        return self.normal.mean

    @property
    def support(self) -> tuple[float, float]:
        """The smallest and largest value the distribution can take (infinite if unbounded)."""
        if self.uniform is not None:
            return self.uniform
        if self.triangular is not None:
            return self.triangular[0], self.triangular[2]
        assert self.normal is not None
        lo, hi = self.normal.min, self.normal.max
        return (-math.inf if lo is None else lo), (math.inf if hi is None else hi)


def _nominal_from(data: Any) -> float | None:
    """The nominal value of an uncertain number written without `value` (None if unreadable)."""
    try:
        if data.get("range") is not None:
            lo, hi = (float(x) for x in data["range"])
            return (lo + hi) / 2
        if data.get("distribution") is not None:
            raw = data["distribution"]
            return (raw if isinstance(raw, Distribution) else Distribution.model_validate(raw)).nominal
    except (ValidationError, TypeError, ValueError, AttributeError):
        return None
    return None


def _value_optional(schema: dict[str, Any]) -> None:
    # `value` may be left out when a range or distribution gives the nominal value.
    schema["required"] = [r for r in schema.get("required", []) if r != "value"]
    schema["anyOf"] = [{"required": [key]} for key in ("value", "range", "distribution")]


class Number(Frozen):
    """A number with the reasons for it: every assumption in a scenario can say why and whence.

    It may also say how uncertain it is: ``range: [low, high]`` (uniform between the two) or a
    ``distribution``. ``value`` is the nominal value, used by the analysis; when it is left out it
    is the midpoint of the range, the mode of a triangular or the mean of a normal distribution.
    """

    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_default=True, json_schema_extra=_value_optional
    )

    value: Real
    range: tuple[Real, Real] | None = None
    distribution: Distribution | None = None
    rationale: Text | None = None
    source: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _fill_nominal(cls, data: Any) -> Any:
        if (
            isinstance(data, dict)
            and "value" not in data
            and (data.get("range") is not None or data.get("distribution") is not None)
        ):
            nominal = _nominal_from(data)
            # An unreadable range or distribution is reported by its own field; 0 stands in.
            data = {**data, "value": 0.0 if nominal is None else nominal}
        return data

    @field_validator("range")
    @classmethod
    def _check_range(cls, v: tuple[float, float] | None, info: ValidationInfo) -> tuple[float, float] | None:
        if v is None:
            return v
        if not all(math.isfinite(x) for x in v):
            raise ValueError("must be finite numbers")
        if v[1] < v[0]:
            raise ValueError(f"low ({v[0]:g}) is above high ({v[1]:g}); swap them")
        _check_inside(info.data.get("value"), v, "range")
        return v

    @field_validator("distribution")
    @classmethod
    def _check_distribution(cls, v: Distribution | None, info: ValidationInfo) -> Distribution | None:
        if v is None:
            return v
        if info.data.get("range") is not None:
            raise ValueError("give `range` or `distribution`, not both")
        _check_inside(info.data.get("value"), v.support, "distribution")
        return v

    @property
    def is_uncertain(self) -> bool:
        return self.range is not None or self.distribution is not None

    @property
    def support(self) -> tuple[float, float]:
        """The smallest and largest value the number can take (its value when it is certain)."""
        if self.range is not None:
            return self.range
        if self.distribution is not None:
            return self.distribution.support
        return self.value, self.value


def _check_inside(value: object, support: tuple[float, float], what: str) -> None:
    if isinstance(value, float) and not support[0] <= value <= support[1]:
        raise ValueError(
            f"the nominal value {value:g} lies outside the {what} "
            f"[{support[0]:g}, {support[1]:g}]; move one or the other"
        )


Value = Annotated[Real | Number, Field(union_mode="left_to_right")]
"""A bare number, or a :class:`Number` with its rationale and source."""


def value_of(value: float | Number) -> float:
    """The numeric part of a :data:`Value` (the nominal value of an uncertain number)."""
    return value.value if isinstance(value, Number) else float(value)


def support_of(value: float | Number) -> tuple[float, float]:
    """The smallest and largest value a :data:`Value` can take (both its value when certain)."""
    if isinstance(value, Number):
        return value.support
    return float(value), float(value)
