"""What can be maximised over packages, as rows and columns added to the one-hot model.

Each objective says how to add itself to a program (columns, rows, objective coefficients),
how to require ``objective >= level`` (for the tie and certificate solves), and how to compute
its exact value from a package's utilities on the grid, which is the value reported.

- :class:`Utility`: one party's utility (a blocker's best attainable, a KS ideal point).
- :class:`Welfare`: the sum of utilities (Harsanyi 1955).
- :class:`MinGain`: ``min_i (u_i - d_i) / s_i`` over some parties: the egalitarian solution
  with ``s = 1`` (Kalai 1977), Kalai-Smorodinsky with ``s_i = b_i - d_i`` (Kalai and Smorodinsky
  1975), the slack without acceptance rows; one column ``t`` and a row ``u_i - s_i t >= d_i``
  per party (the standard linearisation of a max-min).
- :class:`NashProduct`: ``sum_i p_i log(u_i - d_i)`` (Nash 1950; Kalai 1977 with powers);
  concave, handled by outer approximation in :mod:`accord.analysis.optimise.search`.
- :class:`Chebyshev`: ``min_i w_i (u_i - b_i) / s_i``, the weighted Chebyshev distance to the
  ideal point (Bowman 1976; Steuer and Choo 1983), whose maximisers for a spread of weights
  reach every part of the frontier.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from ..space import TOL
from .layout import UNIT, Layout
from .program import INF, Program

SCALE = UNIT / TOL
"""Solver units per unit of utility."""

__all__ = ["Chebyshev", "MinGain", "NashProduct", "Objective", "Utility", "Welfare"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Utility:
    """Party ``party``'s utility."""

    party: int

    def attach(self, program: Program, lay: Layout) -> None:
        program.cost[: lay.n_x] = list(lay.coef[:, self.party] / SCALE)

    def require(self, program: Program, lay: Layout, level: float) -> None:
        program.add_row(*lay.utility_row(self.party), level * SCALE, INF)

    def value(self, u: FloatArray, d: FloatArray) -> float:
        del d
        return float(u[self.party])


@dataclass(frozen=True)
class Welfare:
    """The sum of all parties' utilities."""

    def attach(self, program: Program, lay: Layout) -> None:
        program.cost[: lay.n_x] = list(lay.coef.sum(axis=1) / SCALE)

    def require(self, program: Program, lay: Layout, level: float) -> None:
        program.add_row(np.arange(lay.n_x), lay.coef.sum(axis=1), level * SCALE, INF)

    def value(self, u: FloatArray, d: FloatArray) -> float:
        del d
        return float(np.sum(u))


@dataclass(frozen=True)
class MinGain:
    """``min over parties of (u_i - d_i) / scale_i``: parties with ``scale`` 0 are left out.
    ``clip``: gains within TOL / 2 of zero or below count as zero (as for the solutions, whose
    packages are acceptable); off for the slack, where gains may be negative."""

    scale: tuple[float, ...]
    clip: bool = True

    def _live(self) -> list[int]:
        return [i for i, s in enumerate(self.scale) if s > 0]

    def attach(self, program: Program, lay: Layout) -> None:
        floor = _floor(lay)
        t = int(program.add_cols(1, lower=-INF, upper=INF, cost=1.0)[0])
        for i in self._live():
            cols, coef = lay.utility_row(i)
            program.add_row(np.r_[cols, t], np.r_[coef, -self.scale[i] * SCALE], floor[i], INF)

    def require(self, program: Program, lay: Layout, level: float) -> None:
        floor = _floor(lay)
        for i in self._live():
            program.add_row(*lay.utility_row(i), floor[i] + self.scale[i] * level * SCALE, INF)

    def value(self, u: FloatArray, d: FloatArray) -> float:
        live = self._live()
        if not live:
            return 0.0
        g = gains(u, d) if self.clip else np.asarray(u, dtype=np.float64) - np.asarray(d, dtype=np.float64)
        return min(float(g[i]) / self.scale[i] for i in live)


