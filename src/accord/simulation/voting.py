"""Votes with power conditions and the coalitions they allow, after GeniusWeb's MOPAC.

GeniusWeb (Pasman and Jonker, TU Delft; the Python port ``geniusweb``) lets a party vote for a
bid with conditions on the power of the coalition it will join: ``Vote(bid, minPower,
maxPower)``. A set of votes for one bid is a *viable consensus* (``CollectedVotes._isViable``)
when it holds at least two parties and its total power ``P`` satisfies ``minPower <= P <=
maxPower`` for every vote in it. Of the viable sets, the one of largest power agrees
(``CollectedVotes.getMaxAgreements``); ``LargestAgreementsLoop`` takes the bid whose largest
viable set has most power, removes its parties, and repeats, so one phase may give several
disjoint agreements. accord adds a power-weighted quorum: a coalition must also hold at least
``quorum_power``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..errors import AccordError

__all__ = ["Vote", "largest_agreements", "largest_group"]

_EPS = 1e-9
MAX_VOTERS = 20
"""Coalitions are found by enumerating subsets of the voters, as GeniusWeb does, up to this many
voters; beyond it, votes without an upper power bound are solved by :func:`_largest_unbounded`
(exact, any number of voters) and votes with one are refused."""


@dataclass(frozen=True)
class Vote:
    """A vote for a package, on condition that the coalition that agrees on it holds at least
    ``min_power`` and at most ``max_power`` (MOPAC's ``Vote(bid, minPower, maxPower)``)."""

    min_power: float = 0.0
    max_power: float = math.inf

    def admits(self, power: float) -> bool:
        """Whether a coalition of total ``power`` meets this vote's conditions."""
        return self.min_power - _EPS <= power <= self.max_power + _EPS

    def extends(self, other: Vote) -> bool:
        """Whether this vote admits every coalition ``other`` admits (MOPAC's opt-in rule)."""
        return self.min_power <= other.min_power and self.max_power >= other.max_power

    def widened(self, other: Vote) -> Vote:
        """The least vote that extends both."""
        return Vote(min(self.min_power, other.min_power), max(self.max_power, other.max_power))


def largest_group(
    voters: Sequence[int], votes: Sequence[Vote], powers: Sequence[float], quorum_power: float = 0.0
) -> tuple[int, ...]:
    """The coalition of largest power among ``voters`` (each with its vote) whose every vote
    admits its power, of at least two parties and ``quorum_power``; () if none. Ties go to the
    first found, trying the whole set first and then subsets in a fixed order."""
    n = len(voters)
    if n < 2:
        return ()
    if n > MAX_VOTERS:
        if all(math.isinf(v.max_power) for v in votes):
            return _largest_unbounded(voters, votes, powers, quorum_power)
        raise AccordError(
            f"{n} parties vote for one package and some votes cap the coalition's power; the largest "
            f"admissible coalition is found by enumeration for at most {MAX_VOTERS} such voters "
            "(votes without a cap have no limit): use fewer parties or strategies whose votes "
            "set no max_power"
        )
    total = sum(powers[p] for p in voters)
    if total < quorum_power - _EPS:
        return ()
    if all(v.admits(total) for v in votes):
        return tuple(voters)
    best: tuple[int, ...] = ()
    best_power = -math.inf
    for mask in range((1 << n) - 2, 0, -1):
        members = [i for i in range(n) if mask >> i & 1]
        if len(members) < 2:
            continue
        power = sum(powers[voters[i]] for i in members)
        if power <= best_power + _EPS or power < quorum_power - _EPS:
            continue
        if all(votes[i].admits(power) for i in members):
            best, best_power = tuple(voters[i] for i in members), power
    return best


def _largest_unbounded(
    voters: Sequence[int], votes: Sequence[Vote], powers: Sequence[float], quorum_power: float
) -> tuple[int, ...]:
    """:func:`largest_group` when no vote caps the power (``max_power`` infinite), in
    O(n log n). A coalition is admissible iff its power reaches the largest ``min_power`` in it;
    adding a voter whose ``min_power`` is at most that largest one keeps it admissible and adds
    power, so the largest admissible coalition is a prefix of the voters sorted by
    ``min_power`` (ties included together). The longest admissible prefix is the answer."""
    order = sorted(range(len(voters)), key=lambda i: votes[i].min_power)
    best: list[int] = []
    power = 0.0
    k = 0
    while k < len(order):
        level = votes[order[k]].min_power
        while k < len(order) and votes[order[k]].min_power == level:
            power += powers[voters[order[k]]]
            k += 1
        if k >= 2 and power >= level - _EPS and power >= quorum_power - _EPS:
            best = order[:k]
    return tuple(voters[i] for i in sorted(best))


def largest_agreements(
    packages: Iterable[int],
    votes: Mapping[int, Mapping[int, Vote]],
    parties: Iterable[int],
    powers: Sequence[float],
    quorum_power: float = 0.0,
) -> list[tuple[int, tuple[int, ...]]]:
    """GeniusWeb's ``LargestAgreementsLoop``: repeatedly, the package (in the given order; ties
    to the first) whose largest viable coalition among the remaining ``parties`` has most power
    agrees with that coalition, whose parties then leave. Returns (package, parties) pairs."""
    order = list(dict.fromkeys(packages))
    remaining = sorted(set(parties))
    out: list[tuple[int, tuple[int, ...]]] = []
    while True:
        found: tuple[int, tuple[int, ...]] | None = None
        found_power = -math.inf
        for x in order:
            voters = [p for p in remaining if x in votes.get(p, {})]
            group = largest_group(voters, [votes[p][x] for p in voters], powers, quorum_power)
            if group:
                power = sum(powers[p] for p in group)
                if power > found_power + _EPS:
                    found, found_power = (x, group), power
        if found is None:
            return out
        out.append(found)
        remaining = [p for p in remaining if p not in found[1]]
