"""The certified maximisation of one objective over the packages some parties accept.

Every decision is made on the parties' exact integer utilities (:mod:`accord.model.utility`),
as the frontier engine makes it; the solver only proposes packages and proves infeasibility of
*relaxed* rows (see :mod:`accord.analysis.optimise.layout`: an exactly qualifying package always
meets them). Method, for the linear and max-min objectives of
:mod:`accord.analysis.optimise.objectives`:

1. **Solve** the MILP with HiGHS at gap 0 (:mod:`accord.analysis.optimise.program`).
2. **Re-check exactly**: the package found is evaluated on the integers (:meth:`Space.evaluate`,
   the one definition of utility and acceptance). A package the solver took as acceptable only
   within its tolerance is cut off (a no-good cut on its columns, Balas and Jeroslow, "Canonical
   cuts on the unit hypercube", SIAM J. Appl. Math. 23(1), 1972) and the solve repeated.
3. **Is there a strictly better package?** Where the solver's proven bound lies below the next
   value the objective can take on the integers by more than the solver's tolerance, no: the
   bound proves it. Else a certificate solve asks for a package whose integer utilities make the
   objective exceed the incumbent's exact value (rows relaxed by the margin): "infeasible"
   proves the incumbent optimal; a package found is re-checked exactly and either replaces the
   incumbent or is cut off, and the solve repeats.
4. **Ties**: further solves look for a package worth at least the best exact value that no
   package found so far weakly dominates (one binary per party: "some party gets one integer
   unit more", Ehrgott, *Multicriteria Optimization*, 2005, ch. 4). Each answer is re-checked
   exactly: a tie not dominated is kept, a better package replaces the best, anything else is
   cut off by a no-good. "Infeasible" proves the list of Pareto-optimal ties complete and, with
   it, that no package is strictly better (a better package would be found there first).

Nash's product is concave, not linear: it is maximised by outer approximation (Duran and
Grossmann, "An outer-approximation algorithm for a class of mixed-integer nonlinear programs",
Math. Prog. 36, 1986): ``log`` is replaced by the minimum of tangents, the MILP's optimum bounds
the true one from above, and a tangent is added at each incumbent's exact gains until the bound
meets the best value within the tie tolerance. Every package within the tie tolerance of the
best is then listed as above (the analysis picks the exact maximisers among them, exactly, as
it does from the whole frontier).

Every solve has a time limit. When one stops there, the result keeps the best exactly checked
package and HiGHS's proven bound, and says it is not certified.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from ..space import TOL, IntArray, canonical_keys
from .layout import Layout
from .objectives import Chebyshev, Linear, MinGain, MinZero, NashProduct, Objective, Welfare, exact_gains
from .program import INF, Outcome, Program, Status

__all__ = ["Found", "Optimum", "maximise", "undominated"]

FloatArray = npt.NDArray[np.float64]

_REPAIRS = 50  # packages cut off in a row for falling short by less than the solver's tolerance
_OA_ROUNDS = 40  # outer-approximation rounds of the Nash product
_ROUNDS = 8  # certificate rounds that may each find a better package


@dataclass(frozen=True)
class Found:
    """One package: option indices, integer utilities, float utilities, objective value (a
    float, for reporting) and the same exactly (a Fraction; a float for the Nash product)."""

    options: IntArray
    q: IntArray
    utilities: FloatArray
    value: float
    exact: Fraction | float = 0.0


@dataclass(frozen=True)
class Optimum:
    """The best package for one objective, its ties, and how sure the answer is.

    ``best`` is None when no package meets the constraints (then ``infeasible`` is True, or the
    time limit hit first). ``bound`` is the proven upper bound on the objective (the best value
    itself when ``certified``). ``ties`` are further Pareto-optimal packages worth exactly as
    much (for the Nash product: within the tie tolerance); ``ties_complete`` says whether the
    list was proven complete.
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
    floors: IntArray  # per party: the least integer utility it accepts
    time_limit: float
    starts: list[IntArray] = field(default_factory=list)  # packages tried as MIP starts
    nogoods: list[IntArray] = field(default_factory=list)  # packages no accepting party may take
    deadline: float = 0.0
    solves: int = 0

    def __post_init__(self) -> None:
        self.deadline = time.perf_counter() + self.time_limit

    def left(self) -> float:
        """Seconds left of this maximisation's time limit (a little at least, so a solve
        that starts late still returns its incumbent and bound)."""
        return max(0.05, self.deadline - time.perf_counter())

    def program(self) -> Program:
        p = self.lay.base()
        for i in np.flatnonzero(self.accepting):
            self.lay.require(p, int(i), int(self.floors[i]))
        for cols in self.nogoods:
            _nogood(p, cols, len(self.lay.rows))
        return p

    def found(self, options: IntArray, objective: Objective) -> Found:
        _, u, q = self.evaluate(options)
        return Found(options, q, u, objective.value(self.lay, q), objective.exact(self.lay, q))  # type: ignore[union-attr]

    def evaluate(self, options: IntArray) -> tuple[bool, FloatArray, IntArray]:
        """Whether the package is exactly acceptable to the accepting parties (and crosses no
        red line), its float and its integer utilities."""
        u, q, allowed = self.lay.space.evaluate(np.asarray(options, dtype=np.int64)[None, :])
        ok = bool(allowed[0]) and bool(np.all(q[0][self.accepting] >= self.floors[self.accepting]))
        return ok, u[0], q[0]

    def solve(
        self,
        build: Program,
        objective: Objective,
        want: Callable[[Found], bool | int] | None = None,
        start: bool = False,
    ) -> tuple[Outcome, Found | None]:
        """Solve, cutting off packages that are not exactly acceptable (for good) or that
        ``want`` refuses (for this program only) until one passes or none is left. ``want``
        returns True, False, or the index of a party whose integer utility alone rules the
        package out (then every package giving that party the same is cut off at once).
        ``start``: hand HiGHS the best known package for ``objective`` as a MIP start."""
        outcome = build.solve(time_limit=self.left(), start=self._start(objective) if start else None)
        self.solves += 1
        for _ in range(_REPAIRS):
            if outcome.values is None:
                return outcome, None
            options = self.lay.decode(outcome.values)
            cols = self.lay.chosen(outcome.values)
            ok, u, q = self.evaluate(options)
            if ok:
                found = Found(options, q, u, objective.value(self.lay, q), objective.exact(self.lay, q))  # type: ignore[union-attr]
                verdict = True if want is None else want(found)
                if verdict is True:
                    return outcome, found
                cut = _refused(self.lay, verdict, cols)
            else:
                # Some accepting party falls short: so does every package giving it the same.
                short = np.flatnonzero(self.accepting & (q < self.floors))
                cut = self.lay.same_for(int(short[0]), cols) if len(short) else cols
                self.nogoods.append(cut)
            _nogood(build, cut, len(cols))
            outcome = build.solve(time_limit=self.left())
            self.solves += 1
        return Outcome(Status.FAILED, None, -INF, outcome.bound), None

    def _start(self, objective: Objective) -> tuple[IntArray, FloatArray] | None:
        # The best known acceptable package for this objective as a MIP start: a good first
        # incumbent lets branch and bound prune from the start.
        best: tuple[float, FloatArray] | None = None
        for options in self.starts[-40:]:
            ok, _, q = self.evaluate(options)
            x = self.lay.point(options) if ok else None
            if x is None:
                continue
            v = objective.value(self.lay, q) if not isinstance(objective, Chebyshev) else 0.0
            if best is None or v > best[0]:
                best = (v, x)
        if best is None:
            return None
        return np.arange(self.lay.n_x, dtype=np.int64), best[1]


