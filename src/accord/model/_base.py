"""Shared building blocks of the scenario model: strict, frozen data with no I/O."""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

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


def _reject_bool(value: Any) -> Any:
    # YAML and JSON booleans are numbers to pydantic; in a scenario they are always a mistake.
    if isinstance(value, bool):
        raise ValueError("expected a number, got a boolean")
    return value


Real = Annotated[float, BeforeValidator(_reject_bool)]
"""A float that refuses booleans."""

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
]
"""An id: at most 200 characters, not blank, no control characters. Any other text is allowed
(``,``, ``=``, ``%``, spaces): ids imported from Genius and GeniusWeb files are the files' own
strings. Where an id holds ``,`` or ``=``, the command line's ``issue=option,...`` cannot name it;
``--package`` takes JSON and ``--set ISSUE=OPTION`` for those."""

Text = Annotated[str, StringConstraints(max_length=20_000), _no_control(_TEXT_CONTROL, "the text")]
"""Free text (names, labels, rationales): no control characters but tabs and line breaks."""


class Frozen(BaseModel):
    """Base of every model class: immutable, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


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
