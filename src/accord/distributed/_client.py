"""``--scheduler tcp://HOST:8786`` or ``--scheduler local:N`` as a ``distributed.Client``."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING

from ..errors import AccordError

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["connect", "n_threads", "scheduler_client"]

CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a scheduler to answer."""

_USAGE = "give tcp://HOST:PORT (a running Dask scheduler) or local:N (N worker processes on this machine)"


def _import_distributed() -> None:
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise AccordError(
            "--scheduler needs Dask's distributed scheduler: pip install 'accord[distributed]'"
        ) from None


@contextmanager
def connect(scheduler: str, *, timeout: float = CONNECT_TIMEOUT) -> Iterator[Client]:
    """A client of the cluster ``scheduler`` names, closed (with the ``LocalCluster`` that
    ``local:N`` starts: N processes of one thread each) when the block ends.

    Any address Dask accepts (``tcp://``, ``tls://``, ``ucx://``, ``inproc://``) connects to
    a running scheduler; :class:`~accord.errors.AccordError` if none answers in ``timeout``
    seconds, or if the ``distributed`` extra is not installed.
    """
    kind, _, rest = scheduler.partition(":")
    if kind == "local":
        if not rest.isdigit() or int(rest) < 1:
            raise AccordError(
                f"--scheduler '{scheduler}': local:N needs N >= 1 worker processes, e.g. local:2"
            )
        _import_distributed()
        import dask

        from distributed import Client, LocalCluster

        with (
            dask.config.set({"distributed.nanny.pre-spawn-environ": _environ_without_trim()}),
            LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=int(rest),
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # any free port: 8787 may be taken
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,  # type: ignore[no-untyped-call]
        ):
            yield client
        return
    if "://" not in scheduler:
        raise AccordError(f"--scheduler '{scheduler}': {_USAGE}")
    _import_distributed()
    from distributed import Client

    try:
        client = Client(scheduler, timeout=timeout)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise AccordError(
            f"--scheduler {scheduler}: no Dask scheduler answered within {timeout:g} s ({reason}); "
            "start one with `dask scheduler`, or use local:N"
        ) from None
    with client:
        yield client


def _environ_without_trim() -> dict[str, object]:
    """The environment Dask's nannies give new workers, less ``MALLOC_TRIM_THRESHOLD_``.

    Dask sets it (to 65536) so that long-lived workers hand freed memory back to the system;
    setting it also turns off glibc's dynamic mmap threshold (mallopt(3)), so every large numpy
    temporary is mapped and faulted in afresh. A robustness study allocates such arrays per
    chunk and ran 2-3 times slower with it on this machine (benchmarks/distributed.py,
    docs/distributed.md); the workers of ``local:N`` live only for one run, so they go without.
    """
    import dask

    environ: dict[str, object] = dict(dask.config.get("distributed.nanny.pre-spawn-environ", default={}))
    environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    return environ


def scheduler_client(scheduler: str | None) -> AbstractContextManager[Client | None]:
    """``--scheduler``'s client as :func:`connect` makes it; None (run here) without one."""
    return nullcontext(None) if scheduler is None else connect(scheduler)


def n_threads(client: Client) -> int:
    """Threads across the cluster's workers now (at least 1)."""
    threads: dict[str, int] = client.nthreads()  # type: ignore[no-untyped-call]
    return max(1, sum(threads.values()))
