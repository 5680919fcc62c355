"""Why a package is accepted or rejected, who blocks agreement, and which trades help.

All functions work on a compiled :class:`~accord.analysis.space.Space` and option indices, and
their records hold indices; the façade in :mod:`accord.analysis.analyze` turns them into the
labelled records of :mod:`accord.analysis.results`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from .pareto import Frontier, space_frontier
from .space import TOL, IntArray, Space, canonical_keys

_CHUNK = 1 << 16  # packages evaluated at once in the searches below

__all__ = [
    "IssueLoss",
    "Logroll",
    "best_attainable",
    "costly_issues",
    "max_min_slack",
    "nearest_acceptable",
    "pareto_improvements",
    "trades",
]


@dataclass(frozen=True)
class IssueLoss:
    """What a party loses on one issue against its best option there (interactions aside)."""

    issue: int
    option: int
    best_option: int
    loss: float


def costly_issues(space: Space, options: npt.ArrayLike, party: int, top: int = 3) -> list[IssueLoss]:
    """The issues on which the package costs ``party`` most, largest loss first."""
    x = np.asarray(options, dtype=np.int64)
    out = []
    for issue, table in enumerate(space.contributions):
        column = table[:, party]
        best = int(np.argmax(column))
        loss = float(column[best] - column[x[issue]])
        if loss > TOL:
            out.append(IssueLoss(issue, int(x[issue]), best, loss))
    out.sort(key=lambda c: (-c.loss, space.scenario.issues[c.issue].id))
    return out[:top]


def _acceptable(space: Space, x: IntArray, floor_q: IntArray) -> np.ndarray:
    _, q, allowed = space.evaluate(x)
    return np.asarray(allowed & np.all(q >= floor_q, axis=1), dtype=bool)


def nearest_acceptable(
    space: Space, options: npt.ArrayLike, *, budget: int = 5_000_000
) -> tuple[IntArray | None, int, bool]:
    """The acceptable package that changes the fewest issues of ``options``.

    Searches packages differing in 0, 1, 2, ... issues, each layer vectorised, until one is
    acceptable (iterative deepening on the Hamming distance). Among the nearest, it takes the one
    with the largest smallest gain, then the largest sum, then the smallest package key.
    Returns (package or None, issues changed, whether the search was complete); the search stops
    after ``budget`` packages and then says so.
    """
    base = np.asarray(options, dtype=np.int64)
    floor_q = space.floor_q
    sizes = space.sizes
    if _acceptable(space, base[None, :], floor_q)[0]:
        return base, 0, True
    spent = 0
    for distance in range(1, len(sizes) + 1):
        best: tuple[tuple[int, int, tuple[int, ...]], IntArray] | None = None
        for subset in itertools.combinations(range(len(sizes)), distance):
            alternatives = [np.delete(np.arange(sizes[i]), base[i]) for i in subset]
            layer = math.prod(len(alt) for alt in alternatives)
            if spent + layer > budget:
                return None, distance, False
            spent += layer
            for x in _changed(base, subset, alternatives, layer):
                ok = _acceptable(space, x, floor_q)
                if not ok.any():
                    continue
                candidates = x[ok]
                u = space.evaluate(candidates)[0]
                smallest = np.rint((u - space.reservation).min(axis=1) / TOL)  # floats: no overflow
                total = np.rint(u.sum(axis=1) / TOL)
                top = np.flatnonzero(smallest == smallest.max())
                top = top[total[top] == total[top].max()]
                keys = [tuple(row) for row in canonical_keys(space, candidates[top]).tolist()]
                j = min(range(len(top)), key=lambda m: keys[m])
                score = (-int(smallest[top[j]]), -int(total[top[j]]), keys[j])
                if best is None or score < best[0]:
                    best = (score, candidates[top[j]])
        if best is not None:
            return best[1], distance, True
    return None, len(sizes), True


def pareto_improvements(
    space: Space, options: npt.ArrayLike, *, limit: int = 5, budget: int = 2_000_000
) -> tuple[list[IntArray], int, bool]:
    """Packages every party likes at least as much as ``options`` and one strictly more, fewest
    issues changed first (none crossing a red line or a constraint).

    Returns (up to ``limit`` improvements, how many Pareto-optimal packages improve on it, and
    whether the search by issues changed was complete). The Hamming search goes layer by layer
    (1, 2, ... issues changed) as in :func:`nearest_acceptable`, until ``limit`` are found or
    ``budget`` packages are examined; within a layer, the largest smallest gain first, then the
    largest total gain, then the package key. The Pareto-optimal improvements are counted
    exactly on the frontier of the packages at least as good as ``options`` for everyone
    (:func:`~accord.analysis.pareto.space_frontier` with that floor): when it is 0, the package
    is Pareto-optimal. A Pareto improvement in the sense of Pareto, *Manuale di economia
    politica* (1906); the search is Raiffa's "improving on a tentative agreement", *The Art and
    Science of Negotiation* (1982), ch. 11.
    """
    base = np.asarray(options, dtype=np.int64)
    _, q0, _ = space.evaluate(base[None, :])
    floor = q0[0]
    frontier = space_frontier(space, floor_q=floor)
    n_optimal = int(np.sum(np.any(frontier.quantized > floor, axis=1)))
    if n_optimal == 0:
        return [], 0, True  # nothing dominates a package that no frontier point dominates
    sizes = space.sizes
    found: list[IntArray] = []
    spent = 0
    for distance in range(1, len(sizes) + 1):
        layer_found: list[tuple[tuple[Fraction, Fraction, tuple[int, ...]], IntArray]] = []
        for subset in itertools.combinations(range(len(sizes)), distance):
            alternatives = [np.delete(np.arange(sizes[i]), base[i]) for i in subset]
            layer = math.prod(len(alt) for alt in alternatives)
            if spent + layer > budget:
                found += [x for _, x in sorted(layer_found, key=lambda e: e[0])]
                return found[:limit], n_optimal, False
            spent += layer
            for x in _changed(base, subset, alternatives, layer):
                _, q, allowed = space.evaluate(x)
                better = allowed & np.all(q >= floor, axis=1) & np.any(q > floor, axis=1)
                if not better.any():
                    continue
                keys = canonical_keys(space, x[better]).tolist()
                for row, gain, key in zip(x[better], (q[better] - floor), keys, strict=True):
                    # Gains on different parties' scales, compared exactly as rationals.
                    exact = [
                        Fraction(int(g), sc.denominator) for g, sc in zip(gain, space.scales, strict=True)
                    ]
                    layer_found.append(((-min(exact), -sum(exact, Fraction(0)), tuple(key)), row))
        found += [x for _, x in sorted(layer_found, key=lambda e: e[0])]
        if len(found) >= limit:
            return found[:limit], n_optimal, True
    return found[:limit], n_optimal, True


def best_attainable(
    space: Space, party: int, acceptable: Frontier | None = None
) -> tuple[float | None, IntArray | None]:
    """The most ``party`` can get in a package every *other* party accepts (red lines kept).

    The maximiser lies on the Pareto frontier of the packages the others accept, which is
    computed exactly with the party's own floor lifted. (None, None) when the others cannot
    all be satisfied at once.

    ``acceptable``: the frontier of the packages *every* party accepts, if the caller has it.
    When it is not empty the maximiser is on it (a package the others accept that gives
    ``party`` the most gives it at least what an acceptable package gives, so ``party``
    accepts it too), and no frontier is computed: the same package, at a fraction of the cost.
    """
    if acceptable is not None and len(acceptable):
        frontier = acceptable
    else:
        floor = space.reservation.copy()
        floor[party] = -np.inf
        frontier = space_frontier(space, floor)
    if len(frontier) == 0:
        return None, None
    j = int(np.argmax(frontier.quantized[:, party]))
    return float(frontier.utilities[j, party]), frontier.options[j]


def max_min_slack(space: Space, *, iterations: int = 48) -> tuple[float, IntArray | None]:
    """``max over packages of min over parties of (u_i - reservation_i)`` and a package attaining
    it (red lines kept): how far every reservation value must fall together (if negative) or
    could rise together (if positive) for agreement to exist. Found by bisection on ``t`` with
    the exact test "is some package at least ``reservation + t`` for everyone?".
    """
    lo, hi = -1.0 - float(np.abs(space.reservation).max()), 1.0 + float(np.abs(space.reservation).max())
    hi += sum(abs(t.value) for t in space.terms if not t.is_red_line)
    lo -= sum(abs(t.value) for t in space.terms if not t.is_red_line)
    if len(space_frontier(space, space.reservation + lo)) == 0:
        return -math.inf, None
    for _ in range(iterations):
        mid = (lo + hi) / 2
        if len(space_frontier(space, space.reservation + mid)):
            lo = mid
        else:
            hi = mid
        if hi - lo < TOL:
            break
    frontier = space_frontier(space, space.reservation + lo)
    gains = frontier.utilities - space.reservation
    j = int(np.argmax(gains.min(axis=1)))
    return float(gains[j].min()), frontier.options[j]


@dataclass(frozen=True)
class Logroll:
    """Changing two issues of a reference package so that two parties both gain."""

    parties: tuple[int, int]
    changes: tuple[tuple[int, int, int], ...]  # (issue, from option, to option)
    delta: np.ndarray  # change in every party's utility
    options: IntArray
    acceptable: bool


def trades(
    space: Space,
    options: npt.ArrayLike,
    *,
    per_pair: int = 3,
    budget: int = 2_000_000,
    issues: Sequence[int] | None = None,
) -> list[Logroll]:
    """Logrolls from a reference package: two-issue changes that both of two parties gain from,
    where neither single change alone helps both (each concedes on one issue to win on the
    other). Raiffa, *The Art and Science of Negotiation* (1982), ch. 10; Pruitt, "Achieving
    integrative agreements" (1983). The best ``per_pair`` per pair of parties: those after which
    every party still accepts first, then by the smaller of the two gains. Changes that cross a
    red line are left out. Pairs of issues are examined one at a time, in chunks, up to
    ``budget`` packages in all, so memory stays small; ``issues`` (default all) limits the
    pairs to those issues.
    """
    base = np.asarray(options, dtype=np.int64)
    sizes = space.sizes
    k = space.n_parties
    u0 = space.evaluate(base[None, :])[0][0]
    floor_q = space.floor_q
    # Each single-issue change on its own, to tell a logroll from a change one issue alone gives.
    offsets = np.r_[0, np.cumsum(sizes)[:-1]].astype(np.int64)
    singles = np.repeat(base[None, :], sum(sizes), axis=0)
    for i, n in enumerate(sizes):
        singles[offsets[i] : offsets[i] + n, i] = np.arange(n)
    single = space.evaluate(singles)[0] - u0
    party_pairs = list(itertools.combinations(range(k), 2))
    best: dict[tuple[int, int], list[tuple[tuple[bool, float, float, tuple[int, ...]], Logroll]]] = {
        pair: [] for pair in party_pairs
    }
    spent = 0
    for i, j in itertools.combinations(range(len(sizes)) if issues is None else sorted(issues), 2):
        alt_i = np.delete(np.arange(sizes[i]), base[i])
        alt_j = np.delete(np.arange(sizes[j]), base[j])
        n = len(alt_i) * len(alt_j)
        spent += n
        if spent > budget:
            break
        for start in range(0, n, _CHUNK):
            flat = np.arange(start, min(n, start + _CHUNK))
            x = np.repeat(base[None, :], len(flat), axis=0)
            x[:, i] = alt_i[flat // len(alt_j)]
            x[:, j] = alt_j[flat % len(alt_j)]
            u, q, allowed = space.evaluate(x)
            delta = u - u0
            d_i = single[offsets[i] + x[:, i]]
            d_j = single[offsets[j] + x[:, j]]
            acceptable = np.all(q >= floor_q, axis=1)
            for a, b in party_pairs:
                both = (delta[:, a] > TOL) & (delta[:, b] > TOL)
                alone = ((d_i[:, a] > TOL) & (d_i[:, b] > TOL)) | ((d_j[:, a] > TOL) & (d_j[:, b] > TOL))
                picks = np.flatnonzero(allowed & both & ~alone)
                smaller = np.rint(np.minimum(delta[picks, a], delta[picks, b]) / TOL)
                total_gain = np.rint(delta[picks].sum(axis=1) / TOL)
                order = np.lexsort((picks, -total_gain, -smaller, ~acceptable[picks]))
                for r in picks[order][:per_pair]:
                    rank = (
                        not acceptable[r],
                        -round(min(delta[r, a], delta[r, b]) / TOL),
                        -round(delta[r].sum() / TOL),
                        tuple(int(v) for v in x[r]),
                    )
                    changes = ((i, int(base[i]), int(x[r, i])), (j, int(base[j]), int(x[r, j])))
                    kept = best[(a, b)]
                    kept.append(
                        (rank, Logroll((a, b), changes, delta[r].copy(), x[r].copy(), bool(acceptable[r])))
                    )
                    if len(kept) > 4 * per_pair:
                        kept.sort(key=lambda e: e[0])
                        del kept[per_pair:]
    out: list[Logroll] = []
    for pair in party_pairs:
        out.extend(t for _, t in sorted(best[pair], key=lambda e: e[0])[:per_pair])
    return out


def _changed(
    base: IntArray, subset: tuple[int, ...], alternatives: list[IntArray], layer: int
) -> Iterator[IntArray]:
    """Every package that differs from ``base`` on exactly the issues of ``subset`` (each taking
    one of its ``alternatives``), ``layer`` of them in all, in chunks of ``_CHUNK`` rows."""
    for start in range(0, layer, _CHUNK):
        flat = np.arange(start, min(layer, start + _CHUNK))
        x = np.repeat(base[None, :], len(flat), axis=0)
        for issue, alt in zip(reversed(subset), reversed(alternatives), strict=True):
            x[:, issue] = alt[flat % len(alt)]
            flat //= len(alt)
        yield x
