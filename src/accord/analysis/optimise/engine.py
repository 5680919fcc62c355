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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

import numpy as np

from .._threads import cpu_count, ordered_map
from ..pareto import Frontier
from ..space import IntArray, Space
from .layout import Layout, layout
from .objectives import Chebyshev, MinGain, NashProduct, Objective, Utility, Welfare, exact_gains
from .search import Found, Optimum, maximise, propose, undominated

__all__ = ["Attainable", "Optimised", "agreement_possible", "analyse"]

_T = TypeVar("_T")
_R = TypeVar("_R")


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
    space: Space,
    *,
    time_limit: float = 60.0,
    max_ties: int = 20,
    chebyshev: int = 0,
    seed: int = 0,
    workers: int | None = None,
) -> Optimised:
    """The points of the frontier the analysis needs, found by certified MILP solves.

    ``time_limit``: seconds for all the solves together; each gets what is left, and a solve
    cut short reports its proven interval. ``chebyshev`` weight vectors (drawn with ``seed``
    from the uniform distribution on the simplex; default one per party, up to 10) add
    representative frontier points. ``workers``: solves run at once (default: the CPUs this
    process may use, at most 4). The solves of one phase (the blockers, the solutions, the
    representative points) are independent and all start from the packages the earlier phases
    found, so the answer does not depend on ``workers`` or on which solve finishes first.
    """
    lay = layout(space)
    k = space.n_parties
    everyone = np.ones(k, dtype=bool)
    notes: list[str] = []
    points: list[Found] = []
    known: list[IntArray] = []  # packages found so far: MIP starts for every later phase
    deadline = time.perf_counter() + time_limit
    threads = cpu_count() if workers is None else max(1, workers)

    def phase(fn: Callable[[_T, float], _R], items: Iterable[_T]) -> list[_R]:
        return _phase(fn, items, deadline, threads)

    def left() -> float:
        return max(0.05, deadline - time.perf_counter())

    def run(
        objective: Objective,
        accepting: np.ndarray,
        hints: tuple[IntArray, ...],
        seconds: float,
        ties: int = max_ties,
    ) -> Optimum:
        return maximise(
            lay, objective, accepting=accepting, time_limit=seconds, max_ties=ties, hints=list(hints)
        )

    def learn(results: Sequence[Optimum]) -> None:
        for result in results:
            notes.extend(n for n in result.notes if n not in notes)
            if result.best is not None:
                known.extend([result.best.options, *(t.options for t in result.ties)])

    def polish(found: Sequence[Found | None]) -> None:
        hints = tuple(known)
        for point in phase(
            lambda f, t: None if f is None else _pareto_optimal(lay, f, t, list(hints)), found
        ):
            if point is not None:
                points.append(point)

    # The utilitarian solution first: one solve that finds a package everyone accepts (a MIP
    # start for every solve after it) or proves there is none.
    utilitarian = run(Welfare(), everyone, (), left())
    learn([utilitarian])
    hints = tuple(known)

    def blocker(p: int, seconds: float) -> Optimum:
        others = everyone.copy()
        others[p] = False
        return run(Utility(p), others, hints, seconds, ties=0)

    blocking = phase(blocker, range(k))
    learn(blocking)
    attainable = []
    blocker_points: list[Found | None] = []
    for p, r in enumerate(blocking):
        accepted = r.best is not None and bool(r.best.q[p] >= space.floor_q[p])
        blocker_points.append(r.best if accepted and r.certified else None)
        if r.best is None:
            attainable.append(Attainable(None, None, None if r.certified else (-math.inf, r.bound)))
            continue
        best = float(r.best.utilities[p])
        attainable.append(Attainable(best, r.best.options, None if r.certified else (best, r.bound)))
    if utilitarian.best is None:
        slack = run(
            MinGain(tuple(Fraction(1) for _ in range(k)), clip=False),
            np.zeros(k, dtype=bool),
            hints,
            left(),
            ties=0,
        )
        s: tuple[float | None, IntArray | None] = (None, None)
        if slack.best is not None:
            s = (float(np.min(slack.best.utilities - space.reservation)), slack.best.options)
        return Optimised(_frontier(space, []), utilitarian.certified, tuple(attainable), s, tuple(notes))
    points += [utilitarian.best, *utilitarian.ties]
    # Each party's best package: where everyone accepts it (always, when some package is
    # acceptable), the Pareto-optimal package that gives every party at least as much.
    missing = [p for p, point in enumerate(blocker_points) if point is None]
    hints = tuple(known)
    retried = phase(lambda p, t: run(Utility(p), everyone, hints, t, ties=0), missing)
    learn(retried)
    for p, r in zip(missing, retried, strict=True):
        blocker_points[p] = r.best if r.certified else None
    spans = [
        Fraction(0) if point is None else max(Fraction(0), exact_gains(lay, point.q)[p])
        for p, point in enumerate(blocker_points)
    ]
    spans_certified = all(point is not None for point in blocker_points)
    polish(blocker_points)
    objectives: list[Objective] = [
        MinGain(tuple(Fraction(1) for _ in range(k))),
        MinGain(tuple(spans)),
        NashProduct((1.0,) * k),
    ]
    if not np.all(space.power == space.power[0]):
        objectives.append(NashProduct(tuple(float(x) for x in space.power)))
    hints = tuple(known)
    found = phase(lambda o, t: run(o, everyone, hints, t), objectives)
    learn(found)
    for r in found:
        if r.best is not None:
            points += [r.best, *r.ties]
    rng = np.random.default_rng(seed)
    n_weights = chebyshev if chebyshev > 0 else min(10, k)
    ideal = tuple(float(lay.reservation[p] + spans[p]) for p in range(k))
    scale = tuple(float(x) for x in spans)
    hints = tuple(known)

    skipped: list[int] = []  # weights left out at the time limit (list.append is thread-safe)

    def representative(j: int, w: np.ndarray, seconds: float) -> Found | None:
        if time.perf_counter() > deadline:
            skipped.append(j)
            return None
        return propose(
            lay, Chebyshev(tuple(float(x) for x in w), ideal, scale), everyone, seconds, list(hints)
        )

    weights = rng.dirichlet(np.ones(k), size=n_weights)
    polish(phase(lambda jw, t: representative(*jw, t), list(enumerate(weights))))
    if skipped:
        notes.append(
            f"{len(skipped)} of {n_weights} representative Chebyshev points left out: "
            "the time limit was reached"
        )
    ks = found[1]
    uncertified = [r for r in (utilitarian, *found) if not r.certified or (r is ks and not spans_certified)]
    if uncertified:
        notes.append(
            "not every solution was certified optimal within the time limit: "
            + "; ".join(f"best attainable in [{r.interval[0]:.9g}, {r.interval[1]:.9g}]" for r in uncertified)
        )
    return Optimised(_frontier(space, points), False, tuple(attainable), (None, None), tuple(notes))


