"""The coalition map and sequencing: the hand-checked three-towns case (docs/worked-examples.md)
and properties against brute force on random scenarios."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord import _load
from accord.analysis.coalitions import Objective, best_package, coalition_map, coalition_space
from accord.analysis.sequence import compare_orders, parse_order, sequence
from accord.analysis.space import TOL, Space, compile_space
from accord.errors import AccordError
from accord.model import Scenario
from accord.model.utility import exact_number
from tests.strategies import all_packages, scenarios

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _with_reservation(scenario: Scenario, party: str, value: float) -> Scenario:
    parties = tuple(
        p.model_copy(update={"reservation_value": value}) if p.id == party else p for p in scenario.parties
    )
    return scenario.model_copy(update={"parties": parties})


def _brute(scenario: Scenario) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every package; its float and quantized utilities; per party whether it crosses none of
    the party's red lines and no constraint; per party whether it accepts it."""
    space = compile_space(scenario)
    x = all_packages(space.sizes)
    u, q, _ = space.evaluate(x)
    free = np.ones(q.shape, dtype=bool)
    for term in space.terms:
        if term.is_constraint:
            free &= ~term.holds(x)[:, None]
        elif term.is_red_line:
            free[:, term.party] &= ~term.holds(x)
    accept = free & (q >= space.floor_q)
    return x, u, q, free, accept


def _gain(space: Space, q: int, p: int) -> Fraction:
    """Party ``p``'s exact gain over its reservation value at integer utility ``q``."""
    return Fraction(int(q), space.scales[p].denominator) - exact_number(float(space.reservation[p]))


# -- the hand-checked case -----------------------------------------------------------------


def test_three_towns_coalition_map_matches_the_worked_example() -> None:
    s = _load.load("three-towns")
    m = coalition_map(s).to_dict()
    by = {"+".join(c["members"]): c for c in m["coalitions"]}
    # (slack, Nash package as site/cost_share/capacity, outsiders also accepting it)
    expected = {
        "alder": (0.70, ("alder", "equal", 80), ["birch"]),
        "birch": (0.80, ("birch", "population", 60), ["cedar"]),
        "cedar": (0.75, ("cedar", "population", 40), []),
        "alder+birch": (0.45, ("alder", "equal", 60), ["cedar"]),
        "alder+cedar": (0.33, ("alder", "equal", 40), ["birch"]),
        "birch+cedar": (0.60, ("birch", "population", 40), []),
        "alder+birch+cedar": (0.27, ("alder", "population", 80), []),
    }
    assert set(by) == set(expected)
    for key, (slack, package, outsiders) in expected.items():
        c = by[key]
        assert c["can_agree"] and c["slack"] == pytest.approx(slack, abs=1e-9), key
        assert tuple(c["nash_package"].values()) == package, key
        assert c["outsiders_accepting"] == outsiders, key
    assert m["largest_that_can_agree"] == [["alder", "birch", "cedar"]]
    assert m["minimal_blocking_sets"] == []
    # Veto weight: the mean drop of slack when the party joins (three coalitions without it).
    assert m["veto_weight"]["alder"]["mean_slack_drop"] == pytest.approx(
        (0.8 - 0.45 + 0.75 - 0.33 + 0.6 - 0.27) / 3
    )
    assert m["veto_weight"]["birch"]["mean_slack_drop"] == pytest.approx(
        (0.7 - 0.45 + 0.75 - 0.6 + 0.33 - 0.27) / 3
    )


