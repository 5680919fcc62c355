"""The power-weighted (asymmetric) Nash solution against an exact brute force (issue 10 §4).

Random small scenarios with unequal bargaining powers (halves and wholes), integer and real
ranges with piecewise-linear values, interactions, red lines and constraints. The brute force
here shares no code with the engine: it computes every package's utility as a fraction from the
file's numbers, keeps the acceptable, Pareto-optimal utility vectors and maximises
``prod_i (u_i - d_i) ** power_i`` exactly, as ``prod_i (u_i - d_i) ** (2 * power_i)``.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Mapping
from fractions import Fraction

from hypothesis import HealthCheck, given, settings

from accord.analysis import analyze
from accord.model import Issue, PiecewiseLinear, RangeCondition, Scenario, value_of
from tests.strategies import POWERS, scenarios

Vector = tuple[Fraction, ...]


def _exact(x: float) -> Fraction:
    return Fraction(repr(float(x))) if not isinstance(x, int) else Fraction(x)


def _raw(issue: Issue, table: object) -> list[Fraction]:
    if isinstance(table, PiecewiseLinear):
        xs = [_exact(x) for x, _ in table.points]
        ys = [_exact(value_of(v)) for _, v in table.points]
        out = []
        for g in issue.values():
            x = _exact(float(g))
            j = bisect.bisect_right(xs, x)
            if j == 0 or j == len(xs):
                out.append(ys[0] if j == 0 else ys[-1])
            else:
                out.append(ys[j - 1] + (ys[j] - ys[j - 1]) * (x - xs[j - 1]) / (xs[j] - xs[j - 1]))
        return out
    assert isinstance(table, Mapping)
    return [_exact(value_of(table[str(o)])) for o in issue.values()]


def _holds(scenario: Scenario, when: Mapping[str, object], package: tuple[object, ...]) -> bool:
    chosen = dict(zip(scenario.issue_ids, package, strict=True))
    for issue_id, cond in when.items():
        value = chosen[issue_id]
        if isinstance(cond, RangeCondition):
            x = _exact(float(value))  # type: ignore[arg-type]
            if (cond.min is not None and x < _exact(cond.min)) or (
                cond.max is not None and x > _exact(cond.max)
            ):
                return False
        elif value not in (cond if isinstance(cond, tuple) else (cond,)):
            return False
    return True


def _utility(scenario: Scenario, party: str, package: tuple[object, ...]) -> Fraction:
    prefs = scenario.preferences[party]
    weights = {k: _exact(value_of(v)) for k, v in prefs.weights.items()}
    total = sum(weights.values(), Fraction(0))
    u = Fraction(0)
    for issue, option in zip(scenario.issues, package, strict=True):
        table = prefs.values.get(issue.id)
        if table is None or total == 0 or weights.get(issue.id, 0) == 0:
            continue
        raw = _raw(issue, table)
        top = max(raw)
        if top > 0:
            u += weights[issue.id] / total * raw[issue.values().index(option)] / top  # type: ignore[arg-type]
    for item in prefs.interactions:
        if _holds(scenario, item.when, package):
            u += _exact(value_of(item.value))
    return u


def _brute_maximisers(scenario: Scenario) -> tuple[set[Vector], dict[tuple[object, ...], Vector]]:
    """The utility vectors on the exact Pareto frontier that maximise the asymmetric Nash
    product, and every package's exact utility vector."""
    ids = scenario.party_ids
    d = [_exact(p.reservation) for p in scenario.parties]
    utilities = {}
    acceptable = []
    for package in itertools.product(*(i.values() for i in scenario.issues)):
        u = tuple(_utility(scenario, p, package) for p in ids)
        utilities[package] = u
        refused = any(_holds(scenario, c.when, package) for c in scenario.constraints) or any(
            _holds(scenario, line.when, package) for p in ids for line in scenario.preferences[p].red_lines
        )
        if not refused and all(x >= r for x, r in zip(u, d, strict=True)):
            acceptable.append(u)
    vectors = set(acceptable)
    frontier = {
        u
        for u in vectors
        if not any(all(a >= b for a, b in zip(v, u, strict=True)) and v != u for v in vectors)
    }
    exponents = [int(2 * p.bargaining_power) for p in scenario.parties]
    assert all(e == 2 * p.bargaining_power for e, p in zip(exponents, scenario.parties, strict=True))
    score = {
        u: math.prod(max(x - r, Fraction(0)) ** e for x, r, e in zip(u, d, exponents, strict=True))
        for u in frontier
    }
    if not score:
        return set(), utilities
    best = max(score.values())
    return {u for u, s in score.items() if s == best}, utilities


SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(scenarios(max_parties=3, max_issues=3, powers=True, real_ranges=True, constraints=True))
def test_asymmetric_nash_is_the_exact_brute_force_maximiser(scenario: Scenario) -> None:
    powers = {p.bargaining_power for p in scenario.parties}
    assert powers <= {*POWERS, 2.5} and len(powers) > 1  # the generator makes them unequal
    best, utilities = _brute_maximisers(scenario)
    solution = analyze(scenario).asymmetric_nash
    if solution is None:
        assert not best
        return
    chosen = {
        utilities[tuple(pkg[i] for i in scenario.issue_ids)] for pkg in (solution.package, *solution.ties)
    }
    assert chosen == best
