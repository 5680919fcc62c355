"""The one definition of a party's utility, in floats for display and in exact integers for
every decision.

The formula (documented in :mod:`accord.model.preferences` and docs/scenario-format.md) is

    u(package) = sum_i  w_i / sum_j w_j  *  v_i(option_i) / max_o v_i(o)  +  sum of interactions that hold

Everything that evaluates it (the analysis, the GeniusWeb and NegMAS bridges, the uncertainty
sampler, the simulation) calls the functions here, so the formula exists once.

**Exact integers.** A decision (is a package acceptable, does one package dominate another, are
two tied) must hold for the numbers in the file, ties at a reservation value included. Rounding
each part of a sum to a grid is not enough: the sum of rounded parts can fall a unit below the
rounded total. So each party's utilities are held as integers on a *common denominator* ``D``
of every part (issue contribution and interaction value) of its utility:

* every number of the file is read as the decimal it was written as (``Fraction(repr(x))``:
  the shortest decimal that reads back as the same double, which is what the file said
  whenever it gave at most 17 significant digits);
* each option's contribution ``w_i / W * v_io / max_i`` and each interaction value is then an
  exact fraction; ``D`` is the least common multiple of their denominators, and each part is
  held as ``part * D``, an exact integer. Sums of parts are exact, so the integer utility of a
  package is ``D`` times its exact rational utility, and comparing integers compares the exact
  utilities;
* a party accepts a package when its utility is at least its reservation value ``r``: for an
  integer utility ``Q`` that is ``Q >= ceil(r * D)``, exact for any ``r`` (:attr:`PartyScale.floor`).

This is used when ``D`` times the largest utility the party can reach stays below ``2**52``
(integers are also compared as float64 by the frontier kernel, exact below ``2**53``) and the
party's issues have at most :data:`EXACT_OPTIONS` options in all (exact fractions cost
microseconds each). Otherwise — numbers with many significant digits, as GeniusWeb and Genius
files often carry, or huge grids — the party falls back to a binary grid ``D = 2**k`` with ``D``
times the bound at most ``2**48``, and each part is the float of the formula times ``D``,
rounded. Each part is then off its exact value by at most half a unit of rounding plus the
float error of the formula: at most ``(n + 16)`` roundings of relative size ``2**-53`` on a
part of at most ``2**48`` units (``n`` the number of weights summed), so at most
``(n + 16) / 32`` units. A package sums at most ``P`` parts (issues with a weight, plus
interactions), so its integer utility is within ``S = ceil(P * (1/2 + (n + 16) / 32)) + 1``
units of ``D`` times its exact utility, and the reservation floor is lowered by this *slack*
``S``: a package exactly at its reservation value is still accepted (the property the tests
check), and a package accepted although below it is below by less than ``S / D`` (about
``1e-13`` for ten issues). When even that grid would be coarser than :data:`TOL` (utilities in
the hundreds of thousands with such numbers) the scenario is refused with a clear error.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from ..errors import AnalysisError
from ._base import value_of
from .issue import Issue
from .preferences import PiecewiseLinear, Preferences

__all__ = [
    "EXACT_OPTIONS",
    "MAX_INTERACTION",
    "TOL",
    "PartyScale",
    "exact_number",
    "float_at_most",
    "issue_contributions",
    "normalised_values",
    "party_scale",
    "quantize",
    "utility_bounds",
    "weight_shares",
]

TOL = 1e-9
"""The tolerance of float comparisons (bargaining objectives, explanations): utilities closer
than this are reported as equal. Acceptance and dominance do not use it: they are exact."""

MAX_INTERACTION = 1e12
"""The largest interaction value (in absolute value) a scenario may hold: well inside what the
exact integers can add up (``2**52`` units of a small denominator), far beyond any sensible
value on the normalised scale."""

EXACT_OPTIONS = 50_000
"""Options (over a party's valued issues) up to which its utilities are held exactly."""

_EXACT_LIMIT = 2**52  # integer utilities stay exact as float64 (the frontier kernel's type)
_BINARY_LIMIT = 2**48  # the fallback grid: float errors stay below a unit (module docstring)
_INFINITE = 2**62  # a floor of -inf (or +inf), far beyond every utility

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def quantize(values: npt.ArrayLike) -> IntArray:
    """Floats as integer multiples of :data:`TOL` (round half to even), for float kernels.

    Where the largest magnitude exceeds 1 the grid is ``TOL`` times it (a relative tolerance),
    so huge utilities (interaction values up to :data:`MAX_INTERACTION`) never overflow int64.
    """
    x = np.asarray(values, dtype=np.float64)
    finite = x[np.isfinite(x)]
    scale = max(1.0, float(np.abs(finite).max())) if finite.size else 1.0
    # Infinities (a floor left open) go to the far ends of the grid, as casting used to.
    y = np.rint(np.nan_to_num(x, posinf=0.0, neginf=0.0) / (TOL * scale))
    y = np.where(np.isposinf(x), float(_INFINITE), np.where(np.isneginf(x), -float(_INFINITE), y))
    return y.astype(np.int64)


def exact_number(x: float) -> Fraction:
    """A number of the file as the decimal it was written as: the shortest decimal that reads
    back as the same double (``repr``), as an exact fraction."""
    if isinstance(x, int) and not isinstance(x, bool):
        return Fraction(x)
    f = float(x)
    if f.is_integer() and abs(f) < 2**53:
        return Fraction(int(f))  # what its decimal says, without parsing the text
    return Fraction(repr(f))


def float_at_most(value: Fraction) -> float:
    """The largest float not above ``value``: a reservation value read as a package's exact
    utility, so that package (and every one worth as much) stays acceptable."""
    x = float(value)
    while exact_number(x) > value:
        x = math.nextafter(x, -math.inf)
    return x


def weight_shares(prefs: Preferences, issues: Sequence[Issue]) -> list[float]:
    """Each issue's weight divided by the sum of the party's weights (0 without weights)."""
    weights = {k: value_of(v) for k, v in prefs.weights.items()}
    total = sum(weights.values())
    return [weights.get(i.id, 0.0) / total if total > 0 else 0.0 for i in issues]


def _raw_values(issue: Issue, values: object) -> FloatArray:
    if isinstance(values, PiecewiseLinear):
        return np.interp(
            np.asarray(issue.values(), dtype=np.float64),
            np.asarray([x for x, _ in values.points], dtype=np.float64),
            np.asarray([value_of(v) for _, v in values.points], dtype=np.float64),
        )
    assert isinstance(values, Mapping)
    return np.asarray([value_of(values[str(o)]) for o in issue.values()], dtype=np.float64)


def normalised_values(issue: Issue, values: object) -> FloatArray:
    """A party's value of every option of ``issue`` divided by its best (best option = 1), in
    floats; zeros when the party gives the issue no values or values every option 0."""
    if values is None:
        return np.zeros(issue.size)
    raw = _raw_values(issue, values)
    top = raw.max()
    return raw / top if top > 0 else np.zeros(issue.size)


def issue_contributions(issues: Sequence[Issue], prefs: Preferences) -> list[FloatArray]:
    """Each issue's part of the party's utility, option by option: weight share times the
    normalised value (floats)."""
    out = []
    for issue, share in zip(issues, weight_shares(prefs, issues), strict=True):
        values = prefs.values.get(issue.id)
        if share > 0 and values is not None:
            out.append(share * normalised_values(issue, values))
        else:
            out.append(np.zeros(issue.size))
    return out


def utility_bounds(issues: Sequence[Issue], prefs: Preferences) -> tuple[float, float]:
    """Bounds on the party's utility over all packages: the sums of each issue's least and
    largest contribution and of the negative and positive interaction values. Without
    interactions both are attained (the best package scores 1 when any issue has a weight)."""
    parts = [c for c in issue_contributions(issues, prefs) if c.size]
    interactions = [value_of(item.value) for item in prefs.interactions]
    lo = sum(float(c.min()) for c in parts) + sum(min(0.0, v) for v in interactions)
    hi = sum(float(c.max()) for c in parts) + sum(max(0.0, v) for v in interactions)
    return lo, hi


def _exact_raw(issue: Issue, values: object) -> list[Fraction]:
    if isinstance(values, PiecewiseLinear):
        xs = [exact_number(x) for x, _ in values.points]
        ys = [exact_number(value_of(v)) for _, v in values.points]
        out = []
        for g in issue.values():
            x = exact_number(g)  # type: ignore[arg-type]
            j = bisect.bisect_right(xs, x)
            if j == 0:
                out.append(ys[0])
            elif j == len(xs):
                out.append(ys[-1])
            else:  # x lies in [xs[j-1], xs[j]): the straight line between the two points
                x0, x1, y0, y1 = xs[j - 1], xs[j], ys[j - 1], ys[j]
                out.append(y0 + (y1 - y0) * (x - x0) / (x1 - x0))
        return out
    assert isinstance(values, Mapping)
    return [exact_number(value_of(values[str(o)])) for o in issue.values()]


def _exact_contributions(issues: Sequence[Issue], prefs: Preferences) -> list[list[Fraction]]:
    weights = {k: exact_number(value_of(v)) for k, v in prefs.weights.items()}
    total = sum(weights.values(), Fraction(0))
    out = []
    for issue in issues:
        values = prefs.values.get(issue.id)
        share = weights.get(issue.id, Fraction(0)) / total if total > 0 else Fraction(0)
        if share <= 0 or values is None:
            out.append([Fraction(0)] * issue.size)
            continue
        raw = _exact_raw(issue, values)
        top = max(raw)
        scale = share / top if top > 0 else Fraction(0)  # exact: one product per option, not two
        out.append([scale * v for v in raw] if top > 0 else [Fraction(0)] * issue.size)
    return out


@dataclass(frozen=True)
class PartyScale:
    """One party's utilities as integers: one unit is ``1 / denominator`` of utility.

    ``contributions[i][o]`` is option ``o`` of issue ``i``'s part, ``interactions[t]`` the
    value of the party's interaction ``t``; a package's integer utility is the sum of its parts.
    ``exact`` says whether that sum is exactly ``denominator`` times the rational utility (else
    it is within ``slack`` units of it; see the module docstring). ``reservation`` is the least
    integer utility the party accepts.
    """

    party: str
    denominator: int
    exact: bool
    slack: int
    contributions: tuple[IntArray, ...]
    interactions: tuple[int, ...]
    reservation: int

    @property
    def unit(self) -> float:
        """The utility of one integer unit."""
        return 1.0 / self.denominator

    def floor(self, value: float) -> int:
        """The least integer utility worth at least ``value`` (``-inf`` and ``inf`` allowed):
        ``ceil(value * denominator)``, lowered by the slack of an inexact scale."""
        if math.isinf(value):
            return -_INFINITE if value < 0 else _INFINITE
        return math.ceil(exact_number(value) * self.denominator) - self.slack

    def units(self, value: float) -> int:
        """A difference of utility (a window, a step) in whole units, rounded."""
        return round(value * self.denominator)

    def aims(self, targets: npt.ArrayLike) -> IntArray:
        """Targets computed in floats on this scale (a strategy's aim between two integer
        utilities) as the least integer utilities that reach them to within ``TOL / 2``: float
        noise in the target never lifts it past a package that is worth it."""
        x = np.asarray(targets, dtype=np.float64) - (TOL / 2) * self.denominator
        return np.ceil(x).astype(np.int64)

    def aim(self, target: float) -> int:
        """:meth:`aims` of one target."""
        return int(self.aims(target))


def party_scale(
    issues: Sequence[Issue], prefs: Preferences, reservation: float, *, party: str = "party"
) -> PartyScale:
    """The integer scale of one party's utilities (module docstring): exact where the numbers
    allow, else a binary grid with a proven slack; :class:`AnalysisError` when utilities are too
    large for either."""
    interactions = [value_of(item.value) for item in prefs.interactions]
    floats = issue_contributions(issues, prefs)
    bound = sum(float(np.abs(c).max()) for c in floats if c.size) + sum(abs(v) for v in interactions)
    scale = _exact_scale(issues, prefs, interactions, bound, reservation, party)
    if scale is not None:
        return scale
    if not math.isfinite(bound) or bound * 1e9 > _BINARY_LIMIT:
        raise AnalysisError(
            f"party '{party}': its utilities reach {bound:.6g} (interaction values), too large to "
            "compare exactly with numbers of this many digits; write the values with fewer "
            "significant digits or rescale the interactions to the normalised scale (0 to 1)"
        )
    # Utilities below 1 still get a grid of 2**48 units: finer would only shrink the slack.
    denominator = 2 ** math.floor(math.log2(_BINARY_LIMIT / max(bound, 1.0)))
    parts = sum(1 for c in floats if np.any(c != 0)) + len(interactions)
    n = len(prefs.weights)
    slack = math.ceil(parts * (0.5 + (n + 16) / 32)) + 1
    contributions = tuple(np.rint(c * denominator).astype(np.int64) for c in floats)
    terms = tuple(round(v * denominator) for v in interactions)
    scale = PartyScale(party, denominator, False, slack, contributions, terms, 0)
    return _with_reservation(scale, reservation)


def _exact_scale(
    issues: Sequence[Issue],
    prefs: Preferences,
    interactions: list[float],
    bound: float,
    reservation: float,
    party: str,
) -> PartyScale | None:
    valued = [i for i in issues if i.id in prefs.values]
    if sum(i.size for i in valued) > EXACT_OPTIONS or not math.isfinite(bound):
        return None
    try:
        parts = _exact_contributions(issues, prefs)
        terms = [exact_number(v) for v in interactions]
    except (OverflowError, ValueError):
        return None
    denominator = 1
    for f in (*(x for row in parts for x in row), *terms):
        denominator = math.lcm(denominator, f.denominator)
        if denominator * max(bound, 1.0) >= _EXACT_LIMIT:
            return None
    # Every number on the common scale, as an integer (the denominator is a multiple of each
    # one's), then the bound on the integers: the same test as on the fractions, without them.
    rows = [[x.numerator * (denominator // x.denominator) for x in row] for row in parts]
    units = [t.numerator * (denominator // t.denominator) for t in terms]
    reach = sum(max(map(abs, row)) for row in rows if row) + sum(map(abs, units))
    if reach >= _EXACT_LIMIT:
        return None
    contributions = tuple(np.array(row, dtype=np.int64).reshape(-1) for row in rows)
    scale = PartyScale(party, denominator, True, 0, contributions, tuple(units), 0)
    return _with_reservation(scale, reservation)


def _with_reservation(scale: PartyScale, reservation: float) -> PartyScale:
    if not math.isfinite(reservation) or abs(reservation) * scale.denominator >= _INFINITE / 4:
        raise AnalysisError(
            f"party '{scale.party}': the reservation value {reservation:g} is far outside the "
            "utilities it can reach; reservation values are on the normalised scale (0 to 1)"
        )
    return PartyScale(
        scale.party,
        scale.denominator,
        scale.exact,
        scale.slack,
        scale.contributions,
        scale.interactions,
        scale.floor(reservation),
    )
