"""Mediated single-text negotiation: a mediator that hears only accept/reject/veto reaches
texts every party signs, near the Nash point; invariants and reproducibility."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import accord
from accord.model import Scenario
from accord.simulation import STRATEGIES, SessionConfig, SessionResult, build_domain, run_session
from accord.simulation.mediators import HillClimbMediator, make_mediator
from accord.simulation.trace import ACCEPT, MEDIATOR, REJECT, TEXT, VETO

from ..strategies import scenarios
from .conftest import three_packages

SEEDS = range(10)


def check_mediated_invariants(result: SessionResult) -> None:
    d = result.domain
    n = d.n_parties
    trace, o = result.trace, result.outcome
    # Every round: the mediator's text, then every party's answer to it, in order.
    assert len(trace) % (n + 1) == 0
    for i in range(0, len(trace), n + 1):
        assert trace.party[i] == MEDIATOR and trace.action[i] == TEXT
        assert trace.party[i + 1 : i + n + 1] == tuple(range(n))
        assert set(trace.action[i + 1 : i + n + 1]) <= {ACCEPT, REJECT, VETO}
        assert set(trace.package[i : i + n + 1]) == {trace.package[i]}
        for p in range(n):
            x, answer = trace.package[i + 1 + p], trace.action[i + 1 + p]
            worth = d.allowed[x, p] and d.quantized[x, p] >= d.views[p].reservation_q
            assert (answer == VETO) == (not worth)  # a veto means: worse than no agreement
    if o.agreement is not None:
        assert o.reason == "agreement" and o.parties == tuple(range(n))
        assert trace.package[-n - 1] == o.agreement
        assert trace.action[-n:] == (ACCEPT,) * n  # every party it binds accepted it
        assert o.undiscounted == dict(zip(d.party_ids, map(float, d.utilities[o.agreement]), strict=True))
    else:
        assert o.reason == "deadline" and o.agreements == ()
        assert ACCEPT not in trace.action[-n:] or set(trace.action[-n:]) != {ACCEPT}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(max_parties=4, max_issues=3, max_options=4), data=st.data())
def test_mediated_invariants_hold_for_any_strategies(scenario: Scenario, data: st.DataObject) -> None:
    names = data.draw(
        st.lists(
            st.sampled_from(sorted(STRATEGIES)),
            min_size=len(scenario.parties),
            max_size=len(scenario.parties),
        )
    )
    config = SessionConfig(
        protocol="mediated", n_rounds=data.draw(st.integers(1, 30)), seed=data.draw(st.integers(0, 99))
    )
    result = run_session(scenario, names, config)
    check_mediated_invariants(result)
    assert run_session(scenario, names, config) == result


def nash_distances(name: str, strategy: str, n_rounds: int) -> list[float | None]:
    scenario = accord.load(name)
    nash = accord.analyze(scenario).nash
    assert nash is not None
    point = np.array(list(nash.utilities.values()))
    domain = build_domain(scenario)
    out: list[float | None] = []
    for seed in SEEDS:
        result = run_session(
            domain, [strategy], SessionConfig(protocol="mediated", n_rounds=n_rounds, seed=seed)
        )
        check_mediated_invariants(result)
        o = result.outcome
        if o.agreement is None:
            out.append(None)
            continue
        # The text is acceptable: every party prefers it to no agreement.
        assert all(o.undiscounted[v.id] >= v.reservation for v in domain.views)
        out.append(float(np.linalg.norm(np.array(list(o.undiscounted.values())) - point)))
    return out


@pytest.mark.parametrize(
    ("scenario", "strategy", "bound"),
    [
        # Measured over seeds 0-9 (docs/simulation.md): car-sale conceder 10/10, mean distance to
        # the Nash point 0.038; three-towns linear 10/10, 0.133. Bounds leave a margin.
        ("car-sale", "conceder", 0.08),
        ("three-towns", "linear", 0.2),
    ],
)
def test_mediator_reaches_an_acceptable_text_near_the_nash_point(
    scenario: str, strategy: str, bound: float
) -> None:
    distances = nash_distances(scenario, strategy, 100)
    reached = [x for x in distances if x is not None]
    assert len(reached) == len(distances), distances
    assert float(np.mean(reached)) <= bound, distances


def test_mediator_never_sees_utilities() -> None:
    mediator = HillClimbMediator()
    mediator.start((3, 2, 2), 2, np.random.SeedSequence(0))
    assert {k for k, v in vars(mediator).items() if isinstance(v, np.ndarray)} == set()
    assert 0 <= mediator.propose(None) < 12  # type: ignore[arg-type]


def test_mediator_is_seeded_reproducible_and_picklable() -> None:
    domain = build_domain(accord.load("three-towns"))
    config = SessionConfig(protocol="mediated", n_rounds=60, seed=4)
    a = run_session(domain, ["linear"], config)
    b = run_session(domain, ["linear"], config, mediator=HillClimbMediator())
    assert a == b
    other = run_session(domain, ["linear"], SessionConfig(protocol="mediated", n_rounds=60, seed=5))
    assert other.trace != a.trace
    copy = pickle.loads(pickle.dumps(HillClimbMediator(tabu=3)))
    assert copy.params() == {"tabu": 3} and copy.clone().params() == {"tabu": 3}
    with pytest.raises(accord.AccordError, match="no mediator"):
        make_mediator("oracle")


def test_a_text_worse_than_no_agreement_is_vetoed() -> None:
    # a's utilities: low 1, mid 0.6, high 0; with reservation 0.5, 'high' is vetoed by a.
    result = run_session(
        three_packages(reservation=0.5), ["hardliner"], SessionConfig(protocol="mediated", n_rounds=6)
    )
    check_mediated_invariants(result)
    answers = {(e.package, e.party): e.action for e in result.trace.events if e.party >= 0}
    assert answers.get((2, 0), "veto") == "veto" and answers.get((0, 1), "veto") == "veto"
    assert result.outcome.agreement is None
