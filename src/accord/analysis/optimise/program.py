"""A mixed-integer linear program and one HiGHS solve of it, with the answer as plain arrays.

HiGHS is the solver (Huangfu and Hall, "Parallelizing the dual revised simplex method", Math.
Prog. Comp. 10, 2018; the MIP solver of Galabova, Hall et al., https://highs.dev). Each solve
builds a fresh model from arrays (the models here have a few hundred to a few thousand columns,
so building costs microseconds) and runs with relative and absolute gap 0, so an "optimal"
answer means HiGHS's branch-and-bound bound met its incumbent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import numpy as np
import numpy.typing as npt

__all__ = ["FEASIBILITY", "Outcome", "Program", "Status"]

FloatArray = npt.NDArray[np.float64]

FEASIBILITY = 1e-9
"""HiGHS's primal and integrality tolerances. At the default (1e-6 integrality) a binary may
sit at 1e-6 and move a row by far more than the 1e-9 grid; at 1e-10 presolve was seen to declare
feasible models infeasible. Every package found is re-checked exactly anyway (see search.py)."""

INF = float("inf")


class Status(Enum):
    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    TIME_LIMIT = "time limit"  # stopped early: ``values`` may hold an incumbent, ``bound`` is proven
    FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    """What one solve found: status, the incumbent's column values (None if there is none),
    its objective, and the proven bound on the best objective (maximisation)."""

    status: Status
    values: FloatArray | None
    objective: float
    bound: float


@dataclass
class Program:
    """A maximisation problem built column by column and row by row.

    Columns have bounds, an objective coefficient and integrality; rows are sparse
    (``{column: coefficient}``) with bounds. The base of every model here is the same set of
    one-hot binaries, so programs are copied and extended rather than rebuilt.
    """

    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    rows: list[tuple[npt.NDArray[np.int64], FloatArray, float, float]] = field(default_factory=list)
    tags: dict[str, npt.NDArray[np.int64]] = field(default_factory=dict)  # named groups of columns

    @property
    def n_cols(self) -> int:
        return len(self.lower)

    def add_cols(
        self, n: int, *, lower: float = 0.0, upper: float = INF, cost: float = 0.0, integer: bool = False
    ) -> npt.NDArray[np.int64]:
        start = self.n_cols
        self.lower += [lower] * n
        self.upper += [upper] * n
        self.cost += [cost] * n
        self.integer += [integer] * n
        return np.arange(start, start + n, dtype=np.int64)

    def add_row(
        self, columns: npt.ArrayLike, coefficients: npt.ArrayLike, lower: float, upper: float
    ) -> None:
        c = np.asarray(columns, dtype=np.int64)
        v = np.asarray(coefficients, dtype=np.float64)
        nz = v != 0
        self.rows.append((c[nz], v[nz], lower, upper))

    def copy(self) -> Program:
        return Program(
            list(self.lower),
            list(self.upper),
            list(self.cost),
            list(self.integer),
            list(self.rows),
            dict(self.tags),
        )

    def solve(
        self,
        *,
        time_limit: float,
        start: tuple[npt.NDArray[np.int64], FloatArray] | None = None,
        gap: float = 0.0,
    ) -> Outcome:
        """Maximise; stop after ``time_limit`` seconds with the incumbent and the proven bound.
        ``start``: (columns, values) of a known feasible point, as a MIP start that HiGHS
        completes itself (the other columns are left for it to find). ``gap``: the relative
        gap at which to stop (0: proven optimal; only for answers that need no proof)."""
        from highspy import _core  # a core dependency, imported when first used (it loads a C++ library)

        # The C++ class itself: the Python wrapper ``highspy.Highs`` installs logging callbacks
        # whose first message (a banner) goes to standard output, which would corrupt --json.
        h = _core._Highs()
        for name, value in (
            ("output_flag", False),
            ("time_limit", float(time_limit)),
            ("mip_rel_gap", float(gap)),
            ("mip_abs_gap", 0.0),
            ("primal_feasibility_tolerance", FEASIBILITY),
            ("mip_feasibility_tolerance", FEASIBILITY),
            ("random_seed", 0),
            ("threads", 1),
        ):
            h.setOptionValue(name, value)
        lp = _core.HighsLp()
        n = self.n_cols
        lp.num_col_ = n
        lp.num_row_ = len(self.rows)
        lp.col_cost_ = np.asarray(self.cost, dtype=np.float64)
        lp.col_lower_ = np.asarray(self.lower, dtype=np.float64)
        lp.col_upper_ = np.asarray(self.upper, dtype=np.float64)
        lp.row_lower_ = np.array([r[2] for r in self.rows], dtype=np.float64)
        lp.row_upper_ = np.array([r[3] for r in self.rows], dtype=np.float64)
        lp.sense_ = _core.ObjSense.kMaximize
        starts = np.cumsum([0] + [len(r[0]) for r in self.rows]).astype(np.int32)
        lp.a_matrix_.format_ = _core.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_ = n
        lp.a_matrix_.num_row_ = len(self.rows)
        lp.a_matrix_.start_ = starts
        lp.a_matrix_.index_ = (
            np.concatenate([r[0] for r in self.rows]).astype(np.int32) if self.rows else np.zeros(0, np.int32)
        )
        lp.a_matrix_.value_ = (
            np.concatenate([r[1] for r in self.rows]) if self.rows else np.zeros(0, np.float64)
        )
        lp.integrality_ = [
            _core.HighsVarType.kInteger if i else _core.HighsVarType.kContinuous for i in self.integer
        ]
        h.passModel(lp)
        if start is not None:
            h.setSolution(len(start[0]), start[0].astype(np.int32), start[1].astype(np.float64))
        h.run()
        status = h.getModelStatus()
        info = h.getInfo()
        has_point = info.primal_solution_status == _core.SolutionStatus.kSolutionStatusFeasible
        values = np.asarray(h.getSolution().col_value, dtype=np.float64) if has_point else None
        objective = float(info.objective_function_value) if has_point else -INF
        if status == _core.HighsModelStatus.kOptimal:
            # The proven bound, not the incumbent's value: at gap 0 they meet within HiGHS's
            # tolerances, and a certificate (objectives.py) may only trust the bound.
            dual = float(info.mip_dual_bound) if self.integer and any(self.integer) else objective
            bound = max(objective, dual) if np.isfinite(dual) else objective
            return Outcome(Status.OPTIMAL, values, objective, bound)
        if status == _core.HighsModelStatus.kInfeasible:
            return Outcome(Status.INFEASIBLE, None, -INF, -INF)
        if status == _core.HighsModelStatus.kTimeLimit:
            bound = float(info.mip_dual_bound)
            return Outcome(Status.TIME_LIMIT, values, objective, bound if np.isfinite(bound) else INF)
        return Outcome(Status.FAILED, values, objective, INF)
