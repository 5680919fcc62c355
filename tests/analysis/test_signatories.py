"""Blocs, signatories and constraints: the file format, and an analysis that respects them
exactly (against brute force), in analyze, explain and the MOPAC simulation."""

from __future__ import annotations

import textwrap
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import accord
from accord import _load
from accord.analysis import AnalysisConfig, analyze, explain
from accord.analysis.space import compile_space
from accord.cli import app
from accord.errors import ScenarioError
from accord.io import dumps, loads, schema
from accord.model import Constraint, Scenario
from accord.simulation import SessionConfig, build_domain, run_session
from tests.simulation.test_mopac import check_mopac_invariants
from tests.strategies import all_packages, scenarios

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TOWNS = textwrap.dedent("""\
    blocs:
      east: [birch, cedar]
    signatories: [alder, birch]
    constraints:
      - when: {site: birch, capacity: 80}
        rationale: Birch's site cannot take the largest plant.
""")


def _towns(extra: str = TOWNS) -> Scenario:
    text = resources.files("accord.scenarios").joinpath("three-towns.yaml").read_text(encoding="utf-8")
    return loads(text + extra, file="towns.yaml")


def test_blocs_signatories_and_constraints_load_and_round_trip() -> None:
    s = _towns()
    assert s.blocs == {"east": ("birch", "cedar")}
    assert s.required == ("alder", "birch")
    assert s.resolve_parties(["east", "alder"]) == ("alder", "birch", "cedar")
    assert loads(dumps(s)) == s
    jsonschema.validate(__import__("yaml").safe_load(dumps(s)), schema())
    for key in ("blocs", "signatories", "constraints"):
        assert key in schema()["properties"]


def test_a_scenario_without_them_is_unchanged() -> None:
    s = _load.load("three-towns")
    assert s.required == s.party_ids and s.blocs == {} and s.constraints == ()
    assert "blocs" not in dumps(s) and "signatories" not in dumps(s)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("blocs:\n  east: [birch, dover]\n", "line 1: blocs.east[1]: no party 'dover'"),
        ("blocs:\n  alder: [birch]\n", "'alder' is already a party id"),
        ("signatories: [alder, west]\n", "signatories[1]: no party or bloc 'west'"),
        ("signatories: []\n", "name at least one party or bloc"),
        (
            "constraints:\n  - when: {site: dover}\n",
            "constraints[0].when.site: issue 'site' has no option 'dover'",
        ),
        ("constraints:\n  - when: {size: 80}\n", "no issue 'size'"),
    ],
)
def test_bad_groups_and_constraints_are_located(extra: str, message: str) -> None:
    with pytest.raises(ScenarioError) as info:
        _towns(extra)
    text = str(info.value).replace("\n", " ")
    assert message.split(": ", 1)[-1] in text
    assert "towns.yaml" in text


def _brute_acceptable(scenario: Scenario) -> np.ndarray:
    """Which packages every signatory accepts (its red lines, no constraint, its floor)."""
    space = compile_space(scenario)
    x = all_packages(space.sizes)
    _, q, _ = space.evaluate(x)
    required = [scenario.party_ids.index(p) for p in scenario.required]
    ok = np.all(q[:, required] >= space.floor_q[required], axis=1)
    for term in space.terms:
        if term.is_constraint or (term.is_red_line and term.party in required):
            ok &= ~term.holds(x)
    return ok


@FAST
@given(scenarios(max_parties=4, max_issues=3, max_options=3, constraints=True), st.data())
def test_counts_and_solutions_respect_signatories_and_constraints(scenario: Scenario, data: Any) -> None:
    chosen = data.draw(st.lists(st.sampled_from(scenario.party_ids), min_size=1, unique=True))
    scenario = scenario.model_copy(update={"signatories": tuple(chosen)})
    ok = _brute_acceptable(scenario)
    a = analyze(scenario, config=AnalysisConfig(trades=False))
    assert a.n_acceptable == int(ok.sum())
    assert a.agreement_exists == bool(ok.any())
    assert [p["party"] for p in a.to_dict()["non_signatories"]] == [
        p for p in scenario.party_ids if p not in scenario.required
    ]
    space = compile_space(scenario)
    x = all_packages(space.sizes)
    if a.nash is not None:
        row = np.flatnonzero(np.all(x == space.indices(a.nash.package), axis=1))[0]
        assert ok[row]
        assert set(a.nash.utilities) == set(scenario.required)
    for point in a.pareto_frontier:
        row = np.flatnonzero(np.all(x == space.indices(point.package), axis=1))[0]
        assert ok[row]


