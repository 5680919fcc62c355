"""The neutral engine, checked against accord's analysis and brute force over every package."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

import accord
from accord.analysis import compile_space
from accord.analysis.space import TOL
from accord.web import engine
from accord.web.setup import parse_setup

from .conftest import PREFERENCES, SCENARIO, World


def _scenario(prefs: dict[str, dict[str, Any]] = PREFERENCES) -> accord.Scenario:
    setup = parse_setup(SCENARIO)
    return engine.build_scenario(
        setup, {p: engine.check_preferences(setup, p, body) for p, body in prefs.items()}
    )


def _every_package(scenario: accord.Scenario) -> tuple[list[dict[str, Any]], np.ndarray, np.ndarray]:
    space = compile_space(scenario)
    rows = np.array(list(itertools.product(*(range(i.size) for i in scenario.issues))))
    u, q, allowed = space.evaluate(rows)
    ok = allowed & np.all(q >= space.floor_q, axis=1)
    return [space.package(r) for r in rows], u, ok


def test_the_submitted_preferences_are_the_bundled_scenario_rescaled() -> None:
    # Weights are divided by their sum and values by their largest: x10 and x100 change nothing.
    # (The form has no interactions: the bundled one is left out.)
    bundled_scenario = accord.load("three-towns")
    alder = bundled_scenario.preferences["alder"].model_copy(update={"interactions": []})
    bundled_scenario = bundled_scenario.model_copy(
        update={"preferences": {**bundled_scenario.preferences, "alder": alder}}
    )
    mine, bundled = accord.analyze(_scenario()), accord.analyze(bundled_scenario)
    assert mine.nash is not None and bundled.nash is not None
    assert mine.nash.package == bundled.nash.package
    assert len(mine.frontier) == len(bundled.frontier)


def test_suggestions_are_nash_first_then_distinct_frontier_packages_every_party_accepts() -> None:
    scenario = _scenario()
    analysis = accord.analyze(scenario)
    frontier = {engine.package_key(p.package) for p in analysis.pareto_frontier}
    packages, u, ok = _every_package(scenario)
    acceptable = {engine.package_key(p) for p, good in zip(packages, ok, strict=True) if good}
    offered: set[str] = set()
    given: list[dict[str, Any]] = []
    rounds = []
    while True:
        proposal = engine.propose(scenario, offered=given, count=3)
        assert proposal.exists
        if not proposal.candidates:
            break
        keys = [engine.package_key(c.package) for c in proposal.candidates]
        assert not set(keys) & offered and len(set(keys)) == len(keys)
        assert set(keys) <= frontier <= acceptable
        offered |= set(keys)
        given += [c.package for c in proposal.candidates]
        rounds.append(proposal.candidates)
    assert analysis.nash is not None
    assert rounds[0][0].package == analysis.nash.package
    assert offered == frontier  # every frontier package is offered once, then none is left
    for candidate in rounds[0]:  # each party's utility is its own, as brute force gives it
        row = packages.index(candidate.package)
        assert candidate.utilities == {
            p.id: round(float(u[row, n]), 9) for n, p in enumerate(scenario.parties)
        }


def test_the_second_suggestion_is_the_farthest_from_nash() -> None:
    scenario = _scenario()
    analysis = accord.analyze(scenario)
    first, second = engine.propose(scenario, offered=[], count=2).candidates
    gains = (
        np.array([list(p.utilities.values()) for p in analysis.pareto_frontier]) - analysis.space.reservation
    )
    scale = gains.max(axis=0)
    nash = (np.array(list(first.utilities.values())) - analysis.space.reservation) / scale
    distances = np.linalg.norm(gains / scale - nash, axis=1)
    chosen = (np.array(list(second.utilities.values())) - analysis.space.reservation) / scale
    assert np.isclose(np.linalg.norm(chosen - nash), distances.max())


def test_no_package_when_walk_away_levels_are_too_high() -> None:
    prefs = {p: dict(body, reservation_value=0.99) for p, body in PREFERENCES.items()}
    assert engine.propose(_scenario(prefs), offered=[], count=3) == engine.Proposal(False, ())


def test_improvements_weakly_dominate_the_baseline_and_maximise_the_smallest_gain() -> None:
    scenario = _scenario()
    packages, u, ok = _every_package(scenario)
    dominated = [
        i
        for i in np.flatnonzero(ok)
        if np.any(ok & np.all(u >= u[i] - TOL / 2, axis=1) & np.any(u > u[i] + TOL / 2, axis=1))
    ]
    assert dominated  # the test needs an acceptable package off the frontier
    b = int(dominated[0])
    baseline = packages[b]
    found = engine.improve(scenario, baseline, count=50)
    assert found
    floors = np.maximum(u[b], compile_space(scenario).reservation)
    better = ok & np.all(u >= floors - TOL / 2, axis=1) & ~np.all(np.abs(u - u[b]) < TOL / 2, axis=1)
    best_min_gain = (u[better] - u[b]).min(axis=1).max()
    first = packages.index(found[0].package)
    assert np.isclose((u[first] - u[b]).min(), best_min_gain)
    for candidate in found:
        row = packages.index(candidate.package)
        assert better[row]
    gains = [min(c.utilities[p] - u[b, n] for n, p in enumerate(scenario.party_ids)) for c in found]
    assert gains == sorted(gains, reverse=True)


def test_no_improvement_on_a_frontier_package() -> None:
    scenario = _scenario()
    nash = accord.analyze(scenario).nash
    assert nash is not None
    assert engine.improve(scenario, nash.package, count=3) == ()


def _all_submit(world: World) -> None:
    for party, user in world.parties.items():
        user.ok("PUT", f"/api/cases/{world.case}/preferences", PREFERENCES[party])


def _answer(world: World, which: int, accept: dict[str, bool]) -> str:
    sid = ""
    for party, user in world.parties.items():
        found = user.ok("GET", f"/api/cases/{world.case}/suggestions")
        sid = found[which]["id"]
        user.ok("PUT", f"/api/cases/{world.case}/suggestions/{sid}/response", {"accept": accept[party]})
    return sid


def test_a_whole_case_from_suggestions_to_agreement(world: World) -> None:
    case = f"/api/cases/{world.case}"
    refused = world.boss.call("POST", f"{case}/rounds")
    assert (
        refused.status_code == 409
        and "waiting for the preferences of alder, birch, cedar" in refused.json()["error"]
    )
    _all_submit(world)
    assert world.boss.ok("POST", f"{case}/rounds") == {"phase": "suggestions", "round": 1}
    nash = accord.analyze(_scenario()).nash
    assert nash is not None
    shown = world.parties["alder"].ok("GET", f"{case}/suggestions")
    assert shown[0]["package"] == nash.package and shown[0]["my_utility"] == nash.utilities["alder"]
    # Two accept the second suggestion, one rejects it: nothing is decided.
    _answer(world, 1, {"alder": True, "birch": True, "cedar": False})
    assert world.boss.ok("GET", case)["phase"] == "suggestions"
    # A new round: other packages.
    world.boss.ok("POST", f"{case}/rounds")
    again = world.parties["birch"].ok("GET", f"{case}/suggestions")
    assert not {engine.package_key(s["package"]) for s in again} & {
        engine.package_key(s["package"]) for s in shown
    }
    chosen = _answer(world, 0, {"alder": True, "birch": True, "cedar": True})
    status = world.boss.ok("GET", case)
    assert status["phase"] == "baseline"
    assert status["baseline"] == next(s["package"] for s in again if s["id"] == chosen)
    # Every suggestion is on the frontier, so no improvement exists: the baseline is agreed.
    assert world.boss.ok("POST", f"{case}/rounds")["phase"] == "agreed"
    assert world.parties["cedar"].ok("GET", case)["agreement"] == status["baseline"]
    assert world.boss.call("POST", f"{case}/rounds").status_code == 409


@pytest.mark.parametrize("accepted", [True, False])
def test_revised_preferences_after_the_baseline_lead_to_improvements(world: World, accepted: bool) -> None:
    case = f"/api/cases/{world.case}"
    _all_submit(world)
    world.boss.ok("POST", f"{case}/rounds")
    locked = world.parties["cedar"].call("PUT", f"{case}/preferences", PREFERENCES["cedar"])
    assert locked.status_code == 409  # locked while suggestions are answered
    _answer(world, 0, {"alder": True, "birch": True, "cedar": True})
    baseline = world.boss.ok("GET", case)["baseline"]
    # Alder finds it no longer minds the site; Cedar now prefers Birch's site to Alder's.
    revised = {
        "alder": dict(
            PREFERENCES["alder"],
            values={
                **PREFERENCES["alder"]["values"],
                "site": dict.fromkeys(("alder", "birch", "cedar"), 100),
            },
        ),
        "cedar": dict(
            PREFERENCES["cedar"],
            values={**PREFERENCES["cedar"]["values"], "site": {"alder": 0, "birch": 100, "cedar": 100}},
        ),
    }
    for party, body in revised.items():
        world.parties[party].ok("PUT", f"{case}/preferences", body)
    expected = engine.improve(_scenario({**PREFERENCES, **revised}), baseline, count=3)
    assert expected  # moving the plant to Birch now suits everyone at least as well
    started = world.boss.ok("POST", f"{case}/rounds")
    assert started["phase"] == "improvements"
    shown = world.parties["cedar"].ok("GET", f"{case}/suggestions")
    assert [s["package"] for s in shown] == [c.package for c in expected]
    assert all(s["kind"] == "improvement" for s in shown)
    if accepted:  # all accept the first improvement: it is the new baseline
        _answer(world, 0, {"alder": True, "birch": True, "cedar": True})
        status = world.boss.ok("GET", case)
        assert status["phase"] == "baseline" and status["baseline"] == expected[0].package
        return
    # Everyone rejects every improvement: the baseline stands as the agreement.
    for which in range(len(shown)):
        _answer(world, which, {"alder": False, "birch": False, "cedar": False})
    final = world.boss.ok("GET", case)
    assert final["phase"] == "agreed" and final["agreement"] == baseline


def test_no_package_exists_is_said_without_numbers(world: World) -> None:
    for party, user in world.parties.items():
        user.ok(
            "PUT", f"/api/cases/{world.case}/preferences", dict(PREFERENCES[party], reservation_value=0.99)
        )
    assert world.boss.ok("POST", f"/api/cases/{world.case}/rounds")["phase"] == "no_agreement"
    for user in [world.boss, *world.parties.values()]:
        status = user.ok("GET", f"/api/cases/{world.case}")
        assert status["phase"] == "no_agreement" and status["agreement"] is None
        assert "0.99" not in str(status)


def test_settle_closes_on_the_baseline(world: World) -> None:
    case = f"/api/cases/{world.case}"
    assert world.boss.call("POST", f"{case}/rounds", {"settle": True}).status_code == 409
    _all_submit(world)
    world.boss.ok("POST", f"{case}/rounds")
    _answer(world, 2, {"alder": True, "birch": True, "cedar": True})
    assert world.boss.ok("POST", f"{case}/rounds", {"settle": True})["phase"] == "agreed"


def test_a_round_computed_on_inputs_that_changed_meanwhile_is_not_written(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _all_submit(world)
    service = world.app.state.service
    alder = service.actor(world.parties["alder"].client.cookies["accord_session"])
    compute = service._compute
    calls = []

    def slow_compute(plan: Any) -> Any:
        calls.append(plan)
        if len(calls) == 1:  # while the engine runs, alder withdraws its preferences
            service.delete_preferences(alder, world.case)
        return compute(plan)

    monkeypatch.setattr(service, "_compute", slow_compute)
    refused = world.boss.call("POST", f"/api/cases/{world.case}/rounds")
    assert refused.status_code == 409 and "waiting for the preferences of alder" in refused.json()["error"]
    assert len(calls) == 1
    status = world.boss.ok("GET", f"/api/cases/{world.case}")
    assert status["phase"] == "collecting" and status["round"] == 0


def test_no_frontier_package_of_a_larger_case_has_an_improvement() -> None:
    # Several parties and rounding in every block: "as well off" must be decided as the frontier does.
    rng = np.random.default_rng(7)
    setup = {
        "id": "random",
        "parties": [{"id": f"p{i}"} for i in range(5)],
        "issues": [{"id": f"i{j}", "options": [{"id": "a"}, {"id": "b"}, {"id": "c"}]} for j in range(6)],
    }
    prefs = {}
    for i in range(5):
        values = {
            f"i{j}": {
                o: float(v)
                for o, v in zip(rng.permutation(list("abc")), [100, *rng.integers(0, 100, 2)], strict=True)
            }
            for j in range(6)
        }
        body = {
            "weights": {f"i{j}": float(rng.integers(1, 20)) for j in range(6)},
            "values": values,
            "reservation_value": 0.1,
        }
        prefs[f"p{i}"] = engine.check_preferences(setup, f"p{i}", body)
    scenario = engine.build_scenario(setup, prefs)
    frontier = accord.analyze(scenario).pareto_frontier
    assert len(frontier) > 20
    for point in frontier[:: max(1, len(frontier) // 20)]:
        assert engine.improve(scenario, point.package, count=3) == ()
