"""The strategy contract: declared properties on the class, and a small decision API.

After the Axelrod library's players: each strategy is a small class with a display ``name``, a
declarative classifier (``deterministic``, ``uses_opponent_model``, ``observes_offers``,
``time_only``, ``protocols``) and a few decision methods. Lists of strategies are filtered from
those properties (:func:`strategy_names`), and one contract test checks every strategy.

A strategy instance plays one party in one session at a time. The protocol calls
:meth:`Strategy.start` (which resets it), then, on the party's turns, :meth:`Strategy.respond`
to the offer on the table and, if it rejects (or the table is empty), :meth:`Strategy.propose`.
Strategies that declare ``observes_offers`` also get :meth:`Strategy.observe` for every offer
another party makes. In MOPAC the protocol asks :meth:`Strategy.vote` on every offer and
:meth:`Strategy.opt_in` once the votes are known; in a mediated negotiation
:meth:`Strategy.respond_to_text` answers the mediator's text. Their defaults derive from
:meth:`Strategy.respond`, so every strategy plays every protocol. Offers are package indices
into the session's :class:`~accord.simulation.domain.Domain`; a strategy sees only its own
:class:`~accord.simulation.domain.PartyView`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar, Self

import numpy as np
import numpy.typing as npt

from ..domain import REFUSED, PartyView
from ..state import NegotiationState
from ..trace import ACCEPT, REJECT, VETO
from ..voting import Vote, largest_group

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
    ``protocols``: the protocols it can play (``"saop"``, ``"mopac"``, ``"mediated"``).

    Subclasses take their parameters as keyword arguments and return them from :meth:`params`,
    so :meth:`clone` and pickling rebuild them.
    """

    name: ClassVar[str] = "strategy"
    deterministic: ClassVar[bool] = True
    uses_opponent_model: ClassVar[bool] = False
    observes_offers: ClassVar[bool] = False
    time_only: ClassVar[bool] = False
    protocols: ClassVar[frozenset[str]] = frozenset({"saop", "mopac", "mediated"})

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

    def vote(self, state: NegotiationState, offer: int) -> Vote | None:
        """MOPAC: the vote for ``offer`` (one of this round's offers, its own included), or None.

        Default: a vote for every offer :meth:`respond` accepts now, admitting any coalition the
        protocol allows (at least ``state.quorum_power``, no maximum).
        """
        return Vote(state.quorum_power, math.inf) if self.respond(state, offer) else None

    def opt_in(self, state: NegotiationState, votes: Mapping[int, Mapping[int, Vote]]) -> dict[int, Vote]:
        """MOPAC: given every active party's votes of this round (party -> package -> vote), the
        votes to add or widen (the protocol only lets a party extend its votes).

        Default, "rather in than left out": if no offer it voted for has a viable coalition that
        includes it, and some offer has a viable coalition without it, it joins the one of those
        it likes best, provided that offer is worth its reservation value and crosses none of its
        red lines. (In this model no agreement among the others changes a party's own reservation
        value, so joining a deal that forms anyway is never worse for it.)
        """
        view = self.view
        me = view.party
        mine = votes.get(me, {})

        def group(x: int, with_me: bool) -> tuple[int, ...]:
            voters = [p for p in state.active if x in votes.get(p, {}) and (with_me or p != me)]
            return largest_group(voters, [votes[p][x] for p in voters], state.powers, state.quorum_power)

        if any(me in group(x, True) for x in mine):
            return {}
        offers = dict.fromkeys(x for p in state.active for x in votes.get(p, {}))
        joinable = [
            x for x in offers if x not in mine and acceptable(view, x, view.reservation_q) and group(x, False)
        ]
        if not joinable:
            return {}
        best = max(joinable, key=lambda x: (view.effective_list[x], -x))
        return {best: Vote(state.quorum_power, math.inf)}

    def respond_to_text(self, state: NegotiationState, text: int) -> int:
        """Mediated: the answer to the mediator's text, an action code: ``ACCEPT`` when
        :meth:`respond` accepts it now, ``VETO`` when it is worth less than no agreement (or
        crosses a red line), else ``REJECT`` (acceptable in principle, not yet)."""
        if self.respond(state, text):
            return ACCEPT
        view = self.view
        return REJECT if acceptable(view, text, view.reservation_q) else VETO

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
