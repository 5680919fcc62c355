"""The bargaining solutions re-solved per sample on a candidate set, vectorised over samples.

Shared by the Monte Carlo study (:mod:`accord.uncertainty.study`) and the one-at-a-time
sensitivity (:mod:`accord.uncertainty.sensitivity`); kept apart so that neither imports the
other's internals. The objectives are those of :mod:`accord.analysis.bargaining` and
:func:`accord.analysis.analyze` (which cite their sources), compared within
:data:`~accord.analysis.space.TOL`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..analysis.space import TOL

__all__ = ["HALF_TOL", "SOLUTIONS", "resolve"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

SOLUTIONS = ("nash", "asymmetric_nash", "kalai_smorodinsky", "egalitarian", "utilitarian")
"""The bargaining solutions re-solved per sample, as named in :class:`~accord.Analysis`."""

HALF_TOL = TOL / 2
"""A gain above ``-HALF_TOL`` is a gain of zero or more: the analysis's rounding rule."""


def resolve(gains: FloatArray, r: FloatArray, power: FloatArray, ok: BoolArray) -> dict[str, IntArray]:
    """Per sample, the index of each bargaining solution among the candidates (-1: none is
    acceptable to all). ``gains`` is (parties x S x C) utilities minus reservation values, ``r``
    and ``power`` (S x parties), ``ok`` (S x C) whether every party accepts. ``gains`` is
    overwritten. Candidates must be in canonical order: ties are broken as
    :func:`accord.analysis.bargaining.break_ties` does (larger sum of utilities, then the
    canonically first package)."""
    g = gains
    if g.shape[2] == 0:
        return {name: np.full(g.shape[1], -1, dtype=np.int64) for name in SOLUTIONS}
    total = g.sum(axis=0)
    total += r.sum(axis=1)[:, None]  # the sum of utilities
    total_q = np.rint(total / TOL)
    np.copyto(g, 0.0, where=g < HALF_TOL)  # gains within the tolerance of zero are zero
    out: dict[str, IntArray] = {}
    penalty = np.where(ok, 0.0, -np.inf)
    any_ok: BoolArray = np.asarray(ok.any(axis=1))

    def choose(objective: FloatArray, relative: bool) -> IntArray:
        return _choose(objective + penalty, ok, any_ok, total_q, relative=relative)

    product = np.prod(g, axis=0)
    out["nash"] = choose(product, True)
    exponents = power[0]
    if (
        np.all(power == exponents)
        and np.all(exponents == np.round(exponents))
        and np.all((exponents >= 1) & (exponents <= 4))
    ):
        weighted = product.copy()  # integer powers: repeated products, no logarithms
        for p, e in enumerate(exponents):
            for _ in range(int(e) - 1):
                weighted *= g[p]
        out["asymmetric_nash"] = out["nash"] if np.all(exponents == 1) else choose(weighted, True)
    else:
        with np.errstate(divide="ignore"):
            logs = np.log(g)
        weighted = (logs * power.T[:, :, None]).sum(axis=0)
        out["asymmetric_nash"] = choose(weighted, False)
    masked = g * ok.astype(np.float64)[None, :, :]
    span = masked.max(axis=2)  # (P, S): each party's best gain among the acceptable
    live = span > TOL
    inverse = np.divide(1.0, span, out=np.zeros_like(span), where=live)
    masked *= inverse[:, :, None]
    masked[~live] = np.inf  # a party with nothing to gain is left out of the minimum
    ks = masked.min(axis=0)
    ks[~np.isfinite(ks)] = 0.0
    out["kalai_smorodinsky"] = choose(ks, False)
    out["egalitarian"] = choose(g.min(axis=0), False)
    out["utilitarian"] = choose(total, False)
    return out


def _choose(
    obj: FloatArray, ok: BoolArray, any_ok: BoolArray, total_q: FloatArray, *, relative: bool
) -> IntArray:
    """The best candidate per sample of ``obj`` (-inf where not acceptable to all), within the
    tolerance, ties broken by the larger sum of utilities then the first (canonical) index."""
    best = obj.max(axis=1, keepdims=True)
    finite = np.isfinite(best)
    if relative:  # a product compared as its logarithm: a relative tolerance
        scale = np.maximum(1.0, np.abs(np.log(np.where(best > 0, best, 1.0))))
        cut = best * (1 - TOL * scale)
    else:
        cut = best - TOL * np.maximum(1.0, np.abs(np.where(finite, best, 0.0)))
    near = obj >= np.where(finite, cut, best)
    if not finite.all():  # every acceptable candidate at -inf (a zero gain in a logarithm)
        rows = ~finite[:, 0]
        near[rows] &= ok[rows]
    tie = np.where(near, total_q, -np.inf)
    idx: IntArray = tie.argmax(axis=1).astype(np.int64)
    idx[~any_ok] = -1  # nothing acceptable in the sample
    return idx
