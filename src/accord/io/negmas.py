"""A bridge to NegMAS (optional: ``pip install 'accord[bench]'``), both ways.

:func:`to_negmas` turns a scenario into a ``negmas.inout.Scenario`` whose utility functions give
exactly accord's normalised utilities (weights divided by their sum, each issue's values divided
by the issue's best), with the reservation values set; :func:`from_negmas` turns NegMAS linear
additive utility functions into a scenario.

What maps to what (checked in the NegMAS 0.16 sources, ``negmas/outcomes`` and
``negmas/preferences/crisp``):

* A discrete issue becomes a categorical issue whose values are the option ids; an integer range
  of step 1 a contiguous issue ``(min, max)``; any other numeric range an issue listing its grid.
* An additive party becomes a ``LinearAdditiveUtilityFunction`` of ``TableFun`` values.
* A party with interactions becomes a ``HyperRectangleUtilityFunction``: one rectangle per
  option of each weighted issue (its weighted, normalised value) and one per interaction (its
  value). NegMAS's outcome ranges treat a 2-tuple as an *open* interval and turn a two-number list
  into such a tuple, so every allowed value is given as its own one-element list.
* Red lines have no NegMAS counterpart (a utility of minus infinity would break NegMAS's
  normalisation and bargaining functions), so :func:`to_negmas` refuses them.

Going back, :func:`from_negmas` reads a ``LinearAdditiveUtilityFunction`` (also inside a
discounted wrapper) as ``u = bias + sum_i w_i f_i(x_i)``. accord's utilities are at least 0 and
at most 1, so the scenario gets ``u' = (u - c) / A``, and the reservation value likewise: where
there is no bias and no negative ``w_i f_i``, ``c = 0`` and ``A = sum_i max_i w_i f_i`` (the
identity for a ufun whose best package is worth 1, as :func:`to_negmas` makes them); otherwise
``c = bias + sum_i min_i w_i f_i`` and ``A = sum_i (max_i - min_i) w_i f_i``. Where the map is not
the identity, the profile's ``rationale`` says so. Pareto
optimality, acceptability, Nash and Kalai-Smorodinsky are unchanged by it; egalitarian and
utilitarian answers are then those on accord's normalised scale.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import AccordError, ImportFormatError
from ..model import (
    Issue,
    NumericRange,
    Option,
    Party,
    PiecewiseLinear,
    Preferences,
    RangeCondition,
    Scenario,
    value_of,
)
from ..model.preferences import Condition
from ..model.utility import TOL, normalised_values, weight_shares

__all__ = ["from_negmas", "to_negmas"]

_INSTALL = "the NegMAS bridge needs NegMAS: pip install 'accord[bench]' (or pip install negmas)"


def _negmas() -> Any:
    try:
        import negmas
    except ImportError:
        raise AccordError(_INSTALL) from None
    return negmas


# -- accord -> NegMAS -----------------------------------------------------------------------------


def _negmas_issue(issue: Issue) -> Any:
    from negmas.outcomes import make_issue

    grid = issue.range
    if grid is None:
        return make_issue([str(v) for v in issue.values()], name=issue.id)
    if grid.kind == "integer" and grid.step == 1:
        return make_issue((int(grid.min), int(grid.min) + grid.size - 1), name=issue.id)
    return make_issue(list(issue.values()), name=issue.id)


def _allowed(issue: Issue, condition: Condition) -> list[Any]:
    values = issue.values()
    if isinstance(condition, RangeCondition):
        low = -math.inf if condition.min is None else condition.min - TOL
        high = math.inf if condition.max is None else condition.max + TOL
        return [v for v in values if low <= float(v) <= high]
    wanted = condition if isinstance(condition, tuple) else (condition,)
    return [values[issue.index_of(w)] for w in wanted]


def to_negmas(scenario: Scenario) -> Any:
    """The scenario as a ``negmas.inout.Scenario`` with accord's normalised utilities.

    Raises :class:`~accord.errors.ImportFormatError` for red lines (NegMAS cannot express them)
    and :class:`~accord.errors.AccordError` if NegMAS is not installed.
    """
    _negmas()
    from negmas.inout import Scenario as NegmasScenario
    from negmas.outcomes import make_os
    from negmas.preferences import HyperRectangleUtilityFunction, LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun

    for party in scenario.parties:
        if scenario.preferences[party.id].red_lines:
            raise ImportFormatError(
                f"party '{party.id}': NegMAS utility functions cannot express red lines "
                f"({len(scenario.preferences[party.id].red_lines)} here); drop them or turn them "
                "into negative interactions"
            )
    space = make_os([_negmas_issue(i) for i in scenario.issues], name=scenario.id)
    ufuns = []
    for party in scenario.parties:
        prefs = scenario.preferences[party.id]
        shares = weight_shares(prefs, scenario.issues)
        tables = [normalised_values(i, prefs.values.get(i.id)) for i in scenario.issues]
        if not prefs.interactions:
            ufuns.append(
                LinearAdditiveUtilityFunction(
                    values=[
                        TableFun(dict(zip(_negmas_values(i), t.tolist(), strict=True)))
                        for i, t in zip(scenario.issues, tables, strict=True)
                    ],
                    weights=shares,
                    outcome_space=space,
                    reserved_value=party.reservation,
                    name=party.id,
                )
            )
            continue
        ranges: list[dict[int, list[list[Any]]]] = []
        utilities: list[float] = []
        for n, (issue, share, table) in enumerate(zip(scenario.issues, shares, tables, strict=True)):
            for value, v in zip(_negmas_values(issue), table.tolist(), strict=True):
                if share * v != 0:
                    ranges.append({n: [[value]]})
                    utilities.append(float(share * v))
        position = {issue.id: n for n, issue in enumerate(scenario.issues)}
        for inter in prefs.interactions:
            box: dict[int, list[list[Any]]] = {}
            for issue_id, cond in inter.when.items():
                issue = scenario.issues[position[issue_id]]
                native = dict(zip(issue.values(), _negmas_values(issue), strict=True))
                box[position[issue_id]] = [[native[v]] for v in _allowed(issue, cond)]
            ranges.append(box)
            utilities.append(float(value_of(inter.value)))
        ufuns.append(
            HyperRectangleUtilityFunction(
                outcome_ranges=ranges,
                utilities=utilities,
                outcome_space=space,
                reserved_value=party.reservation,
                name=party.id,
            )
        )
    return NegmasScenario(outcome_space=space, ufuns=tuple(ufuns))


def _negmas_values(issue: Issue) -> list[Any]:
    """The values NegMAS's issue holds for ``issue``'s options, in order."""
    if issue.range is None:
        return [str(v) for v in issue.values()]
    return list(issue.values())


# -- NegMAS -> accord -----------------------------------------------------------------------------


def _accord_issue(issue: Any, n: int) -> tuple[Issue, list[Any]]:
    """An accord issue for a NegMAS issue, and the NegMAS values in the issue's order."""
    name = str(getattr(issue, "name", None) or f"issue{n}")
    if not getattr(issue, "is_discrete", lambda: True)():
        raise ImportFormatError(
            f"issue '{name}': continuous NegMAS issues have no finite set of "
            "packages; discretise them first (issue.to_discrete(n))"
        )
    values = list(issue.all)
    if not values:
        raise ImportFormatError(f"issue '{name}' has no values")
    ident = name.replace(",", ";").replace("=", "-").strip() or f"issue{n}"
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    if numeric and len(values) > 1:
        xs = [float(v) for v in values]
        step = xs[1] - xs[0]
        kind = "integer" if all(isinstance(v, int) for v in values) else "real"
        if step > 0:
            try:
                grid = NumericRange(kind=kind, min=xs[0], max=xs[-1], step=step)
            except ValueError:
                grid = None
            if (
                grid is not None
                and grid.size == len(xs)
                and all(
                    abs(float(g) - x) <= 1e-9 * max(1.0, abs(x)) for g, x in zip(grid.grid(), xs, strict=True)
                )
            ):
                return Issue(id=ident, name=name, range=grid), values
    texts = [str(v) for v in values]
    if len(set(texts)) != len(texts):
        raise ImportFormatError(f"issue '{name}': values {texts[:6]} are not distinct as text")
    ids = [t.replace(",", ";").replace("=", "-").strip() or f"option{k}" for k, t in enumerate(texts)]
    options = tuple(Option(id=i, label=None if i == t else t) for i, t in zip(ids, texts, strict=True))
    return Issue(id=ident, name=name, options=options), values


