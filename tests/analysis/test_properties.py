"""Properties of the exact engine against brute force on random scenarios."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.analysis import analyze, compile_space, pareto_frontier
from accord.analysis.bargaining import (
    egalitarian_points,
    kalai_smorodinsky_points,
    nash_points,
    utilitarian_points,
)
from accord.analysis.count import count_acceptable, estimate_acceptable
from accord.analysis.pareto import space_frontier
from accord.model import Scenario
from tests.strategies import all_packages, scenarios

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _dominates(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.all(a >= b) and np.any(a > b))


def _brute(scenario: Scenario) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every package, its exact utilities, and which are acceptable and Pareto-optimal."""
    space = compile_space(scenario)
    x = all_packages(space.sizes)
    _, q, allowed = space.evaluate(x)
    acceptable = allowed & np.all(q >= space.floor_q, axis=1)
    optimal = np.zeros(len(x), dtype=bool)
    acc = np.flatnonzero(acceptable)
    for i in acc:
        optimal[i] = not any(_dominates(q[j], q[i]) for j in acc)
    return x, q, acceptable, optimal


@st.composite
def _points(draw: st.DrawFn) -> np.ndarray:
    k = draw(st.integers(1, 5))
    n = draw(st.integers(0, 60))
    values = draw(st.lists(st.integers(0, 4), min_size=n * k, max_size=n * k))
    return np.array(values, dtype=np.int64).reshape(n, k)


@FAST
@given(_points())
def test_frontier_kernel_keeps_exactly_the_undominated_rows(q: np.ndarray) -> None:
    kept = set(pareto_frontier(q).tolist())
    for i in range(len(q)):
        dominated = any(_dominates(q[j], q[i]) for j in range(len(q)))
        assert (i in kept) == (not dominated)


@FAST
@given(scenarios())
def test_pruned_frontier_equals_brute_force_frontier(scenario: Scenario) -> None:
    x, q, acceptable, optimal = _brute(scenario)
    frontier = space_frontier(compile_space(scenario))
    expected = {tuple(v) for v in q[optimal]}
    assert {tuple(v) for v in frontier.quantized} == expected
    # Counts of equivalent packages add up to every Pareto-optimal package.
    assert int(frontier.counts.sum()) == int(optimal.sum())
    # Each representative package really has the reported utility vector and is acceptable.
    for options, vector in zip(frontier.options, frontier.quantized, strict=True):
        row = int(np.flatnonzero(np.all(x == options, axis=1))[0])
        assert acceptable[row]
        assert tuple(q[row]) == tuple(vector)


@FAST
@given(scenarios())
def test_no_frontier_point_is_dominated_and_every_dropped_package_is(scenario: Scenario) -> None:
    _, q, acceptable, _ = _brute(scenario)
    frontier = space_frontier(compile_space(scenario)).quantized
    for f in frontier:
        assert not any(_dominates(q[j], f) for j in np.flatnonzero(acceptable))
    on_frontier = {tuple(v) for v in frontier}
    for i in np.flatnonzero(acceptable):
        if tuple(q[i]) not in on_frontier:
            assert any(_dominates(f, q[i]) for f in frontier)


@FAST
@given(scenarios())
def test_acceptable_count_is_exact(scenario: Scenario) -> None:
    _, _, acceptable, _ = _brute(scenario)
    assert count_acceptable(compile_space(scenario)) == int(acceptable.sum())


@FAST
@given(scenarios(max_parties=3))
def test_bargaining_points_are_acceptable_optimal_and_on_the_frontier(scenario: Scenario) -> None:
    result = analyze(scenario)
    space = compile_space(scenario)
    x, q, acceptable, optimal = _brute(scenario)
    if not acceptable.any():
        assert result.nash is None and result.utilitarian is None
        assert not result.pareto_frontier
        return
    u_all = space.evaluate(x)[0][acceptable]
    d = space.reservation
    kernels = {
        "nash": lambda u: nash_points(u, d),
        "kalai_smorodinsky": lambda u: kalai_smorodinsky_points(u, d),
        "egalitarian": lambda u: egalitarian_points(u, d),
        "utilitarian": lambda u: utilitarian_points(u, d),
    }
    frontier = {tuple(v) for v in q[optimal]}
    for name, kernel in kernels.items():
        solution = getattr(result, name)
        assert solution is not None
        assert solution.package == space.package(solution.options)
        row = int(np.flatnonzero(np.all(x == solution.options, axis=1))[0])
        assert acceptable[row], name
        assert tuple(q[row]) in frontier, name
        # The solution's vector is among the brute-force maximisers over all acceptable packages.
        found = kernel(u_all)
        best = {tuple(v) for v in q[acceptable][found.indices]}
        assert tuple(q[row]) in best, name
        # The objective the kernel reports is the solution's and the best over every package
        # (Kalai-Smorodinsky aside: its normalisation leaves out gains within the tolerance of 0
        # on floats, but only exactly 0 on exact gains).
        if name != "kalai_smorodinsky":
            assert solution.objective == pytest.approx(float(found.values.max()), rel=1e-8, abs=1e-8), name


