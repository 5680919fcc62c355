"""The contract every strategy honours, checked for every strategy in the registry (Axelrod style).

A strategy never offers a package outside the space, across its own red lines or below its
reservation value; never accepts a package across its own red lines or below its reservation
value; gives the same trace under the same seed; can be pickled, cloned and reset; declares its
properties; and its docstring names its source.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import accord
from accord.simulation import (
    STRATEGIES,
    Domain,
    SessionConfig,
    SessionResult,
    Strategy,
    build_domain,
    make_strategy,
    run_session,
)
from accord.simulation.strategies import RandomOffers, strategy_names
from accord.simulation.trace import ACCEPT, AGREE, OFFER, OPT_IN, VOTE

from ..strategies import scenarios

EXAMPLE = Path(__file__).parents[1] / "data" / "example.yaml"
BOOKSHOP = Path(__file__).parents[1] / "data" / "genius" / "Bookshop"
NAMES = sorted(STRATEGIES)
# Each strategy meets these partners (itself included) on every scenario below.
PARTNERS = ("conceder", "random", "tit-for-tat", "frequency")
PROTOCOLS = ("mopac", "mediated")


@pytest.fixture(scope="module")
def domains() -> list[Domain]:
    # A red line (example), three parties (three-towns), and parties with discounting and
    # reservation values read from Genius XML (the Bookshop fixture).
    out = [
        build_domain(accord.load(EXAMPLE)),
        build_domain(accord.load("three-towns")),
        build_domain(accord.load("car-sale")),
    ]
    out.append(build_domain(accord.load(BOOKSHOP)))
    return out


def _lineup(name: str, partner: str, n: int) -> list[Strategy]:
    """The strategy under test as party 0 and, in a second session, as the last party."""
    return [make_strategy(name)] + [make_strategy(partner) for _ in range(n - 1)]


def check_contract(result: SessionResult, party: int) -> None:
    """Every offer and every acceptance of ``party`` in a finished session keeps the contract."""
    domain = result.domain
    view = domain.views[party]
    for p, action, x in zip(result.trace.party, result.trace.action, result.trace.package, strict=True):
        if p != party:
            continue
        if action == OFFER:
            assert 0 <= x < domain.n_packages
            assert domain.allowed[x, party], f"offered package {x} across its own red line"
            assert domain.quantized[x, party] >= view.reservation_q, "offered below reservation"
        elif action in (ACCEPT, VOTE, OPT_IN, AGREE):
            assert domain.allowed[x, party], f"accepted package {x} across its own red line"
            assert domain.quantized[x, party] >= view.reservation_q, "accepted below reservation"


def _state(strategy: Strategy) -> dict[str, object]:
    """A strategy's attributes, arrays as lists, for comparing a reset instance with a fresh one."""
    return {k: v.tolist() if isinstance(v, np.ndarray) else v for k, v in vars(strategy).items()}


