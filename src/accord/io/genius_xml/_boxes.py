"""The largest sum of box values over an integer grid: does a non-linear profile reach its cap?

Genius caps a non-linear utility at 1 (``NonlinearUtilitySpace.getUtility`` returns
``min(1, sum / maxutility)``); accord adds interactions without a cap, so a profile is read or
written only when no package sums above the cap. This module finds the largest sum.

Branch and bound over the issues, most-constrained first (after Land and Doig's branch and
bound, Econometrica 28, 1960): each issue's range splits into cells between box edges, one point
per cell suffices; a node's bound is the sum of the boxes already decided plus the positive
values of those still open. The boxes are numpy arrays, so a node costs a few vector operations,
and the search has a budget of work (boxes looked at), so a profile of 60,000 hyper-rectangles
gets its answer, or says that it could not decide, within seconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Box", "BoxMaximum", "max_box_sum"]

Box = dict[str, tuple[int, int]]

_WORK = 20_000_000  # box-checks: about a second of numpy work
_NODES = 20_000  # each costs a few vector operations per cell


@dataclass(frozen=True)
class BoxMaximum:
    """The largest sum found, where it is reached, and whether the search proved it largest.

    When ``exact`` is false the search ran out of budget: ``value`` is a package's sum (a lower
    bound of the maximum), ``at`` that package, and ``bound`` an upper bound of the maximum."""

    value: float
    at: dict[str, int]
    exact: bool
    bound: float
    boxes: int


class _OutOfBudget(Exception):
    pass


def max_box_sum(
    pieces: Sequence[tuple[float, Box]],
    bounds: dict[str, tuple[int, int]],
    *,
    work: int = _WORK,
    nodes: int = _NODES,
    enough: float = math.inf,
) -> BoxMaximum:
    """The largest ``sum(value for value, box in pieces if the package lies in box)`` over the
    integer grid ``bounds`` (an empty box holds everywhere). The search stops early, inexact,
    once it finds a package summing above ``enough``: the caller only needs to know that."""
    constant = float(sum(v for v, box in pieces if not box))
    boxes = [(v, box) for v, box in pieces if box]
    if not boxes:
        return BoxMaximum(constant, {}, True, constant, 0)
    keys = sorted({k for _, box in boxes for k in box}, key=lambda k: -sum(k in b for _, b in boxes))
    column = {k: j for j, k in enumerate(keys)}
    n, m = len(boxes), len(keys)
    lo = np.array([[bounds[k][0] for k in keys]] * n, dtype=np.int64)
    hi = np.array([[bounds[k][1] for k in keys]] * n, dtype=np.int64)
    last = np.zeros(n, dtype=np.int64)
    values = np.array([v for v, _ in boxes], dtype=np.float64)
    for b, (_, box) in enumerate(boxes):
        for k, (low, high) in box.items():
            lo[b, column[k]], hi[b, column[k]] = low, high
        last[b] = max(column[k] for k in box)
    cells = []
    for j, k in enumerate(keys):
        first, end = bounds[k]
        edges = np.concatenate(([first], lo[:, j], hi[:, j] + 1))
        cells.append(np.unique(edges[(edges >= first) & (edges <= end)]))
    positive = np.maximum(values, 0.0)
    if math.isfinite(enough) and constant + float(positive.sum()) <= enough:
        # No package can sum above ``enough``: the caller needs no search.
        return BoxMaximum(-math.inf, {}, False, constant + float(positive.sum()), n)
    best = -math.inf
    best_at: list[int] = []
    spent = [0, 0]

    def search(depth: int, alive: np.ndarray, done: float, assigned: list[int]) -> None:
        nonlocal best, best_at
        spent[0] += len(alive)
        spent[1] += 1
        if spent[0] > work or spent[1] > nodes:
            raise _OutOfBudget
        if depth == m:
            if done > best:
                best, best_at = done, list(assigned)
            if constant + best > enough:
                raise _OutOfBudget
            return
        col_lo, col_hi = lo[alive, depth], hi[alive, depth]
        closing = last[alive] == depth
        options = []
        for x in cells[depth]:
            inside = (col_lo <= x) & (x <= col_hi)
            gained = done + float(values[alive[inside & closing]].sum())
            still_open = alive[inside & ~closing]  # a box whose last issue is this one is decided
            options.append((gained + float(positive[still_open].sum()), int(x), still_open, gained))
        options.sort(key=lambda o: -o[0])  # the most promising cell first: good packages early
        for bound, x, kept, gained in options:
            if bound <= best:
                break
            search(depth + 1, kept, gained, [*assigned, x])

    exact = True
    try:
        search(0, np.arange(n), 0.0, [])
    except _OutOfBudget:
        exact = False
    upper = best if exact else float(positive.sum())
    at = {k: x for k, x in zip(keys, best_at, strict=False)}
    value = best if best_at else -math.inf  # no package reached yet: no lower bound
    return BoxMaximum(constant + value, at, exact, constant + max(upper, value), n)
