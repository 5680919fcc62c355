"""Exact at the boundary: decisions follow the exact rational utility of the file's numbers.

The brute force here shares no code with the engine: it evaluates every package with
``fractions.Fraction`` straight from the scenario, reading each number as the decimal it was
written as, and decides acceptance, the frontier and every bargaining solution exactly.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import accord
from accord.analysis import AnalysisConfig, analyze, compile_space
from accord.cli import app
from accord.model import Interaction, Issue, Option, Party, Preferences, RedLine, Scenario, value_of

runner = CliRunner(env={"COLUMNS": "200"})


def _q(x: float) -> Fraction:
    return Fraction(repr(float(x)))


# -- the issue's cases ----------------------------------------------------------------------------

_BUYER = """\
format: accord/1
id: s
parties:
  - {id: buyer, reservation_value: 0.3}
  - {id: seller, reservation_value: 0.0}
issues:
  - {id: i0, options: [{id: o0}, {id: o1}]}
  - {id: i1, options: [{id: o0}, {id: o1}]}
  - {id: i2, options: [{id: o0}, {id: o1}, {id: o2}]}
preferences:
  buyer:
    weights: {i0: 1, i1: 2, i2: 0.5}
    values: {i0: {o0: 5, o1: 1}, i1: {o0: 10, o1: 3}, i2: {o0: 0, o1: 10, o2: 5}}
  seller:
    weights: {i0: 1, i1: 1, i2: 1}
    values: {i0: {o0: 0, o1: 1}, i1: {o0: 0, o1: 1}, i2: {o0: 1, o1: 0, o2: 0}}
"""


def test_a_package_exactly_at_the_reservation_value_is_accepted(tmp_path: Path) -> None:
    # buyer: (1 * 1/5 + 2 * 3/10 + 0.5 * 5/10) / 3.5 = 1.05 / 3.5 = 0.3 exactly.
    path = tmp_path / "s.yaml"
    path.write_text(_BUYER)
    result = runner.invoke(app, ["explain", str(path), "-p", "i0=o1,i1=o1,i2=o2", "--json"])
    assert result.exit_code == 0, result.output
    import json

    buyer = json.loads(result.stdout)["parties"][0]
    assert (buyer["utility"], buyer["reservation_value"], buyer["gain"]) == (0.3, 0.3, 0.0)
    assert buyer["accepts"] is True
    # analyze counts it: buyer accepts exactly the packages worth >= 0.3 (brute force below).
    scenario = accord.load(path)
    assert analyze(scenario).n_acceptable == _Brute(scenario).n_acceptable


def _binary(n: int) -> Scenario:
    """Two parties, n binary issues weighted 1..n, opposed; both reservation values 0.5."""
    issues = tuple(Issue(id=f"i{k}", options=(Option(id="no"), Option(id="yes"))) for k in range(n))
    weights = {f"i{k}": float(k + 1) for k in range(n)}
    a = Preferences(weights=weights, values={f"i{k}": {"no": 0.0, "yes": 1.0} for k in range(n)})
    b = Preferences(weights=weights, values={f"i{k}": {"no": 1.0, "yes": 0.0} for k in range(n)})
    parties = (Party(id="a", reservation_value=0.5), Party(id="b", reservation_value=0.5))
    return Scenario(id="binary", parties=parties, issues=issues, preferences={"a": a, "b": b})


def _subsets_with_sum(n: int, target: int) -> int:
    ways = [1] + [0] * target
    for w in range(1, n + 1):
        for s in range(target, w - 1, -1):
            ways[s] += ways[s - w]
    return ways[target]


def test_n_binary_issues_at_half_count_every_exact_tie() -> None:
    # Acceptable to both iff the "yes" weights sum to exactly half of n (n + 1) / 2.
    assert _subsets_with_sum(8, 18) == 14
    result = analyze(_binary(8))
    assert result.n_acceptable == 14
    assert sum(p.n_equivalent for p in result.pareto_frontier) == 14


def test_n_28_binary_issues_have_an_agreement() -> None:
    # 2,399,784 packages give both parties exactly 0.5.
    scenario = _binary(28)
    result = analyze(scenario, config=AnalysisConfig(blockers=False, trades=False, count=False))
    assert result.agreement_exists
    assert [p.n_equivalent for p in result.pareto_frontier] == [_subsets_with_sum(28, 203)] == [2_399_784]
    assert result.pareto_frontier[0].utilities == {"a": 0.5, "b": 0.5}


# -- brute force ----------------------------------------------------------------------------------


class _Brute:
    """Every package's exact utilities, acceptability, frontier and bargaining solutions."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.parties = scenario.parties
        self.packages = list(itertools.product(*(issue.values() for issue in scenario.issues)))
        self.utilities = [tuple(self._utility(p, pkg) for p in self.parties) for pkg in self.packages]
        self.reservation = tuple(_q(p.reservation) for p in self.parties)
        self.acceptable = [
            self._free(pkg) and all(u >= r for u, r in zip(us, self.reservation, strict=True))
            for pkg, us in zip(self.packages, self.utilities, strict=True)
        ]
        ok = [us for us, a in zip(self.utilities, self.acceptable, strict=True) if a]
        self.frontier = {u for u in ok if not any(_dominates(v, u) for v in ok)}
        self.n_acceptable = len(ok)
        self.n_optimal = sum(1 for u in ok if u in self.frontier)

    def _utility(self, party: Party, package: tuple[Any, ...]) -> Fraction:
        prefs = self.scenario.preferences[party.id]
        weights = {k: _q(value_of(v)) for k, v in prefs.weights.items()}
        total = sum(weights.values(), Fraction(0))
        u = Fraction(0)
        for issue, option in zip(self.scenario.issues, package, strict=True):
            table = prefs.values.get(issue.id)
            if not isinstance(table, Mapping) or total == 0:
                continue
            values = {k: _q(value_of(v)) for k, v in table.items()}
            top = max(values.values())
            if top > 0:
                u += weights.get(issue.id, Fraction(0)) / total * values[str(option)] / top
        for item in prefs.interactions:
            if _holds(self.scenario, item.when, package):
                u += _q(value_of(item.value))
        return u

    def _free(self, package: tuple[Any, ...]) -> bool:
        return not any(
            _holds(self.scenario, line.when, package)
            for p in self.parties
            for line in self.scenario.preferences[p.id].red_lines
        )

    def maximisers(self, name: str) -> set[tuple[Fraction, ...]]:
        """The utility vectors on the frontier that maximise a solution's objective, exactly."""
        points = sorted(self.frontier)
        if not points:
            return set()
        d = self.reservation
        gains = {u: tuple(x - r for x, r in zip(u, d, strict=True)) for u in points}
        if name == "nash":
            score = {u: math.prod(g) for u, g in gains.items()}
        elif name == "asymmetric_nash":
            powers = [int(p.bargaining_power) for p in self.parties]
            score = {u: math.prod(x**w for x, w in zip(g, powers, strict=True)) for u, g in gains.items()}
        elif name == "egalitarian":
            score = {u: min(g) for u, g in gains.items()}
        elif name == "utilitarian":
            score = {u: sum(u) for u in points}
        else:
            span = [max(g[i] for g in gains.values()) for i in range(len(d))]
            live = [i for i, s in enumerate(span) if s > 0]
            score = {u: min((g[i] / span[i] for i in live), default=Fraction(0)) for u, g in gains.items()}
        best = max(score.values())
        return {u for u in points if score[u] == best}


