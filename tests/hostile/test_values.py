"""Issue 9 item 18: values of the wrong kind are refused, never taken for what they resemble.

A quoted number (``"0.3"``) is text, a ``!!binary`` value is bytes: pydantic would take the
first as a number and the second as an id. A JSON object with a key twice keeps one of the two
silently in every JSON reader, and a Genius hyper-rectangle bound with ``min`` above ``max``
holds for nothing. Each is a one-line error naming the file, the place and the fix.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from accord.errors import ImportFormatError, ScenarioError
from accord.io import loads, read
from accord.model import Interaction, Number, NumericRange, Option, Party, RangeCondition

from ..corpus import DATA
from .cli import invoke, refused
from .inputs import scenario, write


@pytest.mark.parametrize(
    ("where", "edit"),
    [
        ("preferences.p0.weights.a", lambda d: d["preferences"]["p0"]["weights"].update(a="0.3")),
        ("parties[1].reservation_value", lambda d: d["parties"][1].update(reservation_value="0.3")),
        ("parties[0].power.value", lambda d: d["parties"][0].update(power={"value": "2"})),
        ("preferences.p1.values.b.hi", lambda d: d["preferences"]["p1"]["values"]["b"].update(hi="1")),
        ("parties[0].discount_factor", lambda d: d["parties"][0].update(discount_factor="0.9")),
        ("issues[1].range.max", lambda d: d["issues"].__setitem__(1, _range(max="4"))),
    ],
)
def test_a_quoted_number_is_refused(tmp_path: Path, where: str, edit: Any) -> None:
    data = scenario()
    edit(data)
    if where.startswith("issues"):  # the numeric issue needs a value function, not a table
        for prefs in data["preferences"].values():
            prefs["values"]["b"] = {"points": [[0, 0], [4, 1]]}
    path = write(tmp_path / "s.yaml", data)
    line = refused(invoke("validate", str(path)), "s.yaml:", f"{where}: ", code=1)
    assert "expected a number, got the text" in line and "write the number without quotes" in line


def _range(**bounds: Any) -> dict[str, Any]:
    return {"id": "b", "range": {"kind": "integer", "min": 0, "max": 4, **bounds}}


@pytest.mark.parametrize(
    ("where", "edit"),
    [
        ("parties[0].id", lambda d: d["parties"][0].update(id=b"p0")),
        ("issues[0].options[1].id", lambda d: d["issues"][0]["options"][1].update(id=b"hi")),
        ("name", lambda d: d.update(name=b"A generated scenario")),
        (
            "preferences.p0.red_lines[0].when.a",
            lambda d: d["preferences"]["p0"].update(red_lines=[{"when": {"a": b"hi"}}]),
        ),
    ],
)
def test_binary_data_is_not_an_id(tmp_path: Path, where: str, edit: Any) -> None:
    data = scenario()
    edit(data)
    path = write(tmp_path / "s.yaml", data)
    assert "!!binary" in path.read_text()
    line = refused(invoke("validate", str(path)), "s.yaml:", f"{where}: ", code=1)
    assert "expected text, got binary data" in line and "write it as plain text" in line


def test_the_python_api_refuses_the_same() -> None:
    for bad in ("0.3", b"0.3", True):
        with pytest.raises(ValueError, match="expected a number"):
            Party(id="p", reservation_value=bad)
        with pytest.raises(ValueError, match="expected a number"):
            Number(value=bad)
        with pytest.raises(ValueError, match="expected a number"):
            NumericRange(kind="integer", min=0, max=bad)
        with pytest.raises(ValueError, match="expected a number"):
            RangeCondition(min=bad)
    with pytest.raises(ValueError, match="expected text, got binary data"):
        Option(id=b"x")
    with pytest.raises(ValueError, match="expected text, got binary data"):
        Interaction(when={"a": b"x"}, value=0.1)
    # Numbers of every kind are still numbers, and text is still an option id in a condition.
    assert Party(id="p", reservation_value=1, power=2.5).bargaining_power == 2.5
    assert NumericRange(kind="integer", min=0, max=4).grid() == (0, 1, 2, 3, 4)
    assert Interaction(when={"a": "0.3"}, value=0.1).when["a"] == "0.3"


def test_the_yaml_message_is_one_line_with_the_line_number() -> None:
    text = """format: accord/1
id: x
parties: [{id: a}]
issues: [{id: i, options: [{id: o}]}]
preferences:
  a:
    weights: {i: "1"}
    values: {i: {o: 1}}
"""
    with pytest.raises(ScenarioError) as caught:
        loads(text, file="s.yaml")
    assert str(caught.value) == (
        "s.yaml:7: preferences.a.weights.i: expected a number, got the text '1'; "
        "write the number without quotes"
    )


# -- GeniusWeb JSON and Genius XML -------------------------------------------------------------------

JOBS = DATA / "geniusweb" / "Jobs"
RECTANGLES = DATA / "genius" / "Rectangles"


def _copy(source: Path, tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / source.name
    shutil.copytree(source, folder)
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_a_duplicate_json_key_names_the_file_the_line_and_the_fix(tmp_path: Path) -> None:
    folder = _copy(JOBS, tmp_path, "employee.json", '"yes": 1.0,', '"yes": 1.0, "yes": 0.1,')
    line = refused(invoke("analyze", str(folder)), "employee.json:14:", '"yes" twice', "remove the other")
    assert line.startswith("error: ")
    with pytest.raises(ImportFormatError, match=r"employee\.json:14: the object that starts here"):
        read(folder)


def test_a_quoted_geniusweb_number_says_to_drop_the_quotes(tmp_path: Path) -> None:
    folder = _copy(JOBS, tmp_path, "employee.json", '"highUtility": 0.8', '"highUtility": "0.8"')
    refused(
        invoke("analyze", str(folder)),
        "employee.json",
        "$.LinearAdditiveUtilitySpace.issueUtilities.salary",
        'got the text "0.8"; write it without quotes',
    )


def test_a_genius_bound_with_min_above_max_names_the_place_and_the_fix(tmp_path: Path) -> None:
    folder = _copy(
        RECTANGLES,
        tmp_path,
        "rect_two.xml",
        '<INCLUDES index="1" min="2" max="3"/>',
        '<INCLUDES index="1" min="9" max="7"/>',
    )
    line = refused(invoke("analyze", str(folder)), "rect_two.xml:", "min (9) is above max (7)", "swap them")
    assert line.startswith("error: ")
