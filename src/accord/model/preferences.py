"""A party's preferences: additive weights and option values, interactions, red lines.

Normalisation (documented in docs/scenario-format.md):

* weights are relative: each is divided by the sum of the party's weights;
* option values are on any non-negative scale: each is divided by the largest value the party
  gives any option of that issue (the Genius convention), so the best option of an issue scores 1;
* a numeric issue's value function is piecewise linear through ``points``; outside the first and
  last point it is constant; it is normalised by its largest value on the issue's grid;
* an interaction adds its ``value`` (on the normalised utility scale, so 0.1 is a tenth of the
  whole scale, and it may be negative) to every package that meets all its conditions;
* a red line makes every package that meets all its conditions unacceptable to the party.

So ``u(package) = sum_i w_i * v_i(option_i) / max_i + sum of the interactions that hold``, which
lies in [0, 1] when there are no interactions.
"""

from __future__ import annotations

import itertools
from typing import Annotated

from pydantic import Field, model_validator

from ._base import Frozen, Name, Real, Text, Value
from ._frozen import FrozenDict, NonEmpty

__all__ = ["Condition", "Interaction", "PiecewiseLinear", "Preferences", "RangeCondition", "RedLine"]


class RangeCondition(Frozen):
    """Holds for a numeric issue whose value lies in ``[min, max]`` (either end may be open)."""

    min: Real | None = None
    max: Real | None = None

    @model_validator(mode="after")
    def _check(self) -> RangeCondition:
        if self.min is None and self.max is None:
            raise ValueError("a range condition needs `min`, `max` or both")
        if self.min is not None and self.max is not None and self.max < self.min:
            raise ValueError(f"max ({self.max:g}) is below min ({self.min:g})")
        return self


Condition = Name | Real | tuple[Name | Real, ...] | RangeCondition
"""What an issue must hold: one option, one of several options (a tuple; a file's list), or a
numeric range."""


class Interaction(Frozen):
    """A value added to the party's utility when every condition holds at once."""

    when: Annotated[FrozenDict[str, Condition], NonEmpty()]
    value: Value
    rationale: Text | None = None
    source: Text | None = None


class RedLine(Frozen):
    """Packages the party refuses whatever else it gets: those meeting every condition."""

    when: Annotated[FrozenDict[str, Condition], NonEmpty()]
    rationale: Text | None = None
    source: Text | None = None


class PiecewiseLinear(Frozen):
    """A value function on a numeric issue through ``(x, value)`` points, sorted by x."""

    points: tuple[tuple[Real, Value], ...] = Field(min_length=1)
    rationale: Text | None = None
    source: Text | None = None

    @model_validator(mode="after")
    def _check(self) -> PiecewiseLinear:
        xs = [x for x, _ in self.points]
        if any(b <= a for a, b in itertools.pairwise(xs)):
            raise ValueError("points must have strictly increasing x")
        return self


class Preferences(Frozen):
    """One party's preferences over the issues of its scenario."""

    # Read-only like every model (see Frozen): the tables are FrozenDicts, the lists tuples, and
    # model_copy(update=...) validates the changed copy. (A comment: the docstring is the
    # JSON Schema's description.)

    weights: FrozenDict[str, Value] = Field(default_factory=FrozenDict)
    values: FrozenDict[str, FrozenDict[str, Value] | PiecewiseLinear] = Field(default_factory=FrozenDict)
    interactions: tuple[Interaction, ...] = Field(default_factory=tuple)
    red_lines: tuple[RedLine, ...] = Field(default_factory=tuple)
    rationale: Text | None = None
    source: Text | None = None
