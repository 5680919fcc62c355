"""Issue 9 item 13: control characters are refused in every id and name, and file content
(ids with ``[``, which Rich would read as markup) is printed as written everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import ScenarioError
from accord.io import loads
from accord.model import Party

from .cli import invoke, refused
from .inputs import scenario, write

ESC = "\x1b"
TITLE = f"{ESC}]0;pwned\x07"  # sets the terminal's window title


def _no_control(text: str) -> None:
    assert ESC not in text and "\x07" not in text and "\x9b" not in text, repr(text)


@pytest.mark.parametrize(
    ("where", "edit"),
    [
        ("id", lambda d: d.update(id=f"x{TITLE}")),
        ("name", lambda d: d.update(name=f"x{TITLE}")),
        ("parties[0].name", lambda d: d["parties"][0].update(name=f"Dealer{TITLE}")),
        ("issues[0].options[1].label", lambda d: d["issues"][0]["options"][1].update(label="hi\x9b31m")),
        ("parties[0].rationale", lambda d: d["parties"][0].update(rationale="why\x00")),
    ],
)
def test_control_characters_are_refused_and_never_printed(tmp_path: Path, where: str, edit: object) -> None:
    data = scenario()
    edit(data)  # type: ignore[operator]
    path = write(tmp_path / "s.yaml", data)
    result = invoke("validate", str(path))
    refused(result, "s.yaml:", f"{where}: ", "control character", code=1)
    _no_control(result.output)


def test_an_escape_in_an_id_is_refused_everywhere_ids_are() -> None:
    for text in (f"p{ESC}[2J", "a\nb", "tab\there"):
        with pytest.raises(ValueError, match=r"control character|should match pattern"):
            Party(id=text)
    # Free text keeps tabs and line breaks.
    assert Party(id="p", rationale="line one\n\tline two").rationale == "line one\n\tline two"


def test_an_unknown_key_with_an_escape_is_shown_escaped(tmp_path: Path) -> None:
    data = scenario()
    data[f"bad{ESC}]0;x"] = 1
    path = write(tmp_path / "s.yaml", data)
    result = invoke("validate", str(path))
    refused(result, "s.yaml", "unknown key", "\\x1b", code=1)
    _no_control(result.output)


BRACKETS = ["[/]sel", "[bold]buyer"]
OPTIONS = ("[b]lo", "hi[/]")


def _bracketed(tmp_path: Path) -> Path:
    data = scenario(party_ids=BRACKETS, option_ids=OPTIONS, name="[red]Town[/red] [/]", scenario_id="[i]gen")
    return write(tmp_path / "b.yaml", data)


@pytest.mark.parametrize(
    "args",
    [
        ("validate",),
        ("analyze",),
        ("explain", "-p", "a=hi[/],b=[b]lo"),
        ("simulate", "-n", "5"),
        ("simulate", "-n", "5", "--protocol", "mopac"),
        ("simulate", "-n", "5", "--protocol", "mediated"),
        ("tournament", "-n", "5", "-s", "boulware,conceder"),
    ],
)
def test_markup_in_ids_is_printed_as_written(tmp_path: Path, args: tuple[str, ...]) -> None:
    # Before: a MarkupError traceback ("closing tag '[/]' ... has nothing to close") or the
    # brackets swallowed as styles.
    path = _bracketed(tmp_path)
    result = invoke(args[0], str(path), *args[1:], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert result.exception is None
    shown = [x for x in (*BRACKETS, "[red]Town[/red] [/]", "[i]gen", *OPTIONS) if x in result.output]
    assert shown or args[0] == "tournament", result.output  # its table shows no ids
    if args[0] in ("analyze", "simulate"):
        assert "[/]sel" in result.output and "[bold]buyer" in result.output


def test_markup_in_ids_survives_the_robustness_tables(tmp_path: Path) -> None:
    data = scenario(party_ids=BRACKETS, option_ids=OPTIONS)
    data["parties"][0]["reservation_value"] = {"value": 0.1, "distribution": {"uniform": [0.0, 0.2]}}
    path = write(tmp_path / "r.yaml", data)
    result = invoke("robustness", str(path), "-n", "20", env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "[/]sel" in result.output and "[b]lo" in result.output


def test_the_python_api_refuses_the_same(tmp_path: Path) -> None:
    text = write(tmp_path / "s.yaml", scenario(party_ids=["ok", f"p{ESC}x"])).read_text(encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"parties\[1\]\.id: the id contains the control character 0x1b"):
        loads(text, file="s.yaml")


GENIUS = Path(__file__).parent.parent / "data" / "genius" / "Bookshop"


def test_a_control_character_in_a_genius_issue_name_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    folder.mkdir()
    for xml in GENIUS.glob("*.xml"):  # XML 1.0 allows C1 controls such as CSI (0x9b)
        text = xml.read_text(encoding="utf-8").replace('name="Delivery"', 'name="Deli&#x9b;very"')
        (folder / xml.name).write_text(text, encoding="utf-8")
    result = invoke("analyze", str(folder))
    refused(result, "bookshop_domain.xml:", "control character 0x9b", code=2)
    _no_control(result.output)


def test_a_control_character_in_a_geniusweb_issue_name_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "gw"
    assert invoke("convert", str(GENIUS), str(out), "-f", "geniusweb").exit_code == 0
    for file in out.glob("*.json"):
        file.write_text(file.read_text(encoding="utf-8").replace("Delivery", "Deli\\u001b]0;x\\u0007very"))
    result = invoke("analyze", str(out))
    refused(result, "Bookshop.json", "control character 0x1b", code=2)
    _no_control(result.output)


def test_csv_names_in_divide_and_forecast_are_printed_as_written(tmp_path: Path) -> None:
    # The CSV readers take names as they are; the terminal output escapes them.
    division = tmp_path / "d.csv"
    division.write_text(f"item,[/]a,b{TITLE}\nhouse,60,40\ncar,40,60\n", encoding="utf-8")
    actors = tmp_path / "f.csv"
    actors.write_text(
        f"Actor,Capability,Position,Salience\n[/]x,10,20,0.3\ny{TITLE},5,80,0.5\n", encoding="utf-8"
    )
    for args in (("divide", str(division)), ("forecast", str(actors))):
        result = invoke(*args, env={"COLUMNS": "250"})
        assert result.exit_code == 0, result.output
        assert "[/]" in result.output and "\\x1b]0;pwned\\x07" in result.output
        _no_control(result.output)
