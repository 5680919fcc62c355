"""Results are typed records until ``to_dict()``: every public result type of
``accord.analysis`` is a frozen dataclass with ``to_dict()``, the records reachable from an
analysis or an explanation are those types, and their ``to_dict()`` is plain JSON."""

from __future__ import annotations

import dataclasses
import json
import textwrap
from collections.abc import Iterator
from importlib import resources
from types import ModuleType
from typing import Any
from unittest.mock import patch

import numpy as np
import pytest

import accord
import accord.analysis
from accord import _load
from accord.analysis import AnalysisConfig, analyze, explain
from accord.io import loads
from accord.model import Scenario

RESULT_TYPES = [
    getattr(accord.analysis, name)
    for name in accord.analysis.__all__
    if isinstance(getattr(accord.analysis, name), type) and name != "AnalysisConfig"
]

# Fields that hold JSON-ready data on purpose: conditions as the scenario file writes them, and
# the recommendation, which accord.uncertainty.recommend rebuilds with its probabilities.
JSON_FIELDS = {("Analysis", "recommendation"), ("RedLineBlocker", "when"), ("RuleBroken", "when")}

TOWNS = textwrap.dedent("""\
    signatories: [alder, birch]
    constraints:
      - when: {site: birch, capacity: 80}
        rationale: Birch's site cannot take the largest plant.
""")


def _towns() -> Scenario:
    text = resources.files("accord.scenarios").joinpath("three-towns.yaml").read_text(encoding="utf-8")
    return loads(text + TOWNS, file="towns.yaml")


def test_every_public_result_type_is_a_frozen_record_with_to_dict() -> None:
    assert len(RESULT_TYPES) >= 18
    for cls in RESULT_TYPES:
        assert dataclasses.is_dataclass(cls), cls.__name__
        assert cls.__dataclass_params__.frozen, cls.__name__  # type: ignore[attr-defined]
        assert callable(getattr(cls, "to_dict", None)), cls.__name__
        for f in dataclasses.fields(cls):
            loose = any(word in str(f.type) for word in ("JSON", "Any", "dict[str, object]"))
            assert not loose or (cls.__name__, f.name) in JSON_FIELDS, (cls.__name__, f.name, f.type)


