"""The Genius and GeniusWeb readers on hand-written fixtures (tests/data), without the corpus.

Each fixture carries quirks the readers handle; the expected numbers are worked out by hand in
the comments from the files' own numbers and Genius's / GeniusWeb's formulas (see
accord.io.genius_xml and accord.io.geniusweb_json).
"""

from __future__ import annotations

import itertools
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import accord
from accord.io import read, read_genius, read_geniusweb, write_genius, write_geniusweb
from accord.model import Scenario, value_of

from ..corpus import DATA
from .test_genius_xml import utility

GENIUS = DATA / "genius"
GENIUSWEB = DATA / "geniusweb"


# -- Genius: Workshop (additive, every discrete and numeric quirk) -------------------------------


def test_ids_are_the_files_own_strings() -> None:
    s = read_genius(GENIUS / "Workshop")
    assert s.issue_ids == (" Accessory", "Share, in %", "Guns", "Speed = km/h")  # 1, 2, 4, 7
    share = s.issue("Share, in %")
    assert share.values() == ("33%,33%,33%", "50%,50%", "a=b", "5% + jobs ")
    assert all(o.label is None for o in share.options or ())
    assert s.issue("Guns").values() == (1, 2, 3, 4, 5)
    assert s.issue("Speed = km/h").values()[:3] == (0.0, 5.0, 10.0)  # Genius's 21 points


def test_workshop_utilities_are_genius_divided_by_the_weight_sum() -> None:
    s = read_genius(GENIUS / "Workshop")
    # workshop_a: weights 0.5, 0.25, 0.25, 0.25 (sum A = 1.25); the objective's weight is unused.
    # Strap is listed twice (1, then 2): the later counts, so Strap = 2/4. Guns:
    # clamp(0.2 + 0.2 (x - 1)); Speed: x / 100.
    a = "workshop_a"
    best = {" Accessory": "Lens cap", "Share, in %": "33%,33%,33%", "Guns": 5, "Speed = km/h": 100.0}
    assert utility(s, a, best) == pytest.approx(1.25 / 1.25, abs=1e-12)
    low = {" Accessory": "Strap", "Share, in %": "a=b", "Guns": 1, "Speed = km/h": 0.0}
    assert utility(s, a, low) == pytest.approx((0.5 * 2 / 4 + 0.25 * 0.2) / 1.25, abs=1e-12)
    mid = {" Accessory": "Strap", "Share, in %": "5% + jobs ", "Guns": 3, "Speed = km/h": 35.0}
    genius = 0.5 * 0.5 + 0.25 * 2.5 / 10 + 0.25 * 0.6 + 0.25 * 0.35
    assert utility(s, a, mid) == pytest.approx(genius / 1.25, abs=1e-12)
    assert value_of(s.preferences[a].values[" Accessory"]["Strap"]) == 2.0  # type: ignore[index]
    assert "1.25" in (s.preferences[a].rationale or "")
    # workshop_b: weights sum to 1, but Guns = clamp(1 - 0.2 x) is at best 0.8 (x = 1) and
    # Speed a constant 0.5, so A = 0.4 + 0.3 + 0.2 * 0.8 + 0.1 * 0.5 = 0.91.
    b = "workshop_b"
    top = {" Accessory": "Strap", "Share, in %": "a=b", "Guns": 1, "Speed = km/h": 20.0}
    assert utility(s, b, top) == pytest.approx(1.0, abs=1e-12)
    other = {" Accessory": "Lens cap", "Share, in %": "33%,33%,33%", "Guns": 5, "Speed = km/h": 0.0}
    assert utility(s, b, other) == pytest.approx((0.4 / 3 + 0.3 / 4 + 0.0 + 0.05) / 0.91, abs=1e-12)


def test_workshop_reservation_values_and_discount_factors() -> None:
    s = read_genius(GENIUS / "Workshop")
    a, b = s.party("workshop_a"), s.party("workshop_b")
    assert a.reservation == pytest.approx(0.4 / 1.25)  # divided as the weights are
    assert a.discount_factor == pytest.approx(0.8)
    assert b.reservation == 0.0  # no <reservation>: Genius's default
    assert b.discount_factor == 1.0  # 1.5 is replaced by 1 (validateDiscount)