def _refused(lay: Layout, verdict: bool | int, cols: IntArray) -> IntArray:
    """What to cut off for a package (its chosen columns ``cols``) that a test refused: the
    package alone, or, where ``verdict`` names the party whose integer utility alone refused
    it, every package that gives that party the same (:meth:`Layout.same_for`)."""
    return cols if isinstance(verdict, bool) else lay.same_for(int(verdict), cols)


def _nogood(program: Program, cols: IntArray, blocks: int | None = None) -> None:
    """No package takes a column of ``cols`` in every block (``cols`` covers each block at
    least once; one column per block is the classic no-good of one package)."""
    n = len(cols) if blocks is None else blocks
    program.add_row(cols, np.ones(len(cols)), -INF, n - 1.0)


def maximise(
    lay: Layout,
    objective: Objective,
    *,
    accepting: Sequence[bool] | npt.NDArray[np.bool_],
    time_limit: float = 10.0,
    max_ties: int = 0,
    hints: Sequence[IntArray] = (),
    floors: IntArray | None = None,
    certify: bool = True,
) -> Optimum:
    """The package that maximises ``objective`` among those that every party marked in
    ``accepting`` accepts (red lines always hold), with its Pareto-optimal ties up to
    ``max_ties``.

    ``floors``: the least integer utility each accepting party takes (default: its reservation
    value, :attr:`Space.floor_q`). ``hints``: known packages, tried as MIP starts and (for the
    Nash product) as the points of its first tangents. ``time_limit`` bounds all the solves of
    this call together. ``certify=False`` stops after the first solve (for a package that only
    seeds another search; ``certified`` then says only what the bound proved). See the module
    docstring for the method and the guarantee.
    """
    space = lay.space
    ctx = _Context(
        lay,
        np.asarray(accepting, dtype=bool),
        space.floor_q if floors is None else np.asarray(floors, dtype=np.int64),
        time_limit,
        starts=[np.asarray(h, dtype=np.int64) for h in hints],
    )
    if not lay.feasible:
        return Optimum(None, -INF, True, True)
    if isinstance(objective, NashProduct):
        return _nash(ctx, objective, hints, max_ties)
    return _linear(ctx, objective, max_ties, certify)  # type: ignore[arg-type]