@dataclass(frozen=True)
class Chebyshev:
    """``min_i weight_i * (u_i - ideal_i) / scale_i`` (at most 0: the ideal is rarely reached)."""

    weight: tuple[float, ...]
    ideal: tuple[float, ...]
    scale: tuple[float, ...]

    def attach(self, program: Program, lay: Layout) -> None:
        t = int(program.add_cols(1, lower=-INF, upper=INF, cost=1.0)[0])
        for i, (w, b, s) in enumerate(zip(self.weight, self.ideal, self.scale, strict=True)):
            if w > 0 and s > 0:
                cols, coef = lay.utility_row(i)
                # w (u - b) / s >= t  <=>  u - (s / w) t >= b
                program.add_row(np.r_[cols, t], np.r_[coef, -s / w * SCALE], b * SCALE, INF)

    def require(self, program: Program, lay: Layout, level: float) -> None:
        for i, (w, b, s) in enumerate(zip(self.weight, self.ideal, self.scale, strict=True)):
            if w > 0 and s > 0:
                program.add_row(*lay.utility_row(i), (b + s / w * level) * SCALE, INF)

    def value(self, u: FloatArray, d: FloatArray) -> float:
        del d
        terms = [
            w * (float(u[i]) - b) / s
            for i, (w, b, s) in enumerate(zip(self.weight, self.ideal, self.scale, strict=True))
            if w > 0 and s > 0
        ]
        return min(terms, default=0.0)


@dataclass(frozen=True)
class NashProduct:
    """``sum_i power_i * log(u_i - d_i)``; ``-inf`` where some party gains nothing."""

    power: tuple[float, ...]
    cuts: list[tuple[int, float]] = field(default_factory=list, compare=False)  # (party, gain) tangents

    def attach(self, program: Program, lay: Layout) -> None:
        """Columns ``g_i = u_i - d_i`` (at least one grid step) and ``s_i <= log g_i`` through
        tangent cuts ``s_i <= log g0 + (g_i - g0) / g0`` (log is concave, so each tangent lies
        above it and the model's optimum bounds the true one from above)."""
        from .layout import floor_of

        floor = floor_of(lay.space)
        span = np.maximum(lay.top() - floor, 1) * UNIT
        k = lay.k
        g = np.array([int(program.add_cols(1, lower=UNIT, upper=float(span[i]))[0]) for i in range(k)])
        s = np.array(
            [
                int(program.add_cols(1, lower=-INF, upper=math.log(float(span[i])), cost=self.power[i])[0])
                for i in range(k)
            ]
        )
        for i in range(k):
            cols, coef = lay.utility_row(i)
            d = float(floor[i]) * UNIT
            program.add_row(np.r_[cols, g[i]], np.r_[-coef, 1.0], -d, -d)
            # A few tangents spread over the range of gains, so the first solve is already close.
            for g0 in np.geomspace(min(1e-3, float(span[i])), float(span[i]), 8):
                _tangent(program, int(s[i]), int(g[i]), float(g0))
        for i, g0 in self.cuts:
            _tangent(program, int(s[i]), int(g[i]), g0 * SCALE)
        program.tags["nash_s"] = s

    @property
    def offset(self) -> float:
        """The model's objective minus the true one: gains are in solver units (x SCALE)."""
        return float(sum(self.power)) * math.log(SCALE)

    def require(self, program: Program, lay: Layout, level: float) -> None:
        del lay
        s = program.tags["nash_s"]
        program.add_row(s, np.asarray(self.power, dtype=np.float64), level + self.offset, INF)

    def value(self, u: FloatArray, d: FloatArray) -> float:
        g = gains(u, d)
        if np.any(g <= 0):
            return -math.inf
        return float(np.dot(self.power, np.log(g)))


def _tangent(program: Program, s: int, g: int, g0: float) -> None:
    # s - g / g0 <= log g0 - 1
    program.add_row(np.array([s, g]), np.array([1.0, -1.0 / g0]), -INF, math.log(g0) - 1.0)


Objective = Utility | Welfare | MinGain | Chebyshev | NashProduct


def gains(u: FloatArray, d: FloatArray) -> FloatArray:
    """Gains as :mod:`accord.analysis.bargaining` computes them: within TOL / 2 of zero is zero."""
    g = np.asarray(u, dtype=np.float64) - np.asarray(d, dtype=np.float64)
    return np.where(g < TOL / 2, 0.0, g)


def _floor(lay: Layout) -> FloatArray:
    from .layout import floor_of

    return floor_of(lay.space).astype(np.float64) * UNIT
