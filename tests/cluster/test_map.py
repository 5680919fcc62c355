"""The hook every distributed run goes through: chunk order, the state shipped once per worker,
cancellation on an interrupt, and the errors a user can meet."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import nullcontext

import pytest
from typer.testing import CliRunner

from accord.cli import app
from accord.distributed import connect, map_chunks, split
from accord.errors import AccordError
from distributed import Client


def _late_first(state: int, chunk: int) -> int:
    """Chunks finish in reverse order: the first sleeps longest."""
    time.sleep(0.04 * (8 - chunk))
    return state * 100 + chunk


def _where(state: bytes, chunk: int) -> tuple[int, int, int]:
    """Which process ran the chunk and which copy of the state it saw."""
    time.sleep(0.02)
    return os.getpid(), id(state), len(state) + chunk


def _slow(state: int, chunk: int) -> int:
    time.sleep(0.5)
    return state + chunk


def test_split_covers_the_range_in_order() -> None:
    for n in range(0, 40):
        for parts in range(1, 12):
            spans = split(n, parts)
            assert [i for s in spans for i in s] == list(range(n))
            assert len(spans) == min(parts, n)
            assert not spans or max(map(len, spans)) - min(map(len, spans)) <= 1


def test_results_come_in_chunk_order_whatever_finishes_first(local_client: Client) -> None:
    seen: list[int] = []
    out = list(
        map_chunks(
            local_client, _late_first, 7, list(range(8)), sizes=[10] * 8, progress=seen.append, name="t"
        )
    )
    assert out == [700 + i for i in range(8)]
    assert seen == [10] * 8


def test_the_state_is_shipped_once_per_worker(local_client: Client) -> None:
    state = bytes(1_000_000)
    out = list(map_chunks(local_client, _where, state, list(range(16)), name="once"))
    assert [x[2] for x in out] == [1_000_000 + i for i in range(16)]
    copies: dict[int, set[int]] = {}
    for pid, copy, _ in out:
        copies.setdefault(pid, set()).add(copy)
    assert os.getpid() not in copies  # the chunks ran on the workers
    assert all(len(ids) == 1 for ids in copies.values())  # one copy per worker, not per task


def _keys_on(client: Client, prefix: str) -> list[str]:
    keys: list[str] = client.run_on_scheduler(
        lambda dask_scheduler: [str(k) for k in dask_scheduler.tasks if str(k).startswith(prefix)]
    )
    return keys


def test_an_interrupt_cancels_the_futures(local_client: Client) -> None:
    def interrupt(_: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        for _ in map_chunks(local_client, _slow, 1, list(range(40)), progress=interrupt, name="ctrl-c"):
            pass
    deadline = time.monotonic() + 30
    while _keys_on(local_client, "ctrl-c") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _keys_on(local_client, "ctrl-c") == []  # none left queued: 40 x 0.5 s would take 10 s


def test_a_bad_scheduler_is_a_one_line_error(tmp_path: object) -> None:
    result = CliRunner().invoke(app, ["tournament", "car-sale", "--scheduler", "cluster-7"])
    assert result.exit_code == 2
    assert "--scheduler 'cluster-7': give tcp://HOST:PORT" in result.output
    result = CliRunner().invoke(app, ["robustness", "car-sale", "--scheduler", "local:0"])
    assert result.exit_code == 2 and "local:N needs N >= 1" in result.output
    result = CliRunner().invoke(app, ["tournament", "car-sale", "--scheduler", "local:2", "--workers", "2"])
    assert result.exit_code == 2 and "--workers and --scheduler exclude each other" in result.output


def test_no_scheduler_answering_is_a_clear_error() -> None:
    with (
        pytest.raises(AccordError, match=r"--scheduler tcp://127.0.0.1:9: no Dask scheduler answered"),
        connect("tcp://127.0.0.1:9", timeout=1),
    ):
        pass


def test_the_core_never_imports_dask() -> None:
    code = (
        "import sys, accord, accord.cli.app, accord.simulation.tournament, accord.uncertainty;"
        "import accord.distributed;"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')];"
        "print(loaded); sys.exit(bool(loaded))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_cluster_without_workers_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.distributed import _map
    from distributed import LocalCluster

    monkeypatch.setattr(_map, "WORKER_WAIT", 0.5)
    with (
        LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as cluster,
        Client(cluster) as client,
        pytest.raises(AccordError, match=r"has no workers \(waited 0.5 s\); start some with `dask worker"),
    ):
        list(map_chunks(client, _late_first, 1, [1, 2]))


def test_local_workers_go_without_malloc_trimming(local_client: Client) -> None:
    # Dask's nannies set it; it made a robustness study 2-3 times slower (docs/distributed.md).
    trims = local_client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
    assert len(trims) == 2 and set(trims.values()) == {None}


def test_ctrl_c_with_a_scheduler_is_one_line_and_code_130(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.cli import simulate

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(simulate, "run_tournament", interrupted)
    result = CliRunner().invoke(app, ["tournament", "car-sale", "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2  # no scheduler there: the connection fails first, clearly
    monkeypatch.setattr(simulate, "scheduler_client", lambda scheduler: nullcontext(None))
    result = CliRunner().invoke(app, ["tournament", "car-sale", "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 130
    assert result.output.strip() == "error: interrupted: the tournament's tasks on the cluster were cancelled"
