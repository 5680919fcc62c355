"""RobustnessConfig checks every field when it is built, and documents every field."""

from __future__ import annotations

import dataclasses
import importlib.util
from types import FunctionType

import pytest

import accord
import accord.uncertainty
from accord import AnalysisError, RobustnessConfig

COUNTS = {
    "max_candidates": 0,
    "max_scan": 0,
    "top": 0,
    "pilot": 0,
    "chunk_values": 1,
    "workers": 1,
    "bins": 1,
    "task_samples": 1,
}


def test_every_field_is_documented() -> None:
    doc = RobustnessConfig.__doc__ or ""
    missing = [f.name for f in dataclasses.fields(RobustnessConfig) if f"``{f.name}``" not in doc]
    assert not missing


def test_every_count_is_checked() -> None:
    assert set(COUNTS) | {"resolve_all"} == {f.name for f in dataclasses.fields(RobustnessConfig)}


@pytest.mark.parametrize(("name", "least"), sorted(COUNTS.items()))
def test_a_count_below_its_least_value_is_one_line(name: str, least: int) -> None:
    with pytest.raises(
        AnalysisError, match=rf"^RobustnessConfig\.{name} must be at least {least}, got {least - 1}$"
    ):
        RobustnessConfig(**{name: least - 1})  # type: ignore[arg-type]
    RobustnessConfig(**{name: least})  # type: ignore[arg-type]  # the least value itself is fine


@pytest.mark.parametrize("name", sorted(COUNTS))
@pytest.mark.parametrize("value", [2.5, "8", True])
def test_a_count_that_is_not_a_whole_number_is_refused(name: str, value: object) -> None:
    with pytest.raises(AnalysisError, match=rf"^RobustnessConfig\.{name} must be a whole number, got "):
        RobustnessConfig(**{name: value})  # type: ignore[arg-type]


def test_resolve_all_is_a_flag() -> None:
    with pytest.raises(AnalysisError, match=r"^RobustnessConfig\.resolve_all must be true or false, got 1$"):
        RobustnessConfig(resolve_all=1)  # type: ignore[arg-type]
    assert RobustnessConfig(task_samples=None).task_samples is None


def test_robustness_is_a_function_not_also_a_module() -> None:
    assert isinstance(accord.uncertainty.robustness, FunctionType)
    assert accord.robustness is accord.uncertainty.robustness
    assert importlib.util.find_spec("accord.uncertainty.robustness") is None
    assert importlib.util.find_spec("accord.uncertainty.study") is not None
