"""Every bundled scenario loads, validates against the schema and analyses; the classics give
the answers worked by hand in docs/worked-examples.md."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

import accord
from accord.io import dumps, schema

EXPECTED = json.loads((Path(__file__).parent / "data" / "worked_examples.json").read_text())
BUNDLED = sorted(accord.bundled_scenarios())


def test_the_flagship_and_two_classics_are_bundled() -> None:
    assert {"ceasefire-2025", *EXPECTED} <= set(BUNDLED)


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_scenario_is_valid_and_analyses(name: str) -> None:
    scenario = accord.load(name)
    assert scenario.id == name
    data = yaml.safe_load(dumps(scenario))
    jsonschema.validate(data, schema())
    result = accord.analyze(scenario).to_dict()
    assert json.loads(json.dumps(result)) == result
    assert result["n_packages"] == scenario.n_packages


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_classic_matches_the_hand_computation(name: str) -> None:
    expected = EXPECTED[name]
    result = accord.analyze(accord.load(name))
    assert result.n_packages == expected["n_packages"]
    assert result.n_acceptable == expected["n_acceptable"]
    frontier = sorted(json.dumps(p.package, sort_keys=True) for p in result.pareto_frontier)
    assert frontier == sorted(json.dumps(p, sort_keys=True) for p in expected["pareto_frontier"])
    for key in ("nash", "asymmetric_nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
        solution = getattr(result, key)
        assert solution is not None and solution.package == expected[key], key
        assert not solution.ties, key


def test_flagship_answers_the_brief() -> None:
    scenario = accord.load("ceasefire-2025")
    assert {"us", "russia", "ukraine", "france", "germany", "uk", "poland"} <= set(scenario.party_ids)
    assert len(scenario.issues) >= 8
    # Every party, issue, option and preference number carries its rationale.
    for party in scenario.parties:
        assert party.rationale, party.id
    for issue in scenario.issues:
        assert issue.rationale, issue.id
        for option in issue.options or ():
            assert option.rationale or option.description, (issue.id, option.id)
    result = accord.analyze(scenario)
    assert result.blockers and result.trades
    assert result.nash is not None or result.closest_package is not None
