"""Utilities of a package are keyed by party id across the API, in the scenario's order."""

from __future__ import annotations

import pickle

import pytest

import accord
from accord.simulation import PartyUtilities, SessionConfig, run_session


def test_a_party_keyed_read_only_mapping() -> None:
    u = PartyUtilities([("b", 0.25), ("a", 1.0)])
    assert list(u) == ["b", "a"] and list(u.values()) == [0.25, 1.0]
    assert u == {"a": 1.0, "b": 0.25} and u["a"] == 1.0 and len(u) == 2
    assert u != {"a": 1.0}
    with pytest.raises(TypeError):
        u["a"] = 0.0  # type: ignore[index]
    with pytest.raises(AttributeError):
        u.extra = 1  # type: ignore[attr-defined]
    assert pickle.loads(pickle.dumps(u)) == u and hash(PartyUtilities(u)) == hash(u)


@pytest.mark.parametrize("protocol", ["saop", "mopac", "mediated"])
def test_outcomes_use_the_analysis_convention(protocol: str) -> None:
    scenario = accord.load("three-towns")
    result = run_session(scenario, ["conceder"], SessionConfig(n_rounds=30, seed=2, protocol=protocol))  # type: ignore[arg-type]
    o = result.outcome
    assert tuple(o.utilities) == tuple(o.undiscounted) == scenario.party_ids
    assert isinstance(o.utilities, PartyUtilities) and isinstance(o.undiscounted, PartyUtilities)
    nash = accord.analyze(scenario).nash
    assert nash is not None and tuple(nash.utilities) == tuple(o.utilities)  # the same keys, in order
    out = result.to_dict()["outcome"]
    assert list(out["utilities"]) == list(scenario.party_ids)
    assert out["undiscounted_utilities"] == {p: round(u, 9) + 0.0 for p, u in o.undiscounted.items()}
    assert pickle.loads(pickle.dumps(o)) == o
