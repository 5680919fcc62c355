"""Scenario files: located errors, YAML quirks, lossless round trip, and the JSON Schema."""

from __future__ import annotations

import textwrap

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import ScenarioError
from accord.io import dumps, load_file, loads, schema
from accord.model import Scenario
from tests.strategies import scenarios

GOOD = textwrap.dedent("""\
    format: accord/1
    id: tiny
    parties:
      - id: a
        reservation_value: {value: 0.3, rationale: "walk-away price"}
      - id: b
    issues:
      - id: price
        range: {kind: integer, min: 100, max: 200, step: 50}
      - id: extras
        options:
          - {id: "yes"}
          - {id: no}
    preferences:
      a:
        weights: {price: 2, extras: 1}
        values:
          price: {points: [[100, 1], [200, 0]]}
          extras: {yes: 3, no: 1}
        red_lines:
          - when: {extras: no, price: {min: 200}}
            rationale: too much for nothing
      b:
        weights: {price: 1, extras: 0}
        values:
          price: {points: [[100, 0], [200, 1]]}
    """)


def _error(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        loads(text, file="s.yaml")
    return info.value


def test_a_valid_file_loads_with_yes_and_no_as_option_ids() -> None:
    s = loads(GOOD)
    assert s.issue("extras").values() == ("yes", "no")
    assert s.issue("price").values() == (100, 150, 200)
    assert s.n_packages == 6


def test_unknown_key_names_file_line_and_field() -> None:
    e = _error(GOOD.replace("  - id: extras\n", "  - id: extras\n    nmae: Extras\n"))
    assert str(e) == "s.yaml:11: issues[1].nmae: unknown key 'nmae'; remove it or check its spelling"


def test_wrong_type_is_located() -> None:
    e = _error(GOOD.replace("weights: {price: 1, extras: 0}", "weights: {price: one, extras: 0}"))
    (problem,) = e.problems
    assert problem.line == 24 and problem.field == "preferences.b.weights.price"
    assert "expected a number, or a mapping" in problem.message and "'one'" in problem.message


def test_dangling_references_each_get_a_problem() -> None:
    text = GOOD.replace("extras: {yes: 3, no: 1}", "extras: {yes: 3, maybe: 1}").replace(
        "when: {extras: no,", "when: {extra: no,"
    )
    messages = [p.describe("s.yaml") for p in _error(text).problems]
    assert (
        "s.yaml:19: preferences.a.values.extras.maybe: issue 'extras' has no option 'maybe'; "
        "options are yes, no" in messages
    )
    assert any("no value for option 'no'" in m for m in messages)
    assert any(
        m.startswith("s.yaml:21: preferences.a.red_lines[0].when.extra: no issue 'extra'") for m in messages
    )


def test_missing_weight_and_zero_weights_are_errors() -> None:
    e = _error(GOOD.replace("weights: {price: 1, extras: 0}", "weights: {price: 0}"))
    text = str(e)
    assert "no weight for issue 'extras'; add `extras: 0`" in text
    assert "weights sum to zero" in text


def test_empty_issue_and_duplicate_ids_are_errors() -> None:
    e = _error(GOOD.replace('    options:\n      - {id: "yes"}\n      - {id: no}\n', "    options: []\n"))
    assert "an issue needs at least one option" in str(e)
    e = _error(GOOD.replace("  - id: b\n", "  - id: a\n"))
    assert "duplicate id 'a'" in str(e)


def test_broken_yaml_and_wrong_format_are_clear() -> None:
    assert "s.yaml:4: not valid YAML" in str(_error(GOOD.replace("parties:\n", "parties: [\n")))
    assert "expected `format: accord/1`" in str(_error(GOOD.replace("accord/1", "accord/9")))
    assert "a scenario file is a mapping" in str(_error("- 1\n- 2\n"))


def test_duplicate_keys_are_refused() -> None:
    assert "duplicate key 'id'" in str(_error(GOOD.replace("id: tiny", "id: tiny\nid: other")))


def test_missing_and_oversized_files(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    with pytest.raises(ScenarioError, match=r"absent\.yaml: cannot be read: No such file"):
        load_file(tmp_path / "absent.yaml")
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (21 * 1024 * 1024))
    with pytest.raises(ScenarioError, match="more than the limit of 5,242,880"):
        load_file(big)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(powers=True, discounts=True, real_ranges=True, constraints=True))
def test_round_trip_is_lossless(scenario: Scenario) -> None:
    text = dumps(scenario)
    assert loads(text) == scenario
    assert dumps(loads(text)) == text


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(powers=True, discounts=True, real_ranges=True, constraints=True))
def test_every_valid_scenario_satisfies_the_schema(scenario: Scenario) -> None:
    jsonschema.validate(yaml.safe_load(dumps(scenario)), schema())


def test_schema_rejects_unknown_keys() -> None:
    data = yaml.safe_load(GOOD.replace("id: tiny", "id: tiny\ncolour: red"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema())


def test_a_stray_comma_in_a_value_table_gives_one_precise_error() -> None:
    text = GOOD.replace("extras: {yes: 3, no: 1}", "extras: {yes: {value: 3, rationale: big, small}, no: 1}")
    (problem,) = _error(text).problems
    assert problem.field == "preferences.a.values.extras.yes.small"
    assert problem.message.startswith("unknown key 'small'")


def test_alias_bombs_are_refused_before_they_are_built() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 8):
        prev, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        levels.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]")
    text = "format: accord/1\n" + "\n".join(levels) + "\nid: x\nparties: *h\n"
    assert "expands to more than" in str(_error(text))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mangled_files_give_a_scenario_or_a_scenario_error(data: st.DataObject) -> None:
    # Byte-level damage to a real file: deletions, insertions and truncation.
    text = GOOD
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        kind = data.draw(st.sampled_from(["cut", "insert", "truncate"]))
        if kind == "cut":
            text = text[:at] + text[at + data.draw(st.integers(1, 12)) :]
        elif kind == "insert":
            text = text[:at] + data.draw(st.text(alphabet=" :-[]{}\n,'\"&*!x0.5", max_size=6)) + text[at:]
        else:
            text = text[:at]
    try:
        loads(text)
    except ScenarioError as exc:
        assert str(exc)