def test_three_towns_sequence_matches_the_worked_example() -> None:
    s = _load.load("three-towns")
    r = sequence(s, "alder, birch, cedar").to_dict()
    first, second, third = r["steps"]
    assert first["package"] == {"site": "alder", "cost_share": "equal", "capacity": 80}
    assert second["package"] == first["package"] and second["prices"] == {"alder": 0.0}
    assert third["package"] == {"site": "alder", "cost_share": "equal", "capacity": 60}
    assert third["prices"] == {"alder": pytest.approx(0.2), "birch": pytest.approx(-0.24)}
    assert third["moved"] == [{"issue": "capacity", "from": 80, "to": 60}]
    assert r["all_party_nash"]["package"] == {"site": "alder", "cost_share": "population", "capacity": 80}
    assert r["end_is_all_party_nash"] is False
    orders = compare_orders(s, "alder, birch, cedar").to_dict()
    assert orders["distinct_end_packages"] == 3 and orders["order_matters"] is True
    assert not any(o["end_is_all_party_nash"] for o in orders["orders"])


def test_three_towns_blocked_step_names_the_smallest_changes() -> None:
    s = _with_reservation(_load.load("three-towns"), "cedar", 0.70)
    r = sequence(s, "alder, birch, cedar").to_dict()
    last = r["steps"][-1]
    assert not r["completed"] and not last["possible"]
    cuts = {c["party"]: c["lower_by"] for c in last["blocked"]["reservation_cuts"]}
    # Cedar's best among the packages Alder and Birch accept is package 5 (0.68).
    assert last["blocked"]["reservation_cuts"][0]["party"] == "cedar"
    assert cuts["cedar"] == pytest.approx(0.02)
    # Dropping Birch's red line lets package 19 (0.52, 0.44, 0.70) through.
    assert [[(x["party"], x["red_line"]) for x in group] for group in last["blocked"]["red_line_sets"]] == [
        [("birch", 0)]
    ]
    # Lowering Cedar's reservation value by exactly the cut makes the step possible.
    assert sequence(_with_reservation(s, "cedar", 0.68), "alder, birch, cedar").completed


def test_order_text_is_checked() -> None:
    s = _load.load("three-towns")
    assert parse_order(s, "alder+birch, cedar") == ((0, 1), (2,))
    with pytest.raises(AccordError, match="leaves out the signatories cedar"):
        parse_order(s, "alder, birch")
    with pytest.raises(AccordError, match="two groups"):
        parse_order(s, "alder, alder+birch, cedar")
    with pytest.raises(AccordError, match="no party or bloc 'dover'"):
        parse_order(s, "alder, dover")


# -- properties against brute force ---------------------------------------------------------


@FAST
@given(scenarios(max_parties=4, max_issues=3, max_options=3, constraints=True))
def test_coalition_map_agrees_with_brute_force(scenario: Scenario) -> None:
    x, u, q, free, accept = _brute(scenario)
    d = np.array([p.reservation for p in scenario.parties])
    space = compile_space(scenario)
    m = coalition_map(scenario)
    n = len(scenario.parties)
    assert len(m.coalitions) == 2**n - 1
    for c in m.coalitions:
        cols = list(c.members)
        ok = np.all(accept[:, cols], axis=1)
        assert c.can_agree == bool(ok.any())
        allowed = np.all(free[:, cols], axis=1)
        if not allowed.any():
            assert c.slack == -math.inf
        else:
            exact = max(min(_gain(space, row[p], p) for p in cols) for row in q[allowed])
            assert c.slack == float(exact)
        if c.can_agree:
            assert c.nash is not None
            row = int(np.flatnonzero(np.all(x == c.nash.options, axis=1))[0])
            assert ok[row]
            products = np.prod(np.maximum(u[ok][:, cols] - d[cols], 0.0), axis=1)
            assert c.nash.value == pytest.approx(products.max(), rel=1e-7, abs=1e-12)
            outsiders = [p for p in range(n) if p not in cols and accept[row, p]]
            assert list(c.outsiders_accepting) == outsiders