def _base_ufun(ufun: Any) -> Any:
    from negmas.preferences import LinearAdditiveUtilityFunction

    base, depth = ufun, 0
    while not isinstance(base, LinearAdditiveUtilityFunction) and hasattr(base, "ufun") and depth < 8:
        base, depth = base.ufun, depth + 1
    if not isinstance(base, LinearAdditiveUtilityFunction):
        raise ImportFormatError(
            f"utility function '{getattr(ufun, 'name', '?')}' is a "
            f"{type(ufun).__name__}; from_negmas reads linear additive ones "
            "(LinearAdditiveUtilityFunction, also inside a discounted one)"
        )
    return base


def _reservation(ufun: Any) -> float | None:
    r = getattr(ufun, "reserved_value", None)
    try:
        r = float(r) if r is not None else None
    except (TypeError, ValueError):
        return None
    return r if r is not None and math.isfinite(r) else None


def from_negmas(
    scenario_or_space: Any, ufuns: Sequence[Any] | None = None, *, scenario_id: str = "negmas"
) -> Scenario:
    """A scenario from a ``negmas.inout.Scenario``, or from an outcome space and its ufuns.

    Each ufun must be a ``LinearAdditiveUtilityFunction`` (possibly wrapped, e.g. discounted) over
    discrete issues. Utilities are mapped to accord's scale by ``(u - c) / A`` (see the module
    docstring), reservation values with them; a reservation value of minus infinity or none
    becomes 0, the worst package. Raises :class:`~accord.errors.ImportFormatError` for anything
    else, :class:`~accord.errors.AccordError` if NegMAS is not installed.
    """
    _negmas()
    if ufuns is None:
        space = getattr(scenario_or_space, "outcome_space", None)
        ufuns = getattr(scenario_or_space, "ufuns", None)
        if space is None or ufuns is None:
            raise ImportFormatError(
                "from_negmas needs a negmas Scenario (outcome_space and "
                "ufuns) or an outcome space and a list of ufuns"
            )
    else:
        space = scenario_or_space
    if not ufuns:
        raise ImportFormatError("no utility functions: a scenario needs at least one party")
    issues_n = list(getattr(space, "issues", ()))
    if not issues_n:
        raise ImportFormatError(
            "the outcome space has no issues (only Cartesian spaces of issues can be read)"
        )
    pairs = [_accord_issue(issue, n) for n, issue in enumerate(issues_n)]
    issues = [p[0] for p in pairs]
    seen: set[str] = set()
    for issue in issues:
        if issue.id in seen:
            raise ImportFormatError(f"two issues are named '{issue.id}'")
        seen.add(issue.id)
    parties, preferences = [], {}
    for k, ufun in enumerate(ufuns):
        party_id = (
            str(getattr(ufun, "name", None) or f"party{k + 1}").replace(",", ";").replace("=", "-").strip()
            or f"party{k + 1}"
        )
        if party_id in preferences:
            party_id = f"{party_id} ({k + 1})"
        base = _base_ufun(ufun)
        funs, weights = list(base.values), list(base.weights)
        if len(funs) != len(issues):
            raise ImportFormatError(
                f"ufun '{party_id}' has {len(funs)} value functions for {len(issues)} issues"
            )
        contributions = []
        for (issue, native), fun, w in zip(pairs, funs, weights, strict=True):
            contributions.append(np.asarray([float(w) * float(fun(v)) for v in native]))
            if not np.all(np.isfinite(contributions[-1])):
                raise ImportFormatError(
                    f"ufun '{party_id}', issue '{issue.id}': a value is not a finite number"
                )
        bias = float(getattr(base, "bias", None) or getattr(base, "_bias", 0.0) or 0.0)
        lows = [float(c.min()) for c in contributions]
        if bias == 0 and min(lows) >= 0:
            lows = [0.0] * len(lows)  # already on a scale from 0: only divide
        spans = [float(c.max()) - lo for c, lo in zip(contributions, lows, strict=True)]
        scale = sum(spans)
        if scale <= 0:
            raise ImportFormatError(f"ufun '{party_id}' gives every package the same utility")
        offset = bias + sum(lows)
        values: dict[str, dict[str, float] | PiecewiseLinear] = {}
        for issue, c, lo in zip(issues, contributions, lows, strict=True):
            shifted = (c - lo).tolist()
            if issue.range is None:
                values[issue.id] = dict(zip([str(v) for v in issue.values()], shifted, strict=True))
            else:
                values[issue.id] = PiecewiseLinear(
                    points=list(zip([float(x) for x in issue.values()], shifted, strict=True))
                )
        raw_r = _reservation(ufun)
        reservation = 0.0 if raw_r is None else (raw_r - offset) / scale
        identity = abs(offset) <= 1e-12 and abs(scale - 1.0) <= 1e-12
        rationale = (
            None
            if identity
            else (f"NegMAS utility u maps to accord's scale as (u - {offset:.12g}) / {scale:.12g}.")
        )
        if raw_r is None:
            rationale = (
                (rationale or "") + " NegMAS's reserved value was not finite; 0 (the worst package) is used."
            ).strip()
        preferences[party_id] = Preferences(
            weights={i.id: s for i, s in zip(issues, spans, strict=True)},
            values=values,
            rationale=rationale,
            source=f"NegMAS {type(base).__name__}",
        )
        discount = getattr(ufun, "discount", None)
        parties.append(
            Party(
                id=party_id,
                reservation_value=reservation,
                discount_factor=discount if isinstance(discount, float) and 0 < discount <= 1 else None,
            )
        )
    try:
        return Scenario(
            id=scenario_id,
            name=str(getattr(space, "name", None) or scenario_id),
            source="NegMAS",
            parties=tuple(parties),
            issues=tuple(issues),
            preferences=preferences,
        )
    except AccordError as exc:
        raise ImportFormatError(f"the NegMAS scenario cannot be expressed: {exc}") from None