@FAST
@given(scenarios(max_parties=3, max_issues=3), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_order_of_parties_issues_or_options(scenario: Scenario, rnd: object) -> None:
    import random

    assert isinstance(rnd, random.Random)
    parties = list(scenario.parties)
    rnd.shuffle(parties)
    issues = []
    for issue in scenario.issues:
        if issue.options is not None:
            options = list(issue.options)
            rnd.shuffle(options)
            issue = issue.model_copy(update={"options": tuple(options)})
        issues.append(issue)
    rnd.shuffle(issues)
    shuffled = scenario.model_copy(update={"parties": tuple(parties), "issues": tuple(issues)})
    a, b = analyze(scenario).to_dict(), analyze(shuffled).to_dict()
    assert a["n_acceptable"] == b["n_acceptable"]

    def vectors(d: dict) -> set:  # type: ignore[type-arg]
        return {tuple(sorted(p["utilities"].items())) for p in d["pareto_frontier"]}

    assert vectors(a) == vectors(b)
    for name in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
        if a[name] is None:
            assert b[name] is None
        else:
            assert a[name]["package"] == b[name]["package"], name
            assert a[name]["utilities"] == b[name]["utilities"], name


@settings(max_examples=20, deadline=None)
@given(scenarios(couplings=False), st.integers(0, 2**31))
def test_estimate_interval_covers_the_exact_count_usually(scenario: Scenario, seed: int) -> None:
    space = compile_space(scenario)
    exact = count_acceptable(space)
    estimate = estimate_acceptable(space, samples=20_000, seed=seed)
    # A 95% interval, widened a little: fails far less than once in the examples drawn.
    slack = 0.02 * space.n_allowed
    assert estimate.low - slack <= exact <= estimate.high + slack
    assert estimate_acceptable(space, samples=20_000, seed=seed) == estimate


@FAST
@given(scenarios(max_parties=3), st.data())
def test_nearest_acceptable_package_changes_the_fewest_issues(
    scenario: Scenario, data: st.DataObject
) -> None:
    from accord.analysis.explanation import nearest_acceptable

    space = compile_space(scenario)
    x, _, acceptable, _ = _brute(scenario)
    start = x[data.draw(st.integers(0, len(x) - 1))]
    found, distance, complete = nearest_acceptable(space, start)
    assert complete
    if not acceptable.any():
        assert found is None
        return
    assert found is not None
    row = int(np.flatnonzero(np.all(x == found, axis=1))[0])
    assert acceptable[row]
    assert distance == int((found != start).sum())
    assert distance == int((x[acceptable] != start).sum(axis=1).min())


@FAST
@given(scenarios(max_parties=3))
def test_trades_are_logrolls_that_both_parties_gain_from(scenario: Scenario) -> None:
    from accord.analysis.explanation import trades

    space = compile_space(scenario)
    x, _, _, _ = _brute(scenario)
    base = x[0]
    u0 = space.evaluate(base[None, :])[0][0]
    for trade in trades(space, base, per_pair=2):
        a, b = trade.parties
        u, _, allowed = space.evaluate(trade.options[None, :])
        assert allowed[0]
        assert u[0, a] > u0[a] and u[0, b] > u0[b]
        assert int((trade.options != base).sum()) == 2
        for issue, _, new in trade.changes:
            alone = base.copy()
            alone[issue] = new
            d = space.evaluate(alone[None, :])[0][0] - u0
            assert not (d[a] > 1e-9 and d[b] > 1e-9)


@FAST
@given(scenarios(max_parties=3))
def test_streamed_blocks_give_the_same_frontier_and_count(scenario: Scenario) -> None:
    held = compile_space(scenario)
    # Every coupled block streamed, in chunks of a few combinations over an inner grid of two.
    streamed = compile_space(scenario, max_block_size=1, stream_chunk=3, stream_inner=2)
    assert streamed.n_allowed == held.n_allowed
    assert count_acceptable(streamed) == count_acceptable(held)
    a, b = space_frontier(held), space_frontier(streamed)
    assert {tuple(v) for v in a.quantized} == {tuple(v) for v in b.quantized}
    assert int(a.counts.sum()) == int(b.counts.sum())
    assert (a.options == b.options).all()


def test_representatives_of_equivalent_packages_do_not_depend_on_block_sizes() -> None:
    # (i0=o0, i2=o2) and (i0=o2, i2=o0) are equivalent; streaming shrinks i0's block, which
    # changes the order blocks are added in: the representative must not change with it.
    from accord.model import Interaction, Issue, Option, Party, Preferences

    def options(n: int) -> tuple[Option, ...]:
        return tuple(Option(id=f"o{j}") for j in range(n))

    issues = tuple(Issue(id=f"i{i}", options=options(4 if i == 3 else 3)) for i in range(4))
    first = {"o0": 1.0, "o1": 0.0, "o2": 0.0}
    last = {"o0": 0.0, "o1": 0.0, "o2": 1.0}
    weights = {f"i{i}": 1.0 for i in range(4)}
    prefs = {
        "p0": Preferences(
            weights=weights, values={"i0": first, "i1": first, "i2": first, "i3": {**first, "o3": 0.0}}
        ),
        "p1": Preferences(
            weights=weights,
            values={"i0": last, "i1": first, "i2": last, "i3": {**first, "o3": 0.0}},
            interactions=[Interaction(when={"i0": "o0"}, value=0.0)],
        ),
    }
    scenario = Scenario(id="r", parties=(Party(id="p0"), Party(id="p1")), issues=issues, preferences=prefs)
    streamed = space_frontier(compile_space(scenario, max_block_size=1, stream_chunk=3, stream_inner=2))
    held = space_frontier(compile_space(scenario))
    assert (held.options == streamed.options).all()
