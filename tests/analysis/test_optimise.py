"""The optimisation engine against the frontier engine and brute force, and by hand."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import accord
from accord.analysis import AnalysisConfig, analyze, compile_space
from accord.analysis.bargaining import egalitarian_points, nash_points, utilitarian_points
from accord.analysis.optimise import best_package, choose_engine, optimise_space
from accord.model import Issue, Option, Party, Preferences, Scenario
from accord.model.utility import utility_bounds
from tests.strategies import all_packages, scenarios

from ..corpus import CORPUS, FOLDERS
from .test_exact import EXACT, _Brute, _exact_scenarios

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXAMPLE = str(Path(__file__).parents[1] / "data" / "example.yaml")
# Ties listed in full (the frontier engine lists all of them; small scenarios have few).
OPTIMISE = AnalysisConfig(engine="optimise", max_ties=1000)
FRONTIER = AnalysisConfig(engine="frontier")
NAMES = ("nash", "asymmetric_nash", "kalai_smorodinsky", "egalitarian", "utilitarian")


def _vector(solution: object) -> tuple[float, ...] | None:
    return None if solution is None else tuple(solution.utilities.values())  # type: ignore[attr-defined]


@FAST
@given(scenarios(max_parties=4, powers=True))
def test_the_engines_agree_on_every_solution_blocker_and_the_slack(scenario: Scenario) -> None:
    a = analyze(scenario, config=OPTIMISE)
    b = analyze(scenario, config=FRONTIER)
    assert a.engine == "optimise" and b.engine == "frontier"
    assert a.agreement_exists == b.agreement_exists
    for name in NAMES:
        x, y = getattr(a, name), getattr(b, name)
        assert _vector(x) == _vector(y), name
        if x is not None:
            assert x.objective == y.objective, name
            # Every tie the frontier engine lists has its utility vector among the optimiser's.
            assert len(x.ties) == len(y.ties), name
    # Where two packages tie exactly for the slack, the frontier engine's float (utilities less
    # reservation values) may differ from the optimiser's in the last bit: compare as reported.
    assert (a.slack is None) == (b.slack is None)
    if a.slack is not None and b.slack is not None:
        assert round(a.slack, 9) == round(b.slack, 9)
    assert a.red_line_blockers == b.red_line_blockers
    for ea, eb in zip(a.blockers, b.blockers, strict=True):
        for key in ("party", "best_attainable", "shortfall", "blocks"):
            assert getattr(ea, key) == getattr(eb, key), key
    # The representative frontier is part of the frontier.
    da, db = a.to_dict(), b.to_dict()
    complete = {tuple(p["utilities"].values()) for p in db["pareto_frontier"]}
    assert {tuple(p["utilities"].values()) for p in da["pareto_frontier"]} <= complete
    # Without an agreement the (empty) frontier is complete; with one it is representative.
    assert da["pareto_frontier_complete"] is (not b.agreement_exists)
    assert db["pareto_frontier_complete"] is True


@FAST
@given(scenarios(max_parties=3))
def test_every_optimised_solution_is_acceptable_and_a_brute_force_maximiser(scenario: Scenario) -> None:
    result = analyze(scenario, config=OPTIMISE)
    space = compile_space(scenario)
    x = all_packages(space.sizes)
    u, q, allowed = space.evaluate(x)
    acceptable = allowed & np.all(q >= space.floor_q, axis=1)
    if not acceptable.any():
        assert result.nash is None and not result.pareto_frontier
        return
    d = space.reservation
    kernels = {
        "nash": nash_points,
        "egalitarian": egalitarian_points,
        "utilitarian": utilitarian_points,
    }
    for name, kernel in kernels.items():
        solution = getattr(result, name)
        row = int(np.flatnonzero(np.all(x == solution.options, axis=1))[0])
        assert acceptable[row], name
        best = {tuple(v) for v in q[acceptable][kernel(u[acceptable], d).indices]}
        assert tuple(q[row]) in best, name


@EXACT
@given(_exact_scenarios())
def test_the_optimiser_agrees_with_an_exact_fraction_brute_force_at_exact_ties(scenario: Scenario) -> None:
    # Reservation values are exact utilities of packages: acceptance, every solution and its
    # ties, and each party's best attainable are decided at exact ties.
    brute = _Brute(scenario)
    result = analyze(scenario, config=OPTIMISE)
    assert result.agreement_exists == bool(brute.frontier)
    index = {pkg: n for n, pkg in enumerate(brute.packages)}

    def exact(package: dict[str, object]) -> tuple[Fraction, ...]:
        n = index[tuple(package[i] for i in scenario.issue_ids)]
        assert brute.acceptable[n]
        return brute.utilities[n]

    for point in result.pareto_frontier:
        assert exact(point.package) in brute.frontier
    for name in NAMES:
        solution = getattr(result, name)
        best = brute.maximisers(name)
        if solution is None:
            assert not best, name
            continue
        assert {exact(p) for p in (solution.package, *solution.ties)} == best, name
    for entry in result.to_dict()["blockers"]:
        if "party" not in entry:
            continue
        p = scenario.party_ids.index(entry["party"])
        others = [
            us
            for pkg, us in zip(brute.packages, brute.utilities, strict=True)
            if brute._free(pkg)
            and all(u >= r for j, (u, r) in enumerate(zip(us, brute.reservation, strict=True)) if j != p)
        ]
        top = max((us[p] for us in others), default=None)
        assert entry["best_attainable"] == (None if top is None else round(float(top), 9)), entry["party"]


# Numbers with many digits: each party's scale is the 2**48 grid, finer than the solver sees.
_digits = st.integers(10**11, 10**12).map(lambda n: n / 7e11)


@FAST
@given(scenarios(max_parties=4, couplings=False), st.data())
def test_the_engines_agree_on_scales_finer_than_the_solver(scenario: Scenario, data: st.DataObject) -> None:
    prefs = {
        pid: p.model_copy(update={"weights": {k: data.draw(_digits) for k in p.weights}})
        for pid, p in scenario.preferences.items()
    }
    # New weights can lower a party's best utility below its reservation value, which a scenario
    # refuses (the copy is validated): keep each reservation value at most the new best.
    parties = tuple(
        p.model_copy(
            update={"reservation_value": min(p.reservation, utility_bounds(scenario.issues, prefs[p.id])[1])}
        )
        for p in scenario.parties
    )
    scenario = scenario.model_copy(update={"preferences": prefs, "parties": parties})
    space = compile_space(scenario)
    a = analyze(scenario, config=OPTIMISE)
    b = analyze(scenario, config=FRONTIER)
    assert a.agreement_exists == b.agreement_exists
    for name in NAMES:
        x, y = getattr(a, name), getattr(b, name)
        assert _vector(x) == _vector(y), name
        if x is not None:
            assert len(x.ties) == len(y.ties), name
    del space


def _party(pid: str, reservation: float) -> Party:
    return Party(id=pid, reservation_value=reservation)


def test_a_package_exactly_at_every_reservation_value_is_found() -> None:
    # Two parties, binary issues weighted 1..n, both reservation values 0.5: the packages that
    # give both exactly 0.5 are the only acceptable ones (the frontier lies on u_a + u_b = 1).
    n = 8
    issues = tuple(Issue(id=f"i{j}", options=(Option(id="a"), Option(id="b"))) for j in range(n))
    weights = {f"i{j}": float(j + 1) for j in range(n)}
    prefs = {
        "a": Preferences(weights=weights, values={f"i{j}": {"a": 1.0, "b": 0.0} for j in range(n)}),
        "b": Preferences(weights=weights, values={f"i{j}": {"a": 0.0, "b": 1.0} for j in range(n)}),
    }
    s = Scenario(id="halves", parties=(_party("a", 0.5), _party("b", 0.5)), issues=issues, preferences=prefs)
    exact = analyze(s, config=FRONTIER)
    optimised = analyze(s, config=OPTIMISE)
    assert exact.agreement_exists and optimised.agreement_exists
    assert optimised.utilitarian is not None
    assert optimised.utilitarian.utilities == exact.utilitarian.utilities  # type: ignore[union-attr]


def test_the_worked_example_by_hand() -> None:
    # tests/data/example.yaml, worked in test_hand_checked.py: Nash 150 red, utilitarian 200 red.
    result = analyze(accord.load(EXAMPLE), config=OPTIMISE)
    assert result.nash is not None and result.nash.package == {"price": 150, "color": "red"}
    assert result.utilitarian is not None and result.utilitarian.package == {"price": 200, "color": "red"}
    data = json.loads(json.dumps(result.to_dict()))
    assert data["engine"] == "optimise" and data["pareto_frontier_complete"] is False
    assert all(p["n_equivalent"] is None for p in data["pareto_frontier"])


def test_best_package_api() -> None:
    s = accord.load(EXAMPLE)
    best = best_package(s, "utilitarian")
    assert best.certified and best.package == {"price": 200, "color": "red"}
    alone = best_package(s, "utility:a", accepting=["b"])
    # What Alice can get with only Bob accepting: the blockers' best attainable.
    exact = {b["party"]: b["best_attainable"] for b in analyze(s).to_dict()["blockers"]}
    assert alone.value == pytest.approx(exact["a"], abs=1e-9)
    with pytest.raises(accord.AccordError, match="unknown parties"):
        best_package(s, "nash", accepting=["nobody"])
    with pytest.raises(accord.AccordError, match="unknown objective"):
        best_package(s, "fairest")


def test_auto_keeps_the_frontier_for_the_flagship() -> None:
    space = compile_space(accord.load("ceasefire-2025"))
    assert choose_engine(space, "auto") == "frontier"
    assert choose_engine(space, "optimise") == "optimise"


def test_many_binary_issues_answer_in_seconds() -> None:
    # Issue 9 item 7: two parties and 200 binary issues ran past 400 s. The optimiser answers.
    rng = np.random.default_rng(0)
    n = 200
    issues = tuple(Issue(id=f"i{j}", options=(Option(id="a"), Option(id="b"))) for j in range(n))
    prefs = {}
    for pid in ("x", "y"):
        weights = {f"i{j}": float(rng.integers(1, 11)) for j in range(n)}
        values = {f"i{j}": {"a": float(rng.integers(0, 101)), "b": 100.0} for j in range(n)}
        prefs[pid] = Preferences(weights=weights, values=values)
    s = Scenario(id="wide", parties=(_party("x", 0.5), _party("y", 0.5)), issues=issues, preferences=prefs)
    result = analyze(s, config=AnalysisConfig(engine="optimise", count=False, trades=False))
    assert result.utilitarian is not None
    space = compile_space(s)
    options = space.indices(result.utilitarian.package)
    _, q, allowed = space.evaluate(options[None, :])
    assert allowed[0] and np.all(q[0] >= space.floor_q)
    # The whole analysis, as `accord analyze` runs it, answers too, and says where it cut short.
    full = analyze(s)
    assert full.utilitarian is not None and full.utilitarian.utilities == result.utilitarian.utilities
    assert full.n_acceptable is None and full.n_acceptable_estimate is not None
    assert any("trades searched among the 40 issues" in n for n in full.notes)


def _random(parties: int, issues: int, options: int, seed: int) -> Scenario:
    """As benchmarks/optimise_scaling.py draws them: integer weights 1-10, values 0-100."""
    rng = np.random.default_rng(seed)
    ids = [f"i{j}" for j in range(issues)]
    prefs = {}
    for p in range(parties):
        weights = {i: float(rng.integers(1, 11)) for i in ids}
        values = {i: {f"o{o}": float(rng.integers(0, 101)) for o in range(options)} for i in ids}
        for table in values.values():
            table[f"o{rng.integers(0, options)}"] = max(1.0, *table.values())
        prefs[f"p{p}"] = Preferences(weights=weights, values=values)
    return Scenario(
        id="random",
        parties=tuple(_party(f"p{p}", 0.5) for p in range(parties)),
        issues=tuple(Issue(id=i, options=tuple(Option(id=f"o{o}") for o in range(options))) for i in ids),
        preferences=prefs,
    )


def test_the_answer_does_not_depend_on_how_many_solves_run_at_once() -> None:
    # The solves of a phase run on threads; each starts from what the earlier phases found,
    # never from what a neighbour that happened to finish first found.
    space = compile_space(_random(7, 12, 4, seed=0))
    one = optimise_space(space, workers=1)
    four = optimise_space(space, workers=4)
    assert np.array_equal(one.frontier.options, four.frontier.options)
    assert [(a.best, None if a.options is None else a.options.tolist()) for a in one.attainable] == [
        (a.best, None if a.options is None else a.options.tolist()) for a in four.attainable
    ]
    assert one.notes == four.notes
    assert len(one.frontier) > 6  # the solutions, each party's best and Chebyshev points


def test_an_unknown_engine_is_a_clear_error() -> None:
    with pytest.raises(accord.AccordError, match="engine must be auto, frontier or optimise"):
        AnalysisConfig(engine="fast")


@pytest.mark.corpus
@pytest.mark.parametrize("name", [f for f in FOLDERS if f != "10issues"])
def test_the_engines_agree_on_every_corpus_domain(name: str) -> None:
    scenario = accord.load(CORPUS / name)
    a = analyze(scenario, config=AnalysisConfig(engine="optimise", count=False, trades=False))
    b = analyze(scenario, config=AnalysisConfig(engine="frontier", count=False, trades=False))
    for key in NAMES:
        x, y = getattr(a, key), getattr(b, key)
        assert _vector(x) == _vector(y), key
        if x is not None:
            assert x.objective == y.objective, key
    assert [e.best_attainable for e in a.blockers] == [e.best_attainable for e in b.blockers]


def test_the_command_line_chooses_the_engine() -> None:
    from typer.testing import CliRunner

    from accord.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["analyze", EXAMPLE, "--json", "--engine", "optimise"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["engine"] == "optimise" and data["pareto_frontier_complete"] is False
    assert data["nash"]["package"] == {"price": 150, "color": "red"}
    default = json.loads(runner.invoke(app, ["analyze", EXAMPLE, "--json"]).stdout)
    assert default["engine"] == "frontier" and default["pareto_frontier_complete"] is True
    # The report says when the frontier it shows is only a representative part of it.
    shown = runner.invoke(app, ["analyze", EXAMPLE, "--engine", "optimise"], env={"COLUMNS": "200"})
    assert "Pareto-optimal shown (a representative set, not the whole frontier)" in shown.stdout
    assert "Pareto frontier (representative, not all of it):" in shown.stdout
    whole = runner.invoke(app, ["analyze", EXAMPLE], env={"COLUMNS": "200"}).stdout
    assert "representative" not in whole
    bad = runner.invoke(app, ["analyze", EXAMPLE, "--engine", "fast"])
    assert bad.exit_code == 2 and "--engine must be auto, frontier or optimise" in bad.output
    assert "Traceback" not in bad.output
