"""Brams and Taylor's Adjusted Winner, in exact rational arithmetic.

Source: S. J. Brams and A. D. Taylor, *Fair Division: From Cake-Cutting to Dispute Resolution*,
Cambridge University Press, 1996, ch. 4 (and *The Win-Win Solution*, 1999).

Two parties spread 100 points each over the items. Each item first goes to the party that gives
it more points. The party with more points (the leader) then hands items to the other (the
trailer) in increasing order of the ratio leader's points / trailer's points, until the totals
are equal; the item whose transfer would overshoot is split, so at most one item is divided.

Tie rules (the book leaves them to the user; docs/fair-division.md):

* an item both parties value equally goes first to the party with more points from the items it
  values strictly more (the first party on a tie); its ratio is 1, the lowest a leader's item can
  have, so it is the first to move if any must;
* items with equal ratios move in the order of the file;
* an item the trailer values at 0 has an infinite ratio and moves last (it is never needed: the
  leader can always be brought down by items the trailer values).

The result carries the checks of envy-freeness, equitability and efficiency, computed from the
allocation, not assumed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import AnalysisError

__all__ = ["AdjustedWinner", "Split", "adjusted_winner", "is_pareto_optimal"]

TOTAL = Fraction(100)


@dataclass(frozen=True)
class Split:
    """The one divided item and the share of it each party gets."""

    item: str
    fraction: dict[str, Fraction]

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "fraction": {p: _text(f) for p, f in self.fraction.items()}}


@dataclass(frozen=True)
class AdjustedWinner:
    """An Adjusted Winner allocation: each party's share of each item, its points, the checks."""

    parties: tuple[str, str]
    items: tuple[str, ...]
    values: dict[str, dict[str, Fraction]]  # party -> item -> points
    allocation: dict[str, dict[str, Fraction]]  # item -> party -> share in [0, 1]
    points: dict[str, Fraction]
    split: Split | None
    envy_free: bool
    equitable: bool
    efficient: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": "adjusted_winner",
            "allocation": {
                i: {p: _text(f) for p, f in shares.items()} for i, shares in self.allocation.items()
            },
            "points": {p: _text(v) for p, v in self.points.items()},
            "split": None if self.split is None else self.split.to_dict(),
            "envy_free": self.envy_free,
            "equitable": self.equitable,
            "efficient": self.efficient,
        }


def _text(f: Fraction) -> str:
    return f"{f.numerator}/{f.denominator}"


def _points(values: Mapping[str, Fraction], shares: Mapping[str, Fraction]) -> Fraction:
    return sum((values[i] * shares[i] for i in shares), Fraction(0))


def is_pareto_optimal(a: Sequence[Fraction], b: Sequence[Fraction], share_a: Sequence[Fraction]) -> bool:
    """Whether no reallocation gives one party more without giving the other less.

    With additive values over divisible items this holds exactly when no pair of items (i held
    at least partly by A, j at least partly by B) has a[j] b[i] > a[i] b[j] (a small swap of i
    for j then helps both), and no item is held by a party that values it 0 while the other
    values it more.
    """
    held_a = [k for k, f in enumerate(share_a) if f > 0]
    held_b = [k for k, f in enumerate(share_a) if f < 1]
    if any(a[k] == 0 < b[k] for k in held_a) or any(b[k] == 0 < a[k] for k in held_b):
        return False
    return not any(a[j] * b[i] > a[i] * b[j] for i in held_a for j in held_b)


def adjusted_winner(
    items: Sequence[str], points: Mapping[str, Sequence[Fraction | int | str]]
) -> AdjustedWinner:
    """Adjusted Winner (Brams and Taylor 1996) for two parties' points over ``items``.

    ``points`` maps each of the two parties to its points, one per item, each party's summing to
    100 (any exact number: ints, Fractions or decimal strings such as ``"12.5"``).
    """
    if len(points) != 2:
        raise AnalysisError(f"Adjusted Winner divides between two parties; got {len(points)}")
    if not items:
        raise AnalysisError("there are no items to divide")
    if len(set(items)) != len(items):
        raise AnalysisError("item names must be unique")
    first, second = parties = tuple(points)
    values: dict[str, dict[str, Fraction]] = {}
    for party in parties:
        row = points[party]
        if len(row) != len(items):
            raise AnalysisError(f"party '{party}' gives {len(row)} values for {len(items)} items")
        try:
            exact = [Fraction(v) for v in row]
        except (ValueError, ZeroDivisionError):
            raise AnalysisError(f"party '{party}': every value must be an exact number") from None
        if any(v < 0 for v in exact):
            raise AnalysisError(f"party '{party}': points must be >= 0")
        if sum(exact) != TOTAL:
            raise AnalysisError(f"party '{party}': points sum to {float(sum(exact)):g}; they must sum to 100")
        values[party] = dict(zip(items, exact, strict=True))
    a, b = values[first], values[second]

    # Step 1: each item to the party that values it more; tied items to the party ahead.
    share = {i: Fraction(1) if a[i] > b[i] else Fraction(0) for i in items}  # A's share
    ties = [i for i in items if a[i] == b[i]]
    ahead_a = _points(a, share) >= sum((b[i] for i in items if b[i] > a[i]), Fraction(0))
    for i in ties:
        share[i] = Fraction(1) if ahead_a else Fraction(0)

    # Step 2: the leader hands items over, lowest ratio first, splitting the one that overshoots.
    split = None
    total_a = _points(a, share)
    total_b = sum((b[i] * (1 - share[i]) for i in items), Fraction(0))
    if total_a != total_b:
        leader_is_a = total_a > total_b
        lead, trail = (a, b) if leader_is_a else (b, a)
        held = [i for i in items if (share[i] == 1) == leader_is_a]

        def ratio(i: str) -> tuple[int, Fraction]:
            # (1, 0) sorts after every finite ratio: items the trailer values at 0 move last.
            return (1, Fraction(0)) if trail[i] == 0 else (0, lead[i] / trail[i])

        t_lead, t_trail = (total_a, total_b) if leader_is_a else (total_b, total_a)
        for i in sorted(held, key=lambda i: (ratio(i), items.index(i))):
            if t_lead - lead[i] >= t_trail + trail[i]:
                t_lead -= lead[i]
                t_trail += trail[i]
                share[i] = Fraction(0) if leader_is_a else Fraction(1)
                if t_lead == t_trail:
                    break
                continue
            moved = (t_lead - t_trail) / (lead[i] + trail[i])
            share[i] = 1 - moved if leader_is_a else moved
            split = Split(i, {first: share[i], second: 1 - share[i]})
            break

    allocation = {i: {first: share[i], second: 1 - share[i]} for i in items}
    got = {first: _points(a, share), second: sum((b[i] * (1 - share[i]) for i in items), Fraction(0))}
    # Envy-free: each values its own bundle at least as much as the other's (100 minus its own).
    envy_free = all(got[p] >= TOTAL - got[p] for p in parties)
    return AdjustedWinner(
        parties=(first, second),
        items=tuple(items),
        values=values,
        allocation=allocation,
        points=got,
        split=split,
        envy_free=envy_free,
        equitable=got[first] == got[second],
        efficient=is_pareto_optimal([a[i] for i in items], [b[i] for i in items], [share[i] for i in items]),
    )
