"""The utility formula exists once (accord.model.utility): every path that evaluates a party's
utility gives the same numbers on random scenarios.

In-memory paths (the simulation's domain, the compiled integers) must agree exactly; paths that
sum the same parts in another order (the uncertainty sampler at nominal values, NegMAS's ufuns)
or through a file (the GeniusWeb writer and reader) agree to 1e-12, the float noise of the
formula, and decide acceptance identically.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from tempfile import TemporaryDirectory

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings

from accord.analysis import compile_space
from accord.errors import ImportFormatError
from accord.io.geniusweb_json import read_geniusweb, write_geniusweb
from accord.model import Number, Preferences, Scenario, value_of
from accord.model.utility import exact_number, issue_contributions
from accord.simulation import build_domain
from accord.uncertainty.inputs import uncertain_inputs
from accord.uncertainty.utilities import UtilityModel

from .strategies import all_packages, scenarios

PATHS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _analysis(scenario: Scenario) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    space = compile_space(scenario)
    x = all_packages(space.sizes)
    u, q, _ = space.evaluate(x)
    return x, u, q


@PATHS
@given(scenarios())
def test_simulation_domain_holds_the_analysis_utilities(scenario: Scenario) -> None:
    x, u, q = _analysis(scenario)
    domain = build_domain(scenario)
    order = np.ravel_multi_index(tuple(x.T), compile_space(scenario).sizes)
    assert np.array_equal(domain.utilities[order], u)
    assert np.array_equal(domain.quantized[order], q)
    for p, view in enumerate(domain.views):
        assert view.reservation_q == compile_space(scenario).floor_q[p]


@PATHS
@given(scenarios())
def test_integer_utilities_are_the_exact_utilities(scenario: Scenario) -> None:
    space = compile_space(scenario)
    _, u, q = _analysis(scenario)
    for p, scale in enumerate(space.scales):
        assert scale.exact  # small decimal numbers always fit
        assert np.allclose(q[:, p] / scale.denominator, u[:, p], rtol=0, atol=1e-12)
        # The floats of the analysis are the one definition's floats.
        floats = issue_contributions(scenario.issues, scenario.preferences[scenario.parties[p].id])
        for i, table in enumerate(floats):
            assert np.array_equal(space.contributions[i][:, p], table)


def _uncertain(scenario: Scenario) -> Scenario:
    """The scenario with every weight and every discrete value given a range around itself."""

    def around(v: float) -> Number:
        return Number(value=v, range=(v - 0.25 if v >= 0.25 else 0.0, v + 0.25))

    prefs = {}
    for pid, pref in scenario.preferences.items():
        values = {
            k: ({o: around(value_of(v)) for o, v in t.items()} if isinstance(t, Mapping) else t)
            for k, t in pref.values.items()
        }
        weights = {k: around(value_of(w)) for k, w in pref.weights.items()}
        prefs[pid] = Preferences(
            weights=weights, values=values, interactions=pref.interactions, red_lines=pref.red_lines
        )
    return scenario.model_copy(update={"preferences": prefs})


@PATHS
@given(scenarios())
def test_uncertainty_at_nominal_values_gives_the_analysis_utilities(scenario: Scenario) -> None:
    uncertain = Scenario.model_validate(_uncertain(scenario).model_dump())
    x, u, _ = _analysis(scenario)
    inputs = uncertain_inputs(uncertain)
    assert inputs
    model = UtilityModel(compile_space(uncertain), inputs, x)
    sampled, r, _ = model.evaluate(model.nominal[None, :])
    assert np.allclose(sampled[:, 0, :].T, u, rtol=0, atol=1e-12)
    assert np.array_equal(r[0], [p.reservation for p in scenario.parties])


@PATHS
@given(scenarios(couplings=False))
def test_the_geniusweb_round_trip_keeps_the_utilities(scenario: Scenario) -> None:
    with TemporaryDirectory() as folder:
        try:
            write_geniusweb(scenario, Path(folder) / "gw")
        except ImportFormatError:
            assume(False)  # what GeniusWeb cannot hold (a one-point range), refused by name
        back = read_geniusweb(Path(folder) / "gw")
    x, u, _ = _analysis(scenario)
    space_back = compile_space(back)
    u_back, q_back, _ = space_back.evaluate(x)
    assert np.allclose(u_back, u, rtol=0, atol=1e-12)
    # Acceptance is decided alike: the reservation values come back exactly (or as extras).
    for p, party in enumerate(back.parties):
        assert exact_number(party.reservation) == exact_number(scenario.parties[p].reservation)
    ours = compile_space(scenario)
    _, q, _ = ours.evaluate(x)
    assert np.array_equal(np.all(q >= ours.floor_q, axis=1), np.all(q_back >= space_back.floor_q, axis=1))


@PATHS
@given(scenarios(couplings=False))
def test_the_negmas_bridge_gives_the_analysis_utilities(scenario: Scenario) -> None:
    pytest.importorskip("negmas")
    from accord.io.negmas import to_negmas

    converted = to_negmas(scenario)
    x, u, _ = _analysis(scenario)
    values = [list(issue.all) for issue in converted.outcome_space.issues]
    for row, expected in zip(x, u, strict=True):
        outcome = tuple(v[k] for v, k in zip(values, row, strict=True))
        got = [float(ufun(outcome)) for ufun in converted.ufuns]
        assert np.allclose(got, expected, rtol=0, atol=1e-12)
