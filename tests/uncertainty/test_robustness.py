"""Monte Carlo robustness and sensitivity: cases worked by hand, reproducibility, and the
nominal-equivalence property (zero-width ranges give back the exact analysis)."""

from __future__ import annotations

import json
import textwrap
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

import accord
from accord.cli import app
from accord.io import loads
from accord.model import Number, PiecewiseLinear, Scenario, value_of
from accord.uncertainty import RobustnessConfig, robustness
from accord.uncertainty.inputs import normal_quantile
from tests.strategies import scenarios

# Party a values price low 1, mid 0.4, high 0; b the reverse. a's reservation is uniform on
# [0, 1.2] (nominal 0.5), b's is -0.1: by hand, P(a accepts mid) = P(r <= 0.4) = 0.4 / 1.2.
HAND = textwrap.dedent("""\
    format: accord/1
    id: hand
    parties:
      - id: a
        reservation_value: {value: 0.5, range: [0, 1.2]}
      - id: b
        reservation_value: -0.1
    issues:
      - id: price
        options: [{id: low}, {id: mid}, {id: high}]
    preferences:
      a:
        weights: {price: 1}
        values: {price: {low: 10, mid: 4, high: 0}}
      b:
        weights: {price: 1}
        values: {price: {low: 0, mid: 6, high: 10}}
    """)


def _row(result: Any, package: dict[str, Any]) -> Any:
    return next(r for r in result.packages if r.package == package)


def test_acceptance_probability_matches_the_hand_computation() -> None:
    result = robustness(loads(HAND), samples=40_000, seed=7, packages=["price=mid", "price=high"])
    mid, high = _row(result, {"price": "mid"}), _row(result, {"price": "high"})
    assert mid.p_accept["a"] == pytest.approx(0.4 / 1.2, abs=0.01)
    assert mid.p_accept["b"] == 1.0 and mid.p_all_accept == mid.p_accept["a"]
    assert mid.expected_gain["a"] == pytest.approx(0.4 - 0.6, abs=0.01)
    assert mid.worst_decile_gain["a"] == pytest.approx(0.4 - 1.08, abs=0.01)  # r at its 90th pct
    assert mid.worst_decile_gain["b"] == pytest.approx(0.6 + 0.1, abs=1e-3)
    assert high.p_accept["a"] == 0.0 and not high.nominal_acceptable
    low = _row(result, {"price": "low"})
    assert low.p_all_accept == pytest.approx(1.0 / 1.2, abs=0.01) and result.most_robust == low
    nash = next(s for s in result.solutions if s.solution == "nash")
    # Nash is low at the nominal values. With a's bar r <= 0.4 mid is acceptable too, and its
    # product 0.7 (0.4 - r) beats low's 0.1 (1 - r) when r < 0.3; above r = 1 nothing is.
    assert nash.package == {"price": "low"}
    assert nash.p_same == pytest.approx(0.7 / 1.2, abs=0.01)
    assert nash.p_no_agreement == pytest.approx(0.2 / 1.2, abs=0.01)
    shares = {json.dumps(p): f for p, f in nash.most_frequent}
    assert shares[json.dumps({"price": "mid"})] == pytest.approx(0.3 / 1.2, abs=0.01)


def test_tornado_and_threshold_on_the_hand_case() -> None:
    sens = robustness(loads(HAND), samples=100, seed=0).sensitivity
    assert sens.reference == "nash" and sens.package == {"price": "low"}
    (bar,) = sens.tornado
    assert (bar.low, bar.high) == (0.0, 1.2)
    assert bar.gain_low["a"] == pytest.approx(1.0) and bar.gain_high["a"] == pytest.approx(-0.2)
    assert bar.swing == pytest.approx(1.2)
    assert bar.rejected_by_low == () and bar.rejected_by_high == ("a",)
    assert bar.nash_low == {"price": "mid"} and bar.nash_high is None
    (threshold,) = sens.thresholds
    assert threshold.party == "a" and threshold.method == "exact"
    assert threshold.value == pytest.approx(1.0, abs=1e-9) and threshold.accepts == "below"


def test_weight_threshold_is_exact_and_value_threshold_bisects() -> None:
    text = textwrap.dedent("""\
        format: accord/1
        id: weights
        parties:
          - id: a
            reservation_value: 0.5
          - id: b
            reservation_value: -0.1
        issues:
          - id: extra
            options: [{id: x}, {id: y}]
          - id: price
            options: [{id: low}, {id: mid}, {id: high}]
        preferences:
          a:
            weights: {price: 1, extra: {value: 1, range: [0, 9]}}
            values:
              price: {low: 10, mid: 4, high: 0}
              extra: {x: {value: 2, range: [0, 10]}, y: 10}
          b:
            weights: {price: 1, extra: 0}
            values: {price: {low: 0, mid: 6, high: 10}}
        """)
    result = robustness(loads(text), samples=200, seed=0, packages=["extra=x,price=low"])
    by_input = {t.input: t for t in result.sensitivity.thresholds}
    package = result.sensitivity.package
    assert package is not None
    # a's utility of (e, p) is (w v_e + v_p) / (w + 1): it equals a's bar 0.5 at
    # w = (0.5 - v_p) / (v_e - 0.5), solved exactly although it is not linear in w.
    v_e = {"x": 0.2, "y": 1.0}[str(package["extra"])]
    v_p = {"low": 1.0, "mid": 0.4, "high": 0.0}[str(package["price"])]
    expected = (0.5 - v_p) / (v_e - 0.5)
    weight = by_input["a.weights.extra"]
    assert weight.method == "exact"
    if 0 <= expected <= 9:
        assert weight.value == pytest.approx(expected, abs=1e-9)
        assert weight.accepts == ("above" if v_e > 0.5 else "below")
    else:
        assert weight.value is None
    value = by_input["a.values.extra.x"]
    assert value.method == "bisection"


