"""The analysis by optimisation: a certified representative frontier, blockers and slack.

Where the Pareto frontier is too large to list (many parties, many issues), the analysis needs
only a few of its points: the bargaining solutions and their ties, each party's best attainable
package, and augmented-Chebyshev points for a spread of weights (Steuer and Choo, "An
interactive weighted Tchebycheff procedure for multiple objective programming", Math. Prog. 26,
1983), each made Pareto-optimal by maximising the sum at its level (see search.py). The façade
then picks the solutions from these points exactly as it does from a complete frontier: every
solution's maximisers and ties are among them, which is what :func:`analyse` certifies.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..pareto import Frontier
from ..space import IntArray, Space
from .layout import Layout, layout
from .objectives import Chebyshev, MinGain, NashProduct, Objective, Utility, Welfare
from .search import Found, Optimum, maximise, propose

__all__ = ["Attainable", "Optimised", "agreement_possible", "analyse"]


@dataclass(frozen=True)
class Attainable:
    """A party's best utility in a package every other party accepts: value (None if the others
    cannot all accept), the package, and the proven interval when a solve stopped early."""

    best: float | None
    options: IntArray | None
    interval: tuple[float, float] | None


@dataclass(frozen=True)
class Optimised:
    """What :func:`analyse` found: a representative frontier (complete only if proven so),
    each party's best attainable, the slack when no package is acceptable, and notes."""

    frontier: Frontier
    complete: bool
    attainable: tuple[Attainable, ...]
    slack: tuple[float | None, IntArray | None]
    notes: tuple[str, ...]


def analyse(
    space: Space, *, time_limit: float = 60.0, max_ties: int = 20, chebyshev: int = 0, seed: int = 0
) -> Optimised:
    """The points of the frontier the analysis needs, found by certified MILP solves.

    ``time_limit``: seconds for all the solves together; each gets what is left, and a solve
    cut short reports its proven interval. ``chebyshev`` weight vectors (drawn with ``seed``
    from the uniform distribution on the simplex; default one per party, up to 10) add
    representative frontier points.
    """
    lay = layout(space)
    k = space.n_parties
    everyone = np.ones(k, dtype=bool)
    notes: list[str] = []
    points: list[Found] = []
    known: list[IntArray] = []  # packages found so far: MIP starts for every later solve
    deadline = time.perf_counter() + time_limit

    def left() -> float:
        return max(0.05, deadline - time.perf_counter())

    def run(objective: Objective, accepting: np.ndarray, ties: int = max_ties, **kw: object) -> Optimum:
        result = maximise(
            lay,
            objective,
            accepting=accepting,
            time_limit=left(),
            max_ties=ties,
            hints=list(known),
            **kw,  # type: ignore[arg-type]
        )
        notes.extend(n for n in result.notes if n not in notes)
        if result.best is not None:
            known.extend([result.best.options, *(t.options for t in result.ties)])
        return result

    # The utilitarian solution first: one solve that finds a package everyone accepts (a MIP
    # start for every solve after it) or proves there is none.
    utilitarian = run(Welfare(), everyone)
    attainable = []
    blocker_points: list[Found | None] = []
    for p in range(k):
        others = everyone.copy()
        others[p] = False
        r = run(Utility(p), others, ties=0)
        accepted = r.best is not None and bool(r.best.q[p] >= space.floor_q[p])
        blocker_points.append(r.best if accepted and r.certified else None)
        if r.best is None:
            attainable.append(Attainable(None, None, None if r.certified else (-math.inf, r.bound)))
            continue
        best = float(r.best.utilities[p])
        attainable.append(Attainable(best, r.best.options, None if r.certified else (best, r.bound)))
    if utilitarian.best is None:
        slack = run(
            MinGain(tuple(Fraction(1) for _ in range(k)), clip=False), np.zeros(k, dtype=bool), ties=0
        )
        s: tuple[float | None, IntArray | None] = (None, None)
        if slack.best is not None:
            s = (float(np.min(slack.best.utilities - space.reservation)), slack.best.options)
        return Optimised(_frontier(space, []), utilitarian.certified, tuple(attainable), s, tuple(notes))
    points += [utilitarian.best, *utilitarian.ties]
    # Each party's best package: where everyone accepts it (always, when some package is
    # acceptable), the Pareto-optimal package that gives every party at least as much.
    spans: list[Fraction] = []
    spans_certified = True
    for p, point in enumerate(blocker_points):
        if point is None:
            r = run(Utility(p), everyone, ties=0)
            point = r.best if r.certified else None
        if point is None:
            spans.append(Fraction(0))
            spans_certified = False
            continue
        spans.append(
            max(Fraction(0), Fraction(int(point.q[p]), space.scales[p].denominator) - lay.reservation[p])
        )
        polished = _pareto_optimal(lay, point, left(), list(known))
        if polished is not None:
            points.append(polished)
    egalitarian = run(MinGain(tuple(Fraction(1) for _ in range(k))), everyone)
    ks = run(MinGain(tuple(spans)), everyone)
    nash = run(NashProduct((1.0,) * k), everyone)
    found = [egalitarian, ks, nash]
    if not np.all(space.power == space.power[0]):
        found.append(run(NashProduct(tuple(float(x) for x in space.power)), everyone))
    for r in found:
        if r.best is not None:
            points += [r.best, *r.ties]
    rng = np.random.default_rng(seed)
    n_weights = chebyshev if chebyshev > 0 else min(10, k)
    ideal = tuple(float(lay.reservation[p] + spans[p]) for p in range(k))
    scale = tuple(float(x) for x in spans)
    for w in rng.dirichlet(np.ones(k), size=n_weights):
        if time.perf_counter() > deadline:
            notes.append("representative Chebyshev points left out: the time limit was reached")
            break
        seed_point = propose(
            lay, Chebyshev(tuple(float(x) for x in w), ideal, scale), everyone, left(), list(known)
        )
        if seed_point is None:
            continue
        polished = _pareto_optimal(lay, seed_point, left(), list(known))
        if polished is not None:
            points.append(polished)
    uncertified = [r for r in (utilitarian, *found) if not r.certified or (r is ks and not spans_certified)]
    if uncertified:
        notes.append(
            "not every solution was certified optimal within the time limit: "
            + "; ".join(f"best attainable in [{r.interval[0]:.9g}, {r.interval[1]:.9g}]" for r in uncertified)
        )
    return Optimised(_frontier(space, points), False, tuple(attainable), (None, None), tuple(notes))


