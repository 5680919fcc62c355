"""Genius XML folders: the ANAC corpus, hand-checked utilities, round trips, hostile files."""

from __future__ import annotations

import itertools
import random
import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import AccordError, ImportFormatError
from accord.io.genius_xml import read_genius, write_genius
from accord.model import (
    Interaction,
    PiecewiseLinear,
    Preferences,
    RangeCondition,
    RedLine,
    Scenario,
    value_of,
)

from ..corpus import CORPUS, DATA, FOLDERS, needs_corpus

# -- an evaluator written from the model's documented normalisation --------------------------


def _interpolate(points: list[tuple[float, float]], x: float) -> float:
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


def _holds(cond: object, value: object) -> bool:
    if isinstance(cond, RangeCondition):
        assert isinstance(value, int | float)
        return (cond.min is None or value >= cond.min) and (cond.max is None or value <= cond.max)
    if isinstance(cond, tuple):
        return value in cond
    return bool(cond == value)


def utility(scenario: Scenario, party: str, package: Mapping[str, object]) -> float:
    """u = sum_i (w_i / W) * v_i / max v_i + interactions, as preferences.py documents."""
    prefs = scenario.preferences[party]
    weights = {k: value_of(v) for k, v in prefs.weights.items()}
    total = sum(weights.values())
    u = 0.0
    for issue in scenario.issues:
        w = weights.get(issue.id, 0.0)
        if w == 0:
            continue
        values = prefs.values[issue.id]
        x = package[issue.id]
        if isinstance(values, PiecewiseLinear):
            points = [(px, value_of(pv)) for px, pv in values.points]
            top = max(_interpolate(points, float(g)) for g in issue.values())
            assert isinstance(x, int | float)
            u += w / total * _interpolate(points, float(x)) / top
        else:
            top = max(value_of(v) for v in values.values())
            u += w / total * value_of(values[str(x)]) / top
    for inter in prefs.interactions:
        if all(_holds(c, package[k]) for k, c in inter.when.items()):
            u += value_of(inter.value)
    return u


# -- an independent reading of Genius's own formulas, straight from the XML -------------------


def _genius_additive(profile: Path, package_by_name: Mapping[str, str | int]) -> float:
    """AdditiveUtilitySpace.getUtility before its cap: sum_i w_i * e_i (no weight division)."""
    objective = ET.parse(profile).getroot().find("objective")
    assert objective is not None
    weights = {w.get("index"): float(w.get("value", "0")) for w in objective.findall("weight")}
    total = 0.0
    for issue in objective.findall("issue"):
        x = package_by_name[issue.get("name", "")]
        evaluator = issue.find("evaluator")
        if evaluator is not None:  # EvaluatorInteger: clamp(offset + slope * (x - lowerbound))
            assert isinstance(x, int)
            line = float(evaluator.get("offset", "0")) + float(evaluator.get("slope", "0")) * (
                x - int(issue.get("lowerbound", "0"))
            )
            e = min(1.0, max(0.0, line))
        else:  # EvaluatorDiscrete: evaluation / largest evaluation (a later duplicate wins)
            table = {item.get("value"): float(item.get("evaluation", "0")) for item in issue.findall("item")}
            top = max(table.values())
            e = 0.0 if top < 1e-5 else table[str(x)] / top
        total += weights[issue.get("index")] * e
    return total


def _genius_nonlinear(profile: Path, package_by_index: Mapping[int, int]) -> float:
    """NonlinearUtilitySpace.getUtility: min(1, sum of satisfied rectangles / maxutility)."""
    utility_elem = ET.parse(profile).getroot().find("objective/utility")
    assert utility_elem is not None
    total = 0.0
    for rect in utility_elem.iter("hyperRectangle"):
        if all(
            int(b.get("min", "0")) <= package_by_index[int(b.get("index", "0"))] <= int(b.get("max", "0"))
            for b in rect.findall("INCLUDES")
        ):
            total += float(rect.get("utility", "0"))
    return min(1.0, total / float(utility_elem.get("maxutility", "1")))


