"""Dask clusters for the distributed tests: a LocalCluster of two worker processes, and a
scheduler with two workers started as separate processes on 127.0.0.1 (the networked path).

Both are module-scoped: starting one costs seconds, and the tests share the machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from accord.distributed import connect
from accord.io import loads
from accord.model import Scenario
from distributed import Client

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 120.0  # the machine is shared: a worker may take long to import numpy

# Three parties, two issues; uncertain reservation values, weights and an option value.
UNCERTAIN = textwrap.dedent("""\
    format: accord/1
    id: spread
    parties:
      - id: a
        reservation_value: {value: 0.3, range: [0.1, 0.5]}
      - id: b
        reservation_value:
          distribution: {normal: {mean: 0.3, sd: 0.1, min: 0.0, max: 0.6}}
      - id: c
        reservation_value: 0.2
    issues:
      - id: x
        options: [{id: x0}, {id: x1}, {id: x2}]
      - id: y
        options: [{id: y0}, {id: y1}, {id: y2}, {id: y3}]
    preferences:
      a:
        weights: {x: {value: 2, range: [1, 3]}, y: 1}
        values: {x: {x0: 10, x1: 5, x2: 0}, y: {y0: 0, y1: 3, y2: 6, y3: 10}}
      b:
        weights: {x: 1, y: {distribution: {triangular: [1, 2, 4]}}}
        values: {x: {x0: 0, x1: 5, x2: 10}, y: {y0: 10, y1: {value: 6, range: [4, 9]}, y2: 3, y3: 0}}
      c:
        weights: {x: 1, y: 1}
        values: {x: {x0: 4, x1: 10, x2: 4}, y: {y0: 2, y1: 10, y2: 10, y3: 2}}
    """)


@pytest.fixture(scope="module")
def uncertain() -> Scenario:
    return loads(UNCERTAIN)


@pytest.fixture(scope="module")
def local_client() -> Iterator[Client]:
    """``--scheduler local:2``: a LocalCluster of two one-thread worker processes."""
    with connect("local:2") as client:
        yield client


@dataclass
class ProcessCluster:
    """A ``dask scheduler`` and ``dask worker`` processes, and a client of them."""

    address: str
    client: Client
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def pid_of(self) -> dict[str, int]:
        """Worker address -> process id."""
        pids: dict[str, int] = self.client.run(os.getpid)
        return pids


def _dask(*args: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "dask", *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def process_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProcessCluster]:
    """`dask scheduler` on a free port of 127.0.0.1 (port 0: the system picks one and the
    scheduler file says which) and two `dask worker` processes without a nanny (so that
    killing one kills it for good); all stopped at the end, whatever happened."""
    tmp = tmp_path_factory.mktemp("dask")
    file = tmp / "scheduler.json"
    processes = [
        _dask(
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(file),
            log=tmp / "scheduler.log",
        )
    ]
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not file.exists() or not file.read_text().strip():
            if processes[0].poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"dask scheduler did not start: {(tmp / 'scheduler.log').read_text()}")
            time.sleep(0.2)
        address = json.loads(file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        workers = [
            _dask(
                "worker",
                address,
                "--host",
                "127.0.0.1",
                "--nthreads",
                "1",
                "--no-nanny",
                "--no-dashboard",
                "--death-timeout",
                "60",
                log=tmp / f"worker-{i}.log",
            )
            for i in range(2)
        ]
        processes += workers
        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=START_TIMEOUT)
            yield ProcessCluster(address, client, workers)
    finally:
        for process in reversed(processes):
            _stop(process)