def _pareto_optimal(lay: Layout, point: Found, time_limit: float, hints: list[IntArray]) -> Found | None:
    """A Pareto-optimal package that gives every party at least what ``point`` gives: the
    certified largest sum of utilities among those (a package dominating it would have a
    larger sum). None if the solve was cut short."""
    # The largest sum in the box above ``point`` (uncertified), then the certificate in the
    # tight box above that package: "is there a package at least as good for everyone, and
    # better for someone?" (the certified largest sum there).
    everyone = np.ones(lay.k, dtype=bool)
    start = time.perf_counter()
    first = maximise(
        lay, Welfare(), accepting=everyone, floors=point.q, time_limit=time_limit, hints=hints, certify=False
    )
    if first.best is None:
        return None
    left = max(0.05, time_limit - (time.perf_counter() - start))
    r = maximise(
        lay, Welfare(), accepting=everyone, floors=first.best.q, time_limit=left, hints=[first.best.options]
    )
    return r.best if r.certified else None


def _frontier(space: Space, points: list[Found]) -> Frontier:
    """The distinct, mutually undominated points, sorted by package like the frontier engine's."""
    k = space.n_parties
    n = len(space.sizes)
    if not points:
        return Frontier(
            np.zeros((0, n), dtype=np.int64), np.zeros((0, k)), np.zeros((0, k), dtype=np.int64), np.zeros(0)
        )
    grid = np.array([f.q for f in points])
    options = np.array([f.options for f in points])
    keep = []
    seen: set[tuple[int, ...]] = set()
    for i in range(len(points)):
        key = tuple(int(v) for v in grid[i])
        if key in seen:
            continue
        dominated = np.any(np.all(grid >= grid[i], axis=1) & np.any(grid > grid[i], axis=1))
        if not dominated:
            seen.add(key)
            keep.append(i)
    idx = np.array(keep, dtype=np.int64)
    options, grid = options[idx], grid[idx]
    utilities = np.array([points[i].utilities for i in keep])
    order = np.lexsort(options.T[::-1])
    # Counts of equivalent packages are not known here (the frontier engine counts them).
    return Frontier(options[order], utilities[order], grid[order], np.full(len(idx), -1, dtype=np.int64))


def agreement_possible(space: Space, *, time_limit: float = 10.0) -> bool:
    """Whether some package is acceptable to every party (one feasibility solve)."""
    lay = layout(space)
    r = maximise(lay, Welfare(), accepting=np.ones(space.n_parties, dtype=bool), time_limit=time_limit)
    return r.best is not None
