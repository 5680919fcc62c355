"""The batch engine gives, session for session, exactly what the one-session engine gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import accord
from accord.simulation import Domain, SessionConfig, build_domain, run_session, strategy_names
from accord.simulation.batch import run_batch
from accord.simulation.strategies import Aspiration, TimeBasedConcession

from ..corpus import CORPUS
from ..strategies import scenarios

BOOKSHOP = Path(__file__).parents[1] / "data" / "genius" / "Bookshop"
TIME_ONLY = strategy_names(time_only=True)

_strategy = st.one_of(
    st.sampled_from(TIME_ONLY),
    st.builds(TimeBasedConcession, e=st.floats(0.05, 8.0), k=st.floats(0.0, 0.5)),
    st.builds(Aspiration, exponent=st.floats(0.1, 8.0)),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(max_parties=4, max_issues=3, max_options=4), data=st.data())
def test_batch_traces_equal_one_session_traces(scenario: accord.Scenario, data: st.DataObject) -> None:
    domain = build_domain(scenario)
    n = domain.n_parties
    size = data.draw(st.integers(1, 6))
    lineups = [data.draw(st.lists(_strategy, min_size=n, max_size=n)) for _ in range(size)]
    configs = [SessionConfig(n_rounds=data.draw(st.integers(1, 12)), seed=b) for b in range(size)]
    batch = run_batch(domain, lineups, configs)
    for b in range(size):
        fresh = [s if isinstance(s, str) else s.clone() for s in lineups[b]]
        assert batch.session(b) == run_session(domain, fresh, configs[b])


def _batch_equals_sessions(domain: Domain) -> None:
    names = [
        ["boulware"],
        ["conceder"],
        ["linear", "hardliner", "aspiration"][: domain.n_parties],
        ["aspiration"],
    ]
    lineups = [x * domain.n_parties if len(x) == 1 else x for x in names]
    lineups = [x for x in lineups if len(x) == domain.n_parties]
    configs = [SessionConfig(n_rounds=r) for r in (10, 60, 100, 37)][: len(lineups)]
    batch = run_batch(domain, lineups, configs)
    for b, lineup in enumerate(lineups):
        assert batch.session(b) == run_session(domain, lineup, configs[b])


def test_batch_equals_one_session_on_a_genius_domain_with_discounting() -> None:
    _batch_equals_sessions(build_domain(accord.load(BOOKSHOP)))


@pytest.mark.corpus
@pytest.mark.parametrize("folder", ["Laptop", "ItexvsCypress", "JapanTrip"])
def test_batch_equals_one_session_on_corpus_domains_with_discounting(folder: str) -> None:
    _batch_equals_sessions(build_domain(accord.load(CORPUS / folder)))