def _dominates(a: tuple[Fraction, ...], b: tuple[Fraction, ...]) -> bool:
    return all(x >= y for x, y in zip(a, b, strict=True)) and a != b


def _holds(scenario: Scenario, when: Mapping[str, Any], package: tuple[Any, ...]) -> bool:
    chosen = dict(zip(scenario.issue_ids, package, strict=True))
    for issue_id, cond in when.items():
        allowed = cond if isinstance(cond, tuple) else (cond,)
        if chosen[issue_id] not in allowed:
            return False
    return True


# -- random scenarios whose reservation values are exact package utilities ------------------------

# Weights and values whose sums often divide a power of ten, so that the utility of a package is
# often a short decimal: its float, written to the file, is then exactly that utility.
_weight = st.sampled_from([1, 2, 4, 5, 8, 10])
_value = st.sampled_from([0, 1, 2, 4, 5, 8, 10])


@st.composite
def _exact_scenarios(draw: st.DrawFn) -> Scenario:
    n_parties = draw(st.integers(2, 3))
    n_issues = draw(st.integers(1, 4))
    issues = tuple(
        Issue(id=f"i{i}", options=tuple(Option(id=f"o{j}") for j in range(draw(st.integers(1, 4)))))
        for i in range(n_issues)
    )
    prefs = {}
    ids = [f"p{p}" for p in range(n_parties)]
    for pid in ids:
        values = {}
        for issue in issues:
            vals = [draw(_value) for _ in issue.values()]
            if max(vals) == 0:
                vals[0] = 1
            values[issue.id] = {str(o): float(v) for o, v in zip(issue.values(), vals, strict=True)}
        interactions, red_lines = [], []
        if n_issues >= 2:
            for _ in range(draw(st.integers(0, 2))):
                when = _condition(draw, issues)
                interactions.append(Interaction(when=when, value=draw(st.integers(-3, 3)) / 10))
            if draw(st.integers(0, 3)) == 0:
                red_lines.append(RedLine(when=_condition(draw, issues)))
        prefs[pid] = Preferences(
            weights={i.id: float(draw(_weight)) for i in issues},
            values=values,
            interactions=interactions,
            red_lines=red_lines,
        )
    draft = Scenario(
        id="exact",
        parties=tuple(Party(id=pid) for pid in ids),
        issues=issues,
        preferences=prefs,
    )
    # Each reservation value is the exact utility of a random package (as the nearest float).
    brute = _Brute(draft)
    parties = []
    for p, pid in enumerate(ids):
        k = draw(st.integers(0, len(brute.packages) - 1))
        parties.append(
            Party(
                id=pid,
                reservation_value=float(brute.utilities[k][p]),
                power=float(draw(st.integers(1, 3))),
            )
        )
    return Scenario(id="exact", parties=tuple(parties), issues=issues, preferences=prefs)


