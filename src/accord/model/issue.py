"""Issues and their options: discrete choices or numeric ranges on a grid."""

from __future__ import annotations

import math
from functools import cached_property
from typing import Literal

from pydantic import model_validator

from ._base import Frozen, Identifier, Real, Text

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
    """An integer or real range; its options are the grid ``min, min + step, ...`` up to ``max``."""

    kind: Literal["integer", "real"]
    min: Real
    max: Real
    step: Real = 1.0
    unit: Text | None = None

    @model_validator(mode="after")
    def _check(self) -> NumericRange:
        if not (math.isfinite(self.min) and math.isfinite(self.max) and math.isfinite(self.step)):
            raise ValueError("min, max and step must be finite numbers")
        if self.max < self.min:
            raise ValueError(f"max ({self.max:g}) is below min ({self.min:g}); swap them")
        if self.step <= 0:
            raise ValueError(f"step must be positive, got {self.step:g}")
        if self.kind == "integer" and not all(float(x).is_integer() for x in (self.min, self.max, self.step)):
            raise ValueError("an integer range needs integer min, max and step")
        if self.size > _MAX_GRID:
            raise ValueError(
                f"the grid has {self.size:,} points (more than {_MAX_GRID:,}); use a larger step"
            )
        return self

    @property
    def size(self) -> int:
        """Number of grid points."""
        return math.floor((self.max - self.min) / self.step + 1e-9) + 1

    def grid(self) -> tuple[int | float, ...]:
        """The grid points, as ints on an integer range."""
        if self.kind == "integer":
            return tuple(range(int(self.min), int(self.max) + 1, int(self.step)))
        # Computed from the index, not by repeated addition, so the points do not drift.
        return tuple(round(self.min + i * self.step, 12) for i in range(self.size))


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
