"""The limits that bound the analysis's memory are checked arguments, not module globals."""

from __future__ import annotations

from pathlib import Path

import pytest

import accord
from accord.analysis import compile_space
from accord.analysis.pareto import space_frontier

EXAMPLE = Path(__file__).parents[1] / "data" / "example.yaml"


def test_the_frontier_limit_is_an_argument() -> None:
    space = compile_space(accord.load("ceasefire-2025"))
    with pytest.raises(accord.SpaceTooLargeError, match="Pareto frontier of 8 parties"):
        space_frontier(space, max_elements=1000)
    with pytest.raises(
        accord.AnalysisError, match=r"max_elements must be a whole number of at least 1, got 0$"
    ):
        space_frontier(space, max_elements=0)


@pytest.mark.parametrize("name", ["stream_chunk", "stream_inner"])
@pytest.mark.parametrize("value", [0, -3, 2.5, True])
def test_streaming_limits_are_checked(name: str, value: object) -> None:
    with pytest.raises(
        accord.AnalysisError, match=f"^compile_space: {name} must be a whole number of at least 1"
    ):
        compile_space(accord.load(EXAMPLE), **{name: value})  # type: ignore[arg-type]


def test_the_stream_limit_and_the_count_limit_are_two_limits() -> None:
    scenario = accord.load("ceasefire-2025")  # red lines couple some of its issues
    with pytest.raises(accord.SpaceTooLargeError, match=r"raise AnalysisConfig\.max_stream"):
        accord.analyze(scenario, config=accord.AnalysisConfig(max_stream=2, blockers=False, trades=False))
    counted = accord.analyze(
        scenario, config=accord.AnalysisConfig(max_enumerate=1, blockers=False, trades=False)
    )
    assert counted.n_acceptable is None and counted.n_acceptable_estimate is not None