def _condition(draw: st.DrawFn, issues: tuple[Issue, ...]) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(issues), min_size=1, max_size=2, unique_by=lambda i: i.id))
    return {i.id: draw(st.sampled_from(i.values())) for i in chosen}


EXACT = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOLUTIONS = ("nash", "asymmetric_nash", "kalai_smorodinsky", "egalitarian", "utilitarian")


@EXACT
@given(_exact_scenarios())
def test_the_engine_agrees_with_an_exact_fraction_brute_force(scenario: Scenario) -> None:
    brute = _Brute(scenario)
    space = compile_space(scenario)
    assert all(s.exact for s in space.scales)
    # Acceptance of every package, as the engine decides it.
    for package, acceptable in zip(brute.packages, brute.acceptable, strict=True):
        options = space.indices(dict(zip(scenario.issue_ids, package, strict=True)))
        _, q, allowed = space.evaluate(options[None, :])
        assert bool(allowed[0] and (q[0] >= space.floor_q).all()) == acceptable
    result = analyze(scenario)
    assert result.n_acceptable == brute.n_acceptable
    # The frontier: exactly the Pareto-optimal utility vectors, with every package behind them.
    index = {pkg: n for n, pkg in enumerate(brute.packages)}
    found = {}
    for point in result.pareto_frontier:
        n = index[tuple(point.package[i] for i in scenario.issue_ids)]
        found[brute.utilities[n]] = point.n_equivalent
        assert brute.acceptable[n]
    assert set(found) == brute.frontier
    assert sum(found.values()) == brute.n_optimal
    assert result.agreement_exists == bool(brute.frontier)
    # Every bargaining solution is an exact maximiser, and its ties are all the others.
    for name in SOLUTIONS:
        solution = getattr(result, name)
        best = brute.maximisers(name)
        if solution is None:
            assert not best
            continue
        chosen = {
            brute.utilities[index[tuple(pkg[i] for i in scenario.issue_ids)]]
            for pkg in (solution.package, *solution.ties)
        }
        assert chosen == best, name
    # Each party's best attainable: the most it gets in a package every other party accepts
    # (taken from the frontier when there is an agreement, from its own frontier otherwise).
    ids = [p.id for p in scenario.parties]
    for blocker in result.blockers:
        i = ids.index(blocker.party)
        attainable = [
            us[i]
            for pkg, us in zip(brute.packages, brute.utilities, strict=True)
            if brute._free(pkg)
            and all(u >= r for j, (u, r) in enumerate(zip(us, brute.reservation, strict=True)) if j != i)
        ]
        if not attainable:
            assert blocker.best_attainable is None
        else:
            assert blocker.best_attainable == pytest.approx(float(max(attainable)), abs=1e-9)
            assert blocker.blocks == (max(attainable) < brute.reservation[i])


@EXACT
@given(_exact_scenarios(), st.data())
def test_explain_accepts_exactly_what_the_brute_force_accepts(
    scenario: Scenario, data: st.DataObject
) -> None:
    brute = _Brute(scenario)
    n = data.draw(st.integers(0, len(brute.packages) - 1))
    package = dict(zip(scenario.issue_ids, brute.packages[n], strict=True))
    assert accord.explain(scenario, package).acceptable == brute.acceptable[n]


@pytest.mark.parametrize("n", [3, 5, 8])
def test_binary_counts_match_the_brute_force(n: int) -> None:
    scenario = _binary(n)
    assert analyze(scenario).n_acceptable == _Brute(scenario).n_acceptable