def _random_packages(scenario: Scenario, n: int, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    return [{i.id: rng.choice(i.values()) for i in scenario.issues} for _ in range(n)]


def _by_name(scenario: Scenario, package: Mapping[str, object]) -> dict[str, str | int]:
    out: dict[str, str | int] = {}
    for issue in scenario.issues:
        x = package[issue.id]
        if issue.options is not None:
            option = next(o for o in issue.options if o.id == x)
            x = option.label if option.label is not None else option.id
        assert isinstance(x, str | int)
        out[issue.name or issue.id] = x
    return out


# -- the corpus -------------------------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize("name", FOLDERS)
def test_every_corpus_domain_imports(name: str) -> None:
    scenario = read_genius(CORPUS / name)
    assert len(scenario.parties) >= 2
    assert set(scenario.preferences) == set(scenario.party_ids)
    for party in scenario.parties:
        assert party.discount_factor is None or 0 < party.discount_factor <= 1


@needs_corpus
def test_corpus_has_the_37_documented_domains() -> None:
    assert len(FOLDERS) == 37


@needs_corpus
def test_laptop_utilities_match_a_hand_computation_from_the_xml() -> None:
    scenario = read_genius(CORPUS / "Laptop")
    # laptop_buyer_utility.xml: weights 0.4452125771655631, 0.37808251708013424,
    # 0.1767567099260568 (they sum to 1.000051804171754, which accord divides by);
    # evaluations Dell 12 / Macintosh 20 / HP 30, 60 Gb 30 / 80 Gb 20 / 120 Gb 9,
    # 19'' 30 / 20'' 10 / 23'' 20, each divided by its issue's largest (30).
    w1, w2, w3 = 0.4452125771655631, 0.37808251708013424, 0.1767567099260568
    total = w1 + w2 + w3
    cases = {
        ("Dell", "60 Gb", "19'' LCD"): (w1 * 12 / 30 + w2 * 30 / 30 + w3 * 30 / 30) / total,
        ("HP", "80 Gb", "20'' LCD"): (w1 * 30 / 30 + w2 * 20 / 30 + w3 * 10 / 30) / total,
        ("Macintosh", "120 Gb", "23'' LCD"): (w1 * 20 / 30 + w2 * 9 / 30 + w3 * 20 / 30) / total,
    }
    for (laptop, disk, monitor), expected in cases.items():
        package = {"Laptop": laptop, "Harddisk": disk, "External Monitor": monitor}
        assert utility(scenario, "laptop_buyer_utility", package) == pytest.approx(expected, abs=1e-12)
    # Genius gives 0.7329242578724 for this package (no weight division); accord that / total.
    assert utility(
        scenario,
        "laptop_buyer_utility",
        {"Laptop": "Dell", "Harddisk": "60 Gb", "External Monitor": "19'' LCD"},
    ) == pytest.approx(0.7329242578724 / 1.000051804171754, abs=1e-12)
    buyer = scenario.party("laptop_buyer_utility")
    assert buyer.reservation == 0.0
    assert buyer.discount_factor == pytest.approx(0.42441038)


@needs_corpus
@pytest.mark.parametrize("name", [n for n in FOLDERS if n != "10issues"])
def test_additive_utilities_equal_genius_up_to_the_weight_sum(name: str) -> None:
    scenario = read_genius(CORPUS / name)
    for party in scenario.party_ids:
        profile = CORPUS / name / f"{party}.xml"
        packages = _random_packages(scenario, 40, seed=len(name))
        best = max(
            _genius_additive(profile, _by_name(scenario, p))
            for p in _random_packages(scenario, 1, 0) + packages
        )
        ratios = []
        for package in packages:
            genius = _genius_additive(profile, _by_name(scenario, package))
            ours = utility(scenario, party, package)
            if genius > 1e-9:
                ratios.append(genius / ours)
            else:
                assert ours == pytest.approx(0.0, abs=1e-12)
        # accord = Genius / A for one constant A (the weight sum), A = 1 in most files
        assert max(ratios) == pytest.approx(min(ratios), rel=1e-9), (party, best)
        if scenario.preferences[party].rationale is None:
            assert ratios[0] == pytest.approx(1.0, rel=1e-9)


@needs_corpus
def test_nonlinear_10issues_equals_genius_for_every_sampled_package() -> None:
    scenario = read_genius(CORPUS / "10issues")
    index_of = {f"c1-i{11 - k}": k for k in range(1, 11)}  # index 1 is c1-i10, ..., 10 is c1-i1
    packages = _random_packages(scenario, 1500, seed=7)
    packages += [{i.id: v for i in scenario.issues} for v in (0, 9)]
    for party in scenario.party_ids:
        profile = CORPUS / "10issues" / f"{party}.xml"
        for package in packages:
            by_index = {index_of[k]: int(v) for k, v in package.items()}  # type: ignore[call-overload]
            assert utility(scenario, party, package) == pytest.approx(
                _genius_nonlinear(profile, by_index), abs=1e-12
            )
    assert all(isinstance(v, int) for v in scenario.issues[0].values())


@needs_corpus
@pytest.mark.parametrize("name", FOLDERS)
def test_read_write_read_gives_an_equal_scenario(name: str, tmp_path: Path) -> None:
    first = read_genius(CORPUS / name)
    out = tmp_path / name
    write_genius(first, out)
    second = read_genius(out)
    # A profile whose Genius weights do not sum to 1 carries a rationale saying so, and so does
    # its reservation value, divided by the same sum; the written profile's weights sum to 1, so
    # they carry none. Everything else is equal.
    expected = first.model_copy(
        update={
            "preferences": {
                k: p.model_copy(update={"rationale": None}) for k, p in first.preferences.items()
            },
            "parties": tuple(
                p.model_copy(update={"reservation_value": p.reservation}) for p in first.parties
            ),
        }
    )
    assert second == expected


@needs_corpus
def test_quirky_domains_import_faithfully() -> None:
    ampo = read_genius(CORPUS / "AMPOvsCity")  # no `type`, indices from 2, duplicate items
    salaries = ampo.preferences["ampo_vs_city_ampo_space"].values["Increase in starting salaries"]
    assert isinstance(salaries, Mapping)
    assert value_of(salaries["0"]) == 8.0  # the later of two `value="0"` items wins, as in Genius
    fitness = read_genius(CORPUS / "FitnessA")  # the objective's own weight (index 1) is ignored
    assert sum(value_of(w) for w in fitness.preferences["Fitness-A-prof1"].weights.values()) == (
        pytest.approx(1.0)
    )
    robot = read_genius(CORPUS / "KillerRobot")  # integer issues with linear evaluators
    guns = robot.issue("Guns")
    assert guns.range is not None and guns.values() == tuple(range(1, 11))


# -- hostile and broken inputs ----------------------------------------------------------------


def _copy(name: str, tmp_path: Path) -> Path:
    """A copy of a hand-written fixture (tests/data/genius), to break."""
    out = tmp_path / name
    shutil.copytree(DATA / "genius" / name, out)
    return out


def _expect_error(folder: Path, file_name: str, *words: str) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as info:
        read_genius(folder)
    message = str(info.value)
    assert file_name in message
    for word in words:
        assert word in message
    return info.value


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<utility_space><objective>&lol3;</objective></utility_space>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<utility_space><objective name="&xxe;"/></utility_space>
"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "xxe"])
def test_entity_declarations_are_refused(payload: str, tmp_path: Path) -> None:
    folder = _copy("Workshop", tmp_path)
    (folder / "workshop_b.xml").write_text(payload)
    _expect_error(folder, "workshop_b.xml", "entities")


def test_truncated_profile_is_refused(tmp_path: Path) -> None:
    folder = _copy("Workshop", tmp_path)
    profile = folder / "workshop_a.xml"
    profile.write_bytes(profile.read_bytes()[:1200])
    _expect_error(folder, "workshop_a.xml", "truncated")


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    folder = _copy("Workshop", tmp_path)
    with pytest.raises(ImportFormatError, match=r"workshop_a\.xml.*limit"):
        read_genius(folder, max_file_bytes=1500)


def test_missing_profiles_are_refused(tmp_path: Path) -> None:
    folder = _copy("Rectangles", tmp_path)
    for name in ("rect_one.xml", "rect_two.xml"):
        (folder / name).unlink()
    _expect_error(folder, "rectangles_domain.xml", "missing profiles")
    workshop = _copy("Workshop", tmp_path)  # its template names its profiles, as AMPOvsCity's does
    (workshop / "workshop_b.xml").unlink()
    _expect_error(workshop, "workshop_domain.xml", "workshop_b.xml", "missing")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_profile_naming_an_unknown_issue_or_option_is_refused(tmp_path: Path) -> None:
    folder = _copy("Workshop", tmp_path)
    _edit(folder / "workshop_a.xml", 'name="Guns"', 'name="Gun"')
    _expect_error(folder, "workshop_a.xml", "Gun")
    folder = _copy("Workshop", tmp_path / "2")
    _edit(folder / "workshop_b.xml", 'value="Lens cap"', 'value="Lens hood"')
    _expect_error(folder, "workshop_b.xml", "Lens hood")


def test_negative_and_all_zero_weights_are_refused(tmp_path: Path) -> None:
    folder = _copy("Workshop", tmp_path)
    _edit(folder / "workshop_b.xml", '<weight index="2" value="0.3"/>', '<weight index="2" value="-0.2"/>')
    _expect_error(folder, "workshop_b.xml", "negative weight")
    folder = _copy("Workshop", tmp_path / "2")
    profile = folder / "workshop_b.xml"
    for index, weight in (("1", "0.4"), ("2", "0.3"), ("4", "0.2"), ("7", "0.1")):
        _edit(profile, f'<weight index="{index}" value="{weight}"/>', f'<weight index="{index}" value="0"/>')
    _expect_error(folder, "workshop_b.xml", "zero")


def test_duplicate_issue_names_are_refused(tmp_path: Path) -> None:
    folder = _copy("Workshop", tmp_path)
    _edit(folder / "workshop_domain.xml", 'name="Guns"', 'name="Share, in %"')
    _expect_error(folder, "workshop_domain.xml", "duplicate issue name")


def test_a_file_instead_of_a_folder_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "domain.xml"
    file.write_text("<negotiation_template/>")
    with pytest.raises(ImportFormatError, match="not a folder"):
        read_genius(file)


# -- writing what Genius cannot express -------------------------------------------------------


def _with(scenario: Scenario, party: str, prefs: Preferences) -> Scenario:
    return scenario.model_copy(update={"preferences": {**scenario.preferences, party: prefs}})


def test_writing_refuses_what_genius_cannot_express(tmp_path: Path) -> None:
    workshop = read_genius(DATA / "genius" / "Workshop")
    buyer = workshop.preferences["workshop_a"]
    red = buyer.model_copy(update={"red_lines": [RedLine(when={" Accessory": "Strap"})]})
    with pytest.raises(ImportFormatError, match="red lines"):
        write_genius(_with(workshop, "workshop_a", red), tmp_path / "a")
    mixed = buyer.model_copy(update={"interactions": [Interaction(when={" Accessory": "Strap"}, value=0.1)]})
    with pytest.raises(ImportFormatError, match="interactions in an additive profile"):
        write_genius(_with(workshop, "workshop_a", mixed), tmp_path / "b")
    robot = workshop
    party = robot.party_ids[0]
    bent = robot.preferences[party].model_copy(
        update={
            "values": {
                **robot.preferences[party].values,
                "Guns": PiecewiseLinear(points=[(1, 0.0), (3, 1.0), (5, 0.0)]),
            }
        }
    )
    with pytest.raises(ImportFormatError, match="straight line"):
        write_genius(_with(robot, party, bent), tmp_path / "c")


# -- fuzzing ----------------------------------------------------------------------------------

FUZZ_FOLDERS = ["Workshop", "Rectangles", "CarC", "Bookshop"]  # hand-written, in tests/data/genius


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    folder=st.sampled_from(FUZZ_FOLDERS),
    pick=st.integers(min_value=0, max_value=10),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_mutated_corpus_files_give_a_scenario_or_an_accord_error(
    folder: str, pick: int, flips: list[tuple[float, int]], cut: float | None
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / folder
        shutil.copytree(DATA / "genius" / folder, out)
        files = sorted(out.glob("*.xml"))
        target = files[pick % len(files)]
        data = bytearray(target.read_bytes())
        for where, byte in flips:
            data[int(where * len(data))] = byte
        if cut is not None:
            data = data[: int(cut * len(data))]
        target.write_bytes(bytes(data))
        try:
            result = read_genius(out)
        except AccordError:
            return
        assert isinstance(result, Scenario)
