"""A validated scenario cannot change (issue 10 §3): every container inside it refuses to be
changed, and a changed copy is validated like a new scenario."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from pydantic import BaseModel

import accord
from accord.errors import ScenarioError
from accord.io import dumps, loads
from accord.model import FrozenDict, Party, Preferences, RedLine, Scenario

BUNDLED = sorted(accord.bundled_scenarios())
SCALARS = (str, int, float, bool, type(None))


def _containers(obj: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Every model, mapping and sequence inside ``obj`` (itself included), with its place."""
    if isinstance(obj, SCALARS):
        return
    yield path, obj
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _containers(getattr(obj, name), f"{path}.{name}")
    elif isinstance(obj, Mapping):
        for key, value in obj.items():
            yield from _containers(value, f"{path}[{key!r}]")
    elif isinstance(obj, tuple):
        for n, value in enumerate(obj):
            yield from _containers(value, f"{path}[{n}]")
    else:
        raise AssertionError(f"{path}: a {type(obj).__name__} inside the model")


def _refuses_every_change(path: str, obj: Any) -> None:
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            with pytest.raises((TypeError, ValueError)):  # pydantic's frozen_instance error
                setattr(obj, name, getattr(obj, name))
            with pytest.raises((TypeError, ValueError, AttributeError)):
                delattr(obj, name)
        return
    assert not isinstance(obj, dict | list | set | bytearray), path
    if isinstance(obj, Mapping):
        assert isinstance(obj, FrozenDict), path
        key = next(iter(obj), "new")
        with pytest.raises(TypeError):
            obj[key] = None  # type: ignore[index]
        with pytest.raises(TypeError):
            del obj[key]  # type: ignore[attr-defined]
        for method in ("update", "pop", "popitem", "clear", "setdefault", "__ior__"):
            assert not hasattr(obj, method), (path, method)
        with pytest.raises(AttributeError):
            obj._items = {}  # type: ignore[misc]
        with pytest.raises(TypeError):
            obj._items[key] = None  # type: ignore[index]  # the proxy inside is read-only too
    else:
        assert isinstance(obj, tuple), path
        with pytest.raises(TypeError):
            obj[0] = None  # type: ignore[index]


@pytest.mark.parametrize("name", BUNDLED)
def test_no_container_of_a_bundled_scenario_can_be_changed(name: str) -> None:
    scenario = accord.load(name)
    found = list(_containers(scenario, name))
    kinds = {type(obj) for _, obj in found}
    assert FrozenDict in kinds and tuple in kinds  # the walk reached the tables and the lists
    for path, obj in found:
        _refuses_every_change(path, obj)
    assert scenario == accord.load(name)


def test_the_change_the_issue_reports_is_refused_and_the_answer_stays() -> None:
    scenario = accord.load("ceasefire-2025")
    before = accord.analyze(scenario).to_dict()
    party = scenario.parties[0].id
    prefs = scenario.preferences[party]
    issue = next(iter(prefs.weights))
    with pytest.raises(TypeError):
        prefs.weights[issue] = 1000.0  # type: ignore[index]
    with pytest.raises(AttributeError):
        prefs.red_lines.append(None)  # type: ignore[attr-defined]
    assert accord.analyze(scenario).to_dict() == before


def _small() -> Scenario:
    return loads(
        """
format: accord/1
id: small
parties: [{id: a, reservation_value: 0.2}, {id: b, power: 2}]
issues:
  - {id: x, options: [{id: lo}, {id: hi}]}
  - {id: y, range: {kind: integer, min: 0, max: 4}}
preferences:
  a:
    weights: {x: 1, y: 1}
    values: {x: {lo: 0, hi: 1}, y: {points: [[0, 0], [4, 1]]}}
    red_lines: [{when: {x: [lo], y: {max: 1}}}]
  b:
    weights: {x: 2, y: 1}
    values: {x: {lo: 1, hi: 0}, y: {points: [[0, 1], [4, 0]]}}
    interactions: [{when: {x: hi, y: [3, 4]}, value: 0.1}]
"""
    )