@pytest.mark.parametrize("name", NAMES)
class TestStrategyContract:
    def test_declares_its_properties(self, name: str) -> None:
        cls = STRATEGIES[name]
        assert cls.name == name
        for flag in ("deterministic", "uses_opponent_model", "observes_offers", "time_only"):
            assert isinstance(getattr(cls, flag), bool)
        assert {"saop", "mopac", "mediated"} <= cls.protocols
        if cls.uses_opponent_model:
            assert cls.observes_offers

    def test_docstring_cites_a_source(self, name: str) -> None:
        doc = STRATEGIES[name].__doc__ or ""
        assert re.search(r"\b(19|20)\d\d\b", doc), f"{name}: no year of a source in the docstring"

    def test_never_offers_or_accepts_outside_its_bounds(self, name: str, domains: list[Domain]) -> None:
        for domain in domains:
            n = domain.n_parties
            for partner in PARTNERS:
                for seed in (0, 1):
                    config = SessionConfig(n_rounds=30, seed=seed)
                    first = run_session(domain, _lineup(name, partner, n), config)
                    check_contract(first, 0)
                    last = run_session(domain, _lineup(name, partner, n)[::-1], config)
                    check_contract(last, n - 1)

    def test_same_seed_gives_the_same_trace(self, name: str, domains: list[Domain]) -> None:
        for domain in domains:
            for partner in PARTNERS:
                config = SessionConfig(n_rounds=25, seed=7)
                a = run_session(domain, _lineup(name, partner, domain.n_parties), config)
                b = run_session(domain, _lineup(name, partner, domain.n_parties), config)
                assert a.trace == b.trace and a.outcome == b.outcome

    def test_picklable_and_clonable(self, name: str, domains: list[Domain]) -> None:
        domain = domains[0]
        strategy = make_strategy(name)
        assert pickle.loads(pickle.dumps(strategy)).params() == strategy.params()
        assert strategy.clone().params() == strategy.params()
        config = SessionConfig(n_rounds=20, seed=3)
        reference = run_session(domain, [strategy, make_strategy("linear")], config)
        # Mid-life (after a session) a pickled copy plays the next session exactly alike.
        copy = pickle.loads(pickle.dumps(strategy))
        again = run_session(domain, [copy, make_strategy("linear")], config)
        assert again.trace == reference.trace

    def test_resettable(self, name: str, domains: list[Domain]) -> None:
        strategy = make_strategy(name)
        fresh = make_strategy(name)
        fresh.reset()
        config = SessionConfig(n_rounds=20, seed=5)
        first = run_session(domains[0], [strategy, make_strategy("conceder")], config)
        run_session(
            domains[1],
            [strategy, make_strategy("random"), make_strategy("linear")],
            SessionConfig(n_rounds=10, seed=9),
        )
        strategy.reset()
        assert _state(strategy) == _state(fresh)
        again = run_session(domains[0], [strategy, make_strategy("conceder")], config)
        assert again.trace == first.trace

    @settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(scenario=scenarios(max_parties=3, max_issues=3, max_options=3), seed=st.integers(0, 2**16))
    def test_contract_on_random_scenarios(self, name: str, scenario: accord.Scenario, seed: int) -> None:
        domain = build_domain(scenario)
        n = domain.n_parties
        for partner in ("random", "conceder"):
            config = SessionConfig(n_rounds=12, seed=seed)
            for party in range(n):
                lineup = [make_strategy(partner) for _ in range(n)]
                lineup[party] = make_strategy(name)
                check_contract(run_session(domain, lineup, config), party)


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("name", NAMES)
def test_contract_holds_in_every_protocol(name: str, protocol: str, domains: list[Domain]) -> None:
    """Never offers, votes for, opts in to or accepts a package outside its bounds; the same
    seed gives the same session; as party 0 and as the last party."""
    for domain in domains:
        n = domain.n_parties
        for partner in PARTNERS:
            config = SessionConfig(n_rounds=25, seed=3, protocol=protocol)  # type: ignore[arg-type]
            first = run_session(domain, _lineup(name, partner, n), config)
            check_contract(first, 0)
            assert run_session(domain, _lineup(name, partner, n), config) == first
            last = run_session(domain, _lineup(name, partner, n)[::-1], config)
            check_contract(last, n - 1)


def _distinct_traces(make: Callable[[], Strategy], domain: Domain, protocol: str) -> int:
    """How many different traces three seeds give, the strategy under test as party 0."""
    traces = set()
    for seed in range(3):
        lineup = [make()] + [make_strategy("conceder") for _ in range(domain.n_parties - 1)]
        config = SessionConfig(n_rounds=20, seed=seed, protocol=protocol)  # type: ignore[arg-type]
        traces.add(run_session(domain, lineup, config).trace)
    return len(traces)


# The mediated protocol's mediator draws its own random proposals, so only SAOP and MOPAC can
# show that a strategy ignores the seed.
@pytest.mark.parametrize("protocol", ("saop", "mopac"))
@pytest.mark.parametrize("name", strategy_names(deterministic=True))
def test_deterministic_strategies_ignore_the_seed(name: str, protocol: str, domains: list[Domain]) -> None:
    for domain in domains:
        assert _distinct_traces(lambda: make_strategy(name), domain, protocol) == 1


class _Misdeclared(RandomOffers):
    """Draws at random while declaring itself deterministic: the check above must catch it."""

    deterministic: ClassVar[bool] = True


@pytest.mark.parametrize("protocol", ("saop", "mopac"))
def test_the_seed_check_catches_a_strategy_that_wrongly_declares_itself_deterministic(
    protocol: str, domains: list[Domain]
) -> None:
    assert max(_distinct_traces(_Misdeclared, d, protocol) for d in domains) > 1


def test_registry_filters_by_declared_properties() -> None:
    time_only = strategy_names(time_only=True)
    assert {"boulware", "linear", "conceder", "aspiration", "hardliner"} <= set(time_only)
    assert "random" in strategy_names(deterministic=False)
    assert strategy_names(uses_opponent_model=True) == ["frequency"]
    with pytest.raises(accord.AccordError, match="no property"):
        strategy_names(stochastic=True)


def test_strategy_specs_take_parameters() -> None:
    s = make_strategy("time-based(e=3, k=0.1)")
    assert s.params() == {"e": 3.0, "k": 0.1}
    assert s.label == "time-based(e=3, k=0.1)"
    assert make_strategy("boulware").label == "boulware"
    for bad in ("nope", "boulware(e)", "boulware(x=1)", "boulware(e=-1)"):
        with pytest.raises(accord.AccordError):
            make_strategy(bad)
