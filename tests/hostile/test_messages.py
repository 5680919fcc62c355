"""Issue 8: error lines are never hard-wrapped off a terminal, whatever COLUMNS says, so that
``file:line: field: message`` stays one line for editors and scripts; ``accord --version``."""

from __future__ import annotations

from pathlib import Path

import pytest

import accord
from accord.cli.app import app

from .cli import invoke, refused
from .inputs import scenario, write


@pytest.mark.parametrize("columns", ["20", "40", "100", "300"])
def test_a_long_scenario_error_stays_on_one_line(tmp_path: Path, columns: str) -> None:
    data = scenario()
    data["issues"][0]["colour_of_the_bikeshed_with_a_long_name"] = "x"
    path = write(tmp_path / ("a-rather-long-file-name-" * 3 + ".yaml"), data)
    line = refused(invoke("validate", str(path), env={"COLUMNS": columns}), code=1)
    assert line.startswith(f"error: {path}:")
    assert line.endswith(
        "unknown key 'colour_of_the_bikeshed_with_a_long_name'; remove it or check its spelling"
    )


@pytest.mark.skipif(app.rich_markup_mode is not None, reason="imported with a terminal on stderr (pytest -s)")
@pytest.mark.parametrize("columns", ["20", "100"])
def test_usage_errors_are_one_line_too(columns: str) -> None:
    line = refused(invoke("simulate", "car-sale", "--rounds", "many", env={"COLUMNS": columns}), code=2)
    assert "'--rounds'" in line and "valid integer" in line


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output == f"accord {accord.__version__}\n"


def test_the_ok_line_of_validate_stays_on_one_line(tmp_path: Path) -> None:
    path = write(tmp_path / ("long-name-" * 12 + ".yaml"), scenario())
    result = invoke("validate", str(path), env={"COLUMNS": "40"})
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 1 and result.output.startswith(f"ok {path}: scenario 'generated'")


@pytest.mark.parametrize(
    "command",
    [
        ("analyze", "three-towns"),
        ("robustness", "car-sale", "-n", "200"),
        ("coalitions", "three-towns"),
        ("explain", "car-sale", "-p", "price=22000,warranty=none,payment=cash"),
    ],
)
def test_tables_on_stdout_are_not_folded_off_a_terminal(command: tuple[str, ...]) -> None:
    # Piped or redirected, a table row is one line whatever COLUMNS says (only a terminal's
    # width may fold it), and nothing is padded out to the console's unbounded width.
    outputs = [invoke(*command, env={"COLUMNS": columns}) for columns in ("30", "80", "250")]
    for result in outputs:
        assert result.exit_code == 0, result.output
    narrow, usual, wide = (r.output for r in outputs)
    assert narrow == usual == wide
    assert max(len(line) for line in usual.splitlines()) < 1000
    assert max(len(line) for line in usual.splitlines()) > 80  # a table that 80 columns would fold


def test_the_rows_of_the_flagship_blocker_table_stay_whole() -> None:
    out = invoke("analyze", "ceasefire-2025", env={"COLUMNS": "40"}).output
    rows = [line for line in out.splitlines() if line.startswith("│ Russia ") and "above it" in line]
    assert rows, out
    assert "0.74" in rows[0] and "Status of Crimea" in rows[0]


def test_a_terminal_sees_a_progress_bar_and_a_pipe_does_not() -> None:
    # FORCE_COLOR makes Rich treat stderr as a terminal: the bar is drawn there, never on stdout.
    on_terminal = invoke("coalitions", "three-towns", env={"FORCE_COLOR": "1"})
    piped = invoke("coalitions", "three-towns")
    assert on_terminal.exit_code == piped.exit_code == 0
    assert "coalitions" in on_terminal.stderr and "7/7" in on_terminal.stderr
    assert piped.stderr == ""
    json_only = invoke("coalitions", "three-towns", "--json", env={"FORCE_COLOR": "1"})
    assert json_only.stderr == ""
