"""The packages of a compiled space as one-hot binaries: one column per row of each block.

A package picks one combination in every block (see :mod:`accord.analysis.space`), so column
``x[b, r]`` says "block b takes its row r", with ``sum_r x[b, r] = 1``. A party's utility is
linear in these columns: the sum of the chosen rows' utilities. Interactions and red lines need
no extra rows: coupled issues are already merged into blocks, and rows that cross a red line
are not in the block at all. Only each block's own Pareto frontier (:attr:`Block.reduced`) gets
columns: every question asked here is monotone in the utilities (more for a party never hurts
it), and replacing a block's row by one that dominates it never makes a package worse.

**Exact integers, floating-point solver.** Each party's utilities are held as integers on its
own exact scale (:class:`~accord.model.utility.PartyScale`: ``denominator`` times the exact
utility), as every other part of the analysis compares them. The solver sees them as floats in
*solver units* (:data:`SCALE` per unit of utility) and works to a tolerance of 1e-9 of those.
So a requirement "party p's integer utility is at least F" is written as a row whose bound is

* ``(F - 1/2)`` integer units, where one unit is at least :data:`RESOLUTION` solver units
  (1000 times the solver's tolerance): the solver then decides it exactly, as integers;
* ``F`` units less :attr:`Layout.margin` otherwise (fine scales, such as the ``2**48`` grid of
  numbers with many digits): every package that meets it exactly meets the row, and the solver
  may also return one that falls short by less than the margin. Such an answer is re-checked on
  the integers and cut off (see search.py): the rows are a *relaxation*, never a restriction,
  so "infeasible" is always a proof.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np
import numpy.typing as npt

from ..space import IntArray, Space
from .program import INF, Program

__all__ = ["RESOLUTION", "SCALE", "Layout", "layout"]

SCALE = 1000.0
"""Solver units per unit of utility: utilities near 1 become coefficients near 1000, well above
HiGHS's tolerance of 1e-9 and well inside the range where its numerics are reliable."""

RESOLUTION = 1e-6
"""Differences of at least this many solver units (1000 times HiGHS's feasibility tolerance)
are decided exactly by the solver; finer ones are re-checked on the integers."""

