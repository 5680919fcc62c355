"""How many packages every party accepts: counted exactly, or estimated where that is too big."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .space import IntArray, Space, quantize

__all__ = ["Estimate", "count_acceptable", "estimate_acceptable"]

_CHUNK_ELEMENTS = 1 << 20  # utility sums held at once: ~8 MB per party, whatever the space


def _combine(blocks_q: list[IntArray]) -> IntArray:
    """All sums of one combination per block (the blocks' Minkowski sum, unpruned)."""
    out = np.zeros((1, blocks_q[0].shape[1]), dtype=np.int64)
    for q in blocks_q:
        out = (out[:, None, :] + q[None, :, :]).reshape(-1, q.shape[1])
    return out


def count_acceptable(space: Space, floor: np.ndarray | None = None) -> int:
    """The exact number of packages that cross no red line and give every party at least its
    reservation value (or ``floor``).

    The blocks are split in two halves, whose partial sums are enumerated separately; each chunk
    of the outer half is added to the whole inner half by broadcasting. Outer sums that cannot
    reach the floor with the inner half's best are skipped, those that reach it with the inner
    half's worst count the whole inner half. Memory stays within ``_CHUNK_ELEMENTS`` sums per
    party however large the space; time is linear in the packages not skipped.
    """
    floor_q = quantize(space.reservation if floor is None else floor)
    blocks = sorted(space.blocks, key=lambda b: b.size)
    if any(b.size == 0 for b in blocks):
        return 0
    # Inner half: the smallest blocks whose product stays below the chunk size.
    inner: list[IntArray] = []
    size = 1
    while blocks and size * blocks[0].size <= _CHUNK_ELEMENTS:
        size *= blocks[0].size
        inner.append(blocks.pop(0).quantized)
    inner_sums = _combine(inner) if inner else np.zeros((1, len(floor_q)), dtype=np.int64)
    need = floor_q[None, :] - inner_sums  # inner point j works with outer o iff o >= need[j]
    best, worst = inner_sums.max(axis=0), inner_sums.min(axis=0)
    total = 0
    chunk = max(1, _CHUNK_ELEMENTS // len(need))
    for outer in _outer_chunks([b.quantized for b in blocks], chunk, len(floor_q)):
        hopeless = np.any(outer + best < floor_q, axis=1)
        certain = np.all(outer + worst >= floor_q, axis=1)
        total += int(certain.sum()) * len(need)
        rest = outer[~hopeless & ~certain]
        if len(rest):
            total += int(np.all(rest[:, None, :] >= need[None, :, :], axis=2).sum())
    return total


def _outer_chunks(blocks_q: list[IntArray], chunk: int, k: int) -> Iterator[IntArray]:
    """Sums of the outer blocks' combinations, ``chunk`` at a time, by mixed-radix counting."""
    if not blocks_q:
        yield np.zeros((1, k), dtype=np.int64)
        return
    sizes = [len(q) for q in blocks_q]
    n = math.prod(sizes)
    for start in range(0, n, chunk):
        idx = np.arange(start, min(n, start + chunk), dtype=np.int64)
        sums = np.zeros((len(idx), k), dtype=np.int64)
        for q, radix in zip(reversed(blocks_q), reversed(sizes), strict=True):
            sums += q[idx % radix]
            idx //= radix
        yield sums


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo estimate of a count: value, 95% Wilson interval, samples drawn, seed."""

    value: float
    low: float
    high: float
    samples: int
    seed: int

    def to_dict(self) -> dict[str, object]:
        return {"value": self.value, "ci95": [self.low, self.high], "samples": self.samples,
                "seed": self.seed, "method": "uniform sampling of packages free of red lines"}


def estimate_acceptable(space: Space, *, samples: int, seed: int) -> Estimate:
    """Estimate the number of acceptable packages by sampling packages uniformly.

    Packages are drawn uniformly among those crossing no red line (one combination per block),
    the acceptable fraction is measured and scaled by their number; the interval is Wilson's
    score interval (Wilson, J. Am. Stat. Assoc. 22(158), 1927).
    """
    rng = np.random.default_rng(seed)
    floor_q = quantize(space.reservation)
    n_allowed = space.n_allowed
    hits = 0
    done = 0
    while done < samples:
        m = min(samples - done, _CHUNK_ELEMENTS)
        sums = np.zeros((m, space.n_parties), dtype=np.int64)
        for block in space.blocks:
            if block.size == 0:
                return Estimate(0.0, 0.0, 0.0, samples, seed)
            sums += block.quantized[rng.integers(0, block.size, size=m)]
        hits += int(np.all(sums >= floor_q, axis=1).sum())
        done += m
    p = hits / samples
    z = 1.959963984540054
    centre = (p + z * z / (2 * samples)) / (1 + z * z / samples)
    half = z * math.sqrt(p * (1 - p) / samples + z * z / (4 * samples * samples)) / (1 + z * z / samples)
    return Estimate(p * n_allowed, max(0.0, centre - half) * n_allowed,
                    min(1.0, centre + half) * n_allowed, samples, seed)
