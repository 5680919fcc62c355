"""Issue 9 items 5, 9 and 17: arguments out of range or given twice are refused with a one-line
error naming the argument, in the CLI and in the Python API."""

from __future__ import annotations

import pytest

import accord
from accord.analysis import AnalysisConfig
from accord.errors import AccordError, AnalysisError
from accord.simulation import SessionConfig
from accord.simulation.trace import MAX_ROUNDS
from accord.uncertainty import RobustnessConfig, robustness

from .cli import invoke, refused


@pytest.mark.parametrize(
    "args",
    [
        ("robustness", "ceasefire-2025", "-n", "10"),
        ("simulate", "car-sale"),
        ("report", "car-sale", "-o", "never-written.html"),
        ("analyze", "car-sale"),
    ],
)
def test_a_negative_seed_is_refused(args: tuple[str, ...]) -> None:
    refused(invoke(*args, "--seed", "-1"), "'--seed'", code=2)


def test_a_negative_seed_is_refused_by_the_api() -> None:
    with pytest.raises(AccordError, match="seed must be a non-negative integer, got -1"):
        SessionConfig(seed=-1)
    with pytest.raises(AnalysisError, match=r"AnalysisConfig\.seed must be a non-negative integer"):
        AnalysisConfig(seed=-1)
    with pytest.raises(AnalysisError, match="seed must be a non-negative integer, got -1"):
        robustness(accord.load("ceasefire-2025"), samples=10, seed=-1)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("robustness", "ceasefire-2025", "--workers", "0"), "'--workers'"),
        (("robustness", "ceasefire-2025", "--workers", "-1"), "'--workers'"),
        (("tournament", "car-sale", "--workers", "0"), "'--workers'"),
        (("tournament", "car-sale", "--workers", "-1"), "'--workers'"),
        (("tournament", "car-sale", "--seeds", "0"), "'--seeds'"),
        (("robustness", "ceasefire-2025", "--samples", "-4"), "'--samples'"),
        (("report", "car-sale", "-o", "x.html", "--samples", "-4"), "'--samples'"),
        (("analyze", "car-sale", "--frontier-rows", "-3"), "'--frontier-rows'"),
        (("analyze", "car-sale", "--max-enumerate", "0"), "'--max-enumerate'"),
        (("simulate", "car-sale", "--rows", "-1"), "'--rows'"),
    ],
)
def test_counts_below_their_least_value_are_refused(args: tuple[str, ...], option: str) -> None:
    refused(invoke(*args), option, code=2)


def test_the_workers_limit_of_the_api_is_one_check() -> None:
    with pytest.raises(AnalysisError, match=r"RobustnessConfig\.workers must be at least 1, got 0"):
        RobustnessConfig(workers=0)


@pytest.mark.parametrize("command", ["simulate", "tournament"])
@pytest.mark.parametrize("rounds", ["0", "1000000000"])
def test_rounds_are_capped_before_any_memory_is_taken(command: str, rounds: str) -> None:
    line = refused(invoke(command, "car-sale", "-n", rounds), f"--rounds {int(rounds):,}", code=2)
    if rounds != "0":
        assert f"limit of {MAX_ROUNDS:,} rounds" in line
    with pytest.raises(AccordError, match="above the limit"):
        SessionConfig(n_rounds=MAX_ROUNDS + 1)


def test_an_empty_scenario_argument_is_not_the_current_folder() -> None:
    for command in ("analyze", "simulate", "robustness"):
        refused(invoke(command, ""), "SCENARIO", "is empty", code=2)


def test_a_party_given_twice_is_refused() -> None:
    line = refused(
        invoke("analyze", "car-sale", "-r", "seller=0.1", "-r", "seller=0.9"), "--reservation", code=2
    )
    assert "'seller' twice (0.1 and 0.9)" in line


@pytest.mark.parametrize(
    "args",
    [
        ("explain", "car-sale", "-p", "price=18000,price=22000"),
        ("robustness", "ceasefire-2025", "-n", "10", "-p", "price=18000,price=22000"),
    ],
)
def test_an_issue_given_twice_in_a_package_is_refused(args: tuple[str, ...]) -> None:
    line = refused(invoke(*args), "--package 'price=18000,price=22000'", code=2)
    assert "issue 'price' is given twice in the package ('18000' and '22000')" in line


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("time-based(e=1,e=2)", "'e' is given twice"),
        ("time-based(e=1e400)", "not a finite number"),
        ("time-based(e=nan)", "not a finite number"),
        ("time-based(e=-1)", "e must be positive"),
        (",", "give at least one strategy"),
        ("nonsense", "no strategy 'nonsense'"),
    ],
)
@pytest.mark.parametrize("command", ["simulate", "tournament"])
def test_bad_strategy_specs_name_the_argument(command: str, spec: str, reason: str) -> None:
    line = refused(invoke(command, "car-sale", "-n", "5", "-s", spec), f"--strategies '{spec}'", code=2)
    assert reason in line


def test_a_reservation_value_that_is_not_finite_is_refused() -> None:
    for value in ("nan", "inf", "-inf", "1e400"):
        line = refused(invoke("analyze", "car-sale", "-r", f"seller={value}"), "--reservation seller", code=2)
        assert "not a finite number" in line
