"""What can be maximised over packages, as rows and columns added to the one-hot model.

Each objective says how to add itself to a program (columns, rows, objective coefficients),
how to require ``objective > level`` or ``>= level`` (for the certificate and tie solves), and
how to compute its exact value from a package's integer utilities (:meth:`exact`, a
:class:`~fractions.Fraction` for the linear and max-min objectives), which is what every
comparison uses; :meth:`value` is the same as a float, for reporting.

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
  reach every part of the frontier (used to seed representative points, not certified itself).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from .._gains import exact_gains as gains_of
from .layout import RESOLUTION, SCALE, Layout
from .program import INF, Program

__all__ = ["Chebyshev", "MinGain", "MinZero", "NashProduct", "Objective", "Utility", "Welfare", "exact_gains"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_GUARD = 1e-7
"""Solver units per block by which HiGHS's proven bound may exceed the true optimum of the
exact packages (its LP bounds are computed to a dual tolerance): a bound is trusted to rule a
value out only with this much room, else a certificate solve decides."""


def exact_gains(lay: Layout, q: IntArray) -> list[Fraction]:
    """A package's exact gains over the reservation values (the file's numbers), every party."""
    return gains_of(lay.space, q, range(lay.k))


def _guard(lay: Layout, bound: float) -> float:
    return _GUARD * (len(lay.rows) + 1) + 1e-9 * abs(bound)


@dataclass(frozen=True)
class Utility:
    """Party ``party``'s utility."""

    party: int

    def attach(self, program: Program, lay: Layout) -> None:
        program.cost[: lay.n_x] = list(lay.coef[:, self.party])

    def exact(self, lay: Layout, q: IntArray) -> Fraction:
        return Fraction(int(q[self.party]), lay.denominators[self.party])

    def value(self, lay: Layout, q: IntArray) -> float:
        return float(self.exact(lay, q))

    def require(self, program: Program, lay: Layout, level: Fraction, strict: bool) -> None:
        lay.require(program, self.party, lay.least_above(self.party, level, strict))

    def exact_rows(self, lay: Layout) -> bool:
        """Whether :meth:`require` is decided exactly by the solver."""
        return lay.resolvable(self.party)

    def cleared(self, lay: Layout, bound: float, level: Fraction) -> bool:
        """Whether the solver's bound proves that no package is worth more than ``level``."""
        # A better package has at least the next integer utility, so the model's objective
        # there is at least that less the margin of float rounding.
        p = self.party
        floor = lay.least_above(p, level, True)
        return bound + _guard(lay, bound) < floor * float(lay.step[p]) - float(lay.margin[p])

    def from_solver(self, objective: float) -> float:
        return objective / SCALE

    def short(self, lay: Layout, q: IntArray, level: Fraction) -> bool | int:
        """True if the package is worth more than ``level``; else the party whose integer
        utility alone keeps it from that (False if none does)."""
        return True if self.exact(lay, q) > level else self.party


@dataclass(frozen=True)
class Welfare:
    """The sum of all parties' utilities."""

    def attach(self, program: Program, lay: Layout) -> None:
        program.cost[: lay.n_x] = list(lay.coef.sum(axis=1))

    def exact(self, lay: Layout, q: IntArray) -> Fraction:
        return sum(
            (Fraction(int(v), d) for v, d in zip(q.tolist(), lay.denominators, strict=True)), Fraction(0)
        )

    def value(self, lay: Layout, q: IntArray) -> float:
        return float(self.exact(lay, q))

    def _lcm(self, lay: Layout) -> int:
        return math.lcm(*lay.denominators)

    def exact_rows(self, lay: Layout) -> bool:
        return SCALE / self._lcm(lay) >= max(RESOLUTION, 100 * float(lay.margin.sum()))

    def _lower(self, lay: Layout, level: Fraction, strict: bool) -> float:
        n = self._lcm(lay)
        x = level * n
        target = Fraction(math.floor(x) + 1 if strict else math.ceil(x), n)
        if self.exact_rows(lay):
            return SCALE * float(target) - 0.5 * SCALE / n
        return SCALE * float(target) - float(lay.margin.sum())

    def require(self, program: Program, lay: Layout, level: Fraction, strict: bool) -> None:
        program.add_row(np.arange(lay.n_x), lay.coef.sum(axis=1), self._lower(lay, level, strict), INF)

    def cleared(self, lay: Layout, bound: float, level: Fraction) -> bool:
        n = self._lcm(lay)
        target = Fraction(math.floor(level * n) + 1, n)
        return bound + _guard(lay, bound) < SCALE * float(target) - float(lay.margin.sum())

    def from_solver(self, objective: float) -> float:
        return objective / SCALE

    def short(self, lay: Layout, q: IntArray, level: Fraction) -> bool | int:
        return self.exact(lay, q) > level


