"""Inputs at the edge of what can be computed exactly: computed right, or refused by name
(issue 9, items 2, 14, 15 and 16)."""

from __future__ import annotations

import warnings

import pytest

import accord
from accord.analysis import analyze, explain
from accord.errors import AccordError, AnalysisError, ScenarioError
from accord.io import loads
from accord.model import Issue, NumericRange, Option, Party, Preferences, Scenario
from accord.uncertainty import robustness


def _two_issues(interaction: float, reservation: float = 0.5) -> Scenario:
    """a: 1/2 per issue at option p, plus ``interaction`` when both issues are at q."""
    issues = tuple(Issue(id=i, options=(Option(id="p"), Option(id="q"))) for i in ("x", "y"))
    a = Preferences(
        weights={"x": 1, "y": 1},
        values={"x": {"p": 1, "q": 0}, "y": {"p": 1, "q": 0}},
        interactions=[{"when": {"x": "q", "y": "q"}, "value": interaction}],
    )
    b = Preferences(weights={"x": 1, "y": 1}, values={"x": {"p": 1, "q": 1}, "y": {"p": 1, "q": 1}})
    parties = (Party(id="a", reservation_value=reservation), Party(id="b"))
    return Scenario(id="big", parties=parties, issues=issues, preferences={"a": a, "b": b})


@pytest.mark.parametrize(("interaction", "acceptable"), [(1e10, 4), (-1e10, 3), (9.3e11, 4)])
def test_huge_interactions_are_counted_exactly_without_warnings(interaction: float, acceptable: int) -> None:
    # Packages worth 1, 1/2, 1/2 and 0 + interaction to a, whose reservation value is 1/2.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = analyze(_two_issues(interaction))
        assert result.n_acceptable == acceptable
        assert result.agreement_exists
        assert sum(p.n_equivalent for p in result.pareto_frontier) >= 1
        robustness(_two_issues(interaction), samples=50, seed=0)


def test_a_reservation_value_of_1e10_is_met_only_by_the_package_worth_it() -> None:
    result = analyze(_two_issues(1e10), disagreement={"a": 1e10})
    assert result.n_acceptable == 1
    assert [p.package for p in result.pareto_frontier] == [{"x": "q", "y": "q"}]


def test_an_interaction_far_off_the_scale_is_refused_by_name() -> None:
    with pytest.raises(
        ScenarioError, match=r"preferences\.a\.interactions\[0\]\.value: 1e\+13 is far outside"
    ):
        _two_issues(1e13)


def test_a_reservation_value_above_every_utility_is_refused() -> None:
    with pytest.raises(ScenarioError, match=r"parties\[0\]\.reservation_value: 45 is above the best utility"):
        _two_issues(0.0, reservation=45)
    with pytest.raises(AnalysisError, match="reservation value of 'russia': 70 is above"):
        analyze(accord.load("ceasefire-2025"), disagreement={"russia": 70})
    # Below every utility is a disagreement point every package beats: kept.
    package = "price=20000,warranty=none,payment=instalments"
    assert "buyer" not in explain(accord.load("car-sale"), package, disagreement={"buyer": -3}).rejected_by


def test_the_best_utility_itself_is_a_valid_reservation_value() -> None:
    # a gets 1 at (p, p), 1/2 at (p, q) and (q, p), 0.9 at (q, q): only (p, p) reaches 1.
    result = analyze(_two_issues(0.9, reservation=1.0))
    assert result.n_acceptable == 1


def test_integer_ranges_near_2_53_stay_integers() -> None:
    grid = NumericRange(kind="integer", min=9007199254740993, max=9007199254740995)
    assert grid.size == 3
    assert grid.grid() == (9007199254740993, 9007199254740994, 9007199254740995)
    text = """\
format: accord/1
id: big-ints
parties: [{id: a}, {id: b}]
issues:
  - {id: n, range: {kind: integer, min: 9007199254740993, max: 9007199254740995}}
  - {id: c, options: [{id: x}, {id: y}]}
preferences:
  a: {weights: {n: 0, c: 1}, values: {c: {x: 1, y: 0}}}
  b: {weights: {n: 0, c: 1}, values: {c: {x: 0, y: 1}}}
"""
    assert analyze(loads(text)).n_packages == 6


def test_a_step_that_does_not_divide_the_range_is_refused() -> None:
    with pytest.raises(
        ValueError, match=r"step 7 does not divide max - min \(50\).*leave out max 50; set max to 49 or 56"
    ):
        NumericRange(kind="integer", min=0, max=50, step=7)
    with pytest.raises(ValueError, match="step 7 does not divide"):
        NumericRange(kind="real", min=0, max=50, step=7)
    assert NumericRange(kind="real", min=0, max=1, step=0.1).size == 11  # 0.1 divides 1 in floats too


def test_a_range_too_wide_for_floats_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="too large for the step"):
        NumericRange(kind="real", min=-1e308, max=1e308, step=1e307)


def test_refusals_are_accord_errors() -> None:
    assert issubclass(ScenarioError, AccordError) and issubclass(AnalysisError, AccordError)
