"""Every domain of the ANAC/Genius corpus analyses, through the command line's own path.

The corpus is ../shared/data/genius beside the repository; without it these tests skip.
Checks real properties on data we did not write: the frontier is exact (brute force where the
domain is small), every solution is acceptable and on the frontier.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

import accord
from accord.analysis import AnalysisConfig, compile_space
from accord.analysis.pareto import space_frontier
from accord.cli import app

from ..corpus import CORPUS, FOLDERS

pytestmark = pytest.mark.corpus


@pytest.mark.parametrize("name", [f for f in FOLDERS if f != "10issues"])
def test_domain_analyses_and_solutions_are_acceptable_and_optimal(name: str) -> None:
    scenario = accord.load(CORPUS / name)
    result = accord.analyze(scenario, config=AnalysisConfig(trades=False))
    space = compile_space(scenario)
    frontier = {tuple(v) for v in space_frontier(space).quantized}
    floor = space.floor_q
    for key in ("nash", "asymmetric_nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
        solution = getattr(result, key)
        if solution is None:
            assert not frontier
            continue
        _, q, allowed = space.evaluate(space.indices(solution.package)[None, :])
        assert allowed[0] and np.all(q[0] >= floor), key
        assert tuple(q[0]) in frontier, key
    if scenario.n_packages <= 20_000:
        # Brute force: every package evaluated, the frontier of the acceptable ones by pairwise
        # dominance on the same integer grid.
        x = np.indices(space.sizes).reshape(len(space.sizes), -1).T
        _, q, allowed = space.evaluate(x)
        acc = q[allowed & np.all(q >= floor, axis=1)]
        assert result.n_acceptable == len(acc)
        unique = np.unique(acc, axis=0)
        brute = {
            tuple(v) for v in unique if not np.any(np.all(unique >= v, axis=1) & np.any(unique > v, axis=1))
        }
        assert brute == frontier


def test_the_ten_billion_package_domain_is_analysed_exactly() -> None:
    if "10issues" not in FOLDERS:
        pytest.skip("10issues is not in the corpus")
    result = CliRunner().invoke(
        app, ["analyze", str(CORPUS / "10issues"), "--json", "-r", "profile-1=0.5", "-r", "profile-2=0.5"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["n_packages"] == 10**10
    # Counted exactly (not estimated): a number, and no estimate.
    assert isinstance(data["n_acceptable"], int) and data["n_acceptable_estimate"] is None
    assert 0 < data["n_acceptable"] < 10**10
    assert len(data["pareto_frontier"]) == 10
    nash = data["nash"]["utilities"]
    assert nash["profile-1"] >= 0.5 and nash["profile-2"] >= 0.5