def _stopped(ctx: _Context) -> str:
    return f"a solve stopped at its time limit of {ctx.time_limit:g} s"


def _linear(ctx: _Context, objective: Linear, max_ties: int, certify: bool = True) -> Optimum:
    program = ctx.program()
    objective.attach(program, ctx.lay)
    outcome, best = ctx.solve(program, objective, start=True)
    if best is None:
        infeasible = outcome.status == Status.INFEASIBLE
        return Optimum(None, objective.from_solver(outcome.bound), infeasible, infeasible)
    bound = objective.from_solver(outcome.bound)
    if outcome.status != Status.OPTIMAL:
        return Optimum(best, max(best.value, bound), False, False, notes=(_stopped(ctx),))
    ctx.starts.append(best.options)
    certified = objective.cleared(ctx.lay, outcome.bound, best.exact)  # type: ignore[arg-type]
    if not certify:
        return Optimum(best, bound, certified, False)
    ties: list[Found] = [best]
    complete = False
    for _ in range(_ROUNDS):
        if max_ties > 0:
            ties, complete, stopped = _ties(ctx, objective, ties, max_ties)
            if stopped:
                return _result(ctx, ties, bound, False, False)
            if complete:
                return _result(ctx, ties, ties[0].value, True, True)
        if certified:
            break
        state, better = _better(ctx, objective, ties[0])
        if state == "stopped":
            return _result(ctx, ties, bound, False, complete)
        if better is None:
            certified = True
            break
        ties = [better]
        ctx.starts.append(better.options)
    else:
        return _result(ctx, ties, bound, False, complete, note="the certificate did not settle")
    note = f"ties listed up to {max_ties}; there may be more" if max_ties > 0 and not complete else None
    return _result(ctx, ties, ties[0].value, certified, complete, note)


def _result(
    ctx: _Context,
    ties: list[Found],
    bound: float,
    certified: bool,
    complete: bool,
    note: str | None = None,
) -> Optimum:
    ranked = rank_ties(ctx.lay, ties)
    notes: tuple[str, ...] = ()
    if note is not None:
        notes = (note,)
    elif not certified:
        notes = (_stopped(ctx),)
    return Optimum(ranked[0], max(ranked[0].value, bound), certified, False, ranked[1:], complete, notes)


def _better(ctx: _Context, objective: Linear, best: Found) -> tuple[str, Found | None]:
    """A package worth exactly more than ``best``: ("done", it), ("done", None) when there is
    none (proven), ("stopped", None) at the time limit."""
    level = best.exact
    program = ctx.program()
    # A feasibility question, with no objective: HiGHS proves "no such package" faster when it
    # need not also optimise (measured: 3x faster on 3 x 100 x 5, as fast on 7 x 30 x 5).
    objective.require(program, ctx.lay, level, True)  # type: ignore[arg-type]
    # Where the rows are relaxed (fine scales), ``best`` itself meets them: cut it off (with
    # every package that gives the deciding party what it gives) before the first solve.
    cols = ctx.lay.columns_of(best.options)
    if cols is not None:
        _nogood(program, _refused(ctx.lay, objective.short(ctx.lay, best.q, level), cols), len(cols))  # type: ignore[arg-type]
    outcome, found = ctx.solve(program, objective, want=lambda f: objective.short(ctx.lay, f.q, level))  # type: ignore[arg-type]
    if found is not None:
        return "done", found
    if outcome.status == Status.INFEASIBLE:
        return "done", None
    return "stopped", None


