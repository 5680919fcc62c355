"""The strategy library and its registry: strategies by name, filtered by their properties."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from types import MappingProxyType

from ...errors import AccordError
from ._base import ScheduledStrategy, Strategy
from .reactive import FrequencyModel, RandomOffers, RelativeTitForTat
from .time_based import Aspiration, Boulware, Conceder, Hardliner, Linear, TimeBasedConcession

__all__ = [
    "STRATEGIES",
    "Aspiration",
    "Boulware",
    "Conceder",
    "FrequencyModel",
    "Hardliner",
    "Linear",
    "RandomOffers",
    "RelativeTitForTat",
    "ScheduledStrategy",
    "Strategy",
    "TimeBasedConcession",
    "make_strategy",
    "strategy_names",
]

STRATEGIES: Mapping[str, type[Strategy]] = MappingProxyType(
    {
        cls.name: cls
        for cls in (
            Boulware,
            Linear,
            Conceder,
            TimeBasedConcession,
            Aspiration,
            Hardliner,
            RelativeTitForTat,
            FrequencyModel,
            RandomOffers,
        )
    }
)
"""Every strategy class by its registry name."""

_SPEC = re.compile(r"^\s*([a-z][a-z0-9_-]*)\s*(?:\((.*)\))?\s*$")


def strategy_names(**properties: object) -> list[str]:
    """Registry names of the strategies whose class properties equal the given values, e.g.
    ``strategy_names(deterministic=True, time_only=True)``."""
    for key in properties:
        if not hasattr(Strategy, key):
            raise AccordError(
                f"strategies have no property '{key}'; use one of deterministic, "
                "uses_opponent_model, observes_offers, time_only"
            )
    return [
        name for name, cls in STRATEGIES.items() if all(getattr(cls, k) == v for k, v in properties.items())
    ]


def make_strategy(spec: str | Strategy) -> Strategy:
    """A strategy from its name with optional parameters: ``"boulware"``, ``"time-based(e=3)"``,
    ``"aspiration(exponent=2)"``. A :class:`Strategy` is returned as it is."""
    if isinstance(spec, Strategy):
        return spec
    match = _SPEC.match(spec)
    if match is None or match.group(1) not in STRATEGIES:
        raise AccordError(
            f"no strategy '{spec}'; strategies are {', '.join(STRATEGIES)} "
            "(parameters as in 'time-based(e=3)')"
        )
    cls = STRATEGIES[match.group(1)]
    kwargs: dict[str, float] = {}
    for item in filter(None, (p.strip() for p in (match.group(2) or "").split(","))):
        key, sep, value = item.partition("=")
        try:
            number = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise AccordError(f"strategy '{spec}': '{item}' is not of the form name=number")
        if key.strip() in kwargs:
            raise AccordError(f"strategy '{spec}': '{key.strip()}' is given twice; give each parameter once")
        if not math.isfinite(number):
            raise AccordError(f"strategy '{spec}': '{item}' is not a finite number")
        kwargs[key.strip()] = number
    try:
        return cls(**kwargs)
    except TypeError as exc:
        known = ", ".join(cls().params()) or "none"
        raise AccordError(f"strategy '{spec}': {exc}; its parameters are: {known}") from None
    except ValueError as exc:
        raise AccordError(f"strategy '{spec}': {exc}") from None