@FAST
@given(scenarios(max_parties=4, max_issues=3, max_options=3, constraints=True))
def test_adding_a_party_never_enlarges_the_acceptable_set(scenario: Scenario) -> None:
    _, _, _, _, accept = _brute(scenario)
    m = coalition_map(scenario)
    for c in m.coalitions:
        for p in range(len(scenario.parties)):
            if p in c.members:
                continue
            joined = m.find((*c.members, p))
            assert joined is not None
            assert np.all(accept[:, [*c.members, p]].all(axis=1) <= accept[:, list(c.members)].all(axis=1))
            assert joined.slack <= c.slack
            assert not (joined.can_agree and not c.can_agree)
    for blocking in m.minimal_blocking:
        assert not blocking.can_agree
        for p in blocking.members:
            smaller = m.find(set(blocking.members) - {p})
            assert smaller is None or smaller.can_agree


@FAST
@given(scenarios(min_parties=2, max_parties=4, max_issues=3, max_options=3, constraints=True), st.randoms())
def test_sequences_end_acceptable_to_all_and_the_start_never_gains(scenario: Scenario, rng: object) -> None:
    _, _, _, _, accept = _brute(scenario)
    n = len(scenario.parties)
    order = list(range(n))
    rng.shuffle(order)  # type: ignore[attr-defined]
    cut = sorted(rng.sample(range(1, n), k=min(n - 1, 2))) if n > 1 else []  # type: ignore[attr-defined]
    groups = [order[a:b] for a, b in itertools.pairwise([0, *cut, n])]
    r = sequence(scenario, groups)
    if r.end is not None:
        row = np.flatnonzero(np.all(all_packages(compile_space(scenario).sizes) == r.end.options, axis=1))[0]
        assert accept[row].all()
    else:
        assert not accept.all(axis=1).any() or r.steps[-1].blocked is not None
        assert not accept.all(axis=1).any()
    start = [st_.starting_group_nash for st_ in r.steps if st_.starting_group_nash is not None]
    assert all(b <= a * (1 + 1e-9) + 1e-15 for a, b in itertools.pairwise(start))
    if len(groups[0]) == 1:
        for st_ in r.steps:
            for p, price in st_.prices:
                if p == groups[0][0]:
                    assert price >= -TOL


@FAST
@given(scenarios(min_parties=2, max_parties=3, max_issues=3, max_options=3, constraints=True))
def test_a_blocked_step_names_a_cut_that_is_just_enough(scenario: Scenario) -> None:
    r = sequence(scenario, [[p] for p in range(len(scenario.parties))])
    blocked = r.steps[-1].blocked
    if blocked is None:
        return
    _, _, q, free, _ = _brute(scenario)
    members = sorted({*r.steps[-1].insiders, *r.steps[-1].newcomers})
    space = compile_space(scenario)
    d_q = space.floor_q
    for p, cut in blocked.reservation_cuts:
        others = [m for m in members if m != p]
        ok = np.all(free[:, members], axis=1) & np.all(q[:, others] >= d_q[others], axis=1)
        if cut is None:
            assert not ok.any()
        else:
            assert cut == float(max(Fraction(0), -_gain(space, q[ok, p].max(), p)))


def test_best_package_refuses_an_objective_outside_the_group() -> None:
    cs = coalition_space(_load.load("three-towns"))
    with pytest.raises(AccordError, match="not among those who must accept"):
        best_package(cs, [0], Objective("nash", (1,)))


def test_more_than_twelve_parties_need_named_coalitions() -> None:
    s = _load.load("three-towns")
    with pytest.raises(AccordError, match="no party or bloc 'x'"):
        coalition_map(s, coalitions=[["x"]])
    named = coalition_map(s, coalitions=[["alder", "birch"], ["cedar"]])
    assert [c.members for c in named.coalitions] == [(2,), (0, 1)] and not named.complete


def test_a_streamed_block_gives_the_same_map() -> None:
    # With max_block_size=1 the coupled block (site x capacity) is streamed: each coalition is
    # then compiled afresh instead of sliced, and the answers must not change.
    s = _load.load("three-towns")
    sliced = coalition_map(s).to_dict()
    streamed = coalition_map(s, max_block_size=1).to_dict()
    assert streamed == sliced
    blocked = _with_reservation(s, "cedar", 0.70)
    a = sequence(blocked, "alder, birch, cedar").to_dict()
    b = sequence(blocked, "alder, birch, cedar", space=coalition_space(blocked, max_block_size=1)).to_dict()
    assert a == b and not a["completed"]


