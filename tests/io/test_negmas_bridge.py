"""The NegMAS bridge: exact utilities both ways (skipped where NegMAS is not installed)."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

import accord
from accord.analysis.space import compile_space
from accord.errors import ImportFormatError
from accord.io.genius_xml import read_genius
from accord.model import Scenario

negmas = pytest.importorskip("negmas")

from accord.io.negmas import from_negmas, to_negmas  # noqa: E402

from ..corpus import CORPUS, needs_corpus  # noqa: E402


def _max_error(scenario: Scenario, n: int = 3000) -> float:
    """Largest difference between accord's and the NegMAS ufuns' utilities over packages."""
    converted = to_negmas(scenario)
    space = compile_space(scenario)
    sizes = [i.size for i in scenario.issues]
    if scenario.n_packages <= n:
        rows = np.array(list(itertools.product(*[range(s) for s in sizes])))
    else:
        rng = random.Random(0)
        rows = np.array([[rng.randrange(s) for s in sizes] for _ in range(n)])
    ours = space.evaluate(rows)[0]
    values = [list(issue.all) for issue in converted.outcome_space.issues]
    worst = 0.0
    for row, expected in zip(rows, ours, strict=True):
        outcome = tuple(v[k] for v, k in zip(values, row, strict=True))
        for ufun, u in zip(converted.ufuns, expected, strict=True):
            worst = max(worst, abs(float(ufun(outcome)) - float(u)))
    return worst


@needs_corpus
@pytest.mark.parametrize("name", ["Laptop", "Camera", "KillerRobot", "AMPOvsCity", "JapanTrip"])
def test_to_negmas_gives_accords_normalised_utilities(name: str) -> None:
    scenario = read_genius(CORPUS / name)
    assert _max_error(scenario) <= 1e-12
    converted = to_negmas(scenario)
    assert [u.reserved_value for u in converted.ufuns] == [p.reservation for p in scenario.parties]


def test_car_sale_round_trips_through_negmas() -> None:
    scenario = accord.load("car-sale")
    assert _max_error(scenario) <= 1e-12
    back = from_negmas(to_negmas(scenario))
    a, b = accord.analyze(scenario).to_dict(), accord.analyze(back).to_dict()
    for key in ("scenario", "name", "power", "asymmetric_nash"):  # NegMAS has no power
        a.pop(key), b.pop(key)
    for d in (a, b):  # the recommendation's alternatives name the asymmetric Nash solution too
        alternatives = [
            dict(alt, solutions=[n for n in alt["solutions"] if n != "asymmetric_nash"])
            for alt in d["recommendation"]["alternatives"]
        ]
        d["recommendation"]["alternatives"] = [alt for alt in alternatives if alt["solutions"]]
    assert a == b


def test_interactions_become_hyper_rectangles_and_red_lines_are_refused() -> None:
    towns = accord.load("three-towns")
    free = towns.model_copy(
        update={
            "preferences": {k: p.model_copy(update={"red_lines": []}) for k, p in towns.preferences.items()}
        }
    )
    assert any(p.interactions for p in free.preferences.values())
    assert _max_error(free) <= 1e-12
    with pytest.raises(ImportFormatError, match="red lines"):
        to_negmas(accord.load("ceasefire-2025"))


def test_from_negmas_maps_raw_scores_to_accords_scale() -> None:
    from negmas.outcomes import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun

    space = make_os([make_issue(["a", "b", "c"], name="colour"), make_issue((1, 4), name="size")])
    ufun = LinearAdditiveUtilityFunction(
        values=[TableFun({"a": 10.0, "b": 5.0, "c": 0.0}), TableFun({1: -2.0, 2: 0.0, 3: 2.0, 4: 4.0})],
        weights=[1.0, 2.0],
        bias=3.0,
        outcome_space=space,
        reserved_value=13.0,
        name="me",
    )
    scenario = from_negmas(space, [ufun])
    # u = 3 + colour + 2 size: from 3 + 0 - 4 = -1 to 3 + 10 + 8 = 21, so u' = (u + 1) / 22.
    space_ = compile_space(scenario)
    for k, (colour, size) in enumerate(itertools.product(range(3), range(4))):
        outcome = (["a", "b", "c"][colour], size + 1)
        assert space_.evaluate([[colour, size]])[0][0, 0] == pytest.approx((ufun(outcome) + 1) / 22), k
    assert scenario.party("me").reservation == pytest.approx(14 / 22)
    assert "22" in (scenario.preferences["me"].rationale or "")
