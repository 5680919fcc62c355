"""One-at-a-time sensitivity of the nominal Nash package: a tornado and acceptance thresholds.

*Tornado* (one-at-a-time swings; Saltelli et al., *Global Sensitivity Analysis: The Primer*,
Wiley 2008, section 1.2; Clemen and Reilly, *Making Hard Decisions*, 2001, ch. 5): each
uncertain input in turn is set to the low and then the high end of its range, every other input
at its nominal value, and the change in each party's gain (utility minus reservation value) of
the reference package is measured, with who accepts it and which package the Nash solution
becomes. Bars are sorted by what they change: first the inputs that make some party reject the
package at one end, then those that move the Nash solution, then by their swing (the largest
change of any party's gain).

*Thresholds*: for each input and the party whose utility or reservation value it moves, the
value inside the input's range at which that party's acceptance of the reference package flips.
Where the acceptance condition is linear in the input it is solved exactly: a reservation value
or an interaction value enters the gain linearly, and a weight ``w`` enters it as
``(a + w b) / (c + w)``, whose sign condition ``a + w b >= r (c + w)`` is linear too. Option
values enter through the division by the issue's largest value (piecewise, not linear): there
the root is bracketed on a grid of 64 intervals and found by bisection to 1e-12.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from ..analysis.analyze import Analysis
from ..model import OptionValue, Scenario
from ._solve import HALF_TOL, resolve
from .inputs import UncertainInput
from .utilities import UtilityModel

__all__ = ["Sensitivity", "Threshold", "TornadoBar", "sensitivity"]

FloatArray = npt.NDArray[np.float64]
JSON = dict[str, Any]


def _round(x: float) -> float:
    return round(float(x), 9) + 0.0


@dataclass(frozen=True)
class TornadoBar:
    """One input swung from ``low`` to ``high`` with every other input nominal."""

    input: str
    nominal: float
    low: float
    high: float
    gain_low: dict[str, float]
    gain_high: dict[str, float]
    rejected_by_low: tuple[str, ...]
    rejected_by_high: tuple[str, ...]
    nash_low: dict[str, OptionValue] | None
    nash_high: dict[str, OptionValue] | None
    swing: float

    def to_dict(self) -> JSON:
        return {
            "input": self.input,
            "nominal": self.nominal,
            "low": self.low,
            "high": self.high,
            "gain_low": self.gain_low,
            "gain_high": self.gain_high,
            "rejected_by_low": list(self.rejected_by_low),
            "rejected_by_high": list(self.rejected_by_high),
            "nash_low": self.nash_low,
            "nash_high": self.nash_high,
            "swing": self.swing,
        }


@dataclass(frozen=True)
class Threshold:
    """Where ``party``'s acceptance of the reference package flips as ``input`` moves through
    its range: ``value`` (None if it does not flip inside ``[low, high]``), and on which side
    the party accepts (``"above"``, ``"below"``; ``"always"`` or ``"never"`` when it does not
    flip). ``method`` is ``exact`` or ``bisection``."""

    input: str
    party: str
    value: float | None
    accepts: Literal["above", "below", "always", "never"]
    method: Literal["exact", "bisection"]

    def to_dict(self) -> JSON:
        return {
            "input": self.input,
            "party": self.party,
            "value": self.value,
            "accepts": self.accepts,
            "method": self.method,
        }


@dataclass(frozen=True)
class Sensitivity:
    """The tornado and thresholds of the reference package (the nominal Nash package, or the
    closest package when no package is acceptable to all)."""

    reference: str
    package: dict[str, OptionValue] | None
    nominal_gains: dict[str, float]
    tornado: tuple[TornadoBar, ...]
    thresholds: tuple[Threshold, ...]

    def to_dict(self) -> JSON:
        return {
            "reference": self.reference,
            "package": self.package,
            "nominal_gains": self.nominal_gains,
            "tornado": [t.to_dict() for t in self.tornado],
            "thresholds": [t.to_dict() for t in self.thresholds],
        }


def sensitivity(
    scenario: Scenario, model: UtilityModel, inputs: Sequence[UncertainInput], result: Analysis
) -> Sensitivity:
    """Tornado and thresholds of the nominal Nash package (or the closest package) of ``result``.

    ``model`` holds the candidate packages (in canonical order), among them the reference; the
    Nash solution at each end of a swing is re-solved on them.
    """
    space = result.space
    package: dict[str, OptionValue] | None
    if result.nash is not None:
        reference, package = "nash", result.nash.package
    else:
        reference, package = "closest", result.closest_package
    parties = scenario.parties
    if package is None:
        return Sensitivity(reference, None, {}, (), ())
    row = space.indices(package)
    j = int(np.flatnonzero(np.all(model.options == row, axis=1))[0])
    base = model.nominal
    u0, r0, _ = model.evaluate(base[None, :])
    g0 = u0[:, 0, j] - r0[0]

    def names(values: np.ndarray) -> dict[str, float]:
        return {p.id: _round(v) for p, v in zip(parties, values, strict=True)}

    bars = []
    if inputs:
        n = len(inputs)
        values = np.repeat(base[None, :], 2 * n, axis=0)
        for col, x in enumerate(inputs):
            values[2 * col, col], values[2 * col + 1, col] = x.low, x.high
        u, r, power = model.evaluate(values)
        gains = u - r.T[:, :, None]
        accept = (gains >= -HALF_TOL) & model.allowed[:, None, :]
        nash = resolve(gains.copy(), r, power, np.logical_and.reduce(accept, axis=0))["nash"]

        def solved(k: int) -> dict[str, OptionValue] | None:
            return None if nash[k] < 0 else space.package(model.options[nash[k]])

        for col, x in enumerate(inputs):
            lo, hi = gains[:, 2 * col, j], gains[:, 2 * col + 1, j]
            bars.append(
                TornadoBar(
                    input=x.name,
                    nominal=x.nominal,
                    low=_round(x.low),
                    high=_round(x.high),
                    gain_low=names(lo),
                    gain_high=names(hi),
                    rejected_by_low=tuple(
                        p.id for p, a in zip(parties, accept[:, 2 * col, j], strict=True) if not a
                    ),
                    rejected_by_high=tuple(
                        p.id for p, a in zip(parties, accept[:, 2 * col + 1, j], strict=True) if not a
                    ),
                    nash_low=solved(2 * col),
                    nash_high=solved(2 * col + 1),
                    swing=_round(np.abs(hi - lo).max()),
                )
            )
        bars.sort(
            key=lambda b: (
                not (b.rejected_by_low or b.rejected_by_high),
                -((b.nash_low != package) + (b.nash_high != package)),
                -b.swing,
                b.input,
            )
        )
    single = UtilityModel(space, inputs, model.options[j : j + 1])
    thresholds = tuple(
        t
        for col, x in enumerate(inputs)
        if x.kind != "power"
        for t in [_threshold(single, col, x, scenario)]
        if t is not None
    )
    return Sensitivity(reference, package, names(g0), tuple(bars), thresholds)


def _threshold(model: UtilityModel, col: int, x: UncertainInput, scenario: Scenario) -> Threshold | None:
    p = x.party
    party = scenario.parties[p].id
    if not model.allowed[p, 0]:
        return None  # the package crosses the party's red line: no input changes its refusal
    base = model.nominal

    def margin(points: FloatArray) -> FloatArray:
        values = np.repeat(base[None, :], len(points), axis=0)
        values[:, col] = points
        u, r, _ = model.evaluate(values)
        out: FloatArray = u[p, :, 0] - r[:, p]
        return out

    lo, hi = x.low, x.high
    if hi <= lo:
        return None
    if x.kind in ("reservation", "interaction", "weight"):
        ends = np.array([lo, hi])
        m = margin(ends)
        if x.kind == "weight":  # (a + w b)/(c + w) - r: its sign is that of a linear function
            total = sum(float(v) for v in _weights(scenario, p)) - x.nominal
            m = m * (total + ends)
        at_low, at_high = bool(m[0] >= -HALF_TOL), bool(m[1] >= -HALF_TOL)
        value = None if at_low == at_high or m[0] == m[1] else float(lo + (hi - lo) * m[0] / (m[0] - m[1]))
        return _result(x, party, value, at_low, at_high, "exact")
    grid = np.linspace(lo, hi, 65)
    m = margin(grid)
    sign = m >= 0  # the root of the gain; acceptance is decided within the tolerance of it
    flips = np.flatnonzero(sign[1:] != sign[:-1])
    if not len(flips):
        return _result(x, party, None, bool(sign[0]), bool(sign[-1]), "bisection")
    k = int(flips[np.argmin(np.abs(grid[flips] - x.nominal))])
    a, b = grid[k], grid[k + 1]
    sa = bool(sign[k])
    for _ in range(60):
        mid = (a + b) / 2
        if bool(margin(np.array([mid]))[0] >= 0) == sa:
            a = mid
        else:
            b = mid
        if b - a < 1e-12:
            break
    return _result(x, party, (a + b) / 2, sa, not sa, "bisection")


def _weights(scenario: Scenario, p: int) -> list[float]:
    from ..model import value_of

    prefs = scenario.preferences[scenario.parties[p].id]
    return [value_of(w) for w in prefs.weights.values()]


def _result(
    x: UncertainInput,
    party: str,
    value: float | None,
    at_low: bool,
    at_high: bool,
    method: Literal["exact", "bisection"],
) -> Threshold:
    if value is None:
        accepts: Literal["above", "below", "always", "never"] = "always" if at_low else "never"
    else:
        accepts = "above" if at_high else "below"
    return Threshold(x.name, party, None if value is None else _round(value), accepts, method)