def test_same_seed_same_result_whatever_the_chunks_and_workers() -> None:
    scenario = accord.load("ceasefire-2025")
    a = robustness(scenario, samples=3000, seed=11).to_dict()
    b = robustness(
        scenario, samples=3000, seed=11, config=RobustnessConfig(chunk_values=1 << 16, workers=1)
    ).to_dict()
    assert a == b
    c = robustness(scenario, samples=3000, seed=12).to_dict()
    assert c["packages"] != a["packages"]


def test_resolve_set_gives_the_same_answer_as_every_candidate_on_the_flagship() -> None:
    scenario = accord.load("ceasefire-2025")
    fast = robustness(scenario, samples=4000, seed=3)
    full = robustness(scenario, samples=4000, seed=3, config=RobustnessConfig(resolve_all=True))
    assert fast.candidates["resolved_on"] <= full.candidates["resolved_on"]
    assert [s.to_dict() for s in fast.solutions] == [s.to_dict() for s in full.solutions]


def test_flagship_value_threshold_matches_its_linear_formula() -> None:
    result = robustness(accord.load("ceasefire-2025"), samples=500, seed=0)
    sens = result.sensitivity
    t = next(t for t in sens.thresholds if t.input == "russia.values.guarantees.article5_like")
    # Russia's weight on guarantees is 5 of 100 and its best option there is worth 100
    # (certain), so one point of this value is 0.0005 of utility in the nominal solution, which
    # has an Article-5-like guarantee: the gain vanishes 0.0005 per point lower.
    assert t.value == pytest.approx(20 - sens.nominal_gains["russia"] / 0.0005, abs=1e-6)
    assert t.accepts == "above"
    r = next(t for t in sens.thresholds if t.input == "russia.reservation_value")
    assert r.value == pytest.approx(0.74 + sens.nominal_gains["russia"], abs=1e-9)


def _zero_width(scenario: Scenario) -> Scenario:
    def z(v: Any) -> Number:
        x = value_of(v)
        return Number(value=x, range=(x, x))

    parties = [p.model_copy(update={"reservation_value": z(p.reservation_value)}) for p in scenario.parties]
    prefs = {}
    for pid, pref in scenario.preferences.items():
        values: dict[str, Any] = {}
        for k, table in pref.values.items():
            values[k] = (
                PiecewiseLinear(points=[(x, z(y)) for x, y in table.points])
                if isinstance(table, PiecewiseLinear)
                else {o: z(y) for o, y in table.items()}
            )
        prefs[pid] = pref.model_copy(
            update={"weights": {k: z(w) for k, w in pref.weights.items()}, "values": values}
        )
    return Scenario.model_validate(
        {
            **scenario.model_dump(),
            "parties": [p.model_dump() for p in parties],
            "preferences": {k: v.model_dump() for k, v in prefs.items()},
        }
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_issues=3, max_options=3))
def test_zero_width_ranges_reproduce_the_exact_analysis(scenario: Scenario) -> None:
    uncertain = _zero_width(scenario)
    exact = accord.analyze(scenario)
    assert accord.analyze(uncertain).to_dict() == exact.to_dict()
    result = robustness(uncertain, samples=16, seed=1)
    assert len(result.inputs) > 0
    for sol in result.solutions:
        nominal = getattr(exact, sol.solution)
        assert sol.package == (None if nominal is None else nominal.package)
        assert sol.p_same == 1.0, sol.solution  # no agreement stays no agreement too
    for row in result.packages:
        assert row.p_all_accept == (1.0 if row.nominal_acceptable else 0.0)
        for p in scenario.party_ids:
            gain = row.nominal_utilities[p] - scenario.party(p).reservation
            assert row.expected_gain[p] == pytest.approx(gain, abs=1e-8)
            assert row.worst_decile_gain[p] == pytest.approx(gain, abs=1e-3)


@pytest.mark.parametrize("name", sorted(accord.bundled_scenarios()))
def test_every_bundled_scenario_runs(name: str) -> None:
    result = robustness(accord.load(name), samples=200, seed=0)
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    if not result.inputs:
        assert all(s["p_same"] in (0.0, 1.0) for s in data["solutions"])


def test_normal_quantile_is_accurate() -> None:
    p = np.array([1e-10, 0.001, 0.025, 0.5, 0.8, 0.975, 0.999999])
    expected = [-6.361340902, -3.090232306, -1.959963985, 0.0, 0.841621234, 1.959963985, 4.753424309]
    assert normal_quantile(p) == pytest.approx(expected, abs=1e-7)


def test_cli_prints_tables_and_json() -> None:
    runner = CliRunner(env={"COLUMNS": "200"})
    out = runner.invoke(app, ["robustness", "ceasefire-2025", "--samples", "500", "--seed", "1", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    most = data["most_robust"]
    assert data["samples"] == 500 and 0 < most["p_all_accept"] <= 1
    assert most["p_all_accept"] == max(p["p_all_accept"] for p in data["packages"])
    out = runner.invoke(
        app, ["robustness", "ceasefire-2025", "-n", "500", "--package", "ceasefire=conditional"]
    )
    assert out.exit_code == 2 and "missing" in out.output
    out = runner.invoke(app, ["robustness", "car-sale", "-n", "200"])
    assert out.exit_code == 0 and "Bargaining solutions re-solved" in out.stdout