def test_workshop_round_trips_through_genius_and_geniusweb(tmp_path: Path) -> None:
    first = read_genius(GENIUS / "Workshop")
    write_genius(first, tmp_path / "xml")
    again = read_genius(tmp_path / "xml")
    assert again.issues == first.issues
    for party in first.party_ids:
        assert again.party(party).reservation == pytest.approx(first.party(party).reservation)
    packages = [
        dict(zip(first.issue_ids, p, strict=True))
        for p in itertools.product(*(i.values() for i in first.issues))
    ]
    for party in first.party_ids:
        for package in packages[::7]:
            assert utility(again, party, package) == pytest.approx(utility(first, party, package), abs=1e-12)
    # GeniusWeb holds no real issue with an evaluator that is not one line: Speed is linear here.
    write_geniusweb(first, tmp_path / "json")
    web = read_geniusweb(tmp_path / "json")
    assert web.issue_ids == first.issue_ids
    assert web.issue("Share, in %").values() == first.issue("Share, in %").values()
    domain = json.loads(next((tmp_path / "json").glob("Workshop*.json")).read_text())
    assert domain["issuesValues"]["Share, in %"]["values"][0] == "33%,33%,33%"


def test_a_package_in_json_is_a_bid_of_the_source_files() -> None:
    s = read_genius(GENIUS / "Workshop")
    result = accord.analyze(s).to_dict()
    names = {
        e.get("name"): {i.get("value") for i in e.iter("item")}
        for e in ET.parse(GENIUS / "Workshop" / "workshop_domain.xml").iter("issue")
    }
    packages = [point["package"] for point in result["pareto_frontier"]] + [result["nash"]["package"]]
    for package in packages:
        for issue, option in package.items():
            assert issue in names
            if names[issue]:
                assert option in names[issue]


# -- Genius: Rectangles (non-linear, ANAC 2014) ---------------------------------------------------


def _rect_holds(rect: ET.Element, x: dict[int, int]) -> bool:
    inc, exc = rect.findall("INCLUDES"), rect.findall("EXCLUDES")
    if exc:  # ExclusiveHyperRectangle: when some bound fails
        return not all(
            int(b.get("min", "")) <= x[int(b.get("index", ""))] <= int(b.get("max", "")) for b in exc
        )
    return all(int(b.get("min", "")) <= x[int(b.get("index", ""))] <= int(b.get("max", "")) for b in inc)


def _ufun(ufun: ET.Element, x: dict[int, int]) -> float:
    """UtilityFunction.getUtility: its rectangles' utility * weight, plus inner ufuns * weight."""
    total = sum(
        float(r.get("utility", "0")) * float(r.get("weight", "1"))
        for r in ufun.findall("hyperRectangle")
        if _rect_holds(r, x)
    )
    return total + sum(float(inner.get("weight", "1")) * _ufun(inner, x) for inner in ufun.findall("ufun"))


def _genius_nonlinear(profile: Path, x: dict[int, int]) -> float:
    utility_elem = ET.parse(profile).getroot().find("objective/utility")
    assert utility_elem is not None
    top = utility_elem.find("ufun")
    assert top is not None
    return min(1.0, _ufun(top, x) / float(utility_elem.get("maxutility", "")))


def test_rectangles_equal_genius_on_every_package() -> None:
    s = read_genius(GENIUS / "Rectangles")
    for values in itertools.product(range(4), range(4), range(3)):
        package = dict(zip(("x1", "x2", "x3"), values, strict=True))
        by_index = {1: values[0], 2: values[1], 3: values[2]}
        for party in s.party_ids:
            expected = _genius_nonlinear(GENIUS / "Rectangles" / f"{party}.xml", by_index)
            assert utility(s, party, package) == pytest.approx(expected, abs=1e-12), (party, package)
    # rect_one: 4 + 3 + 2 + 1 = 10 = maxutility at x1 in [0, 1], x2 in [2, 3], x3 in [1, 2]
    assert utility(s, "rect_one", {"x1": 0, "x2": 2, "x3": 1}) == pytest.approx(1.0)
    assert s.party("rect_one").reservation == 0.3 and s.party("rect_one").discount_factor == 0.9
    assert s.party("rect_two").reservation == 0.5 and s.party("rect_two").discount_factor is None


def test_rectangles_round_trip_through_genius(tmp_path: Path) -> None:
    first = read_genius(GENIUS / "Rectangles")
    write_genius(first, tmp_path / "r")
    again = read_genius(tmp_path / "r")
    for values in itertools.product(range(4), range(4), range(3)):
        package = dict(zip(("x1", "x2", "x3"), values, strict=True))
        for party in first.party_ids:
            assert utility(again, party, package) == pytest.approx(utility(first, party, package), abs=1e-12)


# -- Genius: CarC (the domain names profiles the folder does not hold) -----------------------------


