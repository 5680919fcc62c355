"""The command line, run in-process as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app

EXAMPLE = str(Path(__file__).parent / "data" / "example.yaml")
runner = CliRunner(env={"COLUMNS": "200"})


def test_analyze_json_is_the_documented_contract() -> None:
    result = runner.invoke(app, ["analyze", EXAMPLE, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in (
        "scenario",
        "parties",
        "reservation_values",
        "n_packages",
        "n_acceptable",
        "pareto_frontier",
        "nash",
        "kalai_smorodinsky",
        "egalitarian",
        "utilitarian",
        "blockers",
    ):
        assert key in data
    assert data["parties"] == ["a", "b"]
    assert data["n_packages"] == 6 and data["n_acceptable"] == 3
    # Worked by hand in tests/analysis/test_hand_checked.py.
    assert data["nash"]["package"] == {"price": 150, "color": "red"}
    assert data["utilitarian"]["package"] == {"price": 200, "color": "red"}


def test_analyze_report_names_the_solutions() -> None:
    result = runner.invoke(app, ["analyze", EXAMPLE])
    assert result.exit_code == 0, result.output
    assert "Agreement is possible" in result.stdout
    assert "Kalai–Smorodinsky" in result.stdout


def test_reservation_override_changes_the_answer() -> None:
    result = runner.invoke(app, ["analyze", EXAMPLE, "--json", "-r", "a=0.9"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["n_acceptable"] == 0 and data["nash"] is None
    blocks = {b["party"]: b["shortfall"] for b in data["blockers"] if b["blocks"]}
    assert blocks == {"a": pytest.approx(0.9 - 0.766666667), "b": pytest.approx(0.2)}


def test_explain_names_who_rejects_and_the_nearest_acceptable_package() -> None:
    result = runner.invoke(app, ["explain", EXAMPLE, "-p", "price=200,color=no", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["rejected_by"] == ["a"]
    assert data["nearest_acceptable"]["issues_changed"] == ["price"]
    text = runner.invoke(app, ["explain", EXAMPLE, "-p", "price=200,color=no"]).stdout
    assert "rejected by Alice" in text and "too much for nothing" in text


def test_bad_package_and_bad_file_are_clear_errors(tmp_path: Path) -> None:
    result = runner.invoke(app, ["explain", EXAMPLE, "-p", "price=170,colour=red"])
    assert result.exit_code == 2
    assert "no option '170'" in result.stderr and "no issue 'colour'" in result.stderr
    assert "Traceback" not in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: accord/1\nid: x\nparties: []\n")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:3: parties:" in result.stderr


def test_validate_schema_and_scenarios() -> None:
    assert runner.invoke(app, ["validate", EXAMPLE]).exit_code == 0
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    assert schema["title"].startswith("accord scenario")
    listed = json.loads(runner.invoke(app, ["scenarios", "--json"]).stdout)
    assert "ceasefire-2025" in listed


def test_json_output_is_exactly_the_python_result() -> None:
    import accord

    for args, expected in (
        (["analyze", EXAMPLE, "--json"], accord.analyze(accord.load(EXAMPLE)).to_dict()),
        (
            ["explain", EXAMPLE, "-p", "price=150,color=red", "--json"],
            accord.explain(accord.load(EXAMPLE), "price=150,color=red").to_dict(),
        ),
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == json.loads(json.dumps(expected))


def test_error_messages_print_user_text_as_it_is() -> None:
    # Rich markup must not eat brackets in user data: "[red]" is an option the user typed.
    result = runner.invoke(app, ["explain", EXAMPLE, "-p", "price=150,color=[red]"])
    assert result.exit_code == 2
    assert "no option '[red]'" in result.stderr
