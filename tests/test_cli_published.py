"""``accord forecast`` and ``accord divide``: the JSON contracts, bundled names and paths, and
one-line errors; and the ``$ accord`` lines of docs/forecast.md and docs/fair-division.md run."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def _json(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_forecast_json_contract() -> None:
    data = _json("forecast", "ec-car-emissions", "--model", "bdm", "--rounds", "10", "--json")
    assert data["model"] == "bdm"
    assert [r["round"] for r in data["rounds"]] == list(range(11))
    r0 = data["rounds"][0]
    assert r0["median"] == 7 and r0["positions"]["UK"] == 10 and r0["positions"]["Belgium"] == 7
    assert set(r0) == {"round", "median", "mean", "positions"}


def test_forecast_reads_a_path(tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text("Actor,Capability,Position,Salience\nA,1,0,1\nB,1,1,0\n")
    data = _json("forecast", str(path), "--rounds", "1", "--json")
    assert data["rounds"][1]["positions"]["B"] == pytest.approx(2 - 2**0.5)


def test_forecast_of_a_scenario_forecasts_each_issue() -> None:
    data = _json("forecast", "three-towns", "--rounds", "3", "--json")
    issues = {i["issue"]: i for i in data["issues"]}
    assert set(issues) == {"site", "cost_share", "capacity"}
    site = issues["site"]
    assert site["scale"] == {"alder": 0, "birch": 50, "cedar": 100}
    assert len(site["rounds"]) == 4 and site["settles_at"] in site["scale"]


def test_divide_json_contract() -> None:
    data = _json("divide", "divorce", "--json")
    assert data["method"] == "adjusted_winner"
    assert data["points"] == {"Carol": "170/3", "Bob": "170/3"}
    assert data["split"] == {"item": "retirement account", "fraction": {"Carol": "5/6", "Bob": "1/6"}}
    assert data["allocation"]["home"] == {"Carol": "0/1", "Bob": "1/1"}


@pytest.mark.parametrize(
    ("args", "content", "expected"),
    [
        (
            ["forecast"],
            "Actor,Capability,Position,Salience\nA,1,x,1\n",
            "bad.csv:2: Position 'x' is not a number",
        ),
        (["divide"], "item,A,B\nx,100,99\n", "bad.csv: B's points sum to 99"),
        (["forecast", "--model", "kta"], None, "--model 'kta'"),
        (["divide"], None, "no such file"),
    ],
)
def test_errors_are_one_line(tmp_path: Path, args: list[str], content: str | None, expected: str) -> None:
    target = tmp_path / "bad.csv"
    if content is not None:
        target.write_text(content)
    source = str(target) if content is not None else "ec-car-emissions" if "--model" in args else "nothing"
    result = runner.invoke(app, [args[0], source, *args[1:]])
    assert result.exit_code == 2
    # The message is one line; the terminal may wrap it, so compare with whitespace collapsed.
    text = " ".join(result.output.split())
    assert text.startswith("error: ") and expected in text
    assert "Traceback" not in result.output


DOCS = ["forecast.md", "fair-division.md"]
COMMANDS = [
    (doc, line.removeprefix("$ ").split("  #")[0].strip())
    for doc in DOCS
    for block in re.findall(r"```console\n(.*?)```", (ROOT / "docs" / doc).read_text(encoding="utf-8"), re.S)
    for line in block.splitlines()
    if line.startswith("$ accord")
]


@pytest.mark.parametrize(("doc", "command"), COMMANDS)
def test_doc_commands_run(doc: str, command: str) -> None:
    args = [str(ROOT / a) if (ROOT / a).exists() else a for a in shlex.split(command)[1:]]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, f"{doc}: {command}\n{result.output}"
