"""A scenario as forecast inputs: the axis, positions, saliences and capabilities of each issue."""

from __future__ import annotations

import pytest

import accord
from accord.errors import AnalysisError
from accord.forecast import forecast, forecast_scenario, issue_scale
from accord.model import Issue, NumericRange, Option, value_of


def test_three_towns_inputs_follow_the_documented_mapping() -> None:
    s = accord.load("three-towns")
    result = forecast_scenario(s, rounds=3)
    site = next(f for f in result.issues if f.issue == "site")
    assert site.scale == (0.0, 50.0, 100.0) and site.options == ("alder", "birch", "cedar")
    capacity = next(f for f in result.issues if f.issue == "capacity")
    assert capacity.scale == tuple(float(v) for v in s.issue("capacity").values())
    for f in result.issues:
        for actor in f.forecast.actors:
            prefs = s.preferences[actor.name]
            weights = {k: value_of(v) for k, v in prefs.weights.items()}
            assert actor.salience == pytest.approx(weights[f.issue] / max(weights.values()))
            assert actor.capability == s.party(actor.name).bargaining_power
            assert actor.position in f.scale
        # The issue's forecast is exactly the forecast of those actors.
        assert forecast(f.forecast.actors, rounds=3).to_dict() == f.forecast.to_dict()
        assert f.settles_at in f.options


def test_sum_normalised_saliences() -> None:
    s = accord.load("three-towns")
    for f in forecast_scenario(s, rounds=0, salience="sum").issues:
        for actor in f.forecast.actors:
            weights = {k: value_of(v) for k, v in s.preferences[actor.name].weights.items()}
            assert actor.salience == pytest.approx(weights[f.issue] / sum(weights.values()))
    with pytest.raises(AnalysisError, match="salience"):
        forecast_scenario(s, salience="mean")  # type: ignore[arg-type]


def test_issue_scales() -> None:
    one = Issue(id="x", options=(Option(id="a"),))
    four = Issue(id="y", options=tuple(Option(id=k) for k in "abcd"))
    numeric = Issue(id="z", range=NumericRange(kind="integer", min=5, max=9, step=2))
    assert issue_scale(one) == (0.0,)
    assert issue_scale(four) == pytest.approx((0.0, 100 / 3, 200 / 3, 100.0))
    assert issue_scale(numeric) == (5.0, 7.0, 9.0)


def test_report_lists_where_each_issue_settles() -> None:
    pytest.importorskip("matplotlib")
    from accord.report._content import build_content

    s = accord.load("three-towns")
    content = build_content(accord.analyze(s))
    rows = {row["issue"]: row for row in content.data["forecast"]}
    assert set(rows) == {i.title for i in s.issues}
    expected = {f.issue: f for f in forecast_scenario(s).issues}
    for issue in s.issues:
        assert rows[issue.title]["settles_at"] == issue.label_of(expected[issue.id].settles_at)
