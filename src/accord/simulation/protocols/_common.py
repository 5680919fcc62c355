"""What every protocol does the same way: set a session up, and record its trace.

Each protocol owns one :class:`~accord.simulation.state.NegotiationState` and moves it on
(:meth:`~accord.simulation.state.NegotiationState._advance` and its siblings); the
:class:`Recorder` reads the turn, round and time of every event from that state, so the
trace and what the strategies saw cannot disagree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..domain import Domain
from ..state import Clock, NegotiationState
from ..strategies import Strategy
from ..trace import SessionConfig, Trace
from ..voting import Vote

__all__ = ["Recorder", "open_session"]


def open_session(
    protocol: str,
    domain: Domain,
    strategies: Sequence[Strategy],
    config: SessionConfig,
    *,
    powers: tuple[float, ...] | None = None,
    quorum_power: float = 0.0,
    extra_seeds: int = 0,
) -> tuple[NegotiationState, Clock, list[np.random.SeedSequence]]:
    """The session's state, its strategies started, and its clock.

    One seeding rule for every protocol: party ``p``'s generator is child ``p`` of the
    session seed's :class:`numpy.random.SeedSequence`, whatever the strategies declare, so a
    strategy that wrongly calls itself deterministic shows it under every protocol alike. The
    ``extra_seeds`` children after the parties' (a mediator's) are returned.
    """
    n = domain.n_parties
    state = NegotiationState(
        protocol=protocol,
        n_parties=n,
        n_rounds=config.n_rounds,
        powers=powers,
        quorum_power=quorum_power,
    )
    seeds = np.random.SeedSequence(config.seed).spawn(n + extra_seeds)
    for p, strategy in enumerate(strategies):
        strategy.start(domain.views[p], state, seeds[p])
    return state, Clock(state.n_turns, config.time_limit), seeds[n:]


class Recorder:
    """A trace, event by event: each event at the state's current turn, round and time.

    With ``votes`` (MOPAC) every event also carries a vote's power conditions (NaN when it is
    not a vote) and an agreement index (-1 when it is not an ``agree`` event).
    """

    __slots__ = ("_columns", "_state", "_vote_columns", "_votes")

    def __init__(self, state: NegotiationState, *, votes: bool = False) -> None:
        self._state = state
        self._votes = votes
        self._columns: tuple[list[int], list[int], list[float], list[int], list[int], list[int]] = (
            [],
            [],
            [],
            [],
            [],
            [],
        )
        self._vote_columns: tuple[list[float], list[float], list[int]] = ([], [], [])

    def record(
        self, party: int, action: int, package: int = -1, vote: Vote | None = None, agreement: int = -1
    ) -> None:
        """One event: ``party`` did ``action`` (a code of :data:`~accord.simulation.trace.ACTIONS`)
        with ``package`` (-1: none)."""
        state = self._state
        turns, rounds, times, parties, actions, packages = self._columns
        turns.append(state.turn)
        rounds.append(state.round)
        times.append(state.time)
        parties.append(party)
        actions.append(action)
        packages.append(package)
        if self._votes:
            lows, highs, groups = self._vote_columns
            lows.append(math.nan if vote is None else vote.min_power)
            highs.append(math.nan if vote is None else vote.max_power)
            groups.append(agreement)

    def __len__(self) -> int:
        return len(self._columns[0])

    def trace(self) -> Trace:
        turns, rounds, times, parties, actions, packages = self._columns
        lows, highs, groups = self._vote_columns
        return Trace(
            tuple(turns),
            tuple(rounds),
            tuple(times),
            tuple(parties),
            tuple(actions),
            tuple(packages),
            tuple(lows),
            tuple(highs),
            tuple(groups),
        )
