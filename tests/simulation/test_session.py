"""Stacked alternating offers: hand-checked traces, protocol invariants, reproducibility."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import accord
from accord.model import Issue, Option, Party, Preferences, Scenario
from accord.simulation import (
    STRATEGIES,
    SessionConfig,
    SessionResult,
    build_domain,
    make_strategy,
    run_session,
)
from accord.simulation.strategies import Hardliner, Linear
from accord.simulation.trace import ACCEPT, END, OFFER

from ..strategies import scenarios
from .conftest import nothing_acceptable, three_packages

LOW, MID, HIGH = 0, 1, 2


def _moves(result: SessionResult) -> list[tuple[int, str, int | None]]:
    return [(e.party, e.action, e.package) for e in result.trace.events]


def test_linear_against_linear_by_hand(tiny: Scenario) -> None:
    # 3 rounds, 6 turns, t = k/6. Linear aims at 1 - t (lo 0, hi 1) and offers the lowest
    # package worth the aim; it accepts what is worth its own offer of the moment.
    # t=0   a aims 1      -> offers low (a: 1)
    # t=1/6 b aims 0.833  -> low is worth 0 to b: offers high
    # t=2/6 a aims 0.667  -> high worth 0 < 1 (its offer low): offers low again
    # t=3/6 b aims 0.5    -> mid (0.6) is the lowest worth 0.5: rejects low, offers mid
    # t=4/6 a aims 0.333  -> its offer would be mid (0.6); mid is worth 0.6: accepts
    result = run_session(tiny, [Linear(), Linear()], SessionConfig(n_rounds=3))
    assert _moves(result) == [
        (0, "offer", LOW),
        (1, "offer", HIGH),
        (0, "offer", LOW),
        (1, "offer", MID),
        (0, "accept", MID),
    ]
    o = result.outcome
    assert o.agreement == MID and o.reason == "agreement" and o.parties == (0, 1)
    assert o.utilities == pytest.approx({"a": 0.6, "b": 0.6})
    assert (o.rounds, o.turns) == (3, 5)
    assert o.time == pytest.approx(4 / 6)
    assert result.trace.time == (0.0, 1 / 6, 2 / 6, 3 / 6, 4 / 6)
    assert result.trace.round == (0, 0, 1, 1, 2)
    assert result.agreement_package == {"split": "mid"}


def test_hardliner_against_linear_by_hand(tiny: Scenario) -> None:
    # The hardliner repeats low; linear concedes from high to mid (at t=3/6, and at t=5/6 its
    # aim 1/6 still picks mid, the lowest package worth it). No agreement: reservation values.
    result = run_session(tiny, [Hardliner(), Linear()], SessionConfig(n_rounds=3))
    assert _moves(result) == [
        (0, "offer", LOW),
        (1, "offer", HIGH),
        (0, "offer", LOW),
        (1, "offer", MID),
        (0, "offer", LOW),
        (1, "offer", MID),
    ]
    o = result.outcome
    assert o.agreement is None and o.reason == "deadline" and o.parties == ()
    assert o.utilities == {"a": 0.0, "b": 0.0}
    assert (o.rounds, o.turns, o.time) == (3, 6, 1.0)


def test_discount_factors_shrink_utilities_with_time() -> None:
    result = run_session(three_packages(discount=0.5), ["linear", "linear"], SessionConfig(n_rounds=3))
    assert result.outcome.undiscounted == pytest.approx({"a": 0.6, "b": 0.6})
    assert result.outcome.utilities == pytest.approx(dict.fromkeys("ab", 0.6 * 0.5 ** (4 / 6)))


def test_no_agreement_pays_the_discounted_reservation_value() -> None:
    result = run_session(
        three_packages(reservation=0.5, discount=0.5), ["hardliner", "hardliner"], SessionConfig(n_rounds=2)
    )
    assert result.outcome.reason == "deadline"
    assert result.outcome.utilities == pytest.approx({"a": 0.25, "b": 0.25})


def test_a_party_with_nothing_above_its_reservation_walks_away() -> None:
    result = run_session(nothing_acceptable(), ["boulware", "boulware"])
    assert _moves(result) == [(0, "end", None)]
    assert result.outcome.reason == "ended" and result.outcome.ended_by == 0
    assert result.outcome.utilities == {"a": 1.0, "b": 1.0}


def test_one_party_agrees_with_itself() -> None:
    s = three_packages()
    solo = s.model_copy(update={"parties": s.parties[:1], "preferences": {"a": s.preferences["a"]}})
    result = run_session(solo, ["boulware"])
    assert _moves(result) == [(0, "offer", LOW)]
    assert result.outcome.agreement == LOW


def test_three_parties_need_both_others_to_accept() -> None:
    # Everyone a conceder on three-towns: agreement is reached, and the last two actions are
    # the two other parties accepting the last offer.
    result = run_session(accord.load("three-towns"), ["conceder"], SessionConfig(n_rounds=40))
    assert result.outcome.reason == "agreement"
    tail = result.trace.events[-3:]
    assert tail[0].action == "offer" and [e.action for e in tail[1:]] == ["accept", "accept"]
    assert {e.party for e in tail} == {0, 1, 2}
    assert {e.package for e in tail} == {result.outcome.agreement}


def check_invariants(result: SessionResult) -> None:
    """What SAOP guarantees of any session, whatever the strategies."""
    d = result.domain
    n = d.n_parties
    trace, o = result.trace, result.outcome
    config = result.config
    assert config.n_rounds is not None
    n_turns = config.n_rounds * n
    assert trace.turn == tuple(range(len(trace)))
    assert trace.party == tuple(k % n for k in range(len(trace)))
    assert trace.time == tuple(k / n_turns for k in range(len(trace)))
    # Nobody accepts when nothing is on the table; nobody acts after the end.
    standing = -1
    for a, x in zip(trace.action, trace.package, strict=True):
        if a == ACCEPT:
            assert x == standing
        elif a == OFFER:
            standing = x
    if o.reason == "agreement":
        x = o.agreement
        assert x is not None and o.parties == tuple(range(n))
        # The agreement binds exactly the parties that accepted it: its proposer, then every
        # other party once, in turn, with no counter-offer in between.
        last_offer = max(i for i, a in enumerate(trace.action) if a == OFFER)
        assert trace.package[last_offer] == x
        after = range(last_offer + 1, len(trace))
        assert all(trace.action[i] == ACCEPT and trace.package[i] == x for i in after)
        binding = {trace.party[last_offer]} | {trace.party[i] for i in after}
        assert binding == set(range(n)) and len(after) == n - 1
        assert o.undiscounted == dict(zip(d.party_ids, (float(u) for u in d.utilities[x]), strict=True))
    else:
        assert o.agreement is None and o.parties == ()
        assert o.undiscounted == {v.id: v.reservation for v in d.views}
        if o.reason == "ended":
            assert trace.action[-1] == END and trace.party[-1] == o.ended_by
        else:
            assert o.reason == "deadline" and len(trace) == n_turns
    assert o.turns == len(trace)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(max_parties=4, max_issues=3, max_options=4), data=st.data())
def test_protocol_invariants_hold_for_any_strategies(scenario: Scenario, data: st.DataObject) -> None:
    names = data.draw(
        st.lists(
            st.sampled_from(sorted(STRATEGIES)),
            min_size=len(scenario.parties),
            max_size=len(scenario.parties),
        )
    )
    config = SessionConfig(n_rounds=data.draw(st.integers(1, 15)), seed=data.draw(st.integers(0, 99)))
    result = run_session(scenario, names, config)
    check_invariants(result)
    assert run_session(scenario, names, config) == result  # reproducible


def test_seed_changes_a_random_session_and_reproduces_it() -> None:
    domain = build_domain(accord.load("car-sale"))
    runs = {
        run_session(domain, ["random", "random"], SessionConfig(n_rounds=30, seed=s)).trace
        for s in (1, 2, 3, 1)
    }
    assert len(runs) == 3


def test_wall_clock_deadline_ends_the_session() -> None:
    result = run_session(
        accord.load("car-sale"), ["hardliner", "hardliner"], SessionConfig(n_rounds=None, time_limit=0.02)
    )
    assert result.outcome.reason == "deadline" and result.outcome.time == 1.0
    assert len(result.trace) > 0 and all(0 <= t < 1 for t in result.trace.time)
    # Off schedule, time-based strategies compute their aim from the wall-clock time.
    result = run_session(
        accord.load("car-sale"), ["boulware", "conceder"], SessionConfig(n_rounds=1000, time_limit=5.0)
    )
    assert result.outcome.reason in ("agreement", "deadline")


def test_json_is_complete_and_serialisable(tiny: Scenario) -> None:
    data = run_session(tiny, ["linear", "linear"], SessionConfig(n_rounds=3)).to_dict()
    json.dumps(data)
    assert data["parties"] == ["a", "b"] and data["strategies"] == {"a": "linear", "b": "linear"}
    assert data["trace"][0] == {
        "turn": 0,
        "round": 0,
        "time": 0.0,
        "party": "a",
        "action": "offer",
        "package": {"split": "low"},
        "utilities": {"a": 1.0, "b": 0.0},
    }
    assert data["outcome"]["package"] == {"split": "mid"} and data["outcome"]["agreement"]
    assert data["outcome"]["utilities"] == {"a": 0.6, "b": 0.6}
    assert data["config"] == {"protocol": "saop", "n_rounds": 3, "time_limit": None, "seed": 0}


def test_bad_line_ups_and_configs_are_refused(tiny: Scenario) -> None:
    with pytest.raises(accord.AccordError, match="3 strategies for 2 parties"):
        run_session(tiny, ["linear"] * 3)
    same = make_strategy("linear")
    with pytest.raises(accord.AccordError, match="same strategy instance"):
        run_session(tiny, [same, same])
    with pytest.raises(accord.AccordError, match="no strategy"):
        run_session(tiny, ["linear", "bogus"])
    with pytest.raises(accord.AccordError, match="deadline"):
        SessionConfig(n_rounds=None)
    with pytest.raises(accord.AccordError, match="at least 1"):
        SessionConfig(n_rounds=0)


def test_one_strategy_plays_every_party() -> None:
    result = run_session(accord.load("three-towns"), ["linear"], SessionConfig(n_rounds=10))
    assert result.strategies == ("linear",) * 3


def test_red_lines_are_own_knowledge() -> None:
    # In the example, Alice's red line forbids (200, none); Bob may offer it, Alice never accepts it.
    scenario = Scenario(
        id="red",
        parties=(Party(id="a"), Party(id="b")),
        issues=(Issue(id="x", options=(Option(id="p"), Option(id="q"))),),
        preferences={
            "a": Preferences(
                weights={"x": 1}, values={"x": {"p": 0, "q": 1}}, red_lines=[{"when": {"x": "q"}}]
            ),
            "b": Preferences(weights={"x": 1}, values={"x": {"p": 0, "q": 1}}),
        },
    )
    domain = build_domain(scenario)
    assert domain.views[0].ascending.tolist() == [0] and domain.views[1].best == 1
    result = run_session(domain, ["conceder", "hardliner"], SessionConfig(n_rounds=5))
    assert result.outcome.agreement is None
    assert all(not (e.party == 0 and e.action == "accept") for e in result.trace.events)
    assert not math.isnan(result.outcome.utilities["a"])
