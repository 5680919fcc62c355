"""How many packages every party accepts: counted exactly, or estimated where that is too big."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .space import IntArray, Space

__all__ = ["Estimate", "count_acceptable", "estimate_acceptable"]

_CHUNK_ELEMENTS = 1 << 20  # pairs compared at once: ~1 MB of booleans per party
_INNER = 1 << 14  # partial sums of the inner half held for the whole count

Part = tuple[IntArray, IntArray]  # (quantized utilities, multiplicity) of one block's rows


def count_acceptable(space: Space, floor: np.ndarray | None = None) -> int:
    """The exact number of packages that cross no red line and give every party at least its
    reservation value (or ``floor``).

    The blocks are split in two halves, whose partial sums are enumerated separately; each chunk
    of the outer half is added to the whole inner half by broadcasting. Outer sums that cannot
    reach the floor with the inner half's best are skipped, those that reach it with the inner
    half's worst count the whole inner half. Streamed blocks are enumerated again chunk by chunk.
    Memory stays within a few megabytes however large the space (``_INNER`` partial sums and
    ``_CHUNK_ELEMENTS`` comparisons at a time); time is linear in the combinations not skipped.
    """
    floor_q = space.floor_q if floor is None else space.floors(floor)
    held = [(b.quantized, b.multiplicity) for b in space.blocks if b.plan is None]
    plans = [b.plan for b in space.blocks if b.plan is not None]
    if any(b.size == 0 for b in space.blocks):
        return 0
    # Whole-space bounds first: they settle many real cases without enumerating anything.
    if np.all(sum(b.lowest for b in space.blocks) >= floor_q):
        return space.n_allowed
    if np.any(sum(b.quantized.max(axis=0) for b in space.blocks) < floor_q):
        return 0
    return _count_streamed(held, plans, floor_q)


def _count_streamed(held: list[Part], plans: list, floor_q: IntArray) -> int:  # type: ignore[type-arg]
    if not plans:
        return _count(held, floor_q)
    total = 0
    for _, utilities, quantized, multiplicity in plans[0].flat_chunks():
        if len(utilities):
            total += _count_streamed([*held, (quantized, multiplicity)], plans[1:], floor_q)
    return total


def _combine(parts: list[Part], k: int) -> Part:
    """All sums of one row per block (the blocks' Minkowski sum, unpruned), with multiplicities."""
    sums = np.zeros((1, k), dtype=np.int64)
    mult = np.ones(1, dtype=np.int64)
    for q, m in parts:
        sums = (sums[:, None, :] + q[None, :, :]).reshape(-1, k)
        mult = (mult[:, None] * m[None, :]).ravel()
    return sums, mult


def _count(parts: list[Part], floor_q: IntArray) -> int:
    k = len(floor_q)
    parts = sorted(parts, key=lambda p: len(p[0]))
    inner: list[Part] = []
    size = 1
    # The inner half grows to about the square root of the rows (at most _INNER): memory then
    # stays a few bytes per package even for small spaces.
    rows = math.prod(len(p[0]) for p in parts)
    limit = min(_INNER, max(64, 4 * math.isqrt(rows)))
    while parts and size * len(parts[0][0]) <= limit:
        size *= len(parts[0][0])
        inner.append(parts.pop(0))
    inner_sums, inner_mult = _combine(inner, k)
    need = floor_q[None, :] - inner_sums  # inner row j works with outer o iff o >= need[j]
    best, worst = inner_sums.max(axis=0), inner_sums.min(axis=0)
    inner_total = int(inner_mult.sum())
    total = 0
    for outer, outer_mult in _outer_chunks(parts, max(1, _CHUNK_ELEMENTS // len(need)), k):
        hopeless = np.any(outer + best < floor_q, axis=1)
        certain = np.all(outer + worst >= floor_q, axis=1)
        total += int(outer_mult[certain].sum()) * inner_total
        rest = ~hopeless & ~certain
        if rest.any():
            ok = np.all(outer[rest][:, None, :] >= need[None, :, :], axis=2)
            total += int(outer_mult[rest] @ (ok @ inner_mult))
    return total


def _outer_chunks(parts: list[Part], chunk: int, k: int) -> Iterator[Part]:
    """Sums of the outer blocks' rows, ``chunk`` at a time, by mixed-radix counting."""
    if not parts:
        yield np.zeros((1, k), dtype=np.int64), np.ones(1, dtype=np.int64)
        return
    sizes = [len(q) for q, _ in parts]
    n = math.prod(sizes)
    for start in range(0, n, chunk):
        idx = np.arange(start, min(n, start + chunk), dtype=np.int64)
        sums = np.zeros((len(idx), k), dtype=np.int64)
        mult = np.ones(len(idx), dtype=np.int64)
        for (q, m), radix in zip(reversed(parts), reversed(sizes), strict=True):
            sums += q[idx % radix]
            mult *= m[idx % radix]
            idx //= radix
        yield sums, mult


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo estimate of a count: value, 95% Wilson interval, samples drawn, seed."""

    value: float
    low: float
    high: float
    samples: int
    seed: int

    def to_dict(self) -> dict[str, object]:
        return {
            "value": self.value,
            "ci95": [self.low, self.high],
            "samples": self.samples,
            "seed": self.seed,
            "method": "uniform sampling of packages",
        }


def estimate_acceptable(space: Space, *, samples: int, seed: int) -> Estimate:
    """Estimate the number of acceptable packages by sampling packages uniformly.

    Packages are drawn uniformly (each issue's option uniformly and independently), checked
    exactly, and the acceptable fraction is scaled by the number of packages; the interval is
    Wilson's score interval (Wilson, J. Am. Stat. Assoc. 22(158), 1927).
    """
    rng = np.random.default_rng(seed)
    floor_q = space.floor_q
    hits = 0
    done = 0
    chunk = max(1, _CHUNK_ELEMENTS // max(1, len(space.sizes)))
    while done < samples:
        m = min(samples - done, chunk)
        x = np.column_stack([rng.integers(0, n, size=m) for n in space.sizes])
        _, q, allowed = space.evaluate(x)
        hits += int((allowed & np.all(q >= floor_q, axis=1)).sum())
        done += m
    p = hits / samples
    z = 1.959963984540054
    centre = (p + z * z / (2 * samples)) / (1 + z * z / samples)
    half = z * math.sqrt(p * (1 - p) / samples + z * z / (4 * samples * samples)) / (1 + z * z / samples)
    n = space.n_packages
    return Estimate(p * n, max(0.0, centre - half) * n, min(1.0, centre + half) * n, samples, seed)
