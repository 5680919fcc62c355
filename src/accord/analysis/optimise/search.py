"""The certified maximisation of one objective over the packages some parties accept.

Method, for every objective of :mod:`accord.analysis.optimise.objectives`:

1. **Solve** the MILP with HiGHS at gap 0 (:mod:`accord.analysis.optimise.program`).
2. **Re-check exactly**: the package found is evaluated on the grid of space.py (the one
   definition of utility and acceptance). A package the solver took as acceptable only within
   its tolerance is cut off (a no-good cut on its columns, Balas and Jeroslow, "Canonical cuts on
   the unit hypercube", SIAM J. Appl. Math. 23(1), 1972) and the solve repeated.
3. **Break ties as the frontier engine does**: among packages within the tie tolerance of the
   best value (TOL * max(1, |best|), as :mod:`accord.analysis.bargaining`), the largest sum of
   utilities. This second solve maximises the sum with the objective held at that level, which
   also makes the answer Pareto-optimal (a package dominating it would have a larger sum).
4. **Ties and the certificate**: further solves look for another package in the tie set that no
   package found so far weakly dominates ("is there a different, undominated package at least
   as good?"). Each answer is re-checked exactly and added; "infeasible" proves the list of
   ties complete and, with it, that no package is strictly better than the one returned.

Nash's product is concave, not linear: it is maximised by outer approximation (Duran and
Grossmann, "An outer-approximation algorithm for a class of mixed-integer nonlinear programs",
Math. Prog. 36, 1986): ``log`` is replaced by the minimum of tangents, the MILP's optimum bounds
the true one from above, and a tangent is added at each incumbent's exact gains until the bound
meets the best exact value within the tie tolerance.

Every solve has a time limit. When one stops there, the result keeps the best exactly checked
package and HiGHS's proven bound, and says it is not certified.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from ..space import TOL, IntArray, canonical_keys
from .layout import UNIT, Layout, exact_utilities, floor_of
from .objectives import NashProduct, Objective, Welfare
from .program import INF, Outcome, Program, Status

__all__ = ["Found", "Optimum", "maximise"]

FloatArray = npt.NDArray[np.float64]

_REPAIRS = 50  # packages cut off for missing acceptance by less than the solver's tolerance
_OA_ROUNDS = 40  # outer-approximation rounds of the Nash product
_MARGIN = 3 * TOL  # the tie solves ask for a little less; each answer is then checked exactly
_CONE_STEP = 1  # grid units a new tie must improve on a found one for some party


@dataclass(frozen=True)
class Found:
    """One package: option indices, utilities on the grid, exact objective value."""

    options: IntArray
    grid: IntArray
    utilities: FloatArray
    value: float


@dataclass(frozen=True)
class Optimum:
    """The best package for one objective, its ties, and how sure the answer is.

    ``best`` is None when no package meets the constraints (then ``infeasible`` is True, or the
    time limit hit first). ``bound`` is the proven upper bound on the objective: equal to
    ``best.value`` (within the tie tolerance) when ``certified``. ``ties`` are further
    Pareto-optimal packages within the tie tolerance of the best; ``ties_complete`` says whether
    the list was proven complete.
    """

    best: Found | None
    bound: float
    certified: bool
    infeasible: bool
    ties: tuple[Found, ...] = ()
    ties_complete: bool = True
    notes: tuple[str, ...] = field(default=())

    @property
    def interval(self) -> tuple[float, float]:
        low = -math.inf if self.best is None else self.best.value
        return low, max(low, self.bound)


def tie_tolerance(value: float) -> float:
    """Values this close to the best tie with it (as in :mod:`accord.analysis.bargaining`)."""
    return TOL * max(1.0, abs(value)) if math.isfinite(value) else 0.0


@dataclass
class _Context:
    lay: Layout
    accepting: npt.NDArray[np.bool_]
    floor: IntArray
    time_limit: float
    nogoods: list[IntArray] = field(default_factory=list)
    deadline: float = 0.0

    def __post_init__(self) -> None:
        self.deadline = time.perf_counter() + self.time_limit

    def left(self) -> float:
        """Seconds left of this maximisation's time limit (a little at least, so a solve
        that starts late still returns its incumbent and bound)."""
        return max(0.05, self.deadline - time.perf_counter())

    def program(self) -> Program:
        p = self.lay.base()
        for i in np.flatnonzero(self.accepting):
            p.add_row(*self.lay.utility_row(int(i)), float(self.floor[i]) * UNIT, INF)
        for cols in self.nogoods:
            p.add_row(cols, np.ones(len(cols)), -INF, len(cols) - 1.0)
        return p

    def check(self, values: FloatArray) -> tuple[Found | None, IntArray]:
        """The package that column values select, if it is exactly acceptable to the accepting
        parties; else None (and the caller cuts it off)."""
        options = self.lay.decode(values)
        grid, u, allowed = exact_utilities(self.lay.space, options)
        ok = allowed and bool(np.all(grid[self.accepting] >= self.floor[self.accepting]))
        return (Found(options, grid, u, 0.0) if ok else None), self.lay.chosen(values)

    def solve(self, build: Program, start: Found | None = None) -> tuple[Outcome, Found | None]:
        """Solve, cutting off inexactly acceptable packages until one checks or none is left.
        ``start``: a package known to be feasible, handed to HiGHS as a MIP start."""
        rows_before = len(self.nogoods)
        cols = None if start is None else self.lay.columns_of(start.options)
        hint = None
        if cols is not None:
            x = np.zeros(self.lay.n_x)
            x[cols] = 1.0
            hint = (np.arange(self.lay.n_x, dtype=np.int64), x)
        outcome = build.solve(time_limit=self.left(), start=hint)
        for _ in range(_REPAIRS):
            if outcome.values is None:
                return outcome, None
            found, cols = self.check(outcome.values)
            if found is not None:
                return outcome, found
            self.nogoods.append(cols)
            build.add_row(cols, np.ones(len(cols)), -INF, len(cols) - 1.0)
            outcome = build.solve(time_limit=self.left())
        del rows_before
        return Outcome(Status.FAILED, None, -INF, outcome.bound), None


def maximise(
    lay: Layout,
    objective: Objective,
    *,
    accepting: Sequence[bool] | npt.NDArray[np.bool_],
    time_limit: float = 10.0,
    max_ties: int = 0,
    hints: Sequence[IntArray] = (),
) -> Optimum:
    """The package that maximises ``objective`` among those that every party marked in
    ``accepting`` accepts (red lines always hold), with its ties up to ``max_ties``.

    ``hints`` are packages whose gains seed the Nash tangents. ``time_limit`` bounds all the
    solves of this call together. See the module docstring for the method and the guarantee.
    """
    ctx = _Context(lay, np.asarray(accepting, dtype=bool), floor_of(lay.space), time_limit)
    if not lay.feasible:
        return Optimum(None, -INF, True, True)
    first = _nash(ctx, objective, hints) if isinstance(objective, NashProduct) else _linear(ctx, objective)
    if first.best is None or not first.certified:
        return first
    # The solver's bound is on the grid (sums of rounded block utilities); so is this value.
    on_grid = objective.value(_units(first.best.grid), _units(ctx.floor))
    close = first.bound - on_grid <= tie_tolerance(first.best.value)
    if max_ties > 0:
        # The tie search subsumes the tie-break: its first answer is the largest sum among the
        # packages the first answer does not dominate.
        return _ties(ctx, objective, first, max_ties, close)
    return replace(_lexicographic(ctx, objective, first), certified=close)


def _value(ctx: _Context, objective: Objective, found: Found) -> Found:
    value = objective.value(found.utilities, ctx.lay.space.reservation)
    return Found(found.options, found.grid, found.utilities, value)


def _linear(ctx: _Context, objective: Objective) -> Optimum:
    program = ctx.program()
    objective.attach(program, ctx.lay)
    outcome, found = ctx.solve(program)
    if found is None:
        infeasible = outcome.status == Status.INFEASIBLE
        return Optimum(None, outcome.bound, infeasible, infeasible)
    found = _value(ctx, objective, found)
    if outcome.status == Status.OPTIMAL:
        return Optimum(found, outcome.objective, True, False)
    return Optimum(found, max(found.value, outcome.bound), False, False, notes=(_stopped(ctx),))


def _stopped(ctx: _Context) -> str:
    return f"a solve stopped at its time limit of {ctx.time_limit:g} s"


def _nash(ctx: _Context, objective: NashProduct, hints: Sequence[IntArray]) -> Optimum:
    for options in hints:
        grid, u, _ = exact_utilities(ctx.lay.space, options)
        _add_tangents(ctx, objective, Found(options, grid, u, 0.0))
    best: Found | None = None
    bound = INF
    for _ in range(_OA_ROUNDS):
        program = ctx.program()
        objective.attach(program, ctx.lay)
        outcome, found = ctx.solve(program)
        if outcome.status == Status.INFEASIBLE and best is None:
            # No package gives every party a positive gain: the product is 0 on all of them.
            return Optimum(None, -INF, True, True)
        if found is None:
            return Optimum(best, outcome.bound, False, False, notes=(_stopped(ctx),))
        found = _value(ctx, objective, found)
        if found.value == -INF:
            # Some party's exact gain is 0: positive only within the solver's tolerance.
            ctx.nogoods.append(ctx.lay.chosen(outcome.values))  # type: ignore[arg-type]
            continue
        if best is None or found.value > best.value:
            best = found
        bound = (outcome.objective if outcome.status == Status.OPTIMAL else outcome.bound) - objective.offset
        if outcome.status != Status.OPTIMAL:
            return Optimum(best, max(best.value, bound), False, False, notes=(_stopped(ctx),))
        # Within a few tie tolerances the bound may belong to a tie the solver cannot tell from
        # the incumbent; the tie search that follows settles it (see maximise).
        on_grid = objective.value(_units(best.grid), _units(ctx.floor))
        if bound - on_grid <= 4 * tie_tolerance(best.value):
            return Optimum(best, bound, True, False)
        _add_tangents(ctx, objective, found)
    if best is None:
        return Optimum(None, -INF, True, True)
    note = f"the Nash product's outer approximation stopped after {_OA_ROUNDS} rounds"
    return Optimum(best, max(best.value, bound), False, False, notes=(note,))


def _lexicographic(ctx: _Context, objective: Objective, first: Optimum) -> Optimum:
    """Among packages within the tie tolerance of the best value, one with the largest sum."""
    assert first.best is not None
    level = first.best.value - tie_tolerance(first.best.value)
    if isinstance(objective, Welfare):
        return first
    for _ in range(_OA_ROUNDS):
        program = _tie_program(ctx, objective, level - _MARGIN)
        _, found = ctx.solve(program, start=first.best)
        if found is None:
            break  # nothing better than the first answer (or time): keep it
        found = _value(ctx, objective, found)
        if found.value >= level:
            if int(found.grid.sum()) > int(first.best.grid.sum()):
                return Optimum(found, max(first.bound, found.value), first.certified, False)
            break
        if not isinstance(objective, NashProduct):
            break  # a tolerance artefact: keep the first answer
        _add_tangents(ctx, objective, found)
    return first


def _tie_program(ctx: _Context, objective: Objective, level: float) -> Program:
    program = ctx.program()
    if isinstance(objective, NashProduct):
        objective.attach(program, ctx.lay)
        program.cost = [0.0] * program.n_cols
    objective.require(program, ctx.lay, level)
    Welfare().attach(program, ctx.lay)
    return program


def _ties(ctx: _Context, objective: Objective, top: Optimum, max_ties: int, close: bool) -> Optimum:
    """Further Pareto-optimal packages in the tie set, each undominated by those found."""
    assert top.best is not None
    level = top.best.value - tie_tolerance(top.best.value)
    found_all = [top.best]
    lo, hi = ctx.lay.bottom(), ctx.lay.top()
    complete = False
    for _ in range(max_ties + _REPAIRS):
        if len(found_all) > max_ties:
            break
        program = _tie_program(ctx, objective, level - _MARGIN)
        for f in found_all:
            _exclude_cone(program, ctx.lay, f.grid, lo, hi)
        outcome, found = ctx.solve(program)
        if outcome.status == Status.INFEASIBLE:
            complete = True
            break
        if found is None:
            break
        found = _value(ctx, objective, found)
        dominated = any(bool(np.all(found.grid <= f.grid)) for f in found_all)
        if found.value >= level and not dominated:
            found_all.append(found)
            continue
        if isinstance(objective, NashProduct) and found.value < level and found.value > -INF:
            _add_tangents(ctx, objective, found)
            continue
        ctx.nogoods.append(ctx.lay.chosen(ctx.lay.point(found.options)))
    notes = top.notes
    if not complete:
        notes = (*notes, f"ties listed up to {max_ties}; there may be more")
    # A package found first can turn out dominated by one found later (the solver cannot see
    # one grid step): keep the Pareto-optimal ones, as the frontier engine would.
    found_all = [
        f
        for f in found_all
        if not any(np.all(g.grid >= f.grid) and np.any(g.grid > f.grid) for g in found_all)
    ]
    ranked = rank_ties(ctx.lay, found_all)
    certified = top.certified and (complete or close)
    return Optimum(ranked[0], top.bound, certified, False, ranked[1:], complete, notes)


def rank_ties(lay: Layout, found: Sequence[Found]) -> tuple[Found, ...]:
    """The packages within the tie tolerance of the best value among ``found``, ordered as
    :func:`accord.analysis.bargaining.break_ties` orders them: larger sum of utilities (on the
    grid) first, then the smaller canonical package key."""
    best = max(f.value for f in found)
    level = best - tie_tolerance(best)
    kept = [f for f in found if f.value >= level]
    keys = canonical_keys(lay.space, np.array([f.options for f in kept]))
    order = sorted(range(len(kept)), key=lambda j: (-int(kept[j].grid.sum()), tuple(keys[j].tolist())))
    return tuple(kept[j] for j in order)


def _units(grid: IntArray) -> FloatArray:
    return np.asarray(grid, dtype=np.float64) * TOL


def _add_tangents(ctx: _Context, objective: NashProduct, found: Found) -> None:
    for i, gain in enumerate(found.grid - ctx.floor):
        if gain > 0:
            objective.cuts.append((i, float(gain) * TOL))


def _exclude_cone(program: Program, lay: Layout, v: IntArray, lo: IntArray, hi: IntArray) -> None:
    """Require some party to get at least ``_CONE_STEP`` grid units more than in ``v``: one
    binary per party, ``u_i >= v_i + step - big_i (1 - z_i)``, ``sum z_i >= 1``."""
    k = lay.k
    z = program.add_cols(k, lower=0.0, upper=1.0, integer=True)
    useful = []
    for i in range(k):
        need = int(v[i]) + _CONE_STEP
        if need > hi[i]:
            program.upper[int(z[i])] = 0.0
            continue
        useful.append(i)
        cols, coef = lay.utility_row(i)
        # u_i >= need - big (1 - z_i), with big the whole range of u_i: a big-M as large as the
        # range keeps coefficients of one magnitude (HiGHS's presolve was seen to declare such a
        # row infeasible when its big-M was one grid step next to utilities of 1000).
        big = float(max(need, int(hi[i])) - int(lo[i]) + 1) * UNIT
        program.add_row(np.r_[cols, z[i]], np.r_[coef, -big], float(need) * UNIT - big, INF)
    program.add_row(z, np.ones(k), 1.0, INF)