def _phase(fn: Callable[[_T, float], _R], items: Iterable[_T], deadline: float, threads: int) -> list[_R]:
    """``fn(item, seconds)`` for every item of one phase, in order, on up to ``threads``
    threads (HiGHS releases the GIL while it solves). Each task gets at most its share of the
    time left before ``deadline`` (all of it when the tasks fit on the threads at once), so one
    solve that runs to its limit cannot leave the tasks queued behind it with no time at all."""
    todo = list(items)
    share = (deadline - time.perf_counter()) * min(1.0, threads / max(1, len(todo)))

    def task(x: _T) -> _R:
        return fn(x, max(0.05, min(share, deadline - time.perf_counter())))

    return list(ordered_map(task, todo, threads))


def _pareto_optimal(lay: Layout, point: Found, time_limit: float, hints: list[IntArray]) -> Found | None:
    """A Pareto-optimal package that gives every party at least what ``point`` gives, or None
    if the solves were cut short. The largest sum of utilities in the box above ``point``
    (a package dominating it would have a larger sum; the solve need not be certified), then
    the certificate that nothing dominates that package (:func:`~.search.undominated`)."""
    everyone = np.ones(lay.k, dtype=bool)
    start = time.perf_counter()
    first = maximise(
        lay, Welfare(), accepting=everyone, floors=point.q, time_limit=time_limit, hints=hints, certify=False
    )
    if first.best is None:
        return None
    return undominated(lay, first.best, max(0.05, time_limit - (time.perf_counter() - start)))


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
