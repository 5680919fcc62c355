"""Improving a proposal (Pareto improvements in explain), exchanges labelled as such, and
blocked talks that name the blocking party first with the smallest changes that unblock them."""

from __future__ import annotations

import re

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord import _load
from accord.analysis import ReservationCut, analyze, explain
from accord.analysis.explanation import pareto_improvements
from accord.analysis.space import compile_space
from accord.cli import app
from accord.model import Scenario
from tests.strategies import all_packages, scenarios

FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
runner = CliRunner(env={"COLUMNS": "200"})


@FAST
@given(scenarios(max_parties=3, max_issues=3, max_options=3, constraints=True), st.data())
def test_pareto_improvements_agree_with_brute_force(scenario: Scenario, data: st.DataObject) -> None:
    space = compile_space(scenario)
    x = all_packages(space.sizes)
    _, q, allowed = space.evaluate(x)
    base = x[data.draw(st.integers(0, len(x) - 1))]
    q0 = space.evaluate(base[None, :])[1][0]
    better = allowed & np.all(q >= q0, axis=1) & np.any(q > q0, axis=1)
    found, n_optimal, complete = pareto_improvements(space, base, limit=3)
    assert complete
    assert (n_optimal == 0) == (not better.any())
    if not better.any():
        assert found == []
        return
    # Pareto-optimal improvements: distinct vectors among the improvements that none dominates.
    vectors = {tuple(v) for v in q[better]}
    optimal = [
        v
        for v in vectors
        if not any(all(a >= b for a, b in zip(w, v, strict=True)) and w != v for w in vectors)
    ]
    assert n_optimal == len(optimal)
    distances = (x[better] != base).sum(axis=1)
    assert len(found) == min(3, int(better.sum()))
    got = [int((f != base).sum()) for f in found]
    assert got == sorted(got) and got[0] == int(distances.min())
    for f in found:
        row = int(np.flatnonzero(np.all(x == f, axis=1))[0])
        assert better[row]


def test_explain_lists_improvements_fewest_issues_first() -> None:
    s = _load.load("three-towns")
    # Package 8 (alder, usage, 60) is dominated by 1 (alder, equal, 40): two issues changed.
    e = explain(s, "site=alder,cost_share=usage,capacity=60").to_dict()
    assert e["pareto_optimal"] is False and e["n_pareto_optimal_improvements"] >= 1
    first = e["pareto_improvements"][0]
    assert len(first["issues_changed"]) == 1 or first["package"] == {
        "site": "alder",
        "cost_share": "equal",
        "capacity": 40,
    }
    assert all(g >= 0 for g in first["gains"].values()) and any(g > 0 for g in first["gains"].values())
    nash = explain(s, "site=alder,cost_share=population,capacity=80").to_dict()
    assert nash["pareto_optimal"] is True and nash["pareto_improvements"] == []
    text = runner.invoke(
        app, ["explain", "three-towns", "-p", "site=alder,cost_share=population,capacity=80"]
    )
    assert "Pareto-optimal: no package is at least as good for every party" in text.stdout


def test_exchanges_show_who_loses_first_and_are_never_gains_for_all() -> None:
    a = analyze(_load.load("ceasefire-2025"))
    assert a.trades
    for t in a.trades:
        losers = [x.party for x in t.losses]
        assert losers == sorted(losers, key=lambda p: (t.gains[p], p))
        assert set(losers) == {p for p, g in t.gains.items() if g < 0}
        assert t.to_dict()["kind"] == "exchange" and t.pareto_improvement is (not losers)
    # From the Nash point (Pareto-optimal) no exchange is a gain for all.
    assert not any(t.pareto_improvement for t in a.trades)
    out = runner.invoke(app, ["analyze", "ceasefire-2025"]).stdout
    assert "Exchanges from the Nash package" in out and "who loses" in out and "Trades" not in out


def test_blocked_talks_name_the_blocker_first_with_the_smallest_changes() -> None:
    s = _load.load("ceasefire-2025")
    a = analyze(s, disagreement={"russia": 0.79})
    assert not a.agreement_exists
    assert a.blockers[0].party == "russia" and a.blockers[0].blocks
    assert a.blockers[0].headroom == -0.01 and a.blockers[0].lower_reservation_by == 0.01
    assert a.unblocking is not None
    first = a.unblocking.reservation_cuts[0]
    assert first == ReservationCut(party="russia", lower_by=0.01, reservation_value=0.79)
    assert all(c.lower_by is None for c in a.unblocking.reservation_cuts[1:])
    # Ukraine's third red line: no withdrawal from the rest of Donetsk.
    assert [[(r.party, r.red_line) for r in g] for g in a.unblocking.red_line_sets] == [[("ukraine", 2)]]
    # It alone unblocks: the same red line is the one blocker among the red lines.
    assert [(r.party, r.red_line) for r in a.red_line_blockers] == [("ukraine", 2)]
    # Lowering Russia's reservation value by exactly that much makes agreement exist.
    assert analyze(s, disagreement={"russia": 0.78}).agreement_exists
    out = runner.invoke(app, ["analyze", "ceasefire-2025", "-r", "russia=0.79"]).stdout
    lines = out.splitlines()
    at = next(n for n, line in enumerate(lines) if "No agreement is possible" in line)
    # The blocker comes right after the verdict, named, with how far it would have to move.
    assert lines[at + 1].startswith("Russia blocks agreement: its reservation value would have to")
    assert re.search(r"\d\.\d\d below its reservation value", out) and "shortfall" not in out


def test_the_report_findings_name_the_blocker_first() -> None:
    from accord.report._content import build_content

    a = analyze(_load.load("ceasefire-2025"), disagreement={"russia": 0.79})
    first = build_content(a).data["brief"]
    assert first["verdict"].startswith("No agreement is possible")
    assert first["blocking"][0].startswith(
        "Russia blocks agreement: its reservation value would have to fall by"
    )
    assert "Ukraine's red line" in first["blocking"][1]
    rows = build_content(a).data["blockers"]["rows"]
    assert rows[0]["party"] == "Russia" and rows[0]["shortfall"].endswith(" below its reservation value")
