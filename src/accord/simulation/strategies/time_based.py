"""Strategies that concede with time alone: time-dependent tactics, aspiration, hardliner."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from ..domain import PartyView
from ..state import NegotiationState
from ..voting import Vote
from ._base import FloatArray, IntArray, ScheduledStrategy

__all__ = ["Aspiration", "Boulware", "Conceder", "Hardliner", "Linear", "TimeBasedConcession"]


def concession_levels(view: PartyView, times: FloatArray, e: float, k: float) -> IntArray:
    """Faratin et al.'s polynomial time-dependent aim, quantized: ``lo + (1 - a(t)) (hi - lo)``
    with ``a(t) = k + (1 - k) t^(1/e)``, ``hi`` the party's best offerable utility and ``lo`` its
    least offerable one (never below its reservation value)."""
    hi = float(view.ascending_q[-1])
    lo = float(view.ascending_q[0])
    alpha = k + (1.0 - k) * np.power(times, 1.0 / e)
    return view.scale.aims(lo + (1.0 - alpha) * (hi - lo))


class TimeBasedConcession(ScheduledStrategy):
    """Time-dependent concession: Faratin, Sierra and Jennings (1998), "Negotiation decision
    functions for autonomous agents", *Robotics and Autonomous Systems* 24(3-4), section 4.1.

    At relative time ``t`` the party aims at ``lo + (1 - a(t)) (hi - lo)`` with the polynomial
    ``a(t) = k + (1 - k) t^(1/e)``: ``e < 1`` concedes late (Boulware), ``e = 1`` linearly,
    ``e > 1`` early (Conceder); ``k`` is the share conceded at once. ``hi`` is its best package,
    ``lo`` its least package still worth its reservation value (Genius's ``Pmin``). It offers the
    lowest-utility package worth at least the aim, and accepts an offer worth at least what it
    would offer now (Genius's ``TimeDependentAgent``, the AC_next rule of Baarslag et al. 2014).
    """

    name: ClassVar[str] = "time-based"
    default_e: ClassVar[float] = 1.0

    def __init__(self, e: float | None = None, k: float = 0.0) -> None:
        super().__init__()
        e = self.default_e if e is None else float(e)
        if not e > 0:
            raise ValueError(f"e must be positive, got {e}")
        if not 0.0 <= k <= 1.0:
            raise ValueError(f"k must be in [0, 1], got {k}")
        self.e = e
        self.k = float(k)

    def params(self) -> dict[str, Any]:
        return {"e": self.e, "k": self.k}

    def levels(self, view: PartyView, times: FloatArray) -> tuple[IntArray, IntArray]:
        aim = concession_levels(view, times, self.e, self.k)
        pos = np.minimum(np.searchsorted(view.ascending_q, aim, side="left"), view.n_offerable - 1)
        return aim, view.ascending_q[pos]  # accept what is worth the offer it would make


class Boulware(TimeBasedConcession):
    """Boulware time-dependent concession (Faratin, Sierra and Jennings 1998): ``e = 0.2``,
    Genius's default for its Boulware agent; concedes little until close to the deadline."""

    name: ClassVar[str] = "boulware"
    default_e: ClassVar[float] = 0.2


class Linear(TimeBasedConcession):
    """Linear time-dependent concession (Faratin, Sierra and Jennings 1998): ``e = 1``."""

    name: ClassVar[str] = "linear"
    default_e: ClassVar[float] = 1.0


class Conceder(TimeBasedConcession):
    """Conceder time-dependent concession (Faratin, Sierra and Jennings 1998): ``e = 2``,
    Genius's default for its Conceder agent; concedes early."""

    name: ClassVar[str] = "conceder"
    default_e: ClassVar[float] = 2.0


class Aspiration(ScheduledStrategy):
    """Polynomial aspiration, as NegMAS's ``AspirationNegotiator`` (``PolyAspiration``) defines
    it, after the aspiration-level account of concession in Pruitt (1981), *Negotiation
    Behavior*, ch. 2.

    The aspiration level falls from the best utility to the reservation floor as
    ``lo + (hi - lo) (1 - t^exponent)`` (NegMAS's "boulware" is ``exponent = 4``, "linear" 1,
    "conceder" 0.25). It offers the lowest-utility package at or above its aspiration and accepts
    any offer at or above it (not only offers as good as its own next one, as
    :class:`TimeBasedConcession` does).
    """

    name: ClassVar[str] = "aspiration"

    def __init__(self, exponent: float = 4.0) -> None:
        super().__init__()
        if not exponent > 0:
            raise ValueError(f"exponent must be positive, got {exponent}")
        self.exponent = float(exponent)

    def params(self) -> dict[str, Any]:
        return {"exponent": self.exponent}

    def levels(self, view: PartyView, times: FloatArray) -> tuple[IntArray, IntArray]:
        aim = concession_levels(view, times, 1.0 / self.exponent, 0.0)
        return aim, aim


class Hardliner(ScheduledStrategy):
    """Never concedes: offers its best package and accepts only offers worth as much (the
    "Hardliner" / "HardHeaded-without-concession" baseline of the Genius agent repository,
    Lin et al. 2014, *Computational Intelligence* 30(1); NegMAS's ``ToughNegotiator``). In MOPAC
    it never opts in to a coalition it did not vote for."""

    name: ClassVar[str] = "hardliner"

    def opt_in(self, state: NegotiationState, votes: Mapping[int, Mapping[int, Vote]]) -> dict[int, Vote]:
        return {}

    def levels(self, view: PartyView, times: FloatArray) -> tuple[IntArray, IntArray]:
        best = np.full(len(times), view.ascending_q[-1], dtype=np.int64)
        return best, best
