"""How many threads the analysis runs its independent solves on."""

from __future__ import annotations

import os

__all__ = ["cpu_count"]


def cpu_count(limit: int = 4) -> int:
    """The CPUs this process may use (its affinity where the system says), at most ``limit``:
    the solvers release the GIL, so that many solves run side by side."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(limit, cpus))
