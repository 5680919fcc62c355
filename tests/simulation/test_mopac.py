"""MOPAC: offers, power-weighted votes, opt-ins and partial agreements; hand-checked sessions,
protocol invariants, reproducibility."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import accord
from accord.model import Issue, Option, Party, Preferences, Scenario
from accord.simulation import STRATEGIES, SessionConfig, SessionResult, build_domain, run_session
from accord.simulation.state import NegotiationState
from accord.simulation.strategies import Hardliner, TimeBasedConcession
from accord.simulation.trace import AGREE, END, OFFER, OPT_IN, VOTE
from accord.simulation.voting import Vote, largest_agreements, largest_group

from ..strategies import scenarios

CORE = Path(__file__).parents[1] / "data" / "ceasefire-core.yaml"

W, X, Y, Z = 0, 1, 2, 3


def one_issue(
    values: dict[str, dict[str, float]],
    *,
    reservation: dict[str, float] | None = None,
    power: dict[str, float] | None = None,
) -> Scenario:
    """Parties with utilities over one issue of options w, x, y, z."""
    reservation = reservation or {}
    power = power or {}
    return Scenario(
        id="coalitions",
        parties=tuple(
            Party(id=p, reservation_value=reservation.get(p, 0.5), power=power.get(p, 1.0)) for p in values
        ),
        issues=(Issue(id="deal", options=tuple(Option(id=o) for o in "wxyz")),),
        preferences={
            p: Preferences(weights={"deal": 1}, values={"deal": {o: v.get(o, 0.0) for o in "wxyz"}})
            for p, v in values.items()
        },
    )


# a and b both like x and y; c wants only z.
THREE = {"a": {"x": 1.0, "y": 0.6}, "b": {"x": 0.6, "y": 1.0}, "c": {"z": 1.0}}


def conceding() -> TimeBasedConcession:
    """Concedes all the way at once: offers its least package worth its reservation value and
    accepts anything worth that."""
    return TimeBasedConcession(e=1, k=1)


def _moves(result: SessionResult) -> list[tuple[int, str, int | None]]:
    return [(e.party, e.action, e.package) for e in result.trace.events]


def test_two_parties_form_a_coalition_and_the_third_is_left_out_by_hand() -> None:
    # Round 1: a offers y (its least package worth 0.5), b offers x, the hardliner c offers z.
    # a and b vote for both x and y, c only for z. Opt-in: c gains nothing from x or y (worth 0
    # to it, below its reservation 0.5). Both x and y have the coalition {a, b} (power 2 of 3,
    # quorum 1.5); ties go to the first offer on the table: y. a and b leave with y; c, alone,
    # is left at its reservation value and the session ends.
    result = run_session(
        one_issue(THREE), [conceding(), conceding(), Hardliner()], SessionConfig(protocol="mopac", n_rounds=5)
    )
    assert _moves(result) == [
        (0, "offer", Y),
        (1, "offer", X),
        (2, "offer", Z),
        (0, "vote", Y),
        (0, "vote", X),
        (1, "vote", Y),
        (1, "vote", X),
        (2, "vote", Z),
        (0, "agree", Y),
        (1, "agree", Y),
    ]
    o = result.outcome
    assert o.reason == "partial" and o.agreement is None and o.parties == ()
    assert [(a.package, a.parties, a.round) for a in o.agreements] == [(Y, (0, 1), 0)]
    assert o.without_agreement == (2,)
    assert o.utilities == pytest.approx({"a": 0.6, "b": 1.0, "c": 0.5})
    assert (o.rounds, o.turns, o.time) == (1, 10, 0.0)
    votes = [e for e in result.trace.events if e.action == "vote"]
    assert all(e.min_power == pytest.approx(1.5) and e.max_power == math.inf for e in votes)
    data = result.to_dict()
    json.dumps(data)
    assert data["outcome"]["agreements"] == [
        {
            "package": {"deal": "y"},
            "parties": ["a", "b"],
            "round": 0,
            "time": 0.0,
            "utilities": {"a": 0.6, "b": 1.0},
        }
    ]
    assert data["outcome"]["without_agreement"] == ["c"]
    assert data["config"] == {
        "protocol": "mopac",
        "n_rounds": 5,
        "time_limit": None,
        "seed": 0,
        "quorum": 0.5,
    }
    assert data["trace"][3]["min_power"] == 1.5 and data["trace"][3]["max_power"] is None
    assert data["trace"][-1]["agreement"] == 0


def test_the_third_walks_away_and_the_other_two_agree() -> None:
    # Nothing is worth c's reservation value 1 but z, which crosses c's own red line (a value
    # above 1 would say the same, but reservation values off the scale are refused).
    data = one_issue(THREE, reservation={"c": 1.0}).model_dump()
    data["preferences"]["c"]["red_lines"] = [{"when": {"deal": "z"}}]
    scenario = Scenario.model_validate(data)
    result = run_session(
        scenario, [conceding(), conceding(), Hardliner()], SessionConfig(protocol="mopac", n_rounds=5)
    )
    assert _moves(result)[:3] == [(0, "offer", Y), (1, "offer", X), (2, "end", None)]
    o = result.outcome
    assert [(a.package, a.parties) for a in o.agreements] == [(Y, (0, 1))]
    assert o.without_agreement == (2,) and o.ended_by == 2 and o.reason == "partial"


def test_the_left_out_party_opts_in_when_the_deal_is_worth_its_reservation() -> None:
    # c now values y at 0.7 > 0.5: it did not vote for y (it is a hardliner at heart, but with
    # the default opt-in rule), yet rather than be left out it opts in, and all three agree.
    class Stubborn(Hardliner):
        opt_in = TimeBasedConcession.opt_in

    values = {**THREE, "c": {"z": 1.0, "y": 0.7}}
    result = run_session(
        one_issue(values), [conceding(), conceding(), Stubborn()], SessionConfig(protocol="mopac", n_rounds=5)
    )
    assert (2, "opt-in", Y) in _moves(result)
    o = result.outcome
    assert o.reason == "agreement" and o.agreement == Y and o.parties == (0, 1, 2)
    assert o.without_agreement == ()


def test_the_power_weighted_quorum_decides() -> None:
    lineup = [conceding(), conceding(), Hardliner()]
    heavy = one_issue(THREE, power={"c": 3.0})  # total 5: a and b hold 2
    blocked = run_session(
        heavy, [s.clone() for s in lineup], SessionConfig(protocol="mopac", n_rounds=3, quorum=0.5)
    )
    assert blocked.outcome.agreements == () and blocked.outcome.reason == "deadline"
    assert blocked.outcome.rounds == 3 and blocked.outcome.time == 1.0
    allowed = run_session(
        heavy, [s.clone() for s in lineup], SessionConfig(protocol="mopac", n_rounds=3, quorum=0.4)
    )
    assert [a.parties for a in allowed.outcome.agreements] == [(0, 1)]


def test_a_vote_with_a_power_ceiling_keeps_its_party_out_of_larger_coalitions() -> None:
    class SmallCoalitionsOnly(TimeBasedConcession):
        def vote(self, state: NegotiationState, offer: int) -> Vote | None:
            return Vote(0.0, 1.5) if self.respond(state, offer) else None

    result = run_session(
        one_issue(THREE),
        [SmallCoalitionsOnly(e=1, k=1), conceding(), Hardliner()],
        SessionConfig(protocol="mopac", n_rounds=3),
    )
    assert result.outcome.agreements == ()


def test_disjoint_coalitions_agree_in_the_same_round() -> None:
    values = {"a": {"x": 1.0}, "b": {"x": 1.0}, "c": {"z": 1.0}, "d": {"z": 1.0}}
    result = run_session(
        one_issue(values), ["hardliner"], SessionConfig(protocol="mopac", n_rounds=3, quorum=0.5)
    )
    o = result.outcome
    assert [(a.package, a.parties, a.round) for a in o.agreements] == [(X, (0, 1), 0), (Z, (2, 3), 0)]
    assert o.reason == "partial" and o.without_agreement == () and o.agreement is None
    none = run_session(
        one_issue(values), ["hardliner"], SessionConfig(protocol="mopac", n_rounds=3, quorum=0.6)
    )
    assert none.outcome.agreements == ()


def test_largest_group_respects_every_vote() -> None:
    powers = [1.0, 2.0, 3.0]
    assert largest_group([0, 1, 2], [Vote(), Vote(), Vote()], powers) == (0, 1, 2)
    # party 2 wants at most 4: {0, 2} (4) beats {0, 1} (3); {1, 2} is 5.
    assert largest_group([0, 1, 2], [Vote(), Vote(), Vote(0, 4)], powers) == (0, 2)
    assert largest_group([0, 1, 2], [Vote(), Vote(), Vote()], powers, quorum_power=6.5) == ()
    assert largest_group([0], [Vote()], powers) == ()
    found = largest_agreements(
        [7, 8], {0: {7: Vote()}, 1: {7: Vote(), 8: Vote()}, 2: {8: Vote()}}, [0, 1, 2], powers
    )
    assert found == [(8, (1, 2))]  # power 5 beats 3; then party 0 is alone


def check_mopac_invariants(result: SessionResult) -> None:
    """What MOPAC guarantees of any session, whatever the strategies."""
    d = result.domain
    n = d.n_parties
    trace, o = result.trace, result.outcome
    powers = [p.bargaining_power for p in d.scenario.parties]
    quorum = result.config.quorum * sum(powers)
    events = trace.events
    bound: dict[int, int] = {}
    for k, a in enumerate(o.agreements):
        # A partial agreement names exactly its parties, in the trace as in the outcome.
        agreed = [e for e in events if e.action == "agree" and e.agreement == k]
        assert sorted(e.party for e in agreed) == list(a.parties)
        assert all(e.package == a.package and e.round == a.round for e in agreed)
        assert len(a.parties) >= 2
        power = sum(powers[p] for p in a.parties)
        assert power >= quorum - 1e-9
        for p in a.parties:
            assert p not in bound, "a party bound twice"
            bound[p] = k
            # It voted (or opted in) for exactly this package this round, and its last vote's
            # conditions admit the coalition's power.
            mine = [
                e
                for e in events
                if e.party == p
                and e.round == a.round
                and e.action in ("vote", "opt-in")
                and e.package == a.package
            ]
            assert mine, f"party {p} is bound by a package it did not vote for"
            assert mine[-1].min_power is not None and mine[-1].max_power is not None
            assert mine[-1].min_power - 1e-9 <= power <= mine[-1].max_power + 1e-9
            assert d.allowed[a.package, p]
            assert d.quantized[a.package, p] >= d.views[p].reservation_q
    # Nobody acts after being bound or walking away; votes go to offers of their round.
    gone: dict[int, int] = {}
    offered: dict[int, set[int]] = {}
    for e, a, g in zip(events, trace.action, trace.agreement, strict=True):
        assert e.party not in gone or (a == AGREE and gone[e.party] == -1), "acted after leaving"
        if a == OFFER:
            assert e.package is not None
            offered.setdefault(e.round, set()).add(e.package)
        elif a in (VOTE, OPT_IN):
            assert e.package in offered[e.round]
        elif a == END:
            gone[e.party] = e.round
        if a == AGREE:
            assert g >= 0
            gone[e.party] = e.round
    for p in range(n):
        if p in bound:
            x = o.agreements[bound[p]].package
            assert o.undiscounted[d.party_ids[p]] == float(d.utilities[x, p])
        else:
            assert o.undiscounted[d.party_ids[p]] == d.views[p].reservation
    assert set(o.without_agreement) == set(range(n)) - set(bound)
    if o.agreement is not None:
        # The agreement binds every signatory (every party unless the scenario names them).
        required = {d.scenario.party_ids.index(p) for p in d.scenario.required}
        assert o.reason == "agreement" and required <= set(o.parties)
        assert any(a.package == o.agreement and a.parties == o.parties for a in o.agreements)
        if required == set(range(n)):
            assert o.parties == tuple(range(n))
    assert o.turns == len(trace)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(max_parties=4, max_issues=3, max_options=4), data=st.data())
def test_mopac_invariants_hold_for_any_strategies(scenario: Scenario, data: st.DataObject) -> None:
    names = data.draw(
        st.lists(
            st.sampled_from(sorted(STRATEGIES)),
            min_size=len(scenario.parties),
            max_size=len(scenario.parties),
        )
    )
    config = SessionConfig(
        protocol="mopac",
        n_rounds=data.draw(st.integers(1, 12)),
        seed=data.draw(st.integers(0, 99)),
        quorum=data.draw(st.sampled_from([0.0, 0.5, 0.75])),
    )
    result = run_session(scenario, names, config)
    check_mopac_invariants(result)
    assert run_session(scenario, names, config) == result  # reproducible


def test_same_seed_same_session_and_seeds_differ() -> None:
    domain = build_domain(accord.load("three-towns"))
    runs = [
        run_session(domain, ["random"], SessionConfig(protocol="mopac", n_rounds=20, seed=s))
        for s in (1, 2, 3, 1)
    ]
    assert runs[0] == runs[3]
    assert len({r.trace for r in runs}) == 3


def test_the_ceasefire_core_gives_a_partial_agreement_that_leaves_russia_out() -> None:
    result = run_session(accord.load(CORE), ["conceder"], SessionConfig(protocol="mopac", n_rounds=100))
    check_mopac_invariants(result)
    o = result.outcome
    ids = result.domain.party_ids
    assert o.reason == "partial"
    assert [ids[p] for p in o.without_agreement] == ["russia"]
    data: dict[str, Any] = result.to_dict()
    assert data["outcome"]["without_agreement"] == ["russia"]
    assert len(data["outcome"]["agreements"]) == 1
