"""Independent solves side by side on threads: how many, and a map that keeps their order."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["cpu_count", "ordered_map"]

T = TypeVar("T")
R = TypeVar("R")


def cpu_count(limit: int = 4) -> int:
    """The CPUs this process may use (its affinity where the system says), at most ``limit``:
    the solvers release the GIL, so that many solves run side by side."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(limit, cpus))


def ordered_map(fn: Callable[[T], R], items: Iterable[T], workers: int) -> Iterator[R]:
    """``fn`` of every item on up to ``workers`` threads, yielded in the items' order. On an
    error or an interrupt (Ctrl-C) the tasks not yet started are cancelled, not run."""
    todo = list(items)
    if workers <= 1 or len(todo) < 2:
        yield from (fn(x) for x in todo)
        return
    pool = ThreadPoolExecutor(max_workers=min(workers, len(todo)))
    try:
        yield from pool.map(fn, todo)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
