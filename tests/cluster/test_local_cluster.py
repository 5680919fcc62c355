"""A LocalCluster of two worker processes gives the same records and the same study, byte for
byte, as one process with the same seed: whatever the chunking and the order of completion."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import accord
from accord.model import Scenario
from accord.simulation.tournament import TournamentConfig, TournamentResult, run_tournament
from accord.uncertainty import RobustnessConfig, robustness, uncertain_inputs
from accord.uncertainty.study import sample_chunks, sample_span
from distributed import Client


def _bytes(result: TournamentResult, path: Path) -> tuple[str, bytes]:
    result.to_csv(path)
    return json.dumps(list(result.records), indent=1), path.read_bytes()


@pytest.mark.parametrize(
    ("strategies", "chunk"),
    [
        (["boulware", "linear", "conceder"], None),  # time-only: the batch engine
        (["random", "tit-for-tat", "boulware"], 7),  # one session at a time, odd chunks
    ],
)
def test_a_tournament_on_the_cluster_equals_one_process(
    local_client: Client, tmp_path: Path, strategies: list[str], chunk: int | None
) -> None:
    scenarios = [accord.load("car-sale"), accord.load("three-towns")]
    config = TournamentConfig(n_seeds=2, n_rounds=20, seed=5, workers=1)
    here = run_tournament(scenarios, strategies, config)
    done: list[int] = []
    there = run_tournament(
        scenarios,
        strategies,
        TournamentConfig(**{**config.__dict__, "chunk": chunk}),
        client=local_client,
        progress=lambda n, total: done.append(n),
    )
    assert here.n_sessions == (9 + 27) * 2
    assert _bytes(here, tmp_path / "one.csv") == _bytes(there, tmp_path / "two.csv")
    assert done == sorted(done) and done[-1] == here.n_sessions


def test_a_robustness_study_on_the_cluster_equals_one_process(
    local_client: Client, uncertain: Scenario
) -> None:
    # Small chunks, so the samples span many chunks and tasks of uneven sizes.
    config = RobustnessConfig(chunk_values=4096, task_samples=700, max_candidates=8)
    here = robustness(uncertain, samples=5000, seed=11, config=config)
    seen: list[int] = []
    there = robustness(
        uncertain,
        samples=5000,
        seed=11,
        config=config,
        client=local_client,
        progress=lambda n, t: seen.append(n),
    )
    assert len(here.inputs) == 5
    assert json.dumps(here.to_dict(), indent=2) == json.dumps(there.to_dict(), indent=2)
    assert seen[-1] == 2 * 5000  # both passes followed
    # Another seed changes the study: the equality above is not vacuous.
    other = robustness(uncertain, samples=5000, seed=12, config=config)
    assert json.dumps(other.to_dict()) != json.dumps(here.to_dict())


def test_a_span_draws_the_samples_the_whole_stream_holds(uncertain: Scenario) -> None:
    inputs = uncertain_inputs(uncertain)
    whole = np.concatenate(list(sample_chunks(inputs, 1000, 3, 64)))
    for start, stop in [(0, 64), (64, 1000), (192, 500), (960, 1000)]:
        part = np.concatenate(list(sample_span(inputs, range(start, stop), 3, 64)))
        assert np.array_equal(part, whole[start:stop])


@pytest.mark.parametrize("name", ["three-towns", "ceasefire-2025"])
def test_a_coalition_map_on_the_cluster_equals_one_process(local_client: Client, name: str) -> None:
    # ceasefire-2025: eight parties, 255 coalitions solved level by level on two workers.
    from accord.analysis.coalitions import coalition_map

    scenario = accord.load(name)
    here = coalition_map(scenario)
    seen: list[tuple[int, int]] = []
    there = coalition_map(
        scenario, client=local_client, progress=lambda done, total: seen.append((done, total))
    )
    assert json.dumps(here.to_dict()) == json.dumps(there.to_dict())
    assert len(there.coalitions) == 2 ** len(scenario.parties) - 1
    assert seen[-1] == (len(there.coalitions), len(there.coalitions))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
