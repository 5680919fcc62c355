"""The Pareto kernel: which rows of a utility array no other row dominates.

A row is *dominated* when another gives every party at least as much and some party more; rows
with equal vectors never dominate each other, so they are all kept. The kernel is pure (arrays
in, indices out) and sits below :mod:`accord.analysis.space`, which prunes blocks with it, and
:mod:`accord.analysis.pareto`, which builds a scenario's exact frontier from it.
"""

from __future__ import annotations

import moocore
import numpy as np
import numpy.typing as npt

from ..model.utility import quantize

__all__ = ["pareto_frontier"]


def pareto_frontier(utilities: np.ndarray) -> npt.NDArray[np.int64]:
    """Indices (ascending) of the rows of ``utilities`` that no other row dominates.

    ``utilities`` is an (outcomes x parties) array; float input is first rounded to multiples of
    TOL, integer input is used as it is. Rows with equal vectors are all kept.

    The work is done by moocore's dimension-sweep algorithm of Kung, Luccio and Preparata, "On
    finding the maxima of a set of vectors", J. ACM 22(4), 1975: O(n log n) for up to three
    parties and O(n log^(k-2) n) beyond. The integers are passed as float64, exact below 2**53.
    """
    q = np.asarray(utilities)
    if q.dtype.kind == "f":
        q = quantize(q)
    q = q.astype(np.int64, copy=False)
    n, k = q.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if k == 1:
        return np.flatnonzero(q[:, 0] == q[:, 0].max())
    keep = moocore.is_nondominated(q.astype(np.float64), maximise=True, keep_weakly=True)
    return np.flatnonzero(keep)
