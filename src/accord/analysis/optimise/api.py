"""The small public API: the best package for one objective, and which engine to use.

``best_package(scenario, "nash", accepting=["a", "b"])`` answers "which package maximises this
objective among those these parties accept?" with a certified optimum (or its proven interval
when the time limit hits). Objectives by name: ``"utilitarian"``, ``"egalitarian"``,
``"kalai_smorodinsky"``, ``"nash"``, ``"asymmetric_nash"``, ``"utility:<party id>"``; or any
:class:`~accord.analysis.optimise.objectives.Objective`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ...errors import AnalysisError
from ...model import OptionValue, Scenario
from ..space import Space, compile_space
from .layout import layout
from .objectives import MinGain, NashProduct, Objective, Utility, Welfare
from .search import maximise

__all__ = ["Best", "best_package", "choose_engine"]

_FRONTIER_SMALL = 2_000_000  # products of block frontier sizes the frontier engine handles at once


@dataclass(frozen=True)
class Best:
    """A certified optimum: the package, its utilities, the objective's value, the proven
    interval ``[value, bound]`` (one point when ``certified``), and ties (packages)."""

    package: dict[str, OptionValue] | None
    utilities: dict[str, float] | None
    value: float | None
    interval: tuple[float, float]
    certified: bool
    ties: tuple[dict[str, OptionValue], ...]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "utilities": self.utilities,
            "value": self.value,
            "interval": list(self.interval),
            "certified": self.certified,
            "ties": list(self.ties),
            "notes": list(self.notes),
        }


def best_package(
    scenario_or_space: Scenario | Space,
    objective: str | Objective,
    *,
    accepting: Sequence[str] | None = None,
    time_limit: float = 10.0,
    max_ties: int = 0,
) -> Best:
    """The package that maximises ``objective`` among those every party in ``accepting``
    (default: all) accepts; red lines always hold. Parties not in ``accepting`` still count in
    the objective (their gains may be negative). Certified as described in docs/analysis.md."""
    space = scenario_or_space if isinstance(scenario_or_space, Space) else compile_space(scenario_or_space)
    ids = list(space.scenario.party_ids)
    chosen = ids if accepting is None else list(accepting)
    unknown = sorted(set(chosen) - set(ids))
    if unknown:
        raise AnalysisError(
            f"accepting names unknown parties {', '.join(unknown)}; parties are {', '.join(ids)}"
        )
    mask = np.array([p in chosen for p in ids], dtype=bool)
    obj = objective if not isinstance(objective, str) else _named(space, objective, mask, time_limit)
    result = maximise(layout(space), obj, accepting=mask, time_limit=time_limit, max_ties=max_ties)
    parties = space.scenario.parties
    if result.best is None:
        return Best(None, None, None, (-math.inf, result.bound), result.certified, (), result.notes)
    f = result.best
    return Best(
        space.package(f.options),
        {p.id: round(float(v), 9) + 0.0 for p, v in zip(parties, f.utilities, strict=True)},
        f.value,
        result.interval,
        result.certified,
        tuple(space.package(t.options) for t in result.ties),
        result.notes,
    )


def _named(space: Space, name: str, mask: np.ndarray, time_limit: float) -> Objective:
    k = space.n_parties
    if name == "utilitarian":
        return Welfare()
    if name == "egalitarian":
        return MinGain((Fraction(1),) * k)
    if name == "nash":
        return NashProduct((1.0,) * k)
    if name == "asymmetric_nash":
        return NashProduct(tuple(float(x) for x in space.power))
    if name.startswith("utility:"):
        pid = name.split(":", 1)[1]
        if pid not in space.scenario.party_ids:
            raise AnalysisError(f"objective {name!r} names an unknown party")
        return Utility(space.scenario.party_ids.index(pid))
    if name == "kalai_smorodinsky":
        # Each party's best exact gain among the packages the accepting parties accept.
        lay = layout(space)
        span = []
        for p in range(k):
            r = maximise(lay, Utility(p), accepting=mask, time_limit=time_limit)
            best = r.best.exact if r.best is not None else lay.reservation[p]
            span.append(max(Fraction(0), Fraction(best) - lay.reservation[p]))
        return MinGain(tuple(span))
    raise AnalysisError(
        f"unknown objective {name!r}; use utilitarian, egalitarian, kalai_smorodinsky, nash, "
        "asymmetric_nash or utility:<party>"
    )


def choose_engine(space: Space, engine: str = "auto") -> str:
    """``"frontier"`` or ``"optimise"``. ``auto`` takes the frontier engine for up to three
    parties (its frontier stays small there; if it does not, the caller falls back on
    :class:`~accord.errors.SpaceTooLargeError`) and where the product of the blocks' own
    frontiers, an upper bound on the frontier's size, is at most 2,000,000; else the optimiser."""
    if engine != "auto":
        return engine
    if space.n_parties <= 3:
        return "frontier"
    bound = 1
    for block in space.blocks:
        bound *= max(1, len(block.reduced[0]) if block.size else 0)
        if bound > _FRONTIER_SMALL:
            return "optimise"
    return "frontier"