def test_non_signatories_are_reported_not_blocking() -> None:
    s = _towns()
    a = analyze(s)
    data = a.to_dict()
    assert data["signatories"] == ["alder", "birch"]
    assert data["constraints"][0]["when"] == {"site": "birch", "capacity": 80}
    (cedar,) = data["non_signatories"]
    assert cedar["party"] == "cedar" and "nash" in cedar["solutions"]
    # Alder and Birch accept packages 1, 2, 3, 5, 6, 8, 10, 11, 12, 15 and 17 of the worked
    # example (Cedar's floor no longer counts: 3 and 12 give it 0.18 and 0.15); the constraint
    # takes out 12 and 15 (Birch's site with the largest plant): 9, a different nine.
    assert a.n_acceptable == 9
    assert {"site": "alder", "cost_share": "equal", "capacity": 80} in [p.package for p in a.pareto_frontier]


def test_explain_names_who_must_and_who_need_not_accept() -> None:
    s = _towns()
    e = explain(s, "site=alder,cost_share=equal,capacity=80").to_dict()
    # Package 3: Cedar (0.18 < 0.25) rejects it, but Cedar is not a signatory.
    assert e["acceptable"] is True and e["rejected_by"] == []
    assert e["rejected_by_non_signatories"] == ["cedar"]
    assert [v["signatory"] for v in e["parties"]] == [True, True, False]
    broken = explain(s, "site=birch,cost_share=equal,capacity=80").to_dict()
    assert broken["acceptable"] is False and broken["constraints_broken"][0]["rationale"].startswith("Birch")


def test_a_constraint_removes_packages_from_every_count() -> None:
    base = _load.load("three-towns")
    # Package 6 (alder, population, 80) is the Nash solution; make it incoherent.
    s = base.model_copy(
        update={
            "constraints": (Constraint(when={"site": "alder", "cost_share": "population", "capacity": 80}),)
        }
    )
    a, b = analyze(base), analyze(s)
    assert a.n_acceptable == 9 and b.n_acceptable == 8
    assert b.nash is not None and b.nash.package != a.nash.package  # type: ignore[union-attr]
    assert b.n_allowed == a.n_allowed - 1


def test_mopac_needs_every_signatory_for_an_agreement() -> None:
    # The flagship cut to its nine original issues: the flagship itself is too large to simulate.
    s = accord.load(Path(__file__).parents[1] / "data" / "ceasefire-core.yaml")
    config = SessionConfig(protocol="mopac", n_rounds=100)
    plain = run_session(build_domain(s), ["conceder"], config).outcome
    assert plain.reason == "partial" and plain.agreement is None
    left_out = plain.without_agreement
    # When the party left out is not a signatory, the same agreement is the agreement.
    ids = s.party_ids
    others = tuple(p for n, p in enumerate(ids) if n not in left_out)
    session = run_session(build_domain(s.model_copy(update={"signatories": others})), ["conceder"], config)
    check_mopac_invariants(session)
    signed = session.outcome
    assert signed.reason == "agreement" and signed.agreement == plain.agreements[0].package
    assert signed.parties == plain.agreements[0].parties


def test_the_report_lists_constraints_non_signatories_and_the_package_to_table() -> None:
    from accord.report._content import build_content

    data = build_content(analyze(_towns())).data
    text = "\n".join(data["summary"]["findings"])
    assert data["brief"]["package_is"] == "Package to table"
    assert data["brief"]["rule"].startswith("Table the Nash solution")
    assert "cedar is not a signatory: its refusal does not block" in text
    assert "Excluded as not a coherent package (a constraint of the scenario)" in text
    assert "Birch's site cannot take the largest plant." in text


def test_the_terminal_says_who_must_sign_and_what_is_excluded(tmp_path: Path) -> None:
    text = resources.files("accord.scenarios").joinpath("three-towns.yaml").read_text(encoding="utf-8")
    path = tmp_path / "towns.yaml"
    path.write_text(text + TOWNS, encoding="utf-8")
    out = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["analyze", str(path)]).stdout
    assert "2 signatories of 3 parties" in out and "acceptable to every signatory" in out
    assert "Not a signatory (its refusal does not block): cedar" in out
    assert "Excluded as not a coherent package: Site of the plant: In Birch and Capacity: 80 ML/day" in out


def test_a_declared_sequence_is_checked_and_is_the_default_order() -> None:
    base = accord.load("three-towns")
    ids = base.party_ids
    declared = base.model_copy(update={"sequence": f"{ids[0]}+{ids[1]}, {ids[2]}"})
    assert type(base).model_validate(declared.model_dump()).sequence == declared.sequence
    for bad, said in (
        (f"{ids[0]}, nobody, {ids[1]}+{ids[2]}", "no party or bloc 'nobody'"),
        (f"{ids[0]}, {ids[0]}+{ids[1]}, {ids[2]}", "appear in two groups"),
        (f"{ids[0]}, {ids[1]}", f"leaves out the signatories {ids[2]}"),
        (f"{ids[0]},, {ids[1]}", "an empty group"),
    ):
        with pytest.raises(ScenarioError, match=said):
            type(base).model_validate({**declared.model_dump(), "sequence": bad})
    runner = CliRunner()
    missing = runner.invoke(app, ["sequence", "three-towns"])
    assert missing.exit_code != 0 and "declares no `sequence`" in " ".join(missing.output.split())
