"""Scale-out on a Dask cluster (``dask.distributed``): the optional ``distributed`` extra.

A leaf of the package: it imports nothing from accord but the errors, and nothing from Dask
until a function is called, so ``import accord`` stays light and works without the extra.

- :func:`map_chunks` runs one function over chunks of work on a cluster: the state every chunk
  needs is shipped once per worker (scattered with ``broadcast=True``), results come back in
  chunk order whatever the order of completion, a worker that dies has its chunks re-run by
  Dask, and an interrupt cancels the futures. Tournaments and robustness studies use it; so can
  any sweep whose chunks are pure functions of (state, chunk).
- :func:`connect` turns ``--scheduler tcp://HOST:8786`` or ``--scheduler local:N`` into a
  ``distributed.Client`` (and the ``LocalCluster`` it starts for ``local:N``).
"""

from ._client import connect, n_threads, scheduler_client
from ._map import map_chunks, split

__all__ = ["connect", "map_chunks", "n_threads", "scheduler_client", "split"]