def _ties(
    ctx: _Context, objective: Linear, ties: list[Found], max_ties: int
) -> tuple[list[Found], bool, bool]:
    """Pareto-optimal packages worth exactly as much as ``ties[0]`` (or, when one is found
    worth more, as much as it), up to ``max_ties`` besides the first. Returns them, whether the
    list is proven complete, and whether the time limit stopped the search."""
    hi = ctx.lay.top()
    level = ties[0].exact
    lo = _lows(ctx, objective, level)
    cones: list[IntArray] = [t.q for t in ties]
    local: list[IntArray] = []
    # First ask the cheaper question "is there any other package worth as much?", with only the
    # tie's own packages cut off (a no-good each): usually there is none, which settles it. Only
    # when another tie turns up does the search exclude whole cones of dominated packages.
    only: list[IntArray] | None = [c for t in ties if (c := ctx.lay.columns_of(t.options)) is not None]
    if len(ties) > 1:
        only = None
    for _ in range(max_ties + 4 * _REPAIRS):
        if len(ties) > max_ties:
            return ties, False, False
        program = ctx.program()
        objective.require(program, ctx.lay, level, False)  # type: ignore[arg-type]
        # Cones: the largest sum first, so each tie found is Pareto-optimal among those left.
        # No-goods only: a feasibility question, which HiGHS settles faster with no objective.
        if only is None:
            Welfare().attach(program, ctx.lay)
            for v in cones:
                _exclude_cone(program, ctx.lay, v, lo, hi)
        for cols in (*local, *(only or ())):
            _nogood(program, cols)
        outcome, found = ctx.solve(program, objective)
        if outcome.status == Status.INFEASIBLE:
            return ties, True, False
        if found is None:
            return ties, False, True
        cols = ctx.lay.columns_of(found.options)
        if found.exact > level:
            # A better package (the first answer was not certified): start again from it.
            level = found.exact
            lo = _lows(ctx, objective, level)
            ties = [found]
            cones.append(found.q)
            if only is not None and cols is not None:
                only.append(cols)
            continue
        same = any(bool(np.all(found.q == t.q)) for t in ties)
        if only is not None and found.exact == level and not same:
            only = None  # a different tie: from here on, cones
        dominated = any(bool(np.all(found.q <= t.q)) for t in ties)
        if found.exact == level and not dominated:
            ties = [t for t in ties if not np.all(t.q <= found.q)] + [found]
            cones.append(found.q)
            continue
        # Worth less, or weakly dominated by a tie (an equivalent package, or one seen only
        # through the solver's tolerance): cut off.
        if cols is not None:
            local.append(cols)
    return ties, False, False


def _lows(ctx: _Context, objective: Linear, level: Fraction | float) -> IntArray:
    """Each party's least integer utility among the packages a tie search admits: the least
    of its columns, raised to its acceptance floor and to the floor the objective's level sets.
    The cone rows' big-M is the room above it, so the tighter it is, the tighter their LP."""
    lo = ctx.lay.bottom()
    lo[ctx.accepting] = np.maximum(lo[ctx.accepting], ctx.floors[ctx.accepting])
    if isinstance(objective, MinGain):
        for i, floor in objective._floors(ctx.lay, Fraction(level), False):
            lo[i] = max(int(lo[i]), floor)
    return lo


def _nash(ctx: _Context, objective: NashProduct, hints: Sequence[IntArray], max_ties: int) -> Optimum:
    lay = ctx.lay
    for options in hints:
        ok, _, q = ctx.evaluate(options)
        if ok:
            _add_tangents(lay, objective, q)
    best: Found | None = None
    bound = INF
    positive = objective.positive()
    for _ in range(_OA_ROUNDS):
        program = ctx.program()
        # Every gain positive (exactly where the scales allow, else relaxed): where this is
        # infeasible, the product is 0 on every package.
        positive.require(program, lay, Fraction(0), True)
        objective.attach(program, lay)
        if best is not None:
            ctx.starts.append(best.options)
        outcome, found = ctx.solve(program, objective, want=lambda f: f.value > -INF, start=True)
        if found is None and outcome.status == Status.INFEASIBLE:
            if best is None:
                return _zero_product(ctx, objective, max_ties)
            break
        if found is None:
            return Optimum(
                best, max(best.value if best else -INF, bound), False, False, notes=(_stopped(ctx),)
            )
        if best is None or found.value > best.value:
            best = found
        bound = (outcome.objective if outcome.status == Status.OPTIMAL else outcome.bound) - objective.offset
        if outcome.status != Status.OPTIMAL:
            return Optimum(best, max(best.value, bound), False, False, notes=(_stopped(ctx),))
        if bound - best.value <= 4 * tie_tolerance(best.value):
            break
        _add_tangents(lay, objective, found.q)
    else:
        assert best is not None
        note = f"the Nash product's outer approximation stopped after {_OA_ROUNDS} rounds"
        return Optimum(best, max(best.value, bound), False, False, notes=(note,))
    assert best is not None
    return _nash_window(ctx, objective, best, max(best.value, bound), max_ties)


