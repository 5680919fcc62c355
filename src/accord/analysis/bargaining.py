"""Bargaining solutions on a set of acceptable utility vectors.

Each function takes ``utilities`` (outcomes x parties), the disagreement point ``d`` (parties,)
and returns the indices of *all* outcomes that attain the best value of its objective within the
tolerance: ties are kept, the caller decides how to break them (see :func:`break_ties`).
Every outcome passed in must be acceptable (``utilities >= d``); on a Pareto frontier, each
objective's maximisers include a frontier point, so passing the frontier loses nothing.
"""

from __future__ import annotations

import numpy as np

from .space import TOL, IntArray

__all__ = [
    "break_ties",
    "egalitarian_points",
    "kalai_smorodinsky_points",
    "nash_points",
    "utilitarian_points",
]


def _argmax_all(objective: np.ndarray, tol: float = TOL) -> IntArray:
    if len(objective) == 0:
        return np.zeros(0, dtype=np.int64)
    best = objective.max()
    if not np.isfinite(best):
        return np.flatnonzero(objective == best)
    return np.flatnonzero(objective >= best - tol * max(1.0, abs(best)))


def _gains(utilities: np.ndarray, d: np.ndarray) -> np.ndarray:
    # Gains within the tolerance of zero are zero: acceptance is decided on the TOL grid.
    gains = np.asarray(utilities, dtype=np.float64) - np.asarray(d, dtype=np.float64)
    return np.where(gains < TOL / 2, 0.0, gains)


def nash_points(utilities: np.ndarray, d: np.ndarray, power: np.ndarray | None = None) -> IntArray:
    """Maximisers of the (asymmetric) Nash product ``prod_i (u_i - d_i) ** power_i``.

    Nash, "The bargaining problem", Econometrica 18(2), 1950; the asymmetric form with
    exponents is Kalai, "Nonsymmetric Nash solutions and replications of 2-person bargaining",
    Int. J. Game Theory 6(3), 1977. Compared as ``sum_i power_i * log(u_i - d_i)``. If every
    outcome leaves some party no gain, the product is 0 everywhere and all outcomes tie.
    """
    gains = _gains(utilities, d)
    w = np.ones(gains.shape[1]) if power is None else np.asarray(power, dtype=np.float64)
    with np.errstate(divide="ignore"):
        objective = (np.log(gains) * w).sum(axis=1)
    return _argmax_all(objective)


def kalai_smorodinsky_points(utilities: np.ndarray, d: np.ndarray) -> IntArray:
    """Maximisers of the smallest normalised gain ``min_i (u_i - d_i) / (b_i - d_i)``.

    ``b_i`` is party i's best utility among the outcomes given (its ideal point). Kalai and
    Smorodinsky, "Other solutions to Nash's bargaining problem", Econometrica 43(3), 1975; on a
    finite set the maximin form is the standard discrete version. A party whose best equals its
    disagreement value is left out of the minimum (it gains nothing whatever is chosen).
    """
    gains = _gains(utilities, d)
    if len(gains) == 0:
        return np.zeros(0, dtype=np.int64)
    span = gains.max(axis=0)
    live = span > TOL
    if not live.any():
        return np.arange(len(gains))
    return _argmax_all((gains[:, live] / span[live]).min(axis=1))


def egalitarian_points(utilities: np.ndarray, d: np.ndarray) -> IntArray:
    """Maximisers of the smallest raw gain ``min_i (u_i - d_i)``.

    Kalai, "Proportional solutions to bargaining situations: interpersonal utility
    comparisons", Econometrica 45(7), 1977 (the egalitarian solution with equal weights).
    """
    return _argmax_all(_gains(utilities, d).min(axis=1))


def utilitarian_points(utilities: np.ndarray, d: np.ndarray) -> IntArray:
    """Maximisers of the sum of utilities (Harsanyi's utilitarian welfare; ``d`` is unused
    except to check acceptability upstream). Harsanyi, "Cardinal welfare, individualistic
    ethics, and interpersonal comparisons of utility", J. Political Economy 63(4), 1955.
    """
    del d
    return _argmax_all(np.asarray(utilities, dtype=np.float64).sum(axis=1))


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