def _optimiser_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    import accord.analysis.best as best

    monkeypatch.setattr(best, "choose_engine", lambda space, engine="auto": "optimise")


@FAST
@given(scenarios(max_parties=4, constraints=True))
def test_the_optimisation_engine_gives_the_same_coalition_map(scenario: Scenario) -> None:
    # Where a coalition's frontier is too large to list, best_package hands the question to the
    # optimisation engine; on scenarios both can answer, the map must be the same.
    frontier = coalition_map(scenario)
    with pytest.MonkeyPatch.context() as mp:
        _optimiser_everywhere(mp)
        optimised = coalition_map(scenario)
    for a, b in zip(frontier.coalitions, optimised.coalitions, strict=True):
        assert a.members == b.members
        assert a.can_agree == b.can_agree
        assert a.slack == b.slack or (math.isinf(a.slack) and math.isinf(b.slack))
        if a.nash is not None and b.nash is not None:
            # The Nash products agree exactly; among ties, both take the largest sum first.
            assert a.nash.value == pytest.approx(b.nash.value, abs=1e-12)
            members = list(a.members)
            assert a.nash.utilities[members].sum() == pytest.approx(b.nash.utilities[members].sum(), abs=1e-9)
            # Among packages the members value alike, the engines may take different ones (the
            # frontier engine its canonical representative): the outsiders are those of each.
            accepting = frontier.space.accepts(b.nash.options)
            assert b.outsiders_accepting == tuple(
                int(p) for p in np.flatnonzero(accepting) if p not in b.members
            )


def test_a_many_issue_coalition_map_is_the_frontier_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    # Seven parties and twelve issues of four options: the larger coalitions go to the
    # optimisation engine, the map is the one the frontier engine alone computes.
    rng = np.random.default_rng(0)
    from accord.model import Issue, Option, Party, Preferences

    ids = [f"i{j}" for j in range(12)]
    prefs = {}
    for p in range(5):
        values = {i: {f"o{o}": float(rng.integers(0, 101)) for o in range(4)} for i in ids}
        for table in values.values():
            table[f"o{rng.integers(0, 4)}"] = 100.0
        prefs[f"p{p}"] = Preferences(weights={i: float(rng.integers(1, 11)) for i in ids}, values=values)
    s = Scenario(
        id="wide",
        parties=tuple(Party(id=f"p{p}", reservation_value=0.5) for p in range(5)),
        issues=tuple(Issue(id=i, options=tuple(Option(id=f"o{o}") for o in range(4))) for i in ids),
        preferences=prefs,
    )
    import accord.analysis.best as best

    calls = {"optimise": 0}
    real = best._optimised

    def counted(*args: object, **kwargs: object) -> object:
        calls["optimise"] += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(best, "_optimised", counted)
    mixed = coalition_map(s).to_dict()
    assert calls["optimise"] > 0
    monkeypatch.setattr(best, "choose_engine", lambda space, engine="auto": "frontier")
    monkeypatch.setattr(best, "_FRONTIER_BUDGET", None)
    assert coalition_map(s).to_dict() == mixed


def test_an_answer_the_optimiser_cannot_certify_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # Never a guess: where the solver stops at its time limit, the coalition question fails
    # with one line that says which coalition and what was proven.
    import accord.analysis.best as best
    from accord.analysis.optimise.search import Optimum

    _optimiser_everywhere(monkeypatch)
    monkeypatch.setattr(best, "maximise", lambda *a, **k: Optimum(None, 0.5, False, False))
    scenario = _load.load("three-towns")
    message = r"could not certify its answer within 60 s \(best value in \[-inf, 0.5\]\)"
    with pytest.raises(AccordError, match=message):
        coalition_map(scenario)
