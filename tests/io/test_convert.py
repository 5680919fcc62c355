"""`accord convert` and accord.io.read/write: round trips between the formats, clear refusals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import accord
from accord.cli.app import app
from accord.errors import ImportFormatError, ScenarioError
from accord.io import detect, read, write

from ..corpus import CORPUS, needs_corpus

runner = CliRunner()


def _analysis(path_or_name: str | Path) -> dict[str, object]:
    data = accord.analyze(accord.load(path_or_name)).to_dict()
    for key in ("scenario", "name"):
        data.pop(key)
    return data


@pytest.mark.parametrize("name", ["car-sale"])
def test_yaml_to_geniusweb_to_yaml_keeps_the_analysis(name: str, tmp_path: Path) -> None:
    folder, back = tmp_path / "gw", tmp_path / "back.yaml"
    first = runner.invoke(app, ["convert", name, str(folder), "--format", "geniusweb"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["convert", str(folder), str(back)])
    assert second.exit_code == 0, second.output
    assert detect(folder) == "geniusweb" and detect(back) == "yaml"
    assert _analysis(back) == _analysis(name)
    again = accord.load(back)
    assert again.issue_ids == accord.load(name).issue_ids
    assert [p.bargaining_power for p in again.parties] == [
        p.bargaining_power for p in accord.load(name).parties
    ]


# The flagship has ranges and red lines: the ranges are named first.
@pytest.mark.parametrize(
    ("name", "target", "message"),
    [
        ("ceasefire-2025", "geniusweb", "uncertain numbers.*reservation_value"),
        ("ceasefire-2025", "genius", "genius cannot express uncertain numbers"),
        ("three-towns", "geniusweb", "red lines|interactions"),
        ("three-towns", "genius", "interactions"),
        ("car-sale", "genius", "step"),  # Genius integer issues have step 1; car-sale's price steps by 2000
    ],
)
def test_what_a_format_cannot_express_is_named_without_a_traceback(
    name: str, target: str, message: str, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["convert", name, str(tmp_path / "out"), "-f", target])
    assert result.exit_code == 2
    assert "error" in result.output
    assert "Traceback" not in result.output
    assert re.search(message, result.output.replace("\n", " "))


def test_format_is_required_for_a_folder_and_checked(tmp_path: Path) -> None:
    result = runner.invoke(app, ["convert", "car-sale", str(tmp_path / "out")])
    assert result.exit_code == 2 and "format" in result.output
    result = runner.invoke(app, ["convert", "car-sale", str(tmp_path / "out"), "-f", "xls"])
    assert result.exit_code == 2 and "unknown format" in result.output
    with pytest.raises(ImportFormatError, match="format"):
        write(accord.load("car-sale"), tmp_path / "x")


def test_read_dispatches_by_content(tmp_path: Path) -> None:
    scenario = accord.load("car-sale")
    write(scenario, tmp_path / "a.yaml")
    write(scenario, tmp_path / "gw", format="geniusweb")
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / "notes.txt").write_text("nothing here")
    assert read(tmp_path / "a.yaml") == scenario
    assert read(tmp_path / "gw").issue_ids == scenario.issue_ids
    with pytest.raises(ScenarioError, match="neither Genius XML"):
        read(tmp_path / "odd")


def test_analyze_reads_a_geniusweb_folder(tmp_path: Path) -> None:
    write(accord.load("car-sale"), tmp_path / "gw", format="geniusweb")
    result = runner.invoke(app, ["analyze", str(tmp_path / "gw"), "--json"])
    assert result.exit_code == 0, result.output
    assert '"n_packages": 12' in result.output


@needs_corpus
@pytest.mark.parametrize("name", ["Laptop", "KillerRobot"])
def test_genius_to_geniusweb_to_genius_keeps_the_analysis(name: str, tmp_path: Path) -> None:
    for src, dst, fmt in (
        (CORPUS / name, tmp_path / "gw", "geniusweb"),
        (tmp_path / "gw", tmp_path / "xml", "genius"),
        (tmp_path / "xml", tmp_path / "s.yaml", "yaml"),
    ):
        result = runner.invoke(app, ["convert", str(src), str(dst), "-f", fmt])
        assert result.exit_code == 0, result.output
    expected = accord.analyze(accord.load(CORPUS / name)).to_dict()
    for path in (tmp_path / "gw", tmp_path / "xml", tmp_path / "s.yaml"):
        got = accord.analyze(accord.load(path)).to_dict()
        for key in ("scenario", "name"):
            got.pop(key), expected.pop(key, None)
        assert got == expected, path


def test_uncertain_numbers_are_named_when_a_format_cannot_hold_them(tmp_path: Path) -> None:
    import accord
    from accord.errors import ImportFormatError
    from accord.io import write
    from accord.model import Number

    scenario = accord.load("car-sale")
    seller = scenario.parties[0].model_copy(
        update={"reservation_value": Number(value=0.45, range=(0.4, 0.5))}
    )
    uncertain = scenario.model_copy(update={"parties": (seller, *scenario.parties[1:])})
    for fmt in ("genius", "geniusweb"):
        with pytest.raises(ImportFormatError, match=r"parties\[0\]\.reservation_value"):
            write(uncertain, tmp_path / fmt, format=fmt)
