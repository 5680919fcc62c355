"""What a session returns: its configuration, an immutable trace of every action, and the outcome."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import AccordError
from .domain import Domain

__all__ = ["ACTIONS", "Event", "Outcome", "SessionConfig", "SessionResult", "Trace",
           "outcome_utilities"]

JSON = dict[str, Any]

ACTIONS = ("offer", "accept", "end", "reject")
"""Action codes in a :class:`Trace`: 0 offer (on the table; a counter-offer rejects the standing
one), 1 accept, 2 end (walk away), 3 reject (protocols where rejecting is a separate answer)."""
OFFER, ACCEPT, END, REJECT = 0, 1, 2, 3

Protocol = Literal["saop"]


@dataclass(frozen=True, kw_only=True)
class SessionConfig:
    """How a session runs.

    ``n_rounds``: the deadline in rounds (every party acts once per round); relative time at turn
    ``k`` is ``k / (n_rounds * n_parties)``. ``time_limit``: an optional deadline in seconds of
    wall-clock time; relative time is then the larger of the two shares, so the trace depends on
    the machine's speed (seeded reproducibility holds only without it). At least one is needed.
    ``seed``: the session seed; each party's strategy gets its own stream derived from it.
    ``protocol``: ``"saop"``, stacked alternating offers.
    """

    n_rounds: int | None = 100
    time_limit: float | None = None
    seed: int = 0
    protocol: Protocol = "saop"

    def __post_init__(self) -> None:
        if self.n_rounds is None and self.time_limit is None:
            raise AccordError("a session needs a deadline: n_rounds, time_limit or both")
        if self.n_rounds is not None and self.n_rounds < 1:
            raise AccordError(f"n_rounds must be at least 1, got {self.n_rounds}")
        if self.time_limit is not None and not self.time_limit > 0:
            raise AccordError(f"time_limit must be positive seconds, got {self.time_limit}")
        if self.protocol not in ("saop",):
            raise AccordError(f"no protocol '{self.protocol}'; protocols are saop")

    def to_dict(self) -> JSON:
        return {"protocol": self.protocol, "n_rounds": self.n_rounds,
                "time_limit": self.time_limit, "seed": self.seed}


@dataclass(frozen=True)
class Event:
    """One action: who did what, when, with which package (None for walking away)."""

    turn: int
    round: int
    time: float
    party: int
    action: str
    package: int | None


@dataclass(frozen=True)
class Trace:
    """Every action of a session, in order, as parallel tuples (cheap to build and to compare).

    ``action`` holds codes (see :data:`ACTIONS`); ``package`` a package index (-1 when none).
    :attr:`events` gives the same as :class:`Event` objects.
    """

    turn: tuple[int, ...]
    round: tuple[int, ...]
    time: tuple[float, ...]
    party: tuple[int, ...]
    action: tuple[int, ...]
    package: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.turn)

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(Event(k, r, t, p, ACTIONS[a], None if x < 0 else x)
                     for k, r, t, p, a, x in zip(self.turn, self.round, self.time, self.party,
                                                 self.action, self.package, strict=True))

    def offers(self) -> list[tuple[int, int]]:
        """(party, package) of every offer, in order."""
        return [(p, x) for p, a, x in zip(self.party, self.action, self.package, strict=True)
                if a == OFFER]


@dataclass(frozen=True)
class Outcome:
    """How a session ended.

    ``agreement``: the agreed package index, or None. ``parties``: the parties the agreement
    binds (all of them in SAOP). ``utilities``: each party's utility, discounted by
    ``discount_factor ** time`` where the party has one (Genius's convention; the reservation
    value on no agreement is discounted likewise); ``undiscounted`` the same without discount.
    ``reason``: ``agreement``, ``deadline`` or ``ended`` (a party walked away: ``ended_by``).
    ``rounds``: rounds begun; ``turns``: actions taken; ``time``: relative time at the end.
    """

    agreement: int | None
    parties: tuple[int, ...]
    utilities: tuple[float, ...]
    undiscounted: tuple[float, ...]
    reason: str
    rounds: int
    turns: int
    time: float
    ended_by: int | None = None


def outcome_utilities(domain: Domain, agreement: int | None,
                      time: float) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """(discounted, undiscounted) utilities of an agreement, or of no agreement, at ``time``."""
    if agreement is None:
        raw = tuple(v.reservation for v in domain.views)
    else:
        raw = tuple(float(x) for x in domain.utilities[agreement])
    out = tuple(u if v.discount_factor is None or v.discount_factor == 1.0
                else u * math.pow(v.discount_factor, time)
                for u, v in zip(raw, domain.views, strict=True))
    return out, raw


@dataclass(frozen=True)
class SessionResult:
    """A finished session: its configuration, strategies, trace and outcome. ``to_dict()`` is
    the ``accord simulate --json`` output."""

    domain: Domain = field(repr=False, compare=False)
    strategies: tuple[str, ...]
    config: SessionConfig
    trace: Trace
    outcome: Outcome

    @property
    def agreement_package(self) -> dict[str, Any] | None:
        a = self.outcome.agreement
        return None if a is None else self.domain.package(a)

    def to_dict(self) -> JSON:
        d = self.domain
        ids = d.party_ids
        o = self.outcome

        def utilities(x: int) -> dict[str, float]:
            return {pid: _round(u) for pid, u in zip(ids, d.utilities[x], strict=True)}

        return {
            "scenario": d.scenario.id,
            "parties": list(ids),
            "strategies": dict(zip(ids, self.strategies, strict=True)),
            "config": self.config.to_dict(),
            "trace": [{"turn": e.turn, "round": e.round, "time": _round(e.time),
                       "party": ids[e.party], "action": e.action,
                       "package": None if e.package is None else d.package(e.package),
                       "utilities": None if e.package is None else utilities(e.package)}
                      for e in self.trace.events],
            "outcome": {
                "agreement": o.agreement is not None,
                "package": self.agreement_package,
                "parties": [ids[p] for p in o.parties],
                "utilities": {pid: _round(u) for pid, u in zip(ids, o.utilities, strict=True)},
                "undiscounted_utilities": {pid: _round(u)
                                           for pid, u in zip(ids, o.undiscounted, strict=True)},
                "reservation_values": {v.id: _round(v.reservation) for v in d.views},
                "reason": o.reason,
                "ended_by": None if o.ended_by is None else ids[o.ended_by],
                "rounds": o.rounds,
                "turns": o.turns,
                "time": _round(o.time),
            },
        }


def _round(x: float) -> float:
    return round(float(x), 9) + 0.0