_FLOAT_ROOM = 1e-8
"""Solver units by which a relaxed row's bound is lowered below the exact value: more than the
rounding of a sum of float coefficients (a few 1e-13 at these magnitudes) and than the solver's
own tolerance, so an exactly qualifying package always meets it."""

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Layout:
    """Where each block's columns are and what they are worth.

    ``rows[b]`` are the block rows that have columns (its frontier), ``start[b]`` the first
    column; ``q`` (columns x parties) the utilities on each party's exact integer scale and
    ``coef`` the same in solver units (what the solver sees); ``step[p]`` is one integer unit
    of party p in solver units.
    """

    space: Space
    rows: tuple[IntArray, ...]
    start: IntArray
    q: IntArray
    coef: FloatArray
    step: FloatArray
    margin: FloatArray  # per party: solver units a relaxed row is lowered by

    @property
    def n_x(self) -> int:
        return int(self.q.shape[0])

    @property
    def k(self) -> int:
        return int(self.q.shape[1])

    @property
    def feasible(self) -> bool:
        """False when some block has no row at all (its red lines forbid every combination)."""
        return all(len(r) for r in self.rows)

    @cached_property
    def denominators(self) -> tuple[int, ...]:
        return tuple(s.denominator for s in self.space.scales)

    @property
    def reservation(self) -> tuple[Fraction, ...]:
        """The reservation values as the exact numbers of the file."""
        return self.space.exact_reservation

    def resolvable(self, p: int) -> bool:
        """Whether the solver tells party p's integer utilities apart one unit at a time."""
        return bool(self.step[p] >= max(RESOLUTION, 100 * self.margin[p]))

    def base(self) -> Program:
        """The one-hot binaries and their rows: every other model starts from a copy of this."""
        program = Program()
        program.add_cols(self.n_x, lower=0.0, upper=1.0, integer=True)
        for b, rows in enumerate(self.rows):
            cols = self.start[b] + np.arange(len(rows))
            program.add_row(cols, np.ones(len(rows)), 1.0, 1.0)
        return program

    def utility_row(self, party: int) -> tuple[IntArray, FloatArray]:
        """Columns and coefficients (solver units) of party ``party``'s utility."""
        return np.arange(self.n_x, dtype=np.int64), self.coef[:, party]

    def lower(self, party: int, floor: int) -> float:
        """The row bound (solver units) that says "party's integer utility is at least
        ``floor``": exact where the party's scale is resolvable, else a relaxation."""
        if self.resolvable(party):
            return (floor - 0.5) * float(self.step[party])
        return floor * float(self.step[party]) - float(self.margin[party])

    def require(self, program: Program, party: int, floor: int) -> None:
        """Add "party's integer utility is at least ``floor``" (nothing for an open floor)."""
        if floor > -(2**61):
            program.add_row(*self.utility_row(party), self.lower(party, floor), INF)

    def least_above(self, party: int, level: Fraction, strict: bool) -> int:
        """The least integer utility of ``party`` worth more than (``strict``) or at least
        ``level`` (an exact utility)."""
        x = level * self.denominators[party]
        return math.floor(x) + 1 if strict else math.ceil(x)

    def top(self) -> IntArray:
        """Each party's largest integer utility, block by block: an upper bound."""
        return np.array(
            [sum(int(self.q[self._cols(b), p].max()) for b in range(len(self.rows))) for p in range(self.k)],
            dtype=np.int64,
        )

    def bottom(self) -> IntArray:
        """Each party's smallest integer utility among the columns: a lower bound."""
        return np.array(
            [sum(int(self.q[self._cols(b), p].min()) for b in range(len(self.rows))) for p in range(self.k)],
            dtype=np.int64,
        )

    def _cols(self, b: int) -> IntArray:
        return np.asarray(self.start[b] + np.arange(len(self.rows[b]), dtype=np.int64), dtype=np.int64)

    def decode(self, values: npt.ArrayLike) -> IntArray:
        """Option indices (one per issue) of the package that column values select."""
        v = np.asarray(values, dtype=np.float64)
        options = np.zeros(len(self.space.sizes), dtype=np.int64)
        for b, (block, rows) in enumerate(zip(self.space.blocks, self.rows, strict=True)):
            chosen = rows[int(np.argmax(v[self._cols(b)]))]
            options[list(block.issues)] = block.choices[chosen]
        return options

    def columns_of(self, options: npt.ArrayLike) -> IntArray | None:
        """The columns that select package ``options``, or None if some block's combination
        has no column (it is off the block's frontier or crosses a red line)."""
        x = np.asarray(options, dtype=np.int64)
        cols = []
        for b, (block, rows) in enumerate(zip(self.space.blocks, self.rows, strict=True)):
            match = np.flatnonzero(np.all(block.choices[rows] == x[list(block.issues)], axis=1))
            if len(match) == 0:
                return None
            cols.append(int(self.start[b] + match[0]))
        return np.array(cols, dtype=np.int64)

    def same_for(self, party: int, cols: IntArray) -> IntArray:
        """Every column whose block row gives ``party`` exactly what the chosen column ``cols``
        of its block gives: a package taking one of these in every block gives the party
        exactly the same integer utility. The no-good on this set (at most one fewer than the
        blocks) cuts off every such package at once: a party indifferent between options
        would otherwise let the solver propose the same shortfall again and again."""
        out = []
        for b, c in enumerate(cols):
            block = self._cols(b)
            out.append(block[self.q[block, party] == self.q[int(c), party]])
        return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)

    def chosen(self, values: npt.ArrayLike) -> IntArray:
        """The one column chosen in each block."""
        v = np.asarray(values, dtype=np.float64)
        return np.array([int(self.start[b] + np.argmax(v[self._cols(b)])) for b in range(len(self.rows))])

    def point(self, options: npt.ArrayLike) -> FloatArray | None:
        """Column values (a start solution) selecting ``options``; None for packages that have
        no columns."""
        cols = self.columns_of(options)
        if cols is None:
            return None
        out = np.zeros(self.n_x)
        out[cols] = 1.0
        return out


def layout(space: Space) -> Layout:
    """Columns for the frontier rows of every block of ``space``."""
    rows, parts = [], []
    start = []
    n = 0
    for block in space.blocks:
        reps = block.reduced[0] if block.size else np.zeros(0, dtype=np.int64)
        reps = np.sort(reps)
        rows.append(reps)
        parts.append(block.quantized[reps])
        start.append(n)
        n += len(reps)
    k = space.n_parties
    q = np.concatenate(parts) if parts else np.zeros((0, k), dtype=np.int64)
    step = np.array([SCALE / s.denominator for s in space.scales], dtype=np.float64)
    coef = q.astype(np.float64) * step
    # The rounding of a sum of float coefficients grows with their size (interaction values
    # far above 1 make coefficients far above SCALE): the margin grows with it.
    size = np.array(
        [sum(float(np.abs(p[:, j]).max(initial=0)) for p in parts) * float(step[j]) for j in range(k)]
    )
    margin = _FLOAT_ROOM + 1e-14 * size
    return Layout(space, tuple(rows), np.array(start, dtype=np.int64), q, coef, step, margin)