def _records(obj: Any) -> Iterator[Any]:
    """Every dataclass instance reachable from ``obj`` through fields and containers (the
    scenario and the compiled arrays aside)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        if type(obj).__name__ in ("Space", "Frontier"):
            return
        yield obj
        for f in dataclasses.fields(obj):
            yield from _records(getattr(obj, f.name))
    elif isinstance(obj, (tuple, list)):
        for x in obj:
            yield from _records(x)
    elif isinstance(obj, dict):
        for x in obj.values():
            yield from _records(x)


def _cases() -> list[Any]:
    towns = _towns()
    ceasefire = _load.load("ceasefire-2025")
    lean = AnalysisConfig(count=False)
    analysed = [
        analyze(towns),
        analyze(_load.load("car-sale")),
        analyze(ceasefire, config=lean),
        analyze(ceasefire, disagreement={"russia": 0.79}, config=lean),
        analyze(towns, config=AnalysisConfig(engine="optimise", count=False)),
    ]
    car = analysed[1]
    explained = [
        explain(towns, "site=birch,cost_share=equal,capacity=80"),  # breaks the constraint
        explain(_load.load("three-towns"), "site=birch,cost_share=equal,capacity=60"),
        explain(car.scenario, car.space.package(np.zeros(len(car.scenario.issues), dtype=np.int64))),
    ]
    return [*analysed, *explained, *(a.pareto_frontier for a in analysed)]


def test_what_analyze_and_explain_return_is_typed_records_with_plain_json() -> None:
    public = {cls.__name__ for cls in RESULT_TYPES}
    seen: set[str] = set()
    for case in _cases():
        for record in _records(case):
            name = type(record).__name__
            if name == "Estimate":  # accord.analysis.count's, typed the same way
                json.dumps(record.to_dict(), allow_nan=False)
                continue
            assert name in public, name
            seen.add(name)
            data = record.to_dict()
            # Plain JSON: no numpy scalars, no NaN, no tuples that would come back as lists.
            assert json.loads(json.dumps(data, allow_nan=False)) == data, name
    assert seen == public


def test_the_json_of_an_analysis_is_built_from_its_records() -> None:
    a = analyze(
        _load.load("ceasefire-2025"), disagreement={"russia": 0.79}, config=AnalysisConfig(count=False)
    )
    data = a.to_dict()
    assert a.red_line_blockers and a.unblocking is not None
    # The red lines that alone block ride at the end of the list of blockers, in one entry.
    assert data["blockers"] == [b.to_dict() for b in a.blockers] + [
        {"red_lines": [r.to_dict() for r in a.red_line_blockers]}
    ]
    assert all("party" in b for b in data["blockers"][:-1])
    assert data["unblocking"] == a.unblocking.to_dict()


def test_a_solution_carries_its_option_indices() -> None:
    for name in ("car-sale", "three-towns", "ceasefire-2025"):
        a = analyze(_load.load(name), config=AnalysisConfig(count=False, blockers=False, trades=False))
        for sol in (a.nash, a.asymmetric_nash, a.kalai_smorodinsky, a.egalitarian, a.utilitarian):
            assert sol is not None
            assert all(isinstance(o, int) for o in sol.options)
            assert a.space.package(sol.options) == sol.package
            assert tuple(a.space.indices(sol.package).tolist()) == sol.options


def test_red_line_blockers_compile_the_scenario_once() -> None:
    """One compilation for the analysis and one for every 'what if this red line went' question
    (it was one more per red line)."""
    from accord.analysis import best
    from accord.analysis import space as space_module

    real = space_module.compile_space
    s = _load.load("three-towns")
    blocked = {p.id: 0.55 for p in s.parties}
    n_lines = sum(len(s.preferences[p].red_lines) for p in s.party_ids)
    assert n_lines >= 1
    with (
        patch("accord.analysis.analyze.compile_space", wraps=real) as here,
        patch.object(best, "compile_space", wraps=real) as there,
    ):
        result = analyze(s, disagreement=blocked, config=AnalysisConfig(count=False, trades=False))
    assert not result.agreement_exists
    assert here.call_count + there.call_count == 2


def test_explain_is_the_function_and_its_kernels_live_in_explanation() -> None:
    import accord.analysis.explanation as kernels

    assert isinstance(kernels, ModuleType) and callable(kernels.nearest_acceptable)
    assert not isinstance(accord.analysis.explain, ModuleType)
    assert accord.analysis.explain is accord.explain


@pytest.mark.parametrize("name", ["car-sale", "three-towns"])
def test_the_bargaining_objective_is_the_kernels(name: str) -> None:
    """Each solution's objective is the value its kernel reports at the package chosen,
    recomputed here from the reported gains as the definitions state it."""
    a = analyze(_load.load(name), config=AnalysisConfig(count=False, blockers=False, trades=False))
    power = np.array([p.bargaining_power for p in a.scenario.parties])
    assert a.nash is not None and a.asymmetric_nash is not None
    assert a.nash.objective == pytest.approx(float(np.prod(list(a.nash.gains.values()))), abs=1e-8)
    g = np.array(list(a.asymmetric_nash.gains.values()))
    assert a.asymmetric_nash.objective == pytest.approx(float(np.prod(g**power)), abs=1e-8)
    assert a.egalitarian is not None and a.utilitarian is not None
    assert a.egalitarian.objective == pytest.approx(min(a.egalitarian.gains.values()), abs=1e-9)
    assert a.utilitarian.objective == pytest.approx(sum(a.utilitarian.utilities.values()), abs=1e-8)


def test_the_python_example_of_the_analysis_docs_runs() -> None:
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "analysis.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "docs/analysis.md", "exec"), {})