def _nash_window(ctx: _Context, objective: NashProduct, best: Found, bound: float, max_ties: int) -> Optimum:
    """Every Pareto-optimal package within the tie tolerance of the best Nash value (which
    contains every exact maximiser), listed as the ties of the linear objectives are."""
    lay = ctx.lay
    hi = lay.top()
    lo = lay.bottom()
    lo[ctx.accepting] = np.maximum(lo[ctx.accepting], ctx.floors[ctx.accepting])
    found_all = [best]
    local: list[IntArray] = []
    complete = False
    stopped = False
    for _ in range(max(max_ties, 1) + 4 * _REPAIRS):
        if len(found_all) > max(max_ties, 0) and max_ties > 0:
            break
        top = max(f.value for f in found_all)
        level = top - 2 * tie_tolerance(top)
        program = ctx.program()
        objective.positive().require(program, lay, Fraction(0), True)
        objective.attach(program, lay)
        program.cost = [0.0] * program.n_cols
        objective.require_log(program, level)
        if len(found_all) > 1 or local:
            # The largest sum first, so a tie found is Pareto-optimal among those left. The
            # first question ("is there another?") is a feasibility one: usually there is
            # none, which HiGHS proves faster with no objective.
            Welfare().attach(program, lay)
        for f in found_all:
            _exclude_cone(program, lay, f.q, lo, hi)
        for cols in local:
            _nogood(program, cols)
        outcome, found = ctx.solve(program, objective)
        if outcome.status == Status.INFEASIBLE:
            complete = True
            break
        if found is None:
            stopped = True
            break
        if found.value == -INF:
            cut = lay.columns_of(found.options)
            if cut is not None:
                local.append(cut)
            continue
        dominated = any(bool(np.all(found.q <= f.q)) for f in found_all)
        if found.value >= top - tie_tolerance(top) and not dominated:
            found_all = [f for f in found_all if not np.all(f.q <= found.q)] + [found]
            continue
        if found.value < level:
            _add_tangents(lay, objective, found.q)  # the tangents were too loose there
            continue
        cut = lay.columns_of(found.options)
        if cut is not None:
            local.append(cut)
    if max_ties == 0 and not complete and not stopped:
        complete = False
    ranked = rank_ties(lay, found_all)
    notes: tuple[str, ...] = () if not stopped else (_stopped(ctx),)
    if not complete and not stopped and max_ties > 0:
        notes = (f"ties listed up to {max_ties}; there may be more",)
    certified = complete or (max_ties == 0 and not stopped)
    return Optimum(ranked[0], max(bound, ranked[0].value), certified, False, ranked[1:], complete, notes)


def _zero_product(ctx: _Context, objective: NashProduct, max_ties: int) -> Optimum:
    """No acceptable package gives every party a positive gain: the product is 0 on all of
    them and every one ties. The Pareto-optimal ones are listed (up to ``max_ties``)."""
    welfare = Welfare()
    program = ctx.program()
    welfare.attach(program, ctx.lay)
    outcome, first = ctx.solve(program, welfare)
    if first is None:
        infeasible = outcome.status == Status.INFEASIBLE
        return Optimum(None, -INF, infeasible, infeasible, notes=() if infeasible else (_stopped(ctx),))
    if max_ties <= 0:
        return Optimum(None, -INF, True, True)
    # Every acceptable package ties at 0 (the level -inf of the log): list the frontier.
    zero = MinZero()
    ties, complete, stopped = _ties(ctx, zero, [ctx.found(first.options, zero)], max_ties)
    found = [Found(t.options, t.q, t.utilities, -INF, -INF) for t in ties]
    ranked = rank_ties(ctx.lay, found)
    del objective
    notes = ("no package gives every party a positive gain: the Nash product is 0 on all",)
    return Optimum(ranked[0], -INF, not stopped, False, ranked[1:], complete, notes)