@dataclass(frozen=True)
class MinGain:
    """``min over parties of (u_i - d_i) / scale_i``: parties with ``scale`` 0 are left out.
    ``clip``: negative gains count as zero (as for the solutions, whose packages are
    acceptable); off for the slack, where gains may be negative. ``scale`` holds exact numbers
    (the spans of Kalai-Smorodinsky are exact differences of utilities)."""

    scale: tuple[Fraction, ...]
    clip: bool = True

    def _live(self) -> list[int]:
        return [i for i, s in enumerate(self.scale) if s > 0]

    def attach(self, program: Program, lay: Layout) -> None:
        t = int(program.add_cols(1, lower=-INF, upper=INF, cost=1.0)[0])
        for i in self._live():
            cols, coef = lay.utility_row(i)
            bound = SCALE * float(lay.reservation[i]) - float(lay.margin[i])
            program.add_row(np.r_[cols, t], np.r_[coef, -float(self.scale[i]) * SCALE], bound, INF)

    def exact(self, lay: Layout, q: IntArray) -> Fraction:
        live = self._live()
        if not live:
            return Fraction(0)
        g = exact_gains(lay, q)
        if self.clip:
            g = [max(x, Fraction(0)) for x in g]
        return min(g[i] / self.scale[i] for i in live)

    def value(self, lay: Layout, q: IntArray) -> float:
        return float(self.exact(lay, q))

    def _floors(self, lay: Layout, level: Fraction, strict: bool) -> list[tuple[int, int]]:
        out = []
        for i in self._live():
            if self.clip and (level < 0 or (level == 0 and not strict)):
                continue  # a clipped gain is never below 0: every package qualifies
            out.append((i, lay.least_above(i, lay.reservation[i] + level * self.scale[i], strict)))
        return out

    def require(self, program: Program, lay: Layout, level: Fraction, strict: bool) -> None:
        for i, floor in self._floors(lay, level, strict):
            lay.require(program, i, floor)

    def exact_rows(self, lay: Layout) -> bool:
        return all(lay.resolvable(i) for i in self._live())

    def cleared(self, lay: Layout, bound: float, level: Fraction) -> bool:
        floors = self._floors(lay, level, True)
        if not floors:
            return False
        # A package worth more than ``level`` has every live integer utility at its floor, so
        # its t in the model is at least the least of the floors' gains over the scales.
        d, r = lay.denominators, lay.reservation
        least = min((Fraction(f, d[i]) - r[i]) / self.scale[i] for i, f in floors)
        smallest = min(1.0, min(float(self.scale[i]) for i in self._live()))
        return bound + _guard(lay, bound) / (SCALE * smallest) < float(least)

    def from_solver(self, objective: float) -> float:
        return objective

    def short(self, lay: Layout, q: IntArray, level: Fraction) -> bool | int:
        if self.exact(lay, q) > level:
            return True
        for i, floor in self._floors(lay, level, True):
            if int(q[i]) < floor:
                return i
        return False


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


