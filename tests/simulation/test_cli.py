"""``accord simulate`` and ``accord tournament`` run in-process as a user would."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import accord
from accord.cli import app
from accord.cli.simulate import split_strategies
from accord.simulation import SessionConfig, run_session

from .conftest import nothing_acceptable

CORE = Path(__file__).parents[1] / "data" / "ceasefire-core.yaml"

EXAMPLE = str(Path(__file__).parents[1] / "data" / "example.yaml")
runner = CliRunner(env={"COLUMNS": "200"})


def test_simulate_json_is_exactly_the_python_result() -> None:
    result = runner.invoke(
        app,
        [
            "simulate",
            "three-towns",
            "-s",
            "boulware,random,linear",
            "--rounds",
            "20",
            "--seed",
            "4",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    expected = run_session(
        accord.load("three-towns"), ["boulware", "random", "linear"], SessionConfig(n_rounds=20, seed=4)
    ).to_dict()
    assert json.loads(result.stdout) == json.loads(json.dumps(expected))


def test_simulate_shows_the_trace_and_outcome() -> None:
    result = runner.invoke(app, ["simulate", EXAMPLE, "-s", "conceder,linear", "-n", "10"])
    assert result.exit_code == 0, result.output
    for text in ("Trace", "offer", "Outcome", "u(a)", "u(b)", "conceder", "reservation value"):
        assert text in result.stdout
    assert "Agreement" in result.stdout or "No agreement" in result.stdout


def test_simulate_refuses_unknown_strategies_and_wrong_counts() -> None:
    result = runner.invoke(app, ["simulate", EXAMPLE, "-s", "nope,linear"])
    assert result.exit_code == 2 and "no strategy 'nope'" in result.stderr
    result = runner.invoke(app, ["simulate", EXAMPLE, "-s", "linear,linear,linear"])
    assert result.exit_code == 2 and "3 strategies for 2 parties" in result.stderr


def test_strategy_lists_keep_parameters_together() -> None:
    assert split_strategies("boulware, time-based(e=3, k=0.1),linear") == [
        "boulware",
        "time-based(e=3, k=0.1)",
        "linear",
    ]


def test_simulate_walks_away_is_reported(tmp_path: Path) -> None:
    from accord.io import yaml as yaml_io

    path = tmp_path / "s.yaml"
    path.write_text(yaml_io.dumps(nothing_acceptable()), encoding="utf-8")
    result = runner.invoke(app, ["simulate", str(path)])
    assert result.exit_code == 0, result.output
    assert "walked away" in result.stdout


def test_tournament_writes_records_and_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    result = runner.invoke(
        app,
        [
            "tournament",
            "car-sale",
            EXAMPLE,
            "-s",
            "boulware,conceder",
            "--seeds",
            "2",
            "--rounds",
            "20",
            "--workers",
            "1",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Tournament: 16 sessions, 32 records" in result.stdout
    assert "boulware" in result.stdout and "to Pareto" in result.stdout
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 33 and lines[0].startswith("scenario,session,seed")
    as_json = tmp_path / "results.json"
    result = runner.invoke(
        app, ["tournament", "car-sale", "-s", "boulware,conceder", "--workers", "1", "-o", str(as_json)]
    )
    assert result.exit_code == 0, result.output
    assert len(json.loads(as_json.read_text(encoding="utf-8"))) == 8


def test_tournament_refuses_unknown_output_formats_and_bad_grids(tmp_path: Path) -> None:
    result = runner.invoke(app, ["tournament", "car-sale", "-o", str(tmp_path / "r.parquet")])
    assert result.exit_code == 2 and ".csv or .json" in result.stderr
    result = runner.invoke(app, ["tournament", "car-sale", "--assignments", "some"])
    assert result.exit_code == 2 and "'all' or 'cyclic'" in result.stderr


def test_simulate_mopac_shows_partial_agreements_in_the_terminal_and_json() -> None:
    args = ["simulate", str(CORE), "--protocol", "mopac", "--strategies", "conceder", "--rows", "6"]
    shown = runner.invoke(app, args)
    assert shown.exit_code == 0, shown.output
    for text in ("MOPAC", "Partial agreement 1", "Left without agreement: russia", "AGREE", "agreement"):
        assert text in shown.stdout
    data = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    assert data["config"]["protocol"] == "mopac"
    assert data["outcome"]["reason"] == "partial"
    assert data["outcome"]["without_agreement"] == ["russia"]
    (agreement,) = data["outcome"]["agreements"]
    assert "russia" not in agreement["parties"] and len(agreement["parties"]) == 7
    assert {e["action"] for e in data["trace"]} >= {"offer", "vote", "agree"}


def test_simulate_mediated_and_unknown_protocols() -> None:
    result = runner.invoke(app, ["simulate", "three-towns", "-p", "mediated", "-s", "linear"])
    assert result.exit_code == 0, result.output
    assert "mediated single text" in result.stdout and "veto" in result.stdout
    result = runner.invoke(app, ["simulate", "three-towns", "-p", "auction"])
    assert result.exit_code == 2 and "protocols are saop, mopac, mediated" in result.stderr


def test_tournament_runs_other_protocols(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = runner.invoke(
        app,
        [
            "tournament",
            "three-towns",
            "-s",
            "conceder,linear",
            "--protocol",
            "mopac",
            "--workers",
            "1",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    records = json.loads(out.read_text())
    assert len(records) == 8 * 3
    # In MOPAC agreement is per party: some sessions leave a party out.
    assert {r["agreement"] for r in records} == {True, False}
