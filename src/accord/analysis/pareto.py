"""The exact Pareto frontier of a scenario, built on the kernel on utility arrays.

A package is *dominated* when another gives every party at least as much and some party more.
Utilities are compared as exact integers (each party's scale, :mod:`accord.model.utility`), so
packages with equal utility vectors never dominate each other: they are *equivalent*, and
reported together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import AnalysisError, SpaceTooLargeError
from .nondominated import pareto_frontier
from .space import Block, IntArray, Space

__all__ = ["MAX_CANDIDATE_ELEMENTS", "Frontier", "pareto_frontier", "space_frontier"]

MAX_CANDIDATE_ELEMENTS = 30_000_000
"""Utility values the frontier may hold as candidates at once (about 240 MB): beyond it the
engine says plainly that the frontier is too large, instead of running out of memory."""

# Candidates one non-dominance filter may take, by number of parties: the filter costs about
# n log^(k-2) n, measured here at 0.3 µs a point for two parties and 6-25 µs for five to nine
# (300,000 points), so these keep one step within roughly ten seconds instead of minutes.
_MAX_CANDIDATE_ROWS = {2: 20_000_000, 3: 10_000_000, 4: 2_000_000, 5: 1_500_000}
_MAX_CANDIDATE_ROWS_MANY = 500_000
_SMALL_PRODUCT = 2048  # candidates below which a block is added without filtering it first


@dataclass(frozen=True)
class Frontier:
    """Frontier points of a scenario: one representative package per distinct utility vector.

    ``options`` (m x issues) option indices of the representative, ``utilities`` (m x parties),
    ``quantized`` the same as each party's exact integers, ``counts`` (m,) the number of packages with that
    utility vector (all of them Pareto-optimal and acceptable).
    """

    options: IntArray
    utilities: np.ndarray
    quantized: IntArray
    counts: np.ndarray

    def __len__(self) -> int:
        return int(self.options.shape[0])


def space_frontier(
    space: Space,
    floor: np.ndarray | None = None,
    *,
    max_candidates: int | None = None,
    floor_q: IntArray | None = None,
    max_elements: int | None = None,
) -> Frontier:
    """The exact Pareto frontier of the packages whose utilities reach ``floor``.

    ``max_candidates``: candidates filtered in all (summed over the blocks) before
    :class:`SpaceTooLargeError` is raised; the engine choice of :func:`accord.analysis.analyze`
    uses it to hand a large frontier to the optimisation engine within seconds.

    ``floor`` defaults to the reservation values (so the result is the frontier of the packages
    every party accepts); a party's floor may be ``-inf``. Packages crossing a red line are
    excluded. ``floor_q`` gives the floor on the parties' integer scales instead (exactly).
    ``max_elements``: utility values held as candidates at once (parties x candidates) before
    :class:`SpaceTooLargeError` says the frontier is too large (None: :data:`MAX_CANDIDATE_ELEMENTS`).

    Method: the utility vectors of all packages are the Minkowski sum of the blocks' vectors, and
    a Pareto-optimal point of a sum is a sum of Pareto-optimal points of the terms (if a term
    were dominated, replacing it would dominate the sum). So blocks are added one at a time and
    the partial sums pruned to their frontier after each; partial sums that cannot reach the
    floor even with the best of the remaining blocks are dropped too (a point that dominates
    them could still only do better). See e.g. Hwang and Masud, *Multiple Objective Decision
    Making* (1979), and for the bound pruning the branch-and-bound of Land and Doig (1960).
    Duplicated vectors are merged, counting the packages behind each and keeping as the
    representative the first in the canonical order (option ids, issues by id), so the choice
    never depends on the order in which parties, issues or options were declared.
    Exact: no package is sampled or skipped unchecked.
    """
    if max_elements is None:
        max_elements = MAX_CANDIDATE_ELEMENTS
    elif isinstance(max_elements, bool) or not isinstance(max_elements, int) or max_elements < 1:
        raise AnalysisError(
            f"space_frontier: max_elements must be a whole number of at least 1, got {max_elements!r}"
        )
    k = space.n_parties
    if floor_q is None:
        floor_q = space.floor_q if floor is None else space.floors(floor)
    blocks = sorted(space.blocks, key=lambda b: (-b.size, b.key))
    if any(b.size == 0 for b in blocks):
        return _empty(len(space.sizes), k)
    # The best each party can still get from the blocks not yet added.
    tops = np.array([b.quantized.max(axis=0) for b in blocks] + [np.zeros(k, dtype=np.int64)])
    remaining = np.cumsum(tops[::-1], axis=0)[::-1][1:]
    count_dtype = np.int64 if space.n_packages < 2**62 else np.float64
    points = np.zeros((1, k), dtype=np.int64)
    choice = np.zeros((1, 0), dtype=np.int64)  # per added block, the index of its combination
    counts = np.ones(1, dtype=count_dtype)
    spent = 0
    for j, block in enumerate(blocks):
        if len(points) * block.size <= _SMALL_PRODUCT:
            # Filtering the block first costs more than the few extra candidates it saves;
            # equal vectors are merged with the candidates below all the same.
            b_idx, b_counts, b_q = block.all_rows, block.multiplicity, block.quantized
        else:
            (b_idx, b_counts), b_q = block.reduced, block.reduced_quantized
        rows = len(points) * len(b_idx)
        if rows * k > max_elements or rows > _MAX_CANDIDATE_ROWS.get(k, _MAX_CANDIDATE_ROWS_MANY):
            issues = ", ".join(space.scenario.issues[i].id for b in blocks[: j + 1] for i in b.issues)
            raise SpaceTooLargeError(
                f"the Pareto frontier of {k} parties already holds {len(points):,} distinct "
                f"utility vectors after issues {issues}, and the next issue would make "
                f"{rows:,} candidates, more than can be filtered exactly in reasonable time and "
                "memory. Analyse fewer parties or issues at once, or raise the reservation "
                "values: only packages every party accepts are kept"
            )
        spent += rows
        if max_candidates is not None and spent > max_candidates:
            raise SpaceTooLargeError(
                f"the Pareto frontier of {k} parties needs more than {max_candidates:,} candidates "
                "to filter (the frontier engine's budget when the engine is chosen automatically)"
            )
        cand = (points[:, None, :] + b_q[None, :, :]).reshape(-1, k)
        reach = np.all(cand + remaining[j] >= floor_q, axis=1)
        left = np.repeat(np.arange(len(points)), len(b_idx))[reach]
        position = np.tile(np.arange(len(b_idx)), len(points))[reach]
        right = b_idx[position]
        cand_counts = (counts[left] * b_counts[position]).astype(count_dtype)
        cand = cand[reach]
        keep = pareto_frontier(cand)
        points, cand_counts = cand[keep], cand_counts[keep]
        choice = np.column_stack([choice[left[keep]], right[keep]])
        points, choice, counts = _merge_equal(points, choice, cand_counts, blocks)
    options = np.zeros((len(points), len(space.sizes)), dtype=np.int64)
    for j, block in enumerate(blocks):
        options[:, list(block.issues)] = block.choices[choice[:, j]]
    utilities = space.evaluate(options)[0] if len(options) else np.zeros((0, k))
    order = np.lexsort(options.T[::-1]) if len(options) else np.zeros(0, dtype=np.int64)
    return Frontier(options[order], utilities[order], points[order], counts[order])


def _empty(n_issues: int, k: int) -> Frontier:
    return Frontier(
        np.zeros((0, n_issues), dtype=np.int64),
        np.zeros((0, k)),
        np.zeros((0, k), dtype=np.int64),
        np.zeros(0, dtype=np.int64),
    )


def _merge_equal(
    points: IntArray, choice: IntArray, counts: np.ndarray, blocks: list[Block]
) -> tuple[IntArray, IntArray, np.ndarray]:
    if len(points) <= 1:
        return points, choice, counts
    # Representatives are chosen in the canonical order of the blocks (by issue id), not the
    # order they were added in, which depends on sizes.
    columns = sorted(range(choice.shape[1]), key=lambda j: blocks[j].key)
    ranks = [blocks[j].rank[choice[:, j]] for j in columns]
    order = np.lexsort(tuple(reversed(ranks)) + tuple(points.T[::-1]))
    p, c, n = points[order], choice[order], counts[order]
    starts = np.r_[True, np.any(p[1:] != p[:-1], axis=1)]
    group = np.cumsum(starts) - 1
    total = np.zeros(int(group[-1]) + 1, dtype=n.dtype)
    np.add.at(total, group, n)
    return p[starts], c[starts], total
