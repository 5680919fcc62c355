"""GeniusWeb JSON folders: hand-made files in both spellings, the corpus round trip, hostile input.

The layouts follow the GeniusWeb sources (Python port 1.2.1, vendored in
autoneg/negmas-geniusweb-bridge under vendor/geniusweb-1.2.1): ``LinearAdditiveUtilitySpace``
(issueUtilities, issueWeights, domain, name, reservationBid), ``DiscreteValueSetUtilities``
(valueUtilities), ``NumberValueSetUtilities`` (lowValue, lowUtility, highValue, highUtility; its
test ``NumberValSetUtilsTest`` gives 0.65 at 2000 for 1000->0.4, 3000->0.9), ``NumberValueSet``
(``{"range": {"low", "high", "step"}}``, test ``NumberValueSetTest``), and the older spellings
``discreteutils``/``numberutils`` used by ANAC 2020-2021 profiles.
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import accord
from accord.errors import AccordError, ImportFormatError
from accord.io.genius_xml import read_genius
from accord.io.geniusweb_json import read_geniusweb, write_geniusweb
from accord.model import Scenario

from ..corpus import CORPUS, needs_corpus

DOMAIN: dict[str, Any] = {
    "name": "jobs",
    "issuesValues": {
        "salary": {"range": {"low": 1000, "high": 3000, "step": 500}},
        "lease car": {"values": ["yes", "no"]},
        "fte": {"values": ["0.6", "0.8", "1.0"]},
    },
}


def _profile(
    name: str,
    *,
    old: bool = False,
    weights: dict[str, Any] | None = None,
    reservation: dict[str, Any] | None = None,
) -> dict[str, Any]:
    discrete, number = (
        ("discreteutils", "numberutils") if old else ("DiscreteValueSetUtilities", "NumberValueSetUtilities")
    )
    return {
        "LinearAdditiveUtilitySpace": {
            "issueUtilities": {
                "salary": {
                    number: {"lowValue": 1000, "lowUtility": 0.4, "highValue": 3000, "highUtility": 0.9}
                },
                "lease car": {discrete: {"valueUtilities": {"yes": 1.0, "no": 0.25}}},
                "fte": {discrete: {"valueUtilities": {"0.6": 0.5, "0.8": 1.0, "1.0": 0.0}}},
            },
            "issueWeights": weights or {"salary": 0.5, "lease car": 0.2, "fte": 0.3},
            "domain": DOMAIN,
            "name": name,
            "reservationBid": None if reservation is None else {"issuevalues": reservation},
        }
    }


def _folder(tmp: Path, profiles: dict[str, Any], domain: Any = DOMAIN) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    if domain is not None:
        (tmp / "jobs.json").write_text(json.dumps(domain))
    for stem, data in profiles.items():
        (tmp / f"{stem}.json").write_text(data if isinstance(data, str) else json.dumps(data))
    return tmp


def _u(scenario: Scenario, party: str, package: dict[str, Any]) -> float:
    from accord.analysis.space import compile_space

    space = compile_space(scenario)
    index = [scenario.issue(k).index_of(package[k]) for k in scenario.issue_ids]
    return float(space.evaluate([index])[0][0, scenario.party_ids.index(party)])


def test_both_spellings_read_to_the_same_utilities(tmp_path: Path) -> None:
    new = read_geniusweb(_folder(tmp_path / "new", {"a": _profile("a"), "b": _profile("b")}))
    old = read_geniusweb(
        _folder(tmp_path / "old", {"a": _profile("a", old=True), "b": _profile("b", old=True)})
    )
    assert new.preferences == {
        k: p.model_copy(update={"source": new.preferences[k].source}) for k, p in old.preferences.items()
    }
    assert new.issue("salary").values() == (1000, 1500, 2000, 2500, 3000)
    assert new.issue("fte").values() == ("0.6", "0.8", "1.0")  # discrete values stay strings
    # GeniusWeb: 0.5 * (0.4 + 0.5 * 1000/2000) + 0.2 * 0.25 + 0.3 * 1.0 = 0.675 at salary 2000;
    # the weights times each issue's best (0.9, 1, 1) sum to 0.95, by which accord divides.
    package = {"salary": 2000, "lease car": "no", "fte": "0.8"}
    assert _u(new, "a", package) == pytest.approx(0.675 / 0.95, abs=1e-12)
    assert "0.95" in (new.preferences["a"].rationale or "")


def test_reservation_bid_gives_its_utility_and_is_itself_acceptable(tmp_path: Path) -> None:
    bid = {"salary": 1500, "lease car": "yes", "fte": "0.6"}
    scenario = read_geniusweb(_folder(tmp_path, {"a": _profile("a", reservation=bid), "b": _profile("b")}))
    expected = (0.5 * (0.4 + 0.5 * 0.25) + 0.2 * 1.0 + 0.3 * 0.5) / 0.95
    assert scenario.party("a").reservation == pytest.approx(expected, abs=2e-9)
    assert scenario.party("b").reservation == 0.0  # no reservation bid
    explanation = accord.explain(scenario, bid).to_dict()
    assert "a" not in explanation["rejected_by"]  # GeniusWeb: the bid is preferred-or-equal to itself
    result = accord.analyze(scenario)
    assert result.n_acceptable is not None and result.n_acceptable > 0


def test_profiles_alone_carry_the_domain(tmp_path: Path) -> None:
    scenario = read_geniusweb(_folder(tmp_path, {"a": _profile("a"), "b": _profile("b")}, domain=None))
    assert scenario.issue_ids == ("salary", "lease car", "fte")


BROKEN: list[tuple[str, Any, str]] = [
    ("invalid JSON", '{"LinearAdditiveUtilitySpace": {', "not valid JSON"),
    (
        "unknown issue",
        {"issueWeights": {"salary": 0.5, "lease car": 0.2, "fte": 0.3, "bonus": 0}},
        "no issue 'bonus'",
    ),
    ("negative weight", {"issueWeights": {"salary": 0.8, "lease car": -0.1, "fte": 0.3}}, "negative weight"),
    ("all-zero weights", {"issueWeights": {"salary": 0, "lease car": 0, "fte": 0}}, "every weight is zero"),
    ("wrong type", {"issueWeights": {"salary": "half", "lease car": 0.2, "fte": 0.3}}, "must be a number"),
    ("unknown value", {"reservationBid": {"issuevalues": {"fte": "0.7"}}}, "no value '0.7'"),
    ("off the range", {"reservationBid": {"issuevalues": {"salary": 1234}}}, "not on the range"),
]


@pytest.mark.parametrize(("label", "change", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_profiles_name_the_file_the_path_and_the_problem(
    tmp_path: Path, label: str, change: Any, message: str
) -> None:
    profile: Any = change if isinstance(change, str) else _profile("a")
    if isinstance(change, dict):
        profile["LinearAdditiveUtilitySpace"].update(change)
    with pytest.raises(ImportFormatError, match=message) as info:
        read_geniusweb(_folder(tmp_path, {"a": profile, "b": _profile("b")}))
    assert "a.json" in str(info.value)
    if not isinstance(change, str):
        assert "$.LinearAdditiveUtilitySpace" in str(info.value)


def test_utilities_outside_zero_one_and_bad_number_ends_are_refused(tmp_path: Path) -> None:
    profile = _profile("a")
    utils = profile["LinearAdditiveUtilitySpace"]["issueUtilities"]
    utils["lease car"]["DiscreteValueSetUtilities"]["valueUtilities"]["yes"] = 1.5
    with pytest.raises(ImportFormatError, match=r"\[0, 1\]"):
        read_geniusweb(_folder(tmp_path / "a", {"a": profile}))
    profile = _profile("a")
    profile["LinearAdditiveUtilitySpace"]["issueUtilities"]["salary"]["NumberValueSetUtilities"][
        "highValue"
    ] = 2900
    with pytest.raises(ImportFormatError, match="range ends at 3000"):
        read_geniusweb(_folder(tmp_path / "b", {"a": profile}))


def test_oversized_files_and_missing_profiles_are_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "big", {"a": _profile("a")})
    with pytest.raises(ImportFormatError, match="limit"):
        read_geniusweb(folder, max_file_bytes=100)
    with pytest.raises(ImportFormatError, match="no GeniusWeb profile"):
        read_geniusweb(_folder(tmp_path / "none", {}))


def test_bundled_car_sale_round_trips_with_identical_analysis(tmp_path: Path) -> None:
    original = accord.load("car-sale")
    write_geniusweb(original, tmp_path / "car")
    again = read_geniusweb(tmp_path / "car")
    a, b = accord.analyze(original).to_dict(), accord.analyze(again).to_dict()
    for key in ("scenario", "name"):
        a.pop(key), b.pop(key)
    assert a == b


def test_writer_refuses_red_lines_and_interactions(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="red lines"):
        write_geniusweb(accord.load("ceasefire-2025"), tmp_path / "c")
    with pytest.raises(ImportFormatError, match=r"red lines|interactions"):
        write_geniusweb(accord.load("three-towns"), tmp_path / "t")


CORPUS_ROUND_TRIP = [
    "Laptop",
    "AMPOvsCity",
    "KillerRobot",
    "JapanTrip",
    "ZoningPlan",
    "Camera",
    "TriangularFight",
    "FitnessA",
]


@needs_corpus
@pytest.mark.parametrize("name", CORPUS_ROUND_TRIP)
def test_corpus_to_geniusweb_and_back_gives_identical_analysis(name: str, tmp_path: Path) -> None:
    original = read_genius(CORPUS / name)
    write_geniusweb(original, tmp_path / name)
    again = read_geniusweb(tmp_path / name)
    a, b = accord.analyze(original).to_dict(), accord.analyze(again).to_dict()
    assert a == b


# -- fuzzing ----------------------------------------------------------------------------------


def _mutate(data: Any, path: list[int], replacement: Any) -> Any:
    """Replace the node reached by following ``path`` (indices into keys or items)."""
    if not path or not isinstance(data, dict | list) or not data:
        return replacement
    if isinstance(data, dict):
        key = list(data)[path[0] % len(data)]
        return {**data, key: _mutate(data[key], path[1:], replacement)}
    index = path[0] % len(data)
    return [*data[:index], _mutate(data[index], path[1:], replacement), *data[index + 1 :]]


JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 5000)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6)
    | st.sampled_from(["yes", "no", "0.8", "salary"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.integers(0, 2),
    path=st.lists(st.integers(0, 9), max_size=6),
    replacement=JSONISH,
    drop=st.booleans(),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_mutated_files_give_a_scenario_or_an_accord_error(
    which: int, path: list[int], replacement: Any, drop: bool, cut: float | None
) -> None:
    files: dict[str, Any] = {
        "a": _profile("a", reservation={"fte": "0.8"}),
        "b": _profile("b", old=True),
        "jobs": copy.deepcopy(DOMAIN),
    }
    name = list(files)[which]
    mutated = _mutate(files[name], path, replacement)
    if drop and isinstance(mutated, dict) and mutated:
        mutated.pop(next(iter(mutated)))
    text = json.dumps(mutated)
    if cut is not None:
        text = text[: int(cut * len(text))]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "jobs"
        folder.mkdir()
        for stem, data in files.items():
            (folder / f"{stem}.json").write_text(text if stem == name else json.dumps(data))
        try:
            result = read_geniusweb(folder)
        except AccordError:
            return
        assert isinstance(result, Scenario)
        shutil.rmtree(folder)