def test_carc_is_read_from_the_profiles_present_with_a_note() -> None:
    s = read(GENIUS / "CarC")
    assert s.party_ids == ("Car-C-prof1", "Car-C-prof2")
    assert s.description is not None
    assert "ABMP_car_dealer_utilityspace.xml" in s.description
    assert "Car-C-prof1.xml" in s.description
    assert s.issue("Extras").values() == ("None", "Navigation, radio")


def test_a_named_profile_missing_with_no_other_is_still_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "Workshop"
    shutil.copytree(GENIUS / "Workshop", folder)
    (folder / "workshop_b.xml").unlink()
    with pytest.raises(
        accord.errors.ImportFormatError, match=r"workshop_domain\.xml.*workshop_b\.xml.*missing"
    ):
        read_genius(folder)


# -- GeniusWeb: Jobs and Embedded ------------------------------------------------------------------


def _u(scenario: Scenario, party: str, package: dict[str, object]) -> float:
    return utility(scenario, party, package)


def test_geniusweb_ids_and_utilities() -> None:
    s = read_geniusweb(GENIUSWEB / "Jobs")
    assert s.issue_ids == ("salary", " lease car", "split, in %", "fte")
    assert s.issue("split, in %").values() == ("33%,33%,33%", "a=b", "5% + jobs ")
    assert s.issue("salary").values() == (1000, 1500, 2000, 2500, 3000)  # integer: JSON integers
    assert s.issue("fte").values() == (0.5, 0.75, 1.0)  # real
    # employer (current spelling): weights 0.4, 0.2, 0.2, 0.1 sum to 0.9, each issue reaches 1.
    # At salary 2000 (0.5), no lease car (1), 33% (0.5), fte 0.75 (0.6): 0.56 / 0.9.
    bid = {"salary": 2000, " lease car": "no", "split, in %": "33%,33%,33%", "fte": 0.75}
    assert _u(s, "employer", bid) == pytest.approx(0.56 / 0.9, abs=1e-12)
    assert s.party("employer").reservation == pytest.approx(0.56 / 0.9, abs=1e-9)  # its bid
    # employee (discreteutils/numberutils): weights sum to 1, salary at best 0.8: A = 0.9.
    # 0.5 * 0.4 + 0.1 * 0.5 + 0.3 * 1 + 0.1 * 0.5 = 0.6 at that bid.
    assert _u(s, "employee", bid) == pytest.approx(0.6 / 0.9, abs=1e-12)
    assert s.party("employee").reservation == 0.0  # no reservation bid
    assert s.party_ids == ("employer", "employee")  # accord-extras.json: the order
    assert s.party("employer").bargaining_power == 2.0 and s.party("employee").discount_factor == 0.9


def test_geniusweb_round_trip_keeps_the_files_strings(tmp_path: Path) -> None:
    first = read_geniusweb(GENIUSWEB / "Jobs")
    write_geniusweb(first, tmp_path / "jobs")
    again = read_geniusweb(tmp_path / "jobs")
    a, b = accord.analyze(first).to_dict(), accord.analyze(again).to_dict()
    for key in ("scenario", "name"):  # the folder's name
        a.pop(key), b.pop(key)
    assert a == b
    profile = json.loads((tmp_path / "jobs" / "employer.json").read_text())
    bid = profile["LinearAdditiveUtilitySpace"]["reservationBid"]["issuevalues"]
    assert list(bid) == ["salary", " lease car", "split, in %", "fte"]  # the file's issue names
    assert bid["split, in %"] in ("33%,33%,33%", "a=b", "5% + jobs ")
    # the written bid (the least package at or above the reservation value) is worth exactly it
    assert _u(first, "employer", bid) == pytest.approx(first.party("employer").reservation, abs=1e-9)


def test_profiles_alone_carry_the_domain() -> None:
    s = read(GENIUSWEB / "Embedded")
    assert s.issue_ids == ("food", "drink")
    # alice's reservation bid (salad, tea): 0.7 * 0.25 + 0.3 * 0 = 0.175
    assert s.party("alice").reservation == pytest.approx(0.175, abs=1e-9)


def test_reading_a_geniusweb_folder_reads_each_file_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.io.geniusweb_json import _read

    opened: list[Path] = []
    real = _read.read_bounded

    def counting(path: Path, max_bytes: int, typical: str) -> bytes:
        opened.append(path)
        return real(path, max_bytes, typical)

    monkeypatch.setattr(_read, "read_bounded", counting)
    read(GENIUSWEB / "Jobs")
    assert sorted(p.name for p in opened) == sorted(p.name for p in (GENIUSWEB / "Jobs").glob("*.json"))
