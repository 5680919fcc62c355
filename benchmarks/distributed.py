"""Dask scale-out: scheduling overhead, and the speed-up from 1 to 2 workers.

Prints three tables:

1. empty tasks through :func:`accord.distributed.map_chunks` on a LocalCluster of 2 workers:
   tasks per second and the overhead per task (wall time x threads / tasks: nothing else runs);
2. a tournament of ``--sessions`` sessions (car-sale, 4 strategies, so 16 assignments x seeds),
   once with strategies that reply to offers (one session at a time) and once with time-only
   ones (the batch engine): in this process, then on LocalClusters of 1 and 2 worker processes
   (one thread each), with the tasks, the overhead per task against the in-process run, and the
   speed-up from 1 to 2 workers;
3. a robustness study of ``--samples`` samples of the flagship scenario, the same way (in
   this process on one thread, as each worker has; by default ``accord robustness`` uses 2).

Each cluster is started and warmed up (the workers import accord) before its timings; its
start-up is reported apart. Every timed run includes shipping the state to the workers. Every
run on a cluster is checked to give the same result as in this process. Run on the whole
machine, or say beside the numbers what else ran.

    .venv/bin/python benchmarks/distributed.py
    .venv/bin/python benchmarks/distributed.py --sessions 2000 --samples 100000
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, and this file's name would hide
# Dask's `distributed` package: leave the folder out.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import accord  # noqa: E402
from accord.analysis.coalitions import coalition_map  # noqa: E402
from accord.distributed import connect, map_chunks  # noqa: E402
from accord.simulation.tournament import TournamentConfig, run_tournament  # noqa: E402
from accord.uncertainty import RobustnessConfig, robustness  # noqa: E402

REPLYING = ["boulware", "linear", "random", "tit-for-tat"]
TIME_ONLY = ["boulware", "linear", "conceder", "hardliner"]


def _empty(state: int, chunk: int) -> int:
    return state + chunk


def _timed(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = run()
    return time.perf_counter() - start, out


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def overhead(tasks: int) -> None:
    with connect("local:2") as client:
        list(map_chunks(client, _empty, 0, list(range(100))))  # warm up
        wall, out = _timed(lambda: list(map_chunks(client, _empty, 1, list(range(tasks)))))
        assert out == [1 + i for i in range(tasks)]
    print(f"\n## Scheduling overhead: {tasks:,} empty tasks, LocalCluster of 2 workers x 1 thread")
    print(f"{'tasks/s':>9} {'ms per task (x threads)':>24}")
    print(f"{tasks / wall:>9,.0f} {1e3 * wall * 2 / tasks:>24.2f}")


Runs = dict[int, tuple[float, float, str, int]]  # workers: (start-up, seconds, result, tasks)


def _speedup(title: str, here: tuple[float, str], runs: Runs) -> None:
    print(f"\n## {title}")
    print(f"{'where':<22} {'seconds':>8} {'tasks':>6} {'overhead/task ms':>17} {'speed-up':>9}  start-up")
    print(f"{'this process':<22} {here[0]:>8.2f} {'':>6} {'':>17} {'':>9}")
    for n, (start, wall, result, tasks) in runs.items():
        assert result == here[1], f"{n} workers gave another result"
        over = 1e3 * (wall * n - here[0]) / tasks
        print(
            f"{f'{n} worker' + ('s' if n > 1 else ''):<22} {wall:>8.2f} {tasks:>6} {over:>17.2f} "
            f"{runs[1][1] / wall:>8.2f}x  {start:.1f} s"
        )


def _on_clusters(
    result: Callable[[Any], str], warm_up: Callable[[Any], object], tasks: Callable[[int], int]
) -> Runs:
    """``result(client)`` timed on LocalClusters of 1 and 2 workers, each started (its start-up
    timed apart) and warmed up first; ``tasks(n)`` counts the tasks of the timed run."""
    runs: Runs = {}
    for n in (1, 2):
        start = time.perf_counter()
        with connect(f"local:{n}") as client:
            started = time.perf_counter() - start
            warm_up(client)
            wall, out = _timed(lambda client=client: result(client))
            runs[n] = (started, wall, out, tasks(n))
    return runs


def tournament(sessions: int, strategies: list[str], label: str) -> None:
    scenario = accord.load("car-sale")
    seeds = max(1, sessions // len(strategies) ** 2)
    config = TournamentConfig(n_seeds=seeds, n_rounds=100, workers=1)

    tasks = [0]

    def count(done: int, total: int) -> None:
        tasks[0] += 1

    def records(client: Any = None) -> str:
        result = run_tournament([scenario], strategies, config, client=client, progress=count)
        return json.dumps(list(result.records))

    def warm_up(client: Any) -> None:
        run_tournament([scenario], strategies, TournamentConfig(n_rounds=10), client=client)
        tasks[0] = 0

    here = _timed(records)
    runs = _on_clusters(records, warm_up, lambda n: tasks[0])
    n_sessions = seeds * len(strategies) ** 2
    _speedup(f"Tournament: {n_sessions:,} sessions, {label}", here, runs)


def study(samples: int) -> None:
    scenario = accord.load("ceasefire-2025")

    tasks = [0]

    def count(done: int, total: int) -> None:
        tasks[0] += 1

    def result(client: Any = None) -> str:
        config = RobustnessConfig(workers=1)  # in this process: one thread, as each worker has
        return json.dumps(
            robustness(
                scenario, samples=samples, seed=0, config=config, client=client, progress=count
            ).to_dict()
        )

    def warm_up(client: Any) -> None:
        robustness(scenario, samples=1000, seed=0, client=client)
        tasks[0] = 0

    here = _timed(result)
    runs = _on_clusters(result, warm_up, lambda n: tasks[0])  # both passes' tasks
    _speedup(f"Robustness: ceasefire-2025, {samples:,} samples (this process: one thread)", here, runs)


def coalitions(name: str) -> None:
    scenario = accord.load(name)
    parties = len(scenario.parties)

    def result(client: Any = None) -> str:
        return json.dumps(coalition_map(scenario, client=client).to_dict())

    def tasks(n: int) -> int:  # one size at a time, four tasks per worker thread at most
        return sum(min(math.comb(parties, k), 4 * n) for k in range(1, parties + 1))

    here = _timed(result)
    runs = _on_clusters(
        result, lambda client: coalition_map(accord.load("three-towns"), client=client), tasks
    )
    n_coalitions = 2 ** len(scenario.parties) - 1
    _speedup(f"Coalition map: {name}, {n_coalitions:,} coalitions, one size at a time", here, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=1_000_000)
    parser.add_argument("--coalitions", default="ceasefire-2025", help="the scenario of the coalition map")
    parser.add_argument(
        "--only",
        nargs="*",
        choices=["overhead", "tournament", "robustness", "coalitions"],
        help="these parts only",
    )
    args = parser.parse_args()
    only = set(args.only or ["overhead", "tournament", "robustness", "coalitions"])
    print(f"# accord on Dask ({_load()} at the start)")
    if "overhead" in only:
        overhead(args.tasks)
    if "tournament" in only:
        tournament(args.sessions, REPLYING, "strategies replying to offers (one session at a time)")
        tournament(args.sessions, TIME_ONLY, "time-only strategies (the batch engine)")
    if "robustness" in only:
        study(args.samples)
    if "coalitions" in only:
        coalitions(args.coalitions)
    print(f"\n({_load()} at the end)")


if __name__ == "__main__":
    main()
