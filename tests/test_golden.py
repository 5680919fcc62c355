"""Golden files: `accord analyze --json` and `accord robustness --json` on the bundled scenarios.

These pin every number the two commands print, so a refactoring that should change nothing
changes nothing. A golden file is updated only where a number was wrong, and the commit that
updates it says which.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app

GOLDEN = Path(__file__).parent / "data" / "golden"
SCENARIOS = ("car-sale", "ceasefire-2025", "three-towns")
runner = CliRunner(env={"COLUMNS": "200"})


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_analyze_json_matches_its_golden_file(scenario: str) -> None:
    result = runner.invoke(app, ["analyze", scenario, "--json"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (GOLDEN / f"analyze-{scenario}.json").read_text()


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_robustness_json_matches_its_golden_file(scenario: str) -> None:
    result = runner.invoke(app, ["robustness", scenario, "--json", "--samples", "500", "--seed", "0"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (GOLDEN / f"robustness-{scenario}.json").read_text()
