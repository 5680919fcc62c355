"""A scenario small enough to work by hand (tests/data/example.yaml).

Alice: weights price 2, colour 1 -> 2/3 and 1/3. Price 100 -> 1, 150 -> 0.5, 200 -> 0 (linear).
Colour red 3 -> 1, none 1 -> 1/3. Interaction +0.1 for price <= 150 with red.
Red line: no colour at price 200. Bob: only price, 100 -> 0 ... 200 -> 1.
Reservation values: Alice 0.3, Bob 0.2.

package        Alice                        Bob   acceptable
100 red        2/3 + 1/3 + .1 = 1.1         0     no (Bob)
100 none       2/3 + 1/9      = 0.778       0     no (Bob)
150 red        1/3 + 1/3 + .1 = 0.767       0.5   yes
150 none       1/3 + 1/9      = 0.444       0.5   yes
200 red        1/3            = 0.333       1     yes
200 none       red line                            no

Frontier: 150 red (0.767, 0.5) and 200 red (0.333, 1); 150 none is dominated by 150 red.
Nash: (0.467 * 0.3 = 0.14) vs (0.033 * 0.8 = 0.027) -> 150 red. KS: best gains 0.467, 0.8;
150 red: min(1, 0.375) = 0.375; 200 red: min(0.071, 1) -> 150 red. Egalitarian: min gains 0.3 vs
0.033 -> 150 red. Utilitarian: 1.267 vs 1.333 -> 200 red.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import accord
from accord.analysis import AnalysisConfig

EXAMPLE = Path(__file__).parents[1] / "data" / "example.yaml"


@pytest.fixture(scope="module")
def result() -> accord.Analysis:
    return accord.analyze(accord.load(EXAMPLE))


def test_counts(result: accord.Analysis) -> None:
    assert result.n_packages == 6
    assert result.n_acceptable == 3


def test_frontier(result: accord.Analysis) -> None:
    got = {(p.package["price"], p.package["color"]): p.utilities for p in result.pareto_frontier}
    assert set(got) == {(150, "red"), (200, "red")}
    assert got[(150, "red")]["a"] == pytest.approx(1 / 3 + 1 / 3 + 0.1)
    assert got[(200, "red")] == {"a": pytest.approx(1 / 3), "b": 1.0}


def test_solutions(result: accord.Analysis) -> None:
    assert result.nash is not None and result.utilitarian is not None
    assert result.nash.package == {"price": 150, "color": "red"}
    assert result.nash.objective == pytest.approx((0.7666666667 - 0.3) * 0.3)
    assert result.kalai_smorodinsky is not None
    assert result.kalai_smorodinsky.objective == pytest.approx(0.375)
    assert result.egalitarian is not None
    assert result.egalitarian.objective == pytest.approx(0.3)
    assert result.utilitarian.package == {"price": 200, "color": "red"}


def test_disagreement_override_and_blockers() -> None:
    scenario = accord.load(EXAMPLE)
    blocked = accord.analyze(scenario, disagreement={"b": 0.6})
    # Bob needs price 200 (his 150 gives 0.5); Alice still gets 0.333 >= 0.3 there.
    assert [p.package for p in blocked.pareto_frontier] == [{"price": 200, "color": "red"}]
    none = accord.analyze(scenario, disagreement={"a": 0.8})
    assert not none.agreement_exists
    by_party = {b.party: b for b in none.blockers}
    # With Bob at >= 0.2, Alice's best is 150 red (0.767): she alone would have to move 0.033.
    assert by_party["a"].blocks
    assert by_party["a"].shortfall == pytest.approx(0.8 - (1 / 3 + 1 / 3 + 0.1))
    # With Alice at >= 0.8, only 100 red (1.1) is left, where Bob gets 0: short by 0.2.
    assert by_party["b"].shortfall == pytest.approx(0.2)
    assert [b.party for b in none.blockers] == ["b", "a"]  # largest shortfall first
    # Together: 150 red leaves Alice 0.033 short and Bob 0.3 over: the best smallest gain.
    assert none.slack == pytest.approx(-(0.8 - (1 / 3 + 1 / 3 + 0.1)), abs=1e-8)
    assert none.closest_package == {"price": 150, "color": "red"}


def test_explain_package() -> None:
    e = accord.explain(accord.load(EXAMPLE), {"price": 200, "color": "no"})
    assert e.rejected_by == ("a",)
    assert e.parties[0].red_lines_crossed[0].rationale == "too much for nothing"
    assert e.nearest is not None and e.nearest.package == {"price": 150, "color": "no"}


def test_a_frontier_too_large_to_hold_is_a_clear_error() -> None:
    from unittest.mock import patch

    from accord.analysis import pareto

    scenario = accord.load("ceasefire-2025")
    with (
        patch.object(pareto, "MAX_CANDIDATE_ELEMENTS", 1000),
        pytest.raises(accord.SpaceTooLargeError, match="Pareto frontier of 8 parties"),
    ):
        accord.analyze(scenario, config=AnalysisConfig(engine="frontier"))
    # With the engine left to choose, the optimisation engine answers instead, and says the
    # frontier it returns is a representative part.
    with patch.object(pareto, "MAX_CANDIDATE_ELEMENTS", 1000):
        result = accord.analyze(scenario)
    assert result.engine == "optimise" and not result.pareto_frontier_complete
    exact = accord.analyze(scenario)
    assert result.nash is not None and exact.nash is not None
    assert result.nash.package == exact.nash.package


def test_impossible_configuration_is_a_clear_error() -> None:
    with pytest.raises(accord.AnalysisError, match="max_enumerate must be at least 1"):
        accord.AnalysisConfig(max_enumerate=0)
    with pytest.raises(accord.AnalysisError, match="unknown parties nobody"):
        accord.analyze(accord.load(EXAMPLE), disagreement={"nobody": 0.5})
