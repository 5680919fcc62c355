"""The strategy contract: declared properties on the class, and a small decision API.

After the Axelrod library's players: each strategy is a small class with a display ``name``, a
declarative classifier (``deterministic``, ``uses_opponent_model``, ``observes_offers``,
``time_only``, ``protocols``) and a few decision methods. Lists of strategies are filtered from
those properties (:func:`strategy_names`), and one contract test checks every strategy.

A strategy instance plays one party in one session at a time. The protocol calls
:meth:`Strategy.start` (which resets it), then, on the party's turns, :meth:`Strategy.respond`
to the offer on the table and, if it rejects (or the table is empty), :meth:`Strategy.propose`.
Strategies that declare ``observes_offers`` also get :meth:`Strategy.observe` for every offer
another party makes. Offers are package indices into the session's
:class:`~accord.simulation.domain.Domain`; a strategy sees only its own
:class:`~accord.simulation.domain.PartyView`.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

import numpy as np
import numpy.typing as npt

from ..domain import REFUSED, PartyView
from ..state import NegotiationState

__all__ = ["ScheduledStrategy", "Strategy"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


class Strategy:
    """Base class of every negotiation strategy.

    Class-level properties (declare them on each subclass):

    ``name``: the registry name (``accord simulate --strategies NAME,...``).
    ``deterministic``: the same state always gives the same decision (no random draws).
    ``uses_opponent_model``: it learns the other parties' preferences from their offers.
    ``observes_offers``: the protocol must call :meth:`observe` with every other party's offer.
    ``time_only``: decisions depend only on time and the offer at hand, so the whole session's
    decisions are a table (:meth:`ScheduledStrategy.schedule`); the batch engine needs this.
    ``protocols``: the protocols it can play (``"saop"``, ...).

    Subclasses take their parameters as keyword arguments and return them from :meth:`params`,
    so :meth:`clone` and pickling rebuild them.
    """

    name: ClassVar[str] = "strategy"
    deterministic: ClassVar[bool] = True
    uses_opponent_model: ClassVar[bool] = False
    observes_offers: ClassVar[bool] = False
    time_only: ClassVar[bool] = False
    protocols: ClassVar[frozenset[str]] = frozenset({"saop"})

    _view: PartyView | None

    def __init__(self) -> None:
        self._view = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self, view: PartyView, state: NegotiationState, seed: np.random.SeedSequence) -> None:
        """Begin a session as party ``view.party``: reset, then prepare from the party's view.

        ``seed`` is this party's share of the session seed; strategies that draw random numbers
        build their generator from it, so the same session seed gives the same session.
        """
        self.reset()
        self._view = view
        self._begin(view, state, seed)

    def _begin(self, view: PartyView, state: NegotiationState, seed: np.random.SeedSequence) -> None:
        """Per-session preparation (subclasses)."""

    def reset(self) -> None:
        """Forget everything from the current session (a fresh instance's state)."""
        self._view = None

    # -- decisions -------------------------------------------------------------------------
    def propose(self, state: NegotiationState) -> int | None:
        """The package to offer now, or None to end the negotiation without agreement."""
        raise NotImplementedError

    def respond(self, state: NegotiationState, offer: int) -> bool:
        """Whether to accept ``offer`` (the package on the table)."""
        raise NotImplementedError

    def observe(self, state: NegotiationState, party: int, offer: int) -> None:
        """Another party offered ``offer`` (called only if ``observes_offers``)."""

    # -- description -----------------------------------------------------------------------
    def params(self) -> dict[str, Any]:
        """The keyword arguments that rebuild this strategy."""
        return {}

    def clone(self) -> Self:
        """A fresh instance with the same parameters."""
        return type(self)(**self.params())

    @property
    def label(self) -> str:
        """The name, with any parameter that differs from the class default: ``time-based(e=3)``."""
        defaults = type(self)().params()
        changed = {k: v for k, v in self.params().items() if defaults.get(k) != v}
        if not changed:
            return self.name
        shown = (f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in changed.items())
        return f"{self.name}({', '.join(shown)})"

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params().items())
        return f"{type(self).__name__}({args})"

    @property
    def view(self) -> PartyView:
        if self._view is None:
            raise RuntimeError(f"{type(self).__name__} is not in a session; call start() first")
        return self._view


class ScheduledStrategy(Strategy):
    """A strategy whose decisions depend only on time and the offer at hand (``time_only``).

    Subclasses give :meth:`levels`: at each relative time, the utility the party aims for when
    offering and the least utility it accepts (both quantized). Offers are the lowest-utility
    offerable package worth at least the aim. When the deadline is in rounds the whole session is
    one table (:meth:`schedule`), computed once at the start; the batch engine uses the same
    table, which is why both engines give identical traces.
    """

    time_only: ClassVar[bool] = True

    def levels(self, view: PartyView, times: FloatArray) -> tuple[IntArray, IntArray]:
        """(aim, least accepted): quantized utilities at each relative time in ``times``."""
        raise NotImplementedError

    def decisions(self, view: PartyView, times: FloatArray) -> tuple[IntArray, IntArray]:
        """(offer, threshold) at each time: the package offered (-1: end, nothing is worth the
        reservation value) and the least effective utility accepted."""
        if view.n_offerable == 0:
            never = np.full(len(times), np.iinfo(np.int64).max, dtype=np.int64)
            return np.full(len(times), -1, dtype=np.int64), never
        aim, threshold = self.levels(view, times)
        pos = np.minimum(np.searchsorted(view.ascending_q, aim, side="left"), view.n_offerable - 1)
        return view.ascending[pos], np.maximum(threshold, view.reservation_q)

    def schedule(self, view: PartyView, n_turns: int) -> tuple[IntArray, IntArray]:
        """:meth:`decisions` at every turn of a session of ``n_turns`` turns."""
        # k / n_turns exactly as turn_time computes it (IEEE division is correctly rounded).
        times = np.arange(n_turns, dtype=np.float64) / n_turns
        return self.decisions(view, times)

    def _begin(self, view: PartyView, state: NegotiationState, seed: np.random.SeedSequence) -> None:
        if state.n_turns is not None:
            offers, thresholds = self.schedule(view, state.n_turns)
            self._offers: list[int] = offers.tolist()
            self._thresholds: list[int] = thresholds.tolist()

    def reset(self) -> None:
        super().reset()
        self._offers = []
        self._thresholds = []

    def _now(self, state: NegotiationState) -> tuple[int, int]:
        if state.on_schedule:
            return self._offers[state.turn], self._thresholds[state.turn]
        offers, thresholds = self.decisions(self.view, np.array([state.time], dtype=np.float64))
        return int(offers[0]), int(thresholds[0])

    def propose(self, state: NegotiationState) -> int | None:
        offer = self._offers[state.turn] if state.on_schedule else self._now(state)[0]
        return None if offer < 0 else offer

    def respond(self, state: NegotiationState, offer: int) -> bool:
        threshold = self._thresholds[state.turn] if state.on_schedule else self._now(state)[1]
        assert self._view is not None
        return self._view.effective_list[offer] >= threshold


def acceptable(view: PartyView, offer: int, threshold: int) -> bool:
    """Whether an offer is worth at least ``threshold`` and the reservation value, with no own
    red line crossed (the one acceptance test every strategy ends with)."""
    value = view.effective_list[offer]
    return value != REFUSED and value >= threshold and value >= view.reservation_q
