"""Adjusted Winner: Brams and Taylor's divorce example by hand, the tie rules, and its
properties on random instances, efficiency checked by brute force."""

from __future__ import annotations

import itertools
import re
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.division import adjusted_winner, is_pareto_optimal, parse_items, read_items
from accord.errors import AnalysisError, ImportFormatError

F = Fraction


def test_divorce_example_of_brams_and_taylor() -> None:
    # Carol takes the retirement account and the cottage, Bob the home and "other"; the tied
    # investments go to Carol (ahead 65 to 40). Carol leads 75 to 40 and gives the lowest-ratio
    # items: investments (10/10 = 1), then the retirement account (50/40 = 1.25), which must be
    # split: f = (65 - 50) / (50 + 40) = 1/6 to Bob. Both end with 65 - 50/6 = 50 + 40/6 = 170/3.
    items = read_items("divorce")
    result = adjusted_winner(items.items, items.points)
    assert result.points == {"Carol": F(170, 3), "Bob": F(170, 3)}
    assert result.split is not None and result.split.item == "retirement account"
    assert result.split.fraction == {"Carol": F(5, 6), "Bob": F(1, 6)}
    bob = {i for i, share in result.allocation.items() if share["Bob"] == 1}
    assert bob == {"home", "other", "investments"}
    assert result.envy_free and result.equitable and result.efficient
    assert result.to_dict()["allocation"]["retirement account"] == {"Carol": "5/6", "Bob": "1/6"}


def test_equal_valuations_give_each_half_without_a_split_when_items_allow() -> None:
    # All tied, so all go first to A (0 >= 0), then move in file order until 50/50.
    result = adjusted_winner(["a", "b", "c"], {"A": [50, 25, 25], "B": [50, 25, 25]})
    assert result.points == {"A": 50, "B": 50}
    assert result.split is None
    assert result.allocation["a"] == {"A": 0, "B": 1}


def test_no_transfer_needed() -> None:
    result = adjusted_winner(["x", "y"], {"A": [100, 0], "B": [0, 100]})
    assert result.points == {"A": 100, "B": 100} and result.split is None


def test_decimal_points_are_exact() -> None:
    items = parse_items("item,A,B\nx,12.5,25\ny,87.5,75\n")
    assert items.points["A"] == (F(25, 2), F(175, 2))
    result = adjusted_winner(items.items, items.points)
    assert result.points["A"] == result.points["B"]


def test_bad_files_are_refused_with_the_place() -> None:
    with pytest.raises(ImportFormatError, match=re.escape("f.csv: B's points sum to 90")):
        parse_items("item,A,B\nx,50,40\ny,50,50\n", file="f.csv")
    with pytest.raises(ImportFormatError, match=re.escape("f.csv:2: A's points 'ten'")):
        parse_items("item,A,B\nx,ten,40\n", file="f.csv")
    with pytest.raises(ImportFormatError, match=re.escape("f.csv:1: the header")):
        parse_items("thing,A\n", file="f.csv")
    with pytest.raises(AnalysisError, match="two parties"):
        adjusted_winner(["x"], {"A": [100]})


def _value(points: list[Fraction], shares: list[Fraction]) -> Fraction:
    return sum((p * f for p, f in zip(points, shares, strict=True)), F(0))


def _both_better_exists(a: list[Fraction], b: list[Fraction], ua: Fraction, ub: Fraction) -> bool:
    """Brute force: is there any division of the items giving both parties strictly more?

    The utility pairs reachable by dividing the items form a convex polygon whose vertices are
    whole-item allocations; if it meets the open quadrant above (ua, ub) some edge does, and
    every edge joins two whole-item allocations. So check every segment between two of them.
    """
    n = len(a)
    points = []
    for bits in itertools.product((0, 1), repeat=n):
        share = [F(v) for v in bits]
        points.append((_value(a, share), _value(b, [1 - f for f in share])))
    for (a1, b1), (a2, b2) in itertools.combinations_with_replacement(points, 2):
        # max over lam in [0, 1] of min(ga(lam), gb(lam)), both linear: at an end or a crossing.
        candidates = [F(0), F(1)]
        slope = (a1 - a2) - (b1 - b2)
        if slope != 0:
            lam = ((b2 - ub) - (a2 - ua)) / slope
            if 0 <= lam <= 1:
                candidates.append(lam)
        for lam in candidates:
            if a2 + lam * (a1 - a2) > ua and b2 + lam * (b1 - b2) > ub:
                return True
    return False


