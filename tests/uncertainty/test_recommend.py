"""One package to table: the Nash solution without uncertain inputs; under uncertainty the
Pareto-optimal package that every signatory accepts most often (ties by the Nash product)."""

from __future__ import annotations

import json

import numpy as np
from typer.testing import CliRunner

import accord
from accord.analysis import analyze
from accord.analysis.analyze import NASH_RULE
from accord.cli import app
from accord.uncertainty import recommend, robustness

runner = CliRunner(env={"COLUMNS": "200"})


def test_without_uncertain_inputs_the_nash_solution_is_recommended() -> None:
    a = analyze(accord.load("three-towns"))
    rec = a.to_dict()["recommendation"]
    assert rec["package"] == a.nash.package and rec["rule"] == NASH_RULE  # type: ignore[union-attr]
    names = [n for alt in rec["alternatives"] for n in alt["solutions"]]
    assert sorted(names) == sorted(
        ["nash", "asymmetric_nash", "kalai_smorodinsky", "egalitarian", "utilitarian"]
    )
    # Nash and Kalai-Smorodinsky are the same package in three-towns: one row, both names.
    assert ["nash", "kalai_smorodinsky"] in [alt["solutions"] for alt in rec["alternatives"]]
    # Nothing to table when nothing is acceptable.
    assert analyze(accord.load("three-towns"), disagreement={"cedar": 0.9}).recommendation is None


def test_under_uncertainty_the_most_often_accepted_frontier_package_is_recommended() -> None:
    s = accord.load("ceasefire-2025")
    a = analyze(s)
    rob = robustness(a.scenario, samples=1500, seed=3)
    rec = recommend(a, rob).recommendation
    assert rec is not None
    p = np.array(rob.frontier_p_all)
    assert rec["p_all_accept"] == p.max()
    frontier = [pt.package for pt in a.pareto_frontier]
    assert rec["package"] in frontier
    tied = [frontier[j] for j in np.flatnonzero(p == p.max())]
    assert rec["package"] in tied
    # Among the tied, the largest Nash product.
    d = a.space.reservation
    products = {
        json.dumps(pt.package): np.prod(np.array(list(pt.utilities.values())) - d) for pt in a.pareto_frontier
    }
    assert products[json.dumps(rec["package"])] == max(products[json.dumps(t)] for t in tied)
    assert "1,500 samples, seed 3" in rec["rule"]
    nash = next(alt for alt in rec["alternatives"] if "nash" in alt["solutions"])
    assert nash["p_all_accept"] < rec["p_all_accept"]


def test_analyze_command_shows_the_package_to_table_first() -> None:
    out = runner.invoke(app, ["analyze", "ceasefire-2025", "--recommend-samples", "500"])
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert any(line.startswith("Package to table:") for line in lines[:8])
    assert "P(all accept)" in out.stdout
    data = json.loads(
        runner.invoke(app, ["analyze", "ceasefire-2025", "--recommend-samples", "500", "--json"]).stdout
    )
    assert data["recommendation"]["samples"] == 500
    plain = json.loads(
        runner.invoke(app, ["analyze", "ceasefire-2025", "--recommend-samples", "0", "--json"]).stdout
    )
    assert plain["recommendation"]["rule"] == NASH_RULE


def test_robustness_samples_only_the_signatories() -> None:
    s = accord.load("ceasefire-2025")
    s = s.model_copy(update={"signatories": ("us", "russia", "ukraine")})
    rob = robustness(s, samples=300, seed=0)
    assert rob.to_dict()["parties"] == ["us", "russia", "ukraine"]
    rec = recommend(analyze(s), rob).recommendation
    assert rec is not None and set(rec["utilities"]) == {"us", "russia", "ukraine"}
