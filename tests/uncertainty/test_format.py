"""Uncertain numbers in scenario files: nominal values, located errors, lossless round trip,
schema, and every file without them loading and analysing exactly as before."""

from __future__ import annotations

import textwrap
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import accord
from accord.errors import ScenarioError
from accord.io import dumps, loads, schema
from accord.model import Distribution, Normal, Number, PiecewiseLinear, Scenario, value_of
from tests.strategies import scenarios

BASE = textwrap.dedent("""\
    format: accord/1
    id: tiny
    parties:
      - id: a
        reservation_value: RESERVATION
      - id: b
    issues:
      - id: price
        range: {kind: integer, min: 100, max: 200, step: 50}
      - id: color
        options:
          - {id: red}
          - {id: "no"}
    preferences:
      a:
        weights: {price: WEIGHT, color: 1}
        values:
          price: {points: [[100, POINT], [200, 0]]}
          color: {red: 3, no: OPTION}
      b:
        weights: {price: 1, color: 0}
        values:
          price: {points: [[100, 0], [200, 1]]}
    """)


def _text(reservation: str = "0.3", weight: str = "2", point: str = "1", option: str = "1") -> str:
    return (
        BASE.replace("RESERVATION", reservation)
        .replace("WEIGHT", weight)
        .replace("POINT", point)
        .replace("OPTION", option)
    )


def _problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        loads(text, file="u.yaml")
    return [p.describe("u.yaml") for p in info.value.problems]


@pytest.mark.parametrize(
    ("written", "nominal"),
    [
        ("{value: 0.3, range: [0.2, 0.5]}", 0.3),
        ("{range: [0.2, 0.5]}", 0.35),
        ("{value: 0.25, distribution: {uniform: [0.2, 0.5]}}", 0.25),
        ("{distribution: {uniform: [0.2, 0.5]}}", 0.35),
        ("{distribution: {triangular: [0.1, 0.2, 0.6]}}", 0.2),
        ("{distribution: {normal: {mean: 0.3, sd: 0.05, min: 0.1, max: 0.4}}}", 0.3),
        ("{distribution: {normal: {mean: 0.3, sd: 0.05}}}", 0.3),
    ],
)
def test_nominal_value_is_value_else_midpoint_mode_or_mean(written: str, nominal: float) -> None:
    scenario = loads(_text(reservation=written))
    assert scenario.parties[0].reservation == pytest.approx(nominal)


def test_uncertain_numbers_leave_the_analysis_at_their_nominal_values() -> None:
    plain = loads(_text())
    uncertain = loads(
        _text(
            reservation="{value: 0.3, range: [0.1, 0.4]}",
            weight="{distribution: {triangular: [1, 2, 3]}}",
            point="{value: 1, distribution: {normal: {mean: 1, sd: 0.2, min: 0.5, max: 1.5}}}",
            option="{range: [0, 2]}",
        )
    )
    assert accord.analyze(uncertain).to_dict() == accord.analyze(plain).to_dict()


@pytest.mark.parametrize(
    ("field", "written", "line", "message"),
    [
        (
            "reservation",
            "{value: 0.3, range: [0.5, 0.2]}",
            5,
            "parties[0].reservation_value.range: low (0.5) is above high (0.2); swap them",
        ),
        (
            "reservation",
            "{distribution: {normal: {mean: 0.3, sd: 0}}}",
            5,
            "parties[0].reservation_value.distribution.normal: sd must be positive, got 0",
        ),
        (
            "reservation",
            "{value: 0.9, range: [0.2, 0.5]}",
            5,
            "parties[0].reservation_value.range: the nominal value 0.9 lies outside the range [0.2, 0.5]",
        ),
        (
            "reservation",
            "{distribution: {triangular: [0.1, 0.7, 0.5]}}",
            5,
            "parties[0].reservation_value.distribution.triangular: the mode (0.7) must lie between low (0.1) "
            "and high (0.5)",
        ),
        (
            "reservation",
            "{value: 0.3, range: [0.2, 0.5], distribution: {uniform: [0, 1]}}",
            5,
            "parties[0].reservation_value.distribution: give `range` or `distribution`, not both",
        ),
        (
            "reservation",
            "{distribution: {beta: [1, 2]}}",
            5,
            "parties[0].reservation_value.distribution.beta: unknown key 'beta'",
        ),
        (
            "weight",
            "{value: 1, range: [-1, 3]}",
            16,
            "preferences.a.weights.price: weights must be >= 0, but its range reaches -1",
        ),
        (
            "weight",
            "{distribution: {normal: {mean: 2, sd: 1}}}",
            16,
            "preferences.a.weights.price: weights must be >= 0, but its distribution reaches -inf; "
            "narrow the distribution (give the normal a `min`)",
        ),
        (
            "point",
            "{distribution: {uniform: [-0.5, 1]}}",
            18,
            "preferences.a.values.price.points[0][1]: option values must be >= 0, but its distribution "
            "reaches -0.5",
        ),
        (
            "option",
            "{range: [-2, 2]}",
            19,
            "preferences.a.values.color.no: option values must be >= 0, but its range reaches -2",
        ),
    ],
)
def test_invalid_uncertainty_names_file_line_and_field(
    field: str, written: str, line: int, message: str
) -> None:
    (problem,) = _problems(_text(**{field: written}))
    assert problem.startswith(f"u.yaml:{line}: {message}"), problem


