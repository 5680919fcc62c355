"""The scenario model: plain, immutable, validated data with no I/O."""

from ._base import Distribution, Normal, Number, Value, support_of, value_of
from ._frozen import FrozenDict
from .issue import Issue, NumericRange, Option, OptionValue
from .party import Party
from .preferences import (
    Condition,
    Interaction,
    PiecewiseLinear,
    Preferences,
    RangeCondition,
    RedLine,
)
from .scenario import FORMAT, Constraint, Package, Scenario

__all__ = [
    "FORMAT",
    "Condition",
    "Constraint",
    "Distribution",
    "FrozenDict",
    "Interaction",
    "Issue",
    "Normal",
    "Number",
    "NumericRange",
    "Option",
    "OptionValue",
    "Package",
    "Party",
    "PiecewiseLinear",
    "Preferences",
    "RangeCondition",
    "RedLine",
    "Scenario",
    "Value",
    "support_of",
    "value_of",
]
