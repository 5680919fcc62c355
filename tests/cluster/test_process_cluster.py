"""The networked path: `dask scheduler` and two `dask worker` processes on 127.0.0.1. The CLI's
--scheduler gives the same files as a run without it, and a worker killed in the middle of a
run has its tasks re-run by Dask with the same records."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from typer.testing import CliRunner

import accord
from accord.cli import app
from accord.simulation.tournament import TournamentConfig, run_tournament

from .conftest import UNCERTAIN, ProcessCluster


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_cli_writes_the_same_files_with_and_without_a_scheduler(
    process_cluster: ProcessCluster, tmp_path: Path
) -> None:
    base = [
        "tournament",
        "car-sale",
        "three-towns",
        "-s",
        "boulware,random,tit-for-tat",
        "--seeds",
        "2",
        "-n",
        "15",
    ]
    for suffix in (".csv", ".json"):
        _run(*base, "--workers", "1", "-o", str(tmp_path / f"here{suffix}"))
        _run(*base, "--scheduler", process_cluster.address, "-o", str(tmp_path / f"there{suffix}"))
        here, there = (tmp_path / f"here{suffix}").read_bytes(), (tmp_path / f"there{suffix}").read_bytes()
        assert here == there and len(here) > 10_000
    scenario = tmp_path / "spread.yaml"
    scenario.write_text(UNCERTAIN)
    study = ["robustness", str(scenario), "-n", "4000", "--seed", "2", "--json"]
    assert _run(*study) == _run(*study, "--scheduler", process_cluster.address)
    for output in (["--json"], []):  # the map as JSON, and as the table
        coalitions = ["coalitions", "three-towns", *output]
        assert _run(*coalitions) == _run(*coalitions, "--scheduler", process_cluster.address)


def test_a_worker_killed_mid_run_changes_nothing(process_cluster: ProcessCluster) -> None:
    """Runs last in this module: it leaves the cluster with one worker."""
    scenarios = [accord.load("three-towns")]
    strategies = ["random", "tit-for-tat", "conceder"]
    # 27 x 16 sessions in 108 tasks: enough that the run is still going at the first results.
    config = TournamentConfig(n_seeds=16, n_rounds=200, workers=1, chunk=4)
    here = run_tournament(scenarios, strategies, config)
    client = process_cluster.client
    pids = process_cluster.pid_of()
    assert len(pids) == 2
    killed: list[tuple[str, int]] = []

    def kill_a_busy_worker(done: int, total: int) -> None:
        if killed or done > total // 2:
            return
        processing = client.processing()
        busy = sorted((len(keys), address) for address, keys in processing.items() if keys)
        if busy:  # else both workers are between tasks: try again at the next chunk
            killed.append((busy[-1][1], busy[-1][0]))
            os.kill(pids[busy[-1][1]], signal.SIGKILL)

    there = run_tournament(scenarios, strategies, config, client=client, progress=kill_a_busy_worker)
    assert killed and killed[0][1] >= 1  # the worker died with tasks of its own to do
    assert there.records == here.records
    deadline = time.monotonic() + 30
    while len(client.nthreads()) != 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(client.nthreads()) == [a for a in pids if a != killed[0][0]]
