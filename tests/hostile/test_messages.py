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
