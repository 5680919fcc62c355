"""The batch engine gives, session for session, exactly what the one-session engine gives."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import accord
from accord.simulation import SessionConfig, build_domain, run_session, strategy_names
from accord.simulation.batch import run_batch
from accord.simulation.strategies import Aspiration, Boulware, Conceder, Linear, TimeBasedConcession

from ..strategies import scenarios
from .conftest import three_packages

GENIUS = Path(os.environ.get("ACCORD_GENIUS_DATA", Path(__file__).parents[3] / "shared/data/genius"))
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


def test_batch_equals_one_session_on_genius_domains_with_discounting() -> None:
    for folder in ("Laptop", "ItexvsCypress", "JapanTrip"):
        domain = build_domain(accord.load(GENIUS / folder))
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


def test_outcome_arrays_without_traces() -> None:
    domain = build_domain(three_packages())
    batch = run_batch(
        domain, [[Linear(), Linear()], [Conceder(), Boulware()]] * 50, SessionConfig(n_rounds=3), record=False
    )
    assert len(batch) == 100 and batch.actions is None
    assert batch.agreement[:2].tolist() == [1, batch.agreement[1]]
    assert batch.utilities()[0] == pytest.approx([0.6, 0.6])
    assert 0 < batch.agreement_rate <= 1
    with pytest.raises(accord.AccordError, match="record=False"):
        batch.session(0)


def test_batch_refuses_reactive_strategies_and_wall_clock_deadlines() -> None:
    domain = build_domain(three_packages())
    with pytest.raises(accord.AccordError, match="time-only"):
        run_batch(domain, [["linear", "tit-for-tat"]])
    with pytest.raises(accord.AccordError, match="rounds only"):
        run_batch(domain, [["linear", "linear"]], SessionConfig(n_rounds=5, time_limit=1.0))


def test_walking_away_and_single_party_sessions() -> None:
    domain = build_domain(three_packages(reservation=1.5))
    batch = run_batch(domain, [["boulware", "linear"]])
    assert batch.session(0) == run_session(domain, ["boulware", "linear"])
    s = three_packages()
    solo = build_domain(
        s.model_copy(update={"parties": s.parties[:1], "preferences": {"a": s.preferences["a"]}})
    )
    assert run_batch(solo, [["linear"]]).session(0) == run_session(solo, ["linear"])
    assert np.array_equal(run_batch(solo, [["linear"]] * 3).agreement, [0, 0, 0])