@dataclass(frozen=True)
class NashProduct:
    """``sum_i power_i * log(u_i - d_i)`` over the parties with a positive power (the others
    are left out); ``-inf`` where one of them gains nothing."""

    power: tuple[float, ...]
    cuts: list[tuple[int, float]] = field(default_factory=list, compare=False)  # (party, gain) tangents

    def live(self) -> list[int]:
        return [i for i, p in enumerate(self.power) if p > 0]

    def positive(self) -> MinGain:
        """ "Every scored party gains": the max-min over those parties, for its floors."""
        return MinGain(tuple(Fraction(1) if p > 0 else Fraction(0) for p in self.power))

    def attach(self, program: Program, lay: Layout) -> None:
        """Columns ``g_i = u_i - d_i`` (solver units) and ``s_i <= log g_i`` through tangent
        cuts ``s_i <= log g0 + (g_i - g0) / g0`` (log is concave, so each tangent lies above it
        and the model's optimum bounds the true one from above)."""
        top = lay.top().astype(np.float64) * lay.step
        d = np.array([float(r) for r in lay.reservation]) * SCALE
        span = np.maximum(top - d, RESOLUTION)
        g: dict[int, int] = {}
        s: dict[int, int] = {}
        for i in self.live():
            g[i] = int(program.add_cols(1, lower=0.0, upper=float(span[i]) + 1.0)[0])
            s[i] = int(
                program.add_cols(1, lower=-INF, upper=math.log(float(span[i]) + 1.0), cost=self.power[i])[0]
            )
            cols, coef = lay.utility_row(i)
            # g_i <= u_i - d_i (plus the margin, so exact gains are never cut)
            program.add_row(np.r_[cols, g[i]], np.r_[-coef, 1.0], -INF, -float(d[i]) + float(lay.margin[i]))
            # A few tangents spread over the range of gains, so the first solve is already close.
            for g0 in np.geomspace(min(1e-3, float(span[i])), float(span[i]), 8):
                _tangent(program, s[i], g[i], float(g0))
        for i, g0 in self.cuts:
            if i in s:
                _tangent(program, s[i], g[i], g0 * SCALE)
        program.tags["nash_s"] = np.array([s[i] for i in self.live()], dtype=np.int64)

    @property
    def offset(self) -> float:
        """The model's objective minus the true one: gains are in solver units (x SCALE)."""
        return float(sum(self.power)) * math.log(SCALE)

    def require_log(self, program: Program, level: float) -> None:
        """``sum_i p_i s_i >= level`` (a level of the true objective)."""
        s = program.tags["nash_s"]
        power = np.asarray([self.power[i] for i in self.live()], dtype=np.float64)
        program.add_row(s, power, level + self.offset, INF)

    def value(self, lay: Layout, q: IntArray) -> float:
        g = exact_gains(lay, q)
        live = self.live()
        if any(g[i] <= 0 for i in live):
            return -math.inf
        return float(sum(self.power[i] * _log(g[i]) for i in live))

    def exact(self, lay: Layout, q: IntArray) -> float:
        return self.value(lay, q)


def _log(x: Fraction) -> float:
    return math.log(x.numerator) - math.log(x.denominator)


def _tangent(program: Program, s: int, g: int, g0: float) -> None:
    # s - g / g0 <= log g0 - 1
    program.add_row(np.array([s, g]), np.array([1.0, -1.0 / g0]), -INF, math.log(g0) - 1.0)


@dataclass(frozen=True)
class MinZero:
    """The objective that every package ties on (0): listing ties lists the frontier."""

    def attach(self, program: Program, lay: Layout) -> None:
        del program, lay

    def exact(self, lay: Layout, q: IntArray) -> Fraction:
        del lay, q
        return Fraction(0)

    def value(self, lay: Layout, q: IntArray) -> float:
        del lay, q
        return 0.0

    def require(self, program: Program, lay: Layout, level: Fraction, strict: bool) -> None:
        del program, lay, level, strict

    def cleared(self, lay: Layout, bound: float, level: Fraction) -> bool:
        del lay, bound, level
        return True

    def short(self, lay: Layout, q: IntArray, level: Fraction) -> bool | int:
        del lay, q, level
        return False

    def from_solver(self, objective: float) -> float:
        del objective
        return 0.0


Objective = Utility | Welfare | MinGain | MinZero | Chebyshev | NashProduct
Linear = Utility | Welfare | MinGain | MinZero
