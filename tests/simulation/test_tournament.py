"""Tournaments: the grid, the metrics, and independence from the number of workers."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

import accord
from accord.simulation.tournament import FIELDS, TournamentConfig, run_tournament

from .conftest import three_packages


def test_records_are_one_row_per_session_and_party() -> None:
    result = run_tournament(
        [three_packages()], ["linear", "hardliner"], TournamentConfig(n_seeds=2, n_rounds=3, workers=1)
    )
    assert result.n_sessions == 2 * 2 * 2  # (2 strategies)^(2 parties) x 2 seeds
    assert len(result.records) == 16
    assert all(tuple(r) == FIELDS for r in result.records)
    assert [r["session"] for r in result.records] == [s for s in range(8) for _ in range(2)]
    assert [r["seed"] for r in result.records[:4]] == [0, 0, 1, 1]
    # Session 0: linear vs linear agrees on mid (worked by hand in test_session.py): on the
    # frontier and at the Nash point (0.6 x 0.6 is the largest product).
    a, b = result.records[0], result.records[1]
    assert (a["party"], a["strategy"], b["strategy"]) == ("a", "linear", "linear")
    assert a["agreement"] and a["utility"] == pytest.approx(0.6) and a["gain"] == pytest.approx(0.6)
    assert a["social_welfare"] == pytest.approx(1.2)
    assert a["pareto_distance"] == pytest.approx(0.0) and a["nash_distance"] == pytest.approx(0.0)
    assert a["rounds"] == 3 and a["reason"] == "agreement"
    # Session 4 (seed 0): hardliner vs linear: no agreement, utilities (0, 0); the nearest
    # frontier point and the Nash point are both mid (0.6, 0.6).
    c = result.records[8]
    assert c["assignment"] == "hardliner/linear" and not c["agreement"]
    assert c["pareto_distance"] == pytest.approx(math.sqrt(0.72))
    assert c["nash_distance"] == pytest.approx(math.sqrt(0.72))


def test_results_do_not_depend_on_the_number_of_workers() -> None:
    scenarios = [accord.load("car-sale"), accord.load("three-towns")]
    names = ["boulware", "random", "tit-for-tat"]
    config = TournamentConfig(n_seeds=3, n_rounds=20, assignments="all")
    one = run_tournament(scenarios, names, TournamentConfig(**{**config.__dict__, "workers": 1}))
    two = run_tournament(scenarios, names, TournamentConfig(**{**config.__dict__, "workers": 2}))
    assert one.records == two.records
    assert one.n_sessions == (9 + 27) * 3


def test_cyclic_assignments_rotate_the_strategies() -> None:
    result = run_tournament(
        [accord.load("three-towns")],
        ["boulware", "linear"],
        TournamentConfig(assignments="cyclic", n_rounds=10, workers=1),
    )
    assignments = [r["assignment"] for r in result.records[::3]]
    assert assignments == ["boulware/linear/boulware", "linear/boulware/linear"]


def test_summary_and_csv(tmp_path: Path) -> None:
    done: list[tuple[int, int]] = []
    result = run_tournament(
        [three_packages()],
        ["conceder", "hardliner"],
        TournamentConfig(n_rounds=5, workers=1),
        progress=lambda d, t: done.append((d, t)),
    )
    assert done[-1] == (4, 4)
    summary = result.summary()
    # conceder agrees with itself on mid; nobody agrees with the hardliner (it wants low, worth 0
    # to the other, below what any conceder accepts).
    assert [r["strategy"] for r in summary] == ["conceder", "hardliner"]  # best mean gain first
    assert summary[0]["gain"] == pytest.approx(0.3) and summary[1]["gain"] == 0.0
    assert summary[0]["rows"] == 4 and 0 <= summary[0]["agreement_rate"] <= 1
    path = tmp_path / "r.csv"
    result.to_csv(path)
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 8 and tuple(rows[0]) == FIELDS


def test_oversized_and_ambiguous_tournaments_are_refused() -> None:
    with pytest.raises(accord.AccordError, match="exceed max_sessions"):
        run_tournament([accord.load("three-towns")], ["linear", "boulware"], TournamentConfig(max_sessions=5))
    with pytest.raises(accord.AccordError, match="named twice"):
        run_tournament([three_packages()], ["linear", "linear"])
    with pytest.raises(accord.AccordError, match="at least 1"):
        TournamentConfig(n_seeds=0)


def test_time_only_tournaments_on_the_batch_engine_give_the_same_records() -> None:
    scenarios = [accord.load("car-sale"), accord.load("three-towns"), three_packages(discount=0.7)]
    names = ["boulware", "conceder", "hardliner", "aspiration(exponent=2)"]
    auto = run_tournament(scenarios, names, TournamentConfig(n_rounds=30, workers=1))
    plain = run_tournament(scenarios, names, TournamentConfig(n_rounds=30, workers=1, engine="plain"))
    assert auto.records == plain.records


def test_mopac_and_mediated_tournaments_record_each_partys_agreement() -> None:
    scenario = accord.load("three-towns")
    for protocol in ("mopac", "mediated"):
        result = run_tournament(
            [scenario],
            ["conceder", "random"],
            TournamentConfig(n_seeds=2, n_rounds=30, protocol=protocol, workers=1),
        )
        assert result.n_sessions == 16
        by_session: dict[int, list[bool]] = {}
        for r in result.records:
            by_session.setdefault(r["session"], []).append(r["agreement"])
        if protocol == "mediated":  # one text binds all or none
            assert all(len(set(v)) == 1 for v in by_session.values())
