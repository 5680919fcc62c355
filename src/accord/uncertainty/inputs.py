"""The uncertain inputs of a scenario: every number given with a ``range`` or a ``distribution``.

Each input is sampled by the inverse of its cumulative distribution function applied to one
uniform number, so a sample of all inputs is a function of one row of uniforms: reproducible
from a seed, independent of how the samples are split into chunks, and the same draw moves
every input the same way in every package evaluated.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from ..model import Number, PiecewiseLinear, Scenario

__all__ = ["InputKind", "UncertainInput", "normal_quantile", "uncertain_inputs"]

FloatArray = npt.NDArray[np.float64]

InputKind = Literal["reservation", "power", "weight", "value", "interaction"]

_Z975 = 1.959963984540054  # the 97.5% point of the standard normal


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain number of a scenario and where it sits.

    ``name`` reads like the file: ``russia.reservation_value``, ``russia.weights.sanctions``,
    ``russia.values.sanctions.full``, ``us.values.buffer_km.points[1]``,
    ``russia.interactions[0]``. ``party``, ``issue`` are positions in the scenario; ``slot`` is
    the option (discrete values), the point (``points`` values) or the interaction index.
    ``low`` and ``high`` are the ends of the swing used by the tornado: the ends of the range or
    distribution, or its 2.5% and 97.5% points where a normal is unbounded.
    """

    name: str
    kind: InputKind
    party: int
    issue: int | None
    slot: int | None
    number: Number

    @property
    def nominal(self) -> float:
        return self.number.value

    @property
    def low(self) -> float:
        return (
            float(self.quantile(np.array([0.025]))[0])
            if math.isinf(self.number.support[0])
            else self.number.support[0]
        )

    @property
    def high(self) -> float:
        return (
            float(self.quantile(np.array([0.975]))[0])
            if math.isinf(self.number.support[1])
            else self.number.support[1]
        )

    @property
    def description(self) -> str:
        """The distribution in the file's words, e.g. ``uniform [0.65, 0.75]``."""
        n = self.number
        if n.range is not None:
            return f"uniform [{n.range[0]:g}, {n.range[1]:g}]"
        d = n.distribution
        assert d is not None
        if d.uniform is not None:
            return f"uniform [{d.uniform[0]:g}, {d.uniform[1]:g}]"
        if d.triangular is not None:
            return "triangular [{:g}, {:g}, {:g}]".format(*d.triangular)
        assert d.normal is not None
        g = d.normal
        low = "-inf" if g.min is None else f"{g.min:g}"
        high = "inf" if g.max is None else f"{g.max:g}"
        bounds = "" if g.min is None and g.max is None else f" in [{low}, {high}]"
        return f"normal mean {g.mean:g} sd {g.sd:g}{bounds}"

    def quantile(self, u: FloatArray) -> FloatArray:
        """The input's values at cumulative probabilities ``u`` (inverse-CDF sampling)."""
        u = np.asarray(u, dtype=np.float64)
        n = self.number
        if n.range is not None:
            lo, hi = n.range
            return lo + (hi - lo) * u
        d = n.distribution
        assert d is not None
        if d.uniform is not None:
            lo, hi = d.uniform
            return lo + (hi - lo) * u
        if d.triangular is not None:
            lo, mode, hi = d.triangular
            if hi <= lo:
                return np.full_like(u, lo)
            cut = (mode - lo) / (hi - lo)
            left = lo + np.sqrt(u * (hi - lo) * (mode - lo))
            right = hi - np.sqrt((1 - u) * (hi - lo) * (hi - mode))
            return np.where(u < cut, left, right)
        assert d.normal is not None
        g = d.normal
        pa = 0.0 if g.min is None else _phi((g.min - g.mean) / g.sd)
        pb = 1.0 if g.max is None else _phi((g.max - g.mean) / g.sd)
        x = g.mean + g.sd * normal_quantile(pa + (pb - pa) * u)
        return np.clip(x, -np.inf if g.min is None else g.min, np.inf if g.max is None else g.max)


def _phi(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


# Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9).
_A = (
    -3.969683028665376e01,
    2.209460984245205e02,
    -2.759285104469687e02,
    1.383577518672690e02,
    -3.066479806614716e01,
    2.506628277459239e00,
)
_B = (
    -5.447609879822406e01,
    1.615858368580409e02,
    -1.556989798598866e02,
    6.680131188771972e01,
    -1.328068155288572e01,
)
_C = (
    -7.784894002430293e-03,
    -3.223964580411365e-01,
    -2.400758277161838e00,
    -2.549732539343734e00,
    4.374664141464968e00,
    2.938163982698783e00,
)
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)


def normal_quantile(p: FloatArray) -> FloatArray:
    """The standard normal quantile, vectorised (P. J. Acklam's algorithm, 2003; relative error
    below 1.2e-9, ample for sampling). ``p`` is clipped to (1e-300, 1 - 1e-16)."""
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-300, 1 - 1e-16)
    out = np.empty_like(p)
    low, high = p < 0.02425, p > 1 - 0.02425
    mid = ~(low | high)
    q = p[mid] - 0.5
    r = q * q
    a, b, c, d = _A, _B, _C, _D
    out[mid] = (
        (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
        * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    )
    for mask, sign, tail in ((low, 1.0, p[low]), (high, -1.0, 1 - p[high])):
        t = np.sqrt(-2 * np.log(tail))
        out[mask] = (
            sign
            * (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5])
            / ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1)
        )
    return out


def uncertain_inputs(scenario: Scenario) -> tuple[UncertainInput, ...]:
    """Every number of the scenario given with a range or distribution, in file order."""
    return tuple(_walk(scenario))


def _walk(s: Scenario) -> Iterator[UncertainInput]:
    issue_pos = {issue.id: n for n, issue in enumerate(s.issues)}
    for p, party in enumerate(s.parties):
        fields: tuple[tuple[str, InputKind], ...] = (("reservation_value", "reservation"), ("power", "power"))
        for field, kind in fields:
            number = getattr(party, field)
            if isinstance(number, Number) and number.is_uncertain:
                yield UncertainInput(f"{party.id}.{field}", kind, p, None, None, number)
    for p, party in enumerate(s.parties):
        prefs = s.preferences[party.id]
        for issue_id, w in prefs.weights.items():
            if isinstance(w, Number) and w.is_uncertain:
                yield UncertainInput(
                    f"{party.id}.weights.{issue_id}", "weight", p, issue_pos[issue_id], None, w
                )
        for issue_id, table in prefs.values.items():
            i = issue_pos[issue_id]
            if isinstance(table, PiecewiseLinear):
                for k, (_, v) in enumerate(table.points):
                    if isinstance(v, Number) and v.is_uncertain:
                        yield UncertainInput(f"{party.id}.values.{issue_id}.points[{k}]", "value", p, i, k, v)
            else:
                options = [str(o) for o in s.issues[i].values()]
                for option_id, v in table.items():
                    if isinstance(v, Number) and v.is_uncertain:
                        yield UncertainInput(
                            f"{party.id}.values.{issue_id}.{option_id}",
                            "value",
                            p,
                            i,
                            options.index(option_id),
                            v,
                        )
        for k, inter in enumerate(prefs.interactions):
            if isinstance(inter.value, Number) and inter.value.is_uncertain:
                yield UncertainInput(f"{party.id}.interactions[{k}]", "interaction", p, None, k, inter.value)
