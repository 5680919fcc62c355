"""Exact gains over the reservation values for many packages at once, and their floats.

The one place where a package's integer utilities (on each party's exact scale,
:mod:`accord.model.utility`) become gains over the reservation values as the file wrote them:
the solutions of a frontier and the coalition questions both read them here.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from .space import IntArray, Space

__all__ = ["ExactGains", "exact_gains"]


def exact_gains(space: Space, quantized: IntArray, cols: Sequence[int]) -> list[Fraction]:
    """One package's exact gains over the reservation values, for the parties ``cols`` of
    ``space`` (``quantized``: its integer utilities): ``q / denominator - reservation``."""
    r = space.exact_reservation
    return [Fraction(int(quantized[c]), space.scales[c].denominator) - r[c] for c in cols]


class ExactGains(Sequence[list[Fraction]]):
    """Each frontier point's exact gain over each party's reservation value, and the same as
    correctly rounded floats.

    A gain is ``q / den - a / b`` (integer utility ``q`` on the party's scale ``1 / den``,
    reservation value ``a / b`` as the file wrote it): the integer ``q b - a den`` over
    ``den b``. The floats come from those integers in one numpy division wherever both are
    below 2**53 (exact as floats, so IEEE division rounds the quotient correctly), else from
    the fractions; the fractions are made only for the rows asked for (the candidates of a
    solution), not for the whole frontier.
    """

    def __init__(self, space: Space, quantized: IntArray) -> None:
        self.space = space
        self.quantized = quantized
        self.floats = np.empty(quantized.shape, dtype=np.float64)
        self.span: list[Fraction] = []
        for p, r in enumerate(space.exact_reservation):
            den = space.scales[p].denominator
            column = quantized[:, p]
            if len(column) == 0:
                self.span.append(Fraction(0))
                continue
            top, low = int(column.max()), int(column.min())
            self.span.append(Fraction(top, den) - r)  # the best gain
            offset = r.numerator * den
            if den * r.denominator < 2**53 and max(abs(top), abs(low)) * r.denominator + abs(offset) < 2**53:
                numerators = column * r.denominator - offset
                self.floats[:, p] = numerators.astype(np.float64) / float(den * r.denominator)
            else:
                self.floats[:, p] = [float(Fraction(int(x), den) - r) for x in column.tolist()]

    def __len__(self) -> int:
        return len(self.quantized)

    def __getitem__(self, i: int) -> list[Fraction]:  # type: ignore[override]
        return exact_gains(self.space, self.quantized[i], range(self.quantized.shape[1]))

    def best_min(self, cols: Sequence[int]) -> tuple[Fraction, IntArray]:
        """The largest smallest gain over the parties ``cols`` (exactly) and the rows that
        attain it. The floats pick the candidates: a row within 1e-9 of the best float
        minimum (far wider than the float error of correctly rounded gains, 1e-16 of them);
        the fractions of those rows decide."""
        approx = self.floats[:, list(cols)].min(axis=1)
        top = float(approx.max())
        window = np.flatnonzero(approx >= top - 1e-9 * max(1.0, abs(top)))
        exact = [min(self[int(n)][c] for c in cols) for n in window]
        best = max(exact)
        rows = np.asarray([n for n, e in zip(window, exact, strict=True) if e == best], dtype=np.int64)
        return best, rows
