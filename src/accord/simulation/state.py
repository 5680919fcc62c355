"""The negotiation state a strategy sees: read-only, updated in place by the protocol.

A new state object per step (as NegMAS builds) costs more than most decisions; here the protocol
owns one :class:`NegotiationState` per session and moves it on, and strategies only read it.
"""

from __future__ import annotations

import time as _time

__all__ = ["Clock", "NegotiationState", "turn_time"]


def turn_time(turn: int, n_turns: int) -> float:
    """Relative time of a turn: ``turn / n_turns``, in [0, 1). One formula for every engine."""
    return turn / n_turns


class Clock:
    """Relative time for a deadline in turns, in wall-clock seconds, or both (the later wins).

    ``at(turn)`` is the relative time of that turn, or None once a wall-clock limit has passed.
    Every protocol asks it the same way, so their notions of time agree.
    """

    def __init__(self, n_turns: int | None, limit: float | None) -> None:
        self.n_turns = n_turns
        self.limit = limit
        self._started = _time.perf_counter()

    def at(self, turn: int) -> float | None:
        if self.limit is None:
            assert self.n_turns is not None
            return turn_time(turn, self.n_turns)
        share = (_time.perf_counter() - self._started) / self.limit
        if share >= 1.0:
            return None
        return share if self.n_turns is None else max(share, turn_time(turn, self.n_turns))


class NegotiationState:
    """Where a session stands. Strategies read it; only the protocol changes it.

    ``turn`` counts the turns taken so far (0-based; one party acts per turn), ``round`` the
    complete rounds (every party acting once), ``time`` is relative time in [0, 1): the share of
    the deadline used (``turn / n_turns`` when the deadline is in rounds). ``on_schedule`` is true
    when ``time`` is exactly that (no wall-clock limit), so a strategy may look its decision up by
    ``turn`` in a table computed at the start. ``standing`` is the package on the table (or None),
    ``proposer`` the party that offered it, ``n_accepts`` how many others have accepted it since.

    MOPAC also gives ``powers`` (each party's power, from the scenario) and ``quorum_power`` (the
    least total power of a coalition that may agree) when it makes the state, and keeps
    ``active`` (the parties still at the table: neither bound by an agreement nor gone).
    """

    __slots__ = (
        "_active",
        "_n_accepts",
        "_n_parties",
        "_n_rounds",
        "_n_turns",
        "_on_schedule",
        "_powers",
        "_proposer",
        "_protocol",
        "_quorum_power",
        "_round",
        "_standing",
        "_time",
        "_turn",
    )

    def __init__(
        self,
        *,
        protocol: str,
        n_parties: int,
        n_rounds: int | None,
        powers: tuple[float, ...] | None = None,
        quorum_power: float = 0.0,
    ) -> None:
        self._protocol = protocol
        self._n_parties = n_parties
        self._n_rounds = n_rounds
        self._n_turns = None if n_rounds is None else n_rounds * n_parties
        self._turn = 0
        self._round = 0
        self._time = 0.0
        self._on_schedule = n_rounds is not None
        self._standing: int | None = None
        self._proposer: int | None = None
        self._n_accepts = 0
        self._powers: tuple[float, ...] = (1.0,) * n_parties if powers is None else powers
        self._quorum_power = quorum_power
        self._active: tuple[int, ...] = tuple(range(n_parties))

    # The protocol moves the state on through these methods (strategies only read it). They
    # are the only writers of the attributes above, so every protocol moves it the same way.

    def _advance(self, turn: int, time: float) -> None:
        """Move to ``turn`` (0-based; its round is ``turn // n_parties``) at relative ``time``."""
        self._turn = turn
        self._round = turn // self._n_parties
        self._time = time

    def _offer(self, party: int, package: int) -> None:
        """``party`` put ``package`` on the table: no one has accepted it yet."""
        self._standing = package
        self._proposer = party
        self._n_accepts = 0

    def _accept(self) -> int:
        """One more party accepted the standing package; returns how many have."""
        self._n_accepts += 1
        return self._n_accepts

    def _seat(self, active: tuple[int, ...]) -> None:
        """The parties still at the table (MOPAC)."""
        self._active = active

    @property
    def powers(self) -> tuple[float, ...]:
        return self._powers

    @property
    def quorum_power(self) -> float:
        return self._quorum_power

    @property
    def active(self) -> tuple[int, ...]:
        return self._active

    @property
    def protocol(self) -> str:
        return self._protocol

    @property
    def n_parties(self) -> int:
        return self._n_parties

    @property
    def n_rounds(self) -> int | None:
        return self._n_rounds

    @property
    def n_turns(self) -> int | None:
        return self._n_turns

    @property
    def turn(self) -> int:
        return self._turn

    @property
    def round(self) -> int:
        return self._round

    @property
    def time(self) -> float:
        return self._time

    @property
    def on_schedule(self) -> bool:
        return self._on_schedule

    @property
    def standing(self) -> int | None:
        return self._standing

    @property
    def proposer(self) -> int | None:
        return self._proposer

    @property
    def n_accepts(self) -> int:
        return self._n_accepts

    def __repr__(self) -> str:
        return (
            f"NegotiationState(turn={self._turn}, round={self._round}, time={self._time:.4f}, "
            f"standing={self._standing}, proposer={self._proposer})"
        )
