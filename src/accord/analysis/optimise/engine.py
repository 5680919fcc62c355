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

import numpy as np

from ..pareto import Frontier
from ..space import IntArray, Space
from .layout import floor_of, layout
from .objectives import Chebyshev, MinGain, NashProduct, Utility, Welfare
from .search import Found, Optimum, maximise

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

    deadline = time.perf_counter() + time_limit

    def run(objective: object, accepting: np.ndarray, ties: int = max_ties, **kw: object) -> Optimum:
        left = max(0.05, deadline - time.perf_counter())
        result = maximise(lay, objective, accepting=accepting, time_limit=left, max_ties=ties, **kw)  # type: ignore[arg-type]
        notes.extend(n for n in result.notes if n not in notes)
        return result

    attainable = []
    blocker_points: list[Found | None] = []
    floor = floor_of(space)
    for p in range(k):
        others = everyone.copy()
        others[p] = False
        r = run(Utility(p), others, ties=0)
        accepted = r.best is not None and bool(np.all(r.best.grid >= floor))
        blocker_points.append(r.best if accepted and r.certified else None)
        if r.best is None:
            attainable.append(Attainable(None, None, None if r.certified else (-math.inf, r.bound)))
            continue
        attainable.append(Attainable(r.best.value, r.best.options, None if r.certified else r.interval))
    utilitarian = run(Welfare(), everyone)
    if utilitarian.best is None:
        slack = run(MinGain((1.0,) * k, clip=False), np.zeros(k, dtype=bool), ties=0)
        s = (slack.best.value, slack.best.options) if slack.best is not None else (None, None)
        return Optimised(_frontier(space, []), utilitarian.certified, tuple(attainable), s, tuple(notes))
    points += [utilitarian.best, *utilitarian.ties]
    ideal = np.array([a.best for a in attainable], dtype=np.float64)
    d = space.reservation
    span = tuple(float(x) if x > 1e-9 else 0.0 for x in ideal - d)
    # Each party's best: where it is at least the party's reservation value, the blocker's
    # package is acceptable to all and (made so by the tie-break on the sum) Pareto-optimal.
    # (A package dominating it would satisfy the same rows with a larger sum.) Else, or if the
    # blocker's package falls short by less than the tie tolerance, one more solve.
    for p, point in enumerate(blocker_points):
        if point is not None:
            points.append(point)
            continue
        r = run(Utility(p), everyone, ties=0)
        if r.best is not None:
            points.append(r.best)
    egalitarian = run(MinGain((1.0,) * k), everyone)
    ks = run(MinGain(span), everyone)
    hints = [f.options for f in (*points, egalitarian.best, ks.best) if f is not None]
    nash = run(NashProduct((1.0,) * k), everyone, hints=hints)
    found = [egalitarian, ks, nash]
    if not np.all(space.power == space.power[0]):
        found.append(run(NashProduct(tuple(float(x) for x in space.power)), everyone, hints=hints))
    for r in found:
        if r.best is not None:
            points += [r.best, *r.ties]
    if nash.best is None and nash.infeasible:
        notes.append("no package gives every party a positive gain: the Nash product is 0 on all")
    rng = np.random.default_rng(seed)
    n_weights = chebyshev if chebyshev > 0 else min(10, k)
    for w in rng.dirichlet(np.ones(k), size=n_weights):
        if time.perf_counter() > deadline:
            notes.append("representative Chebyshev points left out: the time limit was reached")
            break
        r = run(Chebyshev(tuple(float(x) for x in w), tuple(float(x) for x in ideal), span), everyone, ties=0)
        if r.best is not None:
            points.append(r.best)
    uncertified = [r for r in (utilitarian, *found) if not r.certified]
    if uncertified:
        notes.append(
            "not every solution was certified optimal within the time limit: "
            + "; ".join(f"best attainable in [{r.interval[0]:.9g}, {r.interval[1]:.9g}]" for r in uncertified)
        )
    return Optimised(_frontier(space, points), False, tuple(attainable), (None, None), tuple(notes))


def _frontier(space: Space, points: list[Found]) -> Frontier:
    """The distinct, mutually undominated points, sorted by package like the frontier engine's."""
    k = space.n_parties
    n = len(space.sizes)
    if not points:
        return Frontier(
            np.zeros((0, n), dtype=np.int64), np.zeros((0, k)), np.zeros((0, k), dtype=np.int64), np.zeros(0)
        )
    grid = np.array([f.grid for f in points])
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