def test_power_must_stay_positive_under_its_range() -> None:
    text = _text().replace("  - id: b\n", "  - id: b\n    power: {value: 1, range: [0, 2]}\n")
    (problem,) = _problems(text)
    assert problem == (
        "u.yaml:7: parties[1].power: must be positive, but its range reaches 0; narrow the range"
    )


def test_schema_accepts_uncertain_numbers_and_refuses_empty_ones() -> None:
    data = yaml.safe_load(
        _text(
            reservation="{range: [0.1, 0.4], rationale: why}",
            weight="{distribution: {triangular: [1, 2, 3]}}",
        )
    )
    jsonschema.validate(data, schema())
    data["parties"][0]["reservation_value"] = {"rationale": "no number"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema())


def _uncertain(draw: st.DrawFn, v: float, *, nonnegative: bool) -> Number:
    kind = draw(st.sampled_from(["range", "uniform", "triangular", "normal", "zero"]))
    lo = v - draw(st.integers(0, 3)) / 10
    hi = v + draw(st.integers(0, 3)) / 10
    if nonnegative:
        lo = max(lo, 0.0)
    if kind == "range":
        return Number(value=v, range=(lo, hi), rationale="r")
    if kind == "uniform":
        return Number(value=v, distribution=Distribution(uniform=(lo, hi)))
    if kind == "triangular":
        return Number(value=v, distribution=Distribution(triangular=(lo, v, hi)))
    if kind == "normal":
        return Number(
            value=v,
            distribution=Distribution(normal=Normal(mean=v, sd=0.1, min=lo if nonnegative else None, max=hi)),
        )
    return Number(value=v, range=(v, v))


@st.composite
def uncertain_scenarios(draw: st.DrawFn) -> Scenario:
    """Random scenarios (tests/strategies.py) with some of their reservation values, weights and
    option values made uncertain: ranges, uniform, triangular and truncated normal."""
    s = draw(scenarios(max_issues=3, max_options=3))
    maybe = st.booleans()
    parties = tuple(
        p.model_copy(update={"reservation_value": _uncertain(draw, p.reservation, nonnegative=False)})
        if draw(maybe)
        else p
        for p in s.parties
    )
    prefs = {}
    for pid, pref in s.preferences.items():
        weights: dict[str, Any] = {
            k: _uncertain(draw, value_of(w), nonnegative=True) if draw(maybe) else w
            for k, w in pref.weights.items()
        }
        values: dict[str, Any] = {}
        for k, table in pref.values.items():
            if isinstance(table, PiecewiseLinear):
                values[k] = PiecewiseLinear(
                    points=[
                        (x, _uncertain(draw, value_of(y), nonnegative=True) if draw(maybe) else y)
                        for x, y in table.points
                    ]
                )
            else:
                values[k] = {
                    o: _uncertain(draw, value_of(y), nonnegative=True) if draw(maybe) else y
                    for o, y in table.items()
                }
        prefs[pid] = pref.model_copy(update={"weights": weights, "values": values})
    return Scenario.model_validate(
        {
            **s.model_dump(),
            "parties": [p.model_dump() for p in parties],
            "preferences": {k: v.model_dump() for k, v in prefs.items()},
        }
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uncertain_scenarios())
def test_round_trip_of_uncertain_scenarios_is_lossless_and_schema_valid(scenario: Scenario) -> None:
    text = dumps(scenario)
    assert loads(text) == scenario
    assert dumps(loads(text)) == text
    jsonschema.validate(yaml.safe_load(text), schema())


@pytest.mark.parametrize("name", sorted(accord.bundled_scenarios()))
def test_bundled_scenarios_round_trip_with_their_uncertainty(name: str) -> None:
    scenario = accord.load(name)
    assert loads(dumps(scenario)) == scenario
