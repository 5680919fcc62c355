"""docs/ceasefire-2025.md's answers are what the commands it quotes compute on the bundled file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

import accord
from accord.cli import app

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = ROOT / "src" / "accord" / "scenarios" / "ceasefire-2025.yaml"
NASH = {
    "ceasefire": "conditional",
    "strikes": "all_deep",
    "sanctions": "broad",
    "snapback": "automatic",
    "territory": "de_facto",
    "donetsk": "demilitarised",
    "crimea": "de_facto",
    "buffer_km": 15,
    "long_range": "deployment_limits",
    "nato": "no_foreign_troops",
    "monitoring": "observer_mission",
    "guarantees": "article5_like",
    "prisoners": "all_for_all_children",
    "znpp": "russian",
    "frozen_assets": "returned",
    "army_cap": "cap_600k",
    "economic": "broad",
}


def _json(*args: str) -> Any:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def analysis() -> Any:
    return _json("analyze", "ceasefire-2025")


def test_the_flagship_has_the_size_the_docs_give() -> None:
    scenario = accord.load("ceasefire-2025")
    assert (len(scenario.parties), len(scenario.issues), scenario.n_packages) == (8, 17, 2_508_226_560)


def test_agreement_is_possible_narrowly_and_the_nash_package_is_the_one_tabled(analysis: Any) -> None:
    assert analysis["agreement_exists"] is True
    assert analysis["slack"] == pytest.approx(0.025, abs=5e-4)
    assert analysis["nash"]["package"] == NASH
    assert analysis["nash"]["gains"]["russia"] == pytest.approx(0.009, abs=5e-4)
    # Russia is at the margin: the most it gets while every other party accepts.
    russia = next(b for b in analysis["blockers"] if b["party"] == "russia")
    assert russia["best_attainable"] == pytest.approx(0.78, abs=5e-4)
    # With uncertain inputs the package to table is the one every party accepts most often.
    recommended = analysis["recommendation"]
    assert recommended["package"] == {**NASH, "sanctions": "full", "frozen_assets": "reconstruction"}
    assert recommended["p_all_accept"] == pytest.approx(0.49, abs=0.01)
    nash_p = next(a["p_all_accept"] for a in recommended["alternatives"] if a["solutions"] == ["nash"])
    assert nash_p == pytest.approx(0.46, abs=0.01) and nash_p < recommended["p_all_accept"]


def test_russia_blocks_at_five_points_more_and_only_donetsk_brings_it_back() -> None:
    blocked = _json("analyze", "ceasefire-2025", "-r", "russia=0.79")
    assert blocked["agreement_exists"] is False
    assert blocked["blockers"][0]["party"] == "russia"
    assert blocked["blockers"][0]["blocks"] is True
    unblocking = blocked["unblocking"]
    cuts = {c["party"]: c["lower_by"] for c in unblocking["reservation_cuts"]}
    assert cuts.pop("russia") == pytest.approx(0.01, abs=5e-4)
    assert all(v is None for v in cuts.values())
    assert [[(r["party"], r["when"]) for r in s] for s in unblocking["red_line_sets"]] == [
        [("ukraine", {"donetsk": "withdraw"})]
    ]


def test_the_sequence_the_piece_describes(tmp_path: Path) -> None:
    seq = _json("sequence", "ceasefire-2025")  # the order the file declares
    assert seq["order"] == [["us", "russia"], ["ukraine"], ["eu", "france", "germany", "uk", "poland"]]
    assert seq["completed"] is True
    first, second, third = seq["steps"]
    # Moscow and Washington alone: a deal Kyiv and Europe could not sign.
    assert first["package"]["territory"] == "recognition" and first["package"]["army_cap"] == "cap_85k"
    assert all(first["utilities"][p] < 0.5 for p in ("ukraine", "eu", "poland", "uk"))
    assert second["prices"]["russia"] == pytest.approx(0.19, abs=5e-3)
    assert second["prices"]["us"] < 0
    assert len(second["moved"]) == 7
    assert {m["issue"] for m in third["moved"]} == {"snapback", "long_range", "znpp"}
    assert third["prices"]["russia"] == pytest.approx(0.04, abs=5e-3)


def test_refusing_a_european_force_changes_nothing(tmp_path: Path, analysis: Any) -> None:
    data = yaml.safe_load(FLAGSHIP.read_text(encoding="utf-8"))
    data["preferences"]["russia"]["red_lines"].append(
        {"when": {"nato": "reassurance_force"}, "rationale": "Moscow rejects European troops in Ukraine."}
    )
    copy = tmp_path / "no-force.yaml"
    copy.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    what_if = _json("analyze", str(copy))
    assert what_if["nash"]["package"] == analysis["nash"]["package"]
    assert what_if["slack"] == analysis["slack"]
