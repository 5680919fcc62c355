"""The packages of a compiled space as one-hot binaries: one column per row of each block.

A package picks one combination in every block (see :mod:`accord.analysis.space`), so column
``x[b, r]`` says "block b takes its row r", with ``sum_r x[b, r] = 1``. A party's utility is
linear in these columns: the sum of the chosen rows' utilities. Interactions and red lines need
no extra rows: coupled issues are already merged into blocks, and rows that cross a red line
are not in the block at all. Only each block's own Pareto frontier (:attr:`Block.reduced`) gets
columns: every question asked here is monotone in the utilities (more for a party never hurts
it), and replacing a block's row by one that dominates it never makes a package worse.

The coefficients are the blocks' utilities on the exact grid of space.py, so the solver sees the
same numbers every exact comparison uses; the answers are re-checked on that grid all the same
(:func:`exact_utilities`), because the solver works in floating point with a tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..space import IntArray, Space, quantize
from .program import Program

__all__ = ["UNIT", "Layout", "exact_utilities", "layout"]

UNIT = 1e-6
"""One grid step (TOL of utility) in the solver's units: utilities are given to HiGHS multiplied
by 1000, so one step of the exact grid is 1000 times HiGHS's feasibility tolerance and the
solver can tell apart packages one step apart (at utility scale 1 the step *is* the tolerance)."""

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Layout:
    """Where each block's columns are and what they are worth.

    ``rows[b]`` are the block rows that have columns (its frontier), ``start[b]`` the first
    column; ``grid`` (columns x parties) the utilities as integer multiples of TOL and ``coef``
    the same in utility units (what the solver sees).
    """

    space: Space
    rows: tuple[IntArray, ...]
    start: IntArray
    grid: IntArray
    coef: FloatArray

    @property
    def n_x(self) -> int:
        return int(self.grid.shape[0])

    @property
    def feasible(self) -> bool:
        """False when some block has no row at all (its red lines forbid every combination)."""
        return all(len(r) for r in self.rows)

    def base(self) -> Program:
        """The one-hot binaries and their rows: every other model starts from a copy of this."""
        program = Program()
        program.add_cols(self.n_x, lower=0.0, upper=1.0, integer=True)
        for b, rows in enumerate(self.rows):
            cols = self.start[b] + np.arange(len(rows))
            program.add_row(cols, np.ones(len(rows)), 1.0, 1.0)
        return program

    def utility_row(self, party: int) -> tuple[IntArray, FloatArray]:
        """Columns and coefficients of party ``party``'s utility."""
        return np.arange(self.n_x, dtype=np.int64), self.coef[:, party]

    def top(self) -> IntArray:
        """Each party's largest utility (grid units), block by block: an upper bound."""
        return np.array(
            [
                sum(int(self.grid[self._cols(b), p].max()) for b in range(len(self.rows)))
                for p in range(self.k)
            ],
            dtype=np.int64,
        )

    def bottom(self) -> IntArray:
        """Each party's smallest utility among the columns (grid units): a lower bound."""
        return np.array(
            [
                sum(int(self.grid[self._cols(b), p].min()) for b in range(len(self.rows)))
                for p in range(self.k)
            ],
            dtype=np.int64,
        )

    @property
    def k(self) -> int:
        return int(self.grid.shape[1])

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

    def chosen(self, values: npt.ArrayLike) -> IntArray:
        """The one column chosen in each block."""
        v = np.asarray(values, dtype=np.float64)
        return np.array([int(self.start[b] + np.argmax(v[self._cols(b)])) for b in range(len(self.rows))])

    def point(self, options: npt.ArrayLike) -> FloatArray:
        """Column values (a start solution) selecting ``options``; only for packages on it."""
        cols = self.columns_of(options)
        out = np.zeros(self.n_x)
        if cols is not None:
            out[cols] = 1.0
        return out


def layout(space: Space) -> Layout:
    """Columns for the frontier rows of every block of ``space``."""
    rows, grids = [], []
    start = []
    n = 0
    for block in space.blocks:
        reps = block.reduced[0] if block.size else np.zeros(0, dtype=np.int64)
        reps = np.sort(reps)
        rows.append(reps)
        grids.append(block.tol_quantized[reps])
        start.append(n)
        n += len(reps)
    k = space.n_parties
    grid = np.concatenate(grids) if grids else np.zeros((0, k), dtype=np.int64)
    return Layout(space, tuple(rows), np.array(start, dtype=np.int64), grid, (grid * UNIT).astype(np.float64))


def exact_utilities(space: Space, options: npt.ArrayLike) -> tuple[IntArray, FloatArray, bool]:
    """A package's utilities on the exact grid and whether it crosses no red line: the same
    evaluation (:meth:`Space.evaluate`) every other part of the analysis uses; and the float
    utilities, on which objective values are compared as in :mod:`accord.analysis.bargaining`."""
    x = np.asarray(options, dtype=np.int64)[None, :]
    u, _, allowed = space.evaluate(x)
    return space.tol_grid(x)[0], u[0], bool(allowed[0])


def floor_of(space: Space) -> IntArray:
    """The reservation values on the grid, as acceptance compares them."""
    return quantize(space.reservation)
