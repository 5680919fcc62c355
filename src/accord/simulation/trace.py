"""What a session returns: its configuration, an immutable trace of every action, and the outcome."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import AccordError
from .domain import Domain

__all__ = [
    "ACTIONS",
    "MAX_ROUNDS",
    "PROTOCOLS",
    "Agreement",
    "Event",
    "Outcome",
    "PartyUtilities",
    "SessionConfig",
    "SessionResult",
    "Trace",
    "outcome_utilities",
    "settled_utilities",
]

JSON = dict[str, Any]

ACTIONS = ("offer", "accept", "end", "reject", "veto", "vote", "opt-in", "agree", "text")
"""Action codes in a :class:`Trace`: 0 offer (on the table; a counter-offer rejects the standing
one), 1 accept, 2 end (walk away), 3 reject (protocols where rejecting is a separate answer),
4 veto (mediated: the text is worse than no agreement), 5 vote and 6 opt-in (MOPAC: a vote for an
offer, with its power conditions), 7 agree (MOPAC: the party is bound by an agreement), 8 text
(mediated: the mediator proposes a text; the event's party is -1)."""
OFFER, ACCEPT, END, REJECT, VETO, VOTE, OPT_IN, AGREE, TEXT = range(9)
MEDIATOR = -1
"""The ``party`` of a mediator's event."""

Protocol = Literal["saop", "mopac", "mediated"]
PROTOCOLS: tuple[str, ...] = ("saop", "mopac", "mediated")
"""The protocols a session can run."""
MAX_ROUNDS = 1_000_000
"""The most rounds a session may last: the trace keeps every event (about 300 bytes each), so a
million rounds of two parties take about 0.7 GB (measured: car-sale, boulware v conceder)."""


@dataclass(frozen=True, kw_only=True)
class SessionConfig:
    """How a session runs.

    ``n_rounds``: the deadline in rounds (every party acts once per round); relative time at turn
    ``k`` is ``k / (n_rounds * n_parties)``. ``time_limit``: an optional deadline in seconds of
    wall-clock time; relative time is then the larger of the two shares, so the trace depends on
    the machine's speed (seeded reproducibility holds only without it). At least one is needed.
    ``seed``: the session seed; each party's strategy gets its own stream derived from it.
    ``protocol``: ``"saop"``, stacked alternating offers; ``"mopac"``, offers, power-weighted votes
    and opt-ins with partial agreements (GeniusWeb's MOPAC); ``"mediated"``, a mediator's single
    negotiating text. ``quorum`` (MOPAC): the least share of the parties' total power a coalition
    must hold to agree. ``mediator`` (mediated): the mediator's registry name.
    """

    n_rounds: int | None = 100
    time_limit: float | None = None
    seed: int = 0
    protocol: Protocol = "saop"
    quorum: float = 0.5
    mediator: str = "hill-climb"

    def __post_init__(self) -> None:
        if self.n_rounds is None and self.time_limit is None:
            raise AccordError("a session needs a deadline: n_rounds, time_limit or both")
        if self.n_rounds is not None and self.n_rounds < 1:
            raise AccordError(f"n_rounds must be at least 1, got {self.n_rounds}")
        if self.n_rounds is not None and self.n_rounds > MAX_ROUNDS:
            raise AccordError(
                f"n_rounds {self.n_rounds:,} is above the limit of {MAX_ROUNDS:,} (the trace keeps "
                "every event in memory); give fewer rounds"
            )
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise AccordError(f"seed must be a non-negative integer, got {self.seed!r}")
        if self.time_limit is not None and not self.time_limit > 0:
            raise AccordError(f"time_limit must be positive seconds, got {self.time_limit}")
        if self.protocol not in PROTOCOLS:
            raise AccordError(f"no protocol '{self.protocol}'; protocols are {', '.join(PROTOCOLS)}")
        if not 0.0 <= self.quorum <= 1.0:
            raise AccordError(f"quorum must be a share of the total power in [0, 1], got {self.quorum}")

    def to_dict(self) -> JSON:
        out: JSON = {
            "protocol": self.protocol,
            "n_rounds": self.n_rounds,
            "time_limit": self.time_limit,
            "seed": self.seed,
        }
        if self.protocol == "mopac":
            out["quorum"] = self.quorum
        elif self.protocol == "mediated":
            out["mediator"] = self.mediator
        return out


@dataclass(frozen=True)
class Event:
    """One action: who did what, when, with which package (None for walking away).

    ``party`` is -1 for the mediator. MOPAC votes and opt-ins carry the vote's power conditions
    (``min_power``, ``max_power``); an ``agree`` event names its agreement (an index into
    :attr:`Outcome.agreements`).
    """

    turn: int
    round: int
    time: float
    party: int
    action: str
    package: int | None
    min_power: float | None = None
    max_power: float | None = None
    agreement: int | None = None


@dataclass(frozen=True)
class Trace:
    """Every action of a session, in order, as parallel tuples (cheap to build and to compare).

    ``action`` holds codes (see :data:`ACTIONS`); ``package`` a package index (-1 when none).
    MOPAC traces also hold, per action, the power conditions of a vote or opt-in (``min_power``,
    ``max_power``; NaN for other actions) and, for ``agree`` actions, the agreement's index
    (``agreement``; -1 for other actions); SAOP traces leave these empty.
    :attr:`events` gives the same as :class:`Event` objects.
    """

    turn: tuple[int, ...]
    round: tuple[int, ...]
    time: tuple[float, ...]
    party: tuple[int, ...]
    action: tuple[int, ...]
    package: tuple[int, ...]
    min_power: tuple[float, ...] = ()
    max_power: tuple[float, ...] = ()
    agreement: tuple[int, ...] = ()

    def __len__(self) -> int:
        return len(self.turn)

    @property
    def events(self) -> tuple[Event, ...]:
        base = zip(self.turn, self.round, self.time, self.party, self.action, self.package, strict=True)
        if not self.min_power:
            return tuple(Event(k, r, t, p, ACTIONS[a], None if x < 0 else x) for k, r, t, p, a, x in base)
        return tuple(
            Event(
                k,
                r,
                t,
                p,
                ACTIONS[a],
                None if x < 0 else x,
                None if math.isnan(lo) else lo,
                None if math.isnan(hi) else hi,
                None if g < 0 else g,
            )
            for (k, r, t, p, a, x), lo, hi, g in zip(
                base, self.min_power, self.max_power, self.agreement, strict=True
            )
        )

    def offers(self) -> list[tuple[int, int]]:
        """(party, package) of every offer, in order."""
        return [(p, x) for p, a, x in zip(self.party, self.action, self.package, strict=True) if a == OFFER]


class PartyUtilities(Mapping[str, float]):
    """Utilities by party id, in the scenario's order of parties, read-only: the one form of
    "the utilities of a package" (as :class:`~accord.Analysis` gives them, a party id to a
    utility). It compares equal to a dict with the same items, and pickles.
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, float] | Iterable[tuple[str, float]] = ()) -> None:
        self._items: dict[str, float] = dict(items)

    def __getitem__(self, party: str) -> float:
        return self._items[party]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(tuple(self._items.items()))

    def __repr__(self) -> str:
        return f"PartyUtilities({self._items!r})"


@dataclass(frozen=True)
class Agreement:
    """One agreement: the package, exactly the parties it binds, and when it was reached."""

    package: int
    parties: tuple[int, ...]
    round: int
    time: float


@dataclass(frozen=True)
class Outcome:
    """How a session ended.

    ``agreement``: the package index agreed by every party (by every signatory, when the
    scenario names ``signatories``), or None. ``parties``: the parties it binds (all of them, or
    at least every signatory, or none). ``agreements``: every agreement, with exactly the parties each
    binds: the one full agreement in SAOP and mediated sessions; in MOPAC possibly several
    partial agreements among disjoint subsets of the parties (then ``agreement`` is None unless
    one agreement binds everyone), and :attr:`without_agreement` lists the parties left out.
    ``utilities``: each party's utility by party id (:class:`PartyUtilities`), discounted by
    ``discount_factor ** time`` (the time of its agreement) where the party has one (Genius's
    convention; the reservation value on no agreement is discounted likewise, at the end);
    ``undiscounted`` the same without discount.
    ``reason``: ``agreement``, ``partial`` (MOPAC: agreements that leave a signatory out, so not an
    agreement),
    ``deadline`` or ``ended`` (a party walked away: ``ended_by``).
    ``rounds``: rounds begun; ``turns``: actions taken; ``time``: relative time at the end.
    """

    agreement: int | None
    parties: tuple[int, ...]
    utilities: Mapping[str, float]
    undiscounted: Mapping[str, float]
    reason: str
    rounds: int
    turns: int
    time: float
    ended_by: int | None = None
    agreements: tuple[Agreement, ...] = ()

    def __post_init__(self) -> None:
        for name in ("utilities", "undiscounted"):  # read-only, whatever mapping was given
            value = getattr(self, name)
            if not isinstance(value, PartyUtilities):
                object.__setattr__(self, name, PartyUtilities(value))
        if self.agreement is not None and not self.agreements:
            full = Agreement(self.agreement, self.parties, max(self.rounds - 1, 0), self.time)
            object.__setattr__(self, "agreements", (full,))

    @property
    def without_agreement(self) -> tuple[int, ...]:
        """The parties no agreement binds."""
        bound = {p for a in self.agreements for p in a.parties}
        return tuple(p for p in range(len(self.utilities)) if p not in bound)

    def agreement_of(self, party: int) -> Agreement | None:
        """The agreement that binds ``party``, if any."""
        return next((a for a in self.agreements if party in a.parties), None)


def outcome_utilities(
    domain: Domain, agreement: int | None, time: float
) -> tuple[PartyUtilities, PartyUtilities]:
    """(discounted, undiscounted) utilities of an agreement of every party, or of no
    agreement, at ``time``."""
    everyone = () if agreement is None else (Agreement(agreement, tuple(range(domain.n_parties)), 0, time),)
    return settled_utilities(domain, everyone, time)


def settled_utilities(
    domain: Domain, agreements: Sequence[Agreement], end: float
) -> tuple[PartyUtilities, PartyUtilities]:
    """(discounted, undiscounted) utilities of each party: of the agreement that binds it,
    discounted at that agreement's time, or its reservation value discounted at ``end``
    (Genius's convention: ``u * discount_factor ** time``)."""
    raw: list[float] = []
    discounted: list[float] = []
    for p, view in enumerate(domain.views):
        bound = next((a for a in agreements if p in a.parties), None)
        u, when = (
            (view.reservation, end)
            if bound is None
            else (float(domain.utilities[bound.package, p]), bound.time)
        )
        raw.append(u)
        delta = view.discount_factor
        discounted.append(u if delta is None or delta == 1.0 else u * math.pow(delta, when))
    ids = domain.party_ids
    return PartyUtilities(zip(ids, discounted, strict=True)), PartyUtilities(zip(ids, raw, strict=True))


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

        def event(e: Event) -> JSON:
            out: JSON = {
                "turn": e.turn,
                "round": e.round,
                "time": _round(e.time),
                "party": "mediator" if e.party == MEDIATOR else ids[e.party],
                "action": e.action,
                "package": None if e.package is None else d.package(e.package),
                "utilities": None if e.package is None else utilities(e.package),
            }
            if e.min_power is not None:
                out["min_power"] = _round(e.min_power)
                out["max_power"] = (
                    None if e.max_power is None or math.isinf(e.max_power) else _round(e.max_power)
                )
            if e.agreement is not None:
                out["agreement"] = e.agreement
            return out

        return {
            "scenario": d.scenario.id,
            "parties": list(ids),
            "strategies": dict(zip(ids, self.strategies, strict=True)),
            "config": self.config.to_dict(),
            "trace": [event(e) for e in self.trace.events],
            "outcome": {
                "agreement": o.agreement is not None,
                "package": self.agreement_package,
                "parties": [ids[p] for p in o.parties],
                "utilities": {pid: _round(u) for pid, u in o.utilities.items()},
                "undiscounted_utilities": {pid: _round(u) for pid, u in o.undiscounted.items()},
                "reservation_values": {v.id: _round(v.reservation) for v in d.views},
                "reason": o.reason,
                "ended_by": None if o.ended_by is None else ids[o.ended_by],
                "rounds": o.rounds,
                "turns": o.turns,
                "time": _round(o.time),
                "agreements": [
                    {
                        "package": d.package(a.package),
                        "parties": [ids[p] for p in a.parties],
                        "round": a.round,
                        "time": _round(a.time),
                        "utilities": {ids[p]: _round(d.utilities[a.package, p]) for p in a.parties},
                    }
                    for a in o.agreements
                ],
                "without_agreement": [ids[p] for p in o.without_agreement],
            },
        }


def _round(x: float) -> float:
    return round(float(x), 9) + 0.0