def _points(n: int) -> st.SearchStrategy[list[Fraction]]:
    """n non-negative exact values summing to 100 (zeros and ties included)."""
    return (
        st.lists(st.integers(0, 6), min_size=n, max_size=n)
        .filter(lambda ks: sum(ks) > 0)
        .map(lambda ks: [F(100 * k, sum(ks)) for k in ks])
    )


instances = st.integers(1, 5).flatmap(lambda n: st.tuples(_points(n), _points(n)))


@settings(max_examples=150, deadline=None)
@given(instances)
def test_adjusted_winner_properties(instance: tuple[list[Fraction], list[Fraction]]) -> None:
    a, b = instance
    items = [f"i{k}" for k in range(len(a))]
    result = adjusted_winner(items, {"A": a, "B": b})
    share_a = [result.allocation[i]["A"] for i in items]
    share_b = [result.allocation[i]["B"] for i in items]
    assert all(x + y == 1 and 0 <= x <= 1 for x, y in zip(share_a, share_b, strict=True))
    # Equal totals, each as the party itself values its share.
    assert result.points["A"] == _value(a, share_a) == result.points["B"] == _value(b, share_b)
    # At most one item split, and it is the one the result names.
    split = [i for i, f in zip(items, share_a, strict=True) if 0 < f < 1]
    assert len(split) <= 1
    assert (result.split.item if result.split else None) == (split[0] if split else None)
    # Envy-free: each values its own share at least as much as the other's.
    assert _value(a, share_a) >= _value(a, share_b)
    assert _value(b, share_b) >= _value(b, share_a)
    # Efficient: no division of the items gives both strictly more (brute force).
    assert not _both_better_exists(a, b, result.points["A"], result.points["B"])
    # Even strongly: no division gives one more without giving the other less.
    assert not _dominated(a, b, result.points["A"], result.points["B"])
    assert result.envy_free and result.equitable and result.efficient


def _dominated(a: list[Fraction], b: list[Fraction], ua: Fraction, ub: Fraction) -> bool:
    """Brute force: is there a division giving both at least as much and one strictly more?

    As above, such a point exists iff one lies on a segment between two whole-item allocations;
    on a segment the points with both at least (ua, ub) form an interval, and one of its ends
    is strictly better for someone unless both values are constant (and equal) along it.
    """
    n = len(a)
    points = []
    for bits in itertools.product((0, 1), repeat=n):
        share = [F(v) for v in bits]
        points.append((_value(a, share), _value(b, [1 - f for f in share])))
    for (a1, b1), (a2, b2) in itertools.combinations_with_replacement(points, 2):
        lo, hi = F(0), F(1)
        for start, slope, floor in ((a2, a1 - a2, ua), (b2, b1 - b2, ub)):
            # start + lam * slope >= floor
            if slope == 0:
                if start < floor:
                    lo, hi = F(1), F(0)
            elif slope > 0:
                lo = max(lo, (floor - start) / slope)
            else:
                hi = min(hi, (floor - start) / slope)
        if lo > hi:
            continue
        for lam in (lo, hi):
            if a2 + lam * (a1 - a2) > ua or b2 + lam * (b1 - b2) > ub:
                return True
    return False


@settings(max_examples=200, deadline=None)
@given(instances, st.data())
def test_pareto_check_agrees_with_brute_force(instance, data) -> None:  # type: ignore[no-untyped-def]
    a, b = instance
    shares = data.draw(st.lists(st.sampled_from([F(0), F(1, 2), F(1)]), min_size=len(a), max_size=len(a)))
    ua, ub = _value(a, shares), _value(b, [1 - f for f in shares])
    assert is_pareto_optimal(a, b, shares) == (not _dominated(a, b, ua, ub))
    if is_pareto_optimal(a, b, shares):
        assert not _both_better_exists(a, b, ua, ub)


def test_brute_force_and_pareto_check_see_a_wasteful_division() -> None:
    # A gets the item B prefers and B the one A prefers: swapping helps both (40/40 -> 60/60).
    a, b = [F(60), F(40)], [F(40), F(60)]
    assert _both_better_exists(a, b, F(40), F(40))
    assert not is_pareto_optimal(a, b, [F(0), F(1)])
    assert is_pareto_optimal(a, b, [F(1), F(0)])