def rank_ties(lay: Layout, found: Sequence[Found]) -> tuple[Found, ...]:
    """``found`` ordered as :func:`accord.analysis.bargaining.break_ties` orders ties: larger
    sum of utilities (on the TOL grid, as there) first, then the smaller canonical package key."""
    top = max(f.value for f in found)
    found = [f for f in found if f.value >= top - tie_tolerance(top)]  # Nash: the float window
    keys = canonical_keys(lay.space, np.array([f.options for f in found]))
    sums = [float(np.rint(f.utilities.sum() / TOL)) for f in found]
    order = sorted(range(len(found)), key=lambda j: (-sums[j], tuple(keys[j].tolist())))
    return tuple(found[j] for j in order)


def _add_tangents(lay: Layout, objective: NashProduct, q: IntArray) -> None:
    for i, gain in enumerate(exact_gains(lay, q)):
        if gain > 0 and objective.power[i] > 0:
            objective.cuts.append((i, float(gain)))


def _exclude_cone(program: Program, lay: Layout, v: IntArray, lo: IntArray, hi: IntArray) -> None:
    """Require some party to get at least one integer unit more than in ``v``: one binary per
    party, ``u_i >= v_i + 1 - big_i (1 - z_i)``, ``sum z_i >= 1``. On a scale finer than the
    solver sees, the row is relaxed (layout.py), so ``v`` itself may come back: the caller then
    cuts it off with a no-good."""
    k = lay.k
    z = program.add_cols(k, lower=0.0, upper=1.0, integer=True)
    for i in range(k):
        need = int(v[i]) + 1
        if need > hi[i]:
            program.upper[int(z[i])] = 0.0
            continue
        cols, coef = lay.utility_row(i)
        bound = lay.lower(i, need)
        # u_i >= bound - big (1 - z_i), with big the room between ``lo`` (the least u_i the
        # search admits) and the bound, plus one solver unit: as tight as is valid, and never
        # a tiny big-M next to utilities of 1000 (HiGHS's presolve was seen to declare such a
        # row infeasible).
        big = bound - float(lo[i]) * float(lay.step[i]) + 1.0
        program.add_row(np.r_[cols, z[i]], np.r_[coef, -big], bound - big, INF)
    program.add_row(z, np.ones(k), 1.0, INF)


def undominated(lay: Layout, point: Found, time_limit: float) -> Found | None:
    """A package that no package dominates and that gives every party at least what ``point``
    gives (``point`` itself if nothing dominates it); None if the time limit hit first.

    One feasibility solve asks for a package at least as good for every party with ``point``'s
    columns cut off: "infeasible" proves ``point`` Pareto-optimal. A package found that gives
    every party the same (an equivalent one, or ``point`` again through relaxed rows) is cut
    off and the solve repeated; one that gives some party more replaces ``point``.
    """
    ctx = _Context(lay, np.ones(lay.k, dtype=bool), point.q, time_limit)
    for _ in range(_REPAIRS):
        program = ctx.program()
        cols = lay.columns_of(point.options)
        if cols is not None:
            _nogood(program, cols)
        outcome, found = ctx.solve(program, Welfare(), want=lambda f: bool(np.any(f.q > ctx.floors)))
        if found is None:
            return point if outcome.status == Status.INFEASIBLE else None
        point = found  # it dominates the last one: ask the same of it
        ctx.floors = found.q
    return None


PROPOSE_GAP = 1e-2
"""The relative gap at which a representative point's solve stops: its package only seeds a
certified Pareto-optimal point (engine.py), so it needs no proof of optimality."""


def propose(
    lay: Layout,
    objective: Chebyshev,
    accepting: npt.NDArray[np.bool_],
    time_limit: float,
    hints: Sequence[IntArray] = (),
) -> Found | None:
    """A package every party in ``accepting`` accepts, good for ``objective`` (within
    :data:`PROPOSE_GAP`), exactly checked; None if there is none or time ran out."""
    ctx = _Context(lay, np.asarray(accepting, dtype=bool), lay.space.floor_q, time_limit, starts=list(hints))
    if not lay.feasible:
        return None
    program = ctx.program()
    objective.attach(program, lay)
    outcome = program.solve(time_limit=ctx.left(), start=ctx._start(objective), gap=PROPOSE_GAP)
    for _ in range(_REPAIRS):
        if outcome.values is None:
            return None
        options = lay.decode(outcome.values)
        ok, u, q = ctx.evaluate(options)
        if ok:
            return Found(options, q, u, 0.0, 0.0)
        _nogood(program, lay.chosen(outcome.values))
        outcome = program.solve(time_limit=ctx.left(), gap=PROPOSE_GAP)
    return None
