"""Issues and their options: discrete choices or numeric ranges on a grid."""

from __future__ import annotations

import math
from functools import cached_property
from typing import Any, Literal

from pydantic import model_validator

from ._base import Frozen, Identifier, Real, Text, Whole

__all__ = ["Issue", "NumericRange", "Option", "OptionValue"]

OptionValue = str | int | float
"""What a package holds for one issue: an option id, or a number on a numeric issue."""

_MAX_GRID = 1_000_000


class Option(Frozen):
    """One discrete option of an issue."""

    id: Identifier
    label: Text | None = None
    description: Text | None = None
    rationale: Text | None = None
    source: Text | None = None


class NumericRange(Frozen):
    """An integer or real range; its options are the grid ``min, min + step, ...`` up to ``max``.

    ``step`` must divide ``max - min`` (to within 1e-9 of a step on a real range): the grid then
    ends exactly at ``max``, so no end point is dropped silently. An integer range keeps its
    numbers as Python ints, exact however large (a float holds integers exactly only to 2**53).
    """

    kind: Literal["integer", "real"]
    min: Whole | Real
    max: Whole | Real
    step: Whole | Real = 1.0
    unit: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _integers_stay_integers(cls, data: Any) -> Any:
        # An integer range written with floats (1.0, or 5e3) holds ints; a float near 2**53 has
        # already lost its last digits, which is why the YAML reader's ints are kept as they are.
        if isinstance(data, dict) and data.get("kind") == "integer":
            data = {"step": 1, **data}
            for key in ("min", "max", "step"):
                x = data.get(key)
                if isinstance(x, float) and math.isfinite(x) and x.is_integer():
                    data[key] = int(x)
        elif isinstance(data, dict):  # a real range holds floats, as it always has
            data = {
                k: float(v) if k in ("min", "max", "step") and type(v) is int else v for k, v in data.items()
            }
        return data

    @model_validator(mode="after")
    def _check(self) -> NumericRange:
        if not (math.isfinite(self.min) and math.isfinite(self.max) and math.isfinite(self.step)):
            raise ValueError("min, max and step must be finite numbers")
        if self.max < self.min:
            raise ValueError(f"max ({self.max:g}) is below min ({self.min:g}); swap them")
        if self.step <= 0:
            raise ValueError(f"step must be positive, got {self.step:g}")
        if self.kind == "integer":
            if not all(isinstance(x, int) for x in (self.min, self.max, self.step)):
                raise ValueError("an integer range needs integer min, max and step")
            if (self.max - self.min) % self.step:
                raise ValueError(_not_dividing(self.min, self.max, self.step, self.size))
        else:
            try:
                spans = (self.max - self.min) / self.step
            except OverflowError:
                spans = math.inf
            if not math.isfinite(spans):
                raise ValueError("max - min is too large for the step; use a larger step")
            if abs(spans - round(spans)) > 1e-9 * max(1.0, spans):
                raise ValueError(_not_dividing(self.min, self.max, self.step, self.size))
        if self.size > _MAX_GRID:
            raise ValueError(
                f"the grid has {self.size:,} points (more than {_MAX_GRID:,}); use a larger step"
            )
        return self

    @property
    def size(self) -> int:
        """Number of grid points."""
        if self.kind == "integer" and isinstance(self.min, int) and isinstance(self.max, int):
            return (self.max - self.min) // int(self.step) + 1
        return math.floor((self.max - self.min) / self.step + 1e-9) + 1

    def grid(self) -> tuple[int | float, ...]:
        """The grid points, as ints on an integer range."""
        if self.kind == "integer":
            return tuple(range(int(self.min), int(self.max) + 1, int(self.step)))
        # Computed from the index, not by repeated addition, so the points do not drift.
        return tuple(round(self.min + i * self.step, 12) for i in range(self.size))


def _not_dividing(lo: float, hi: float, step: float, size: int) -> str:
    last = lo + (size - 1) * step
    return (
        f"step {step:g} does not divide max - min ({hi - lo:g}): the grid {lo:g}, {lo + step:g}, ..., "
        f"{last:g} would leave out max {hi:g}; set max to {last:g} or {last + step:g}, or choose "
        f"a step that divides {hi - lo:g}"
    )


class Issue(Frozen):
    """An issue on the table: exactly one of ``options`` (discrete) or ``range`` (numeric)."""

    id: Identifier
    name: Text | None = None
    rationale: Text | None = None
    source: Text | None = None
    options: tuple[Option, ...] | None = None
    range: NumericRange | None = None

    @model_validator(mode="after")
    def _check(self) -> Issue:
        if (self.options is None) == (self.range is None):
            raise ValueError("give an issue either `options` (a list) or a numeric `range`, not both")
        if self.options is not None:
            if not self.options:
                raise ValueError("an issue needs at least one option")
            ids = [o.id for o in self.options]
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"duplicate option ids: {', '.join(dupes)}; make each id unique")
        return self

    @property
    def is_numeric(self) -> bool:
        return self.range is not None

    @property
    def title(self) -> str:
        return self.name or self.id

    def values(self) -> tuple[OptionValue, ...]:
        """The options in order: option ids, or the grid points of a numeric range."""
        return self._values

    @cached_property
    def _values(self) -> tuple[OptionValue, ...]:
        # Computed once: the analysis asks for it for every package it reports.
        if self.range is not None:
            return self.range.grid()
        assert self.options is not None
        return tuple(o.id for o in self.options)

    def index_of(self, value: OptionValue) -> int:
        """Position of an option id (or grid value) in :meth:`values`; ``KeyError`` if absent."""
        values = self.values()
        if self.range is None:
            if not isinstance(value, str) and not isinstance(value, bool):
                # A YAML author who writes `when: {seats: 3}` means the option with id "3".
                value = str(int(value)) if float(value).is_integer() else str(value)
            if value in values:
                return values.index(value)
        elif not isinstance(value, bool) and isinstance(value, int | float):
            for i, v in enumerate(values):
                if abs(float(v) - float(value)) <= 1e-9 * max(1.0, abs(float(v))):
                    return i
        raise KeyError(value)

    def label_of(self, value: OptionValue) -> str:
        """How a person reads an option: its label (else its id), or a number with its unit."""
        if self.options is not None:
            for option in self.options:
                if option.id == value:
                    return option.label or option.id
        unit = f" {self.range.unit}" if self.range is not None and self.range.unit else ""
        return f"{value}{unit}"

    @property
    def size(self) -> int:
        if self.range is not None:
            return self.range.size
        assert self.options is not None
        return len(self.options)
