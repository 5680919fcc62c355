"""``accord coalitions`` and ``accord sequence`` as a user runs them, and the examples of
docs/coalitions.md and docs/worked-examples.md as written."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app

ROOT = Path(__file__).resolve().parents[2]
DOCS = {
    name: (ROOT / "docs" / name).read_text(encoding="utf-8")
    for name in ("coalitions.md", "worked-examples.md")
}
COMMANDS = [
    line.removeprefix("$ ").split("  #")[0].strip()
    for text in DOCS.values()
    for block in re.findall(r"```console\n(.*?)```", text, re.S)
    for line in block.splitlines()
    if line.startswith("$ accord")
]
runner = CliRunner(env={"COLUMNS": "200"})


@pytest.mark.parametrize("command", COMMANDS)
def test_documented_commands_run(command: str) -> None:
    result = runner.invoke(app, shlex.split(command)[1:])
    assert result.exit_code == 0, result.output
    if "--json" in command:
        json.loads(result.stdout)


def test_python_block_of_the_doc_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOCS["coalitions.md"], re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "docs/coalitions.md", "exec"), {})


def test_coalitions_terminal_and_json_agree() -> None:
    text = runner.invoke(app, ["coalitions", "ceasefire-2025", "-r", "russia=0.79"])
    assert text.exit_code == 0, text.output
    said = " ".join(text.stdout.split())
    assert "Minimal blocking sets (together they make agreement impossible):" in said
    assert "russia+ukraine+uk" in said and "russia+ukraine+poland" in said
    data = json.loads(
        runner.invoke(app, ["coalitions", "ceasefire-2025", "-r", "russia=0.79", "--json"]).stdout
    )
    assert data["minimal_blocking_sets"] == [["russia", "ukraine", "uk"], ["russia", "ukraine", "poland"]]
    assert len(data["coalitions"]) == 255
    assert data["veto_weight"]["russia"]["coalitions_blocked"] > 0


def test_sequence_with_a_bloc_and_every_order() -> None:
    result = runner.invoke(
        app, ["sequence", "ceasefire-2025", "--order", "us+russia, ukraine, europe", "--orders", "all"]
    )
    assert result.exit_code == 0, result.output
    for text in (
        "Step 1, us, russia first",
        "Step 3, eu, france, germany, uk, poland join",
        "russia pays",
        "Every order",
    ):
        assert text in result.stdout
    data = json.loads(
        runner.invoke(
            app,
            ["sequence", "ceasefire-2025", "-o", "us+russia, ukraine, europe", "--orders", "all", "--json"],
        ).stdout
    )
    assert data["completed"] and len(data["orders"]["orders"]) == 6
    assert [m["issue"] for m in data["steps"][2]["moved"]] == ["snapback", "long_range", "znpp"]


def test_blocked_sequence_names_the_cuts() -> None:
    result = runner.invoke(app, ["sequence", "three-towns", "-o", "alder, birch, cedar", "-r", "cedar=0.7"])
    assert result.exit_code == 0, result.output
    assert "cedar's reservation value would have to fall by 0.020 (from 0.700 to 0.680)" in result.stdout
    assert "or drop birch's red line 1" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sequence", "three-towns", "-o", "alder, birch"], "leaves out the signatories cedar"),
        (
            ["sequence", "three-towns", "-o", "alder, birch, cedar", "--orders", "some"],
            "the only value is 'all'",
        ),
        (["coalitions", "three-towns", "-c", "alder+dover"], "no party or bloc 'dover'"),
        (["coalitions", "three-towns", "-r", "cedar=high"], "'high' is not a number"),
    ],
)
def test_bad_arguments_are_one_line_errors(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output


def test_coalitions_along_a_sequence_only() -> None:
    result = runner.invoke(
        app, ["coalitions", "ceasefire-2025", "--along", "us+russia, ukraine, europe", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert not data["complete"] and data["minimal_blocking_sets"] == []
    assert ["us", "russia", "ukraine"] in [c["members"] for c in data["coalitions"]]
    assert len(data["coalitions"]) == 5  # three groups, two growing unions (the last is everyone)


def test_names_from_the_file_are_printed_as_they_are(tmp_path: Path) -> None:
    from accord import _load
    from accord.io import dumps

    s = _load.load("three-towns")
    odd = "[/]c"
    parties = tuple(p.model_copy(update={"id": odd}) if p.id == "cedar" else p for p in s.parties)
    prefs = {(odd if k == "cedar" else k): v for k, v in s.preferences.items()}
    path = tmp_path / "odd.yaml"
    path.write_text(dumps(s.model_copy(update={"parties": parties, "preferences": prefs})), encoding="utf-8")
    for args in (
        ["coalitions", str(path)],
        ["sequence", str(path), "-o", f"alder, birch, {odd}", "--orders", "all"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert odd in result.stdout