def test_lists_of_the_file_are_tuples_and_tables_frozen_dicts() -> None:
    s = _small()
    a, b = s.preferences["a"], s.preferences["b"]
    assert isinstance(s.preferences, FrozenDict)
    assert isinstance(a.weights, FrozenDict) and isinstance(a.values["x"], FrozenDict)
    assert a.red_lines[0].when["x"] == ("lo",) and isinstance(a.red_lines[0].when, FrozenDict)
    assert b.interactions[0].when["y"] == (3, 4)
    assert a.values["y"].points == ((0.0, 0.0), (4.0, 1.0))  # type: ignore[union-attr]
    # A frozen table still compares equal to the dict it was made from, and reads like one.
    assert a.weights == {"x": 1.0, "y": 1.0} and a.weights == {"x": 1.0, "y": 1.0}
    assert dict(a.weights) == {"x": 1.0, "y": 1.0} and {**a.weights} == dict(a.weights)
    assert a.weights.get("z") is None and a.weights.get("z", 3) == 3 and "x" in a.weights


def test_a_frozen_scenario_pickles_copies_and_hashes() -> None:
    s = _small()
    for again in (pickle.loads(pickle.dumps(s)), copy.copy(s), copy.deepcopy(s)):
        assert again == s and dumps(again) == dumps(s)
        assert isinstance(again.preferences["a"].weights, FrozenDict)
    assert hash(s) == hash(pickle.loads(pickle.dumps(s)))
    assert hash(FrozenDict({"a": 1})) == hash(FrozenDict({"a": 1}))


def test_the_yaml_of_a_frozen_scenario_is_unchanged() -> None:
    for name in BUNDLED:
        scenario = accord.load(name)
        text = dumps(scenario)
        assert loads(text) == scenario and dumps(loads(text)) == text


# -- a changed copy is validated --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("update", "field"),
    [
        ({"discount_factor": 2.0}, "discount_factor"),
        ({"reservation_value": "0.3"}, "reservation_value"),
        ({"id": ""}, "id"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_copy_of_a_party_with_an_invalid_update_is_refused(update: dict[str, Any], field: str) -> None:
    party = _small().parties[0]
    with pytest.raises(ScenarioError) as caught:
        party.model_copy(update=update)
    assert caught.value.problems[0].field == field


def test_a_copy_of_preferences_with_an_invalid_update_is_refused() -> None:
    prefs = _small().preferences["a"]
    with pytest.raises(ScenarioError, match=r"red_lines\[0\]"):
        prefs.model_copy(update={"red_lines": [None]})
    with pytest.raises(ScenarioError, match=r"weights\.x"):
        prefs.model_copy(update={"weights": {"x": "heavy", "y": 1}})
    # A valid update is validated too: its list becomes a tuple, its dict a frozen table.
    copied = prefs.model_copy(update={"red_lines": [RedLine(when={"x": "hi"})], "weights": {"x": 1, "y": 2}})
    assert isinstance(copied.red_lines, tuple) and isinstance(copied.weights, FrozenDict)
    assert copied.red_lines[0].when == {"x": "hi"} and copied.weights["y"] == 2.0


def test_a_copy_of_a_scenario_with_an_inconsistent_update_is_refused() -> None:
    s = _small()
    bad = Preferences(weights={"x": 1, "nowhere": 1}, values={"x": {"lo": 0, "hi": 1}})
    with pytest.raises(ScenarioError, match=r"preferences\.a\.weights\.nowhere: no issue 'nowhere'"):
        s.model_copy(update={"preferences": {**s.preferences, "a": bad}})
    with pytest.raises(ScenarioError, match="party 'b' has no preferences"):
        s.model_copy(update={"preferences": {"a": s.preferences["a"]}})
    too_high = Party(id="a", reservation_value=5.0)
    with pytest.raises(ScenarioError, match=r"parties\[0\]\.reservation_value: 5 is above the best utility"):
        s.model_copy(update={"parties": (too_high, s.parties[1])})
    # Without an update the copy is the same scenario; with a valid one, only that field moved.
    assert s.model_copy() == s
    renamed = s.model_copy(update={"name": "renamed"})
    assert renamed.name == "renamed" and renamed.model_copy(update={"name": None}) == s


def test_a_restricted_scenario_is_valid_and_keeps_only_its_parties() -> None:
    s = loads(
        dumps(_small()).replace("preferences:", "blocs: {ab: [a, b], bb: [b]}\nsequence: a, b\npreferences:")
    )
    only_a = s.restricted_to(["a"])
    assert only_a.party_ids == ("a",) and set(only_a.preferences) == {"a"}
    assert dict(only_a.blocs) == {"ab": ("a",)} and only_a.sequence is None
    assert only_a.required == ("a",)
