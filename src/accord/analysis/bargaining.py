"""Bargaining solutions on a set of acceptable utility vectors.

Each function takes ``utilities`` (outcomes x parties), the disagreement point ``d`` (parties,)
and returns :class:`Maximisers`: the indices of *all* outcomes that attain the best value of its
objective within the tolerance (ties are kept, the caller decides how to break them, see
:func:`break_ties`) and the value of the objective, as its definition states it, at every
outcome. Every outcome passed in must be acceptable (``utilities >= d``); on a Pareto frontier,
each objective's maximisers include a frontier point, so passing the frontier loses nothing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .space import TOL, FloatArray, IntArray

__all__ = [
    "Maximisers",
    "break_ties",
    "egalitarian_points",
    "kalai_smorodinsky_points",
    "nash_points",
    "utilitarian_points",
]


@dataclass(frozen=True)
class Maximisers:
    """What a bargaining kernel finds: the outcomes attaining the best value of its objective
    (``indices``, ties within the tolerance kept) and the objective at every outcome
    (``values``, one per outcome: the number the solution reports, not the form compared)."""

    indices: IntArray
    values: FloatArray

    def __len__(self) -> int:
        return len(self.indices)


def _argmax_all(objective: np.ndarray, tol: float = TOL) -> IntArray:
    if len(objective) == 0:
        return np.zeros(0, dtype=np.int64)
    best = objective.max()
    if not np.isfinite(best):
        return np.flatnonzero(objective == best)
    return np.flatnonzero(objective >= best - tol * max(1.0, abs(best)))


def _gains(utilities: np.ndarray, d: np.ndarray, gains: np.ndarray | None = None) -> np.ndarray:
    if gains is not None:  # exact gains, correctly rounded: zero exactly when they are zero
        return np.maximum(np.asarray(gains, dtype=np.float64), 0.0)
    # Gains within the tolerance of zero are zero: float utilities carry float noise.
    g = np.asarray(utilities, dtype=np.float64) - np.asarray(d, dtype=np.float64)
    return np.where(g < TOL / 2, 0.0, g)


def nash_points(
    utilities: np.ndarray,
    d: np.ndarray,
    power: np.ndarray | None = None,
    *,
    gains: np.ndarray | None = None,
) -> Maximisers:
    """Maximisers of the (asymmetric) Nash product ``prod_i (u_i - d_i) ** power_i``.

    Nash, "The bargaining problem", Econometrica 18(2), 1950; the asymmetric form with
    exponents is Kalai, "Nonsymmetric Nash solutions and replications of 2-person bargaining",
    Int. J. Game Theory 6(3), 1977. Compared as ``sum_i power_i * log(u_i - d_i)`` (equal
    powers, which leave the maximisers of the plain product as they are, as ``sum_i log``); the
    values are the product itself. If every outcome leaves some party no gain, the product is 0
    everywhere and all outcomes tie. ``gains`` (outcomes x parties), when given, are the exact
    gains as floats (see :func:`exact_maximisers`); else they are ``utilities - d``.
    """
    gains = _gains(utilities, d, gains)
    w = np.ones(gains.shape[1]) if power is None else np.asarray(power, dtype=np.float64)
    compared = w if len(w) == 0 or np.any(w != w[0]) else np.ones_like(w)
    with np.errstate(divide="ignore"):
        objective = (np.log(gains) * compared).sum(axis=1)
    return Maximisers(_argmax_all(objective), np.prod(gains**w, axis=1))


def kalai_smorodinsky_points(
    utilities: np.ndarray, d: np.ndarray, *, gains: np.ndarray | None = None
) -> Maximisers:
    """Maximisers of the smallest normalised gain ``min_i (u_i - d_i) / (b_i - d_i)``.

    ``b_i`` is party i's best utility among the outcomes given (its ideal point). Kalai and
    Smorodinsky, "Other solutions to Nash's bargaining problem", Econometrica 43(3), 1975; on a
    finite set the maximin form is the standard discrete version. A party whose best equals its
    disagreement value is left out of the minimum (it gains nothing whatever is chosen; if no
    party gains anywhere, every outcome ties at 0).
    """
    exact = gains is not None
    gains = _gains(utilities, d, gains)
    if len(gains) == 0:
        return Maximisers(np.zeros(0, dtype=np.int64), np.zeros(0))
    span = gains.max(axis=0)
    live = span > (0.0 if exact else TOL)
    if not live.any():
        return Maximisers(np.arange(len(gains), dtype=np.int64), np.zeros(len(gains)))
    objective = (gains[:, live] / span[live]).min(axis=1)
    return Maximisers(_argmax_all(objective), objective)


def egalitarian_points(
    utilities: np.ndarray, d: np.ndarray, *, gains: np.ndarray | None = None
) -> Maximisers:
    """Maximisers of the smallest raw gain ``min_i (u_i - d_i)``.

    Kalai, "Proportional solutions to bargaining situations: interpersonal utility
    comparisons", Econometrica 45(7), 1977 (the egalitarian solution with equal weights).
    """
    objective = _gains(utilities, d, gains).min(axis=1)
    return Maximisers(_argmax_all(objective), objective)


def utilitarian_points(utilities: np.ndarray, d: np.ndarray) -> Maximisers:
    """Maximisers of the sum of utilities (Harsanyi's utilitarian welfare; ``d`` is unused
    except to check acceptability upstream). Harsanyi, "Cardinal welfare, individualistic
    ethics, and interpersonal comparisons of utility", J. Political Economy 63(4), 1955.
    """
    del d
    objective = np.asarray(utilities, dtype=np.float64).sum(axis=1)
    return Maximisers(_argmax_all(objective), objective)


def exact_maximisers(
    name: str,
    candidates: IntArray,
    gains: Sequence[Sequence[Fraction]],
    span: Sequence[Fraction],
    power: Sequence[float],
) -> IntArray:
    """The ``candidates`` (found in floats within the tolerance) whose objective is exactly the
    best, on exact gains (``gains[c]``: the exact gains of outcome ``c``; ``span``: each
    party's best exact gain, for Kalai-Smorodinsky). The float search keeps every exact
    maximiser (its window is far wider than the float error of correctly rounded gains); this
    step drops candidates that only tie in floats. The utilitarian sum of utilities is the sum
    of gains plus a constant. Powers are compared exactly as rationals,
    ``prod g_i ** (L * power_i)`` with ``L`` their common denominator, when those exponents are
    small (at most 256 in all); otherwise the float ties stand.
    """
    if len(candidates) <= 1:
        return candidates
    rows = [list(gains[int(c)]) for c in candidates]
    score: list[Fraction | int]
    if name in ("nash", "asymmetric_nash"):
        exponents = _integer_exponents(power if name == "asymmetric_nash" else [1.0] * len(span))
        if exponents is None:
            return candidates
        score = [
            math.prod(max(g, Fraction(0)) ** n for g, n in zip(row, exponents, strict=True)) for row in rows
        ]
    elif name == "kalai_smorodinsky":
        live = [i for i, s in enumerate(span) if s > 0]
        if not live:
            return candidates
        score = [min(max(row[i], Fraction(0)) / span[i] for i in live) for row in rows]
    elif name == "egalitarian":
        score = [min(max(g, Fraction(0)) for g in row) for row in rows]
    else:
        score = [sum(row, Fraction(0)) for row in rows]
    best = max(score)
    return np.asarray([c for c, s in zip(candidates, score, strict=True) if s == best], dtype=np.int64)


def _integer_exponents(power: Sequence[float]) -> list[int] | None:
    exact = [Fraction(repr(float(w))) for w in power]
    common = math.lcm(*(w.denominator for w in exact))
    exponents = [int(w * common) for w in exact]
    return exponents if sum(exponents) <= 256 else None


def break_ties(candidates: IntArray, utilities: np.ndarray, keys: np.ndarray) -> IntArray:
    """``candidates`` reordered: the chosen one first.

    Ties are broken by the larger sum of utilities, then the smaller package key (``keys`` rows:
    canonical option ranks in issue-id order), so the choice does not depend on the order of
    parties, issues or options.
    """
    sums = np.rint(np.asarray(utilities)[candidates].sum(axis=1) / TOL)
    k = np.asarray(keys)[candidates]
    order = np.lexsort((*(k[:, j] for j in reversed(range(k.shape[1]))), -sums))
    return candidates[order]
