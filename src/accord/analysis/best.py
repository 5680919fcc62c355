"""The best package for an objective among the packages a set of parties accepts.

Every coalition and sequencing question is one such small optimisation. :func:`best_package`
answers it exactly, on the compiled blocks of :mod:`accord.analysis.space` and the Pareto
frontier of the members' utilities (:func:`~accord.analysis.pareto.space_frontier`): for an
objective that never falls when a member's utility rises, some maximiser lies on that frontier.
It is the one seam another engine (an integer program for scenarios too large to enumerate) can
take over.

The scenario is compiled once with every red line kept as a term but none applied
(``compile_space(keep_red_lines=True)``); the space of a group of parties is then a slice of it:
the members' utility columns, and the block rows that cross none of the members' red lines and
no constraint. So the 127 coalitions of seven parties cost one compilation.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal, TypeVar

import numpy as np

from ..errors import AnalysisError, SpaceTooLargeError
from ..model import Scenario
from ._gains import ExactGains, exact_gains
from .bargaining import break_ties, nash_points
from .optimise.api import choose_engine
from .optimise.layout import Layout, layout
from .optimise.objectives import MinGain, NashProduct, Utility, Welfare
from .optimise.search import maximise
from .pareto import Frontier, space_frontier
from .space import (
    Block,
    BoolArray,
    FloatArray,
    IntArray,
    Space,
    Term,
    canonical_keys,
    compile_space,
)

__all__ = [
    "Best",
    "CoalitionSpace",
    "Objective",
    "best_package",
    "best_packages",
    "coalition_space",
    "exact_gains",
    "shifted_floors",
]


@dataclass(frozen=True)
class Objective:
    """What :func:`best_package` maximises, over the utilities of ``parties`` (indices).

    ``nash``: the product of gains over the reservation values (Nash 1950); ``maximin``: the
    smallest gain, which may be negative (the slack); ``utility``: one party's utility.
    """

    kind: Literal["nash", "maximin", "utility"]
    parties: tuple[int, ...]


@dataclass(frozen=True)
class Best:
    """The package found: option indices, every party's utility (all parties of the
    scenario), the objective's value and every party's utility on its exact integer scale."""

    options: IntArray
    utilities: FloatArray
    value: float
    quantized: IntArray  # every party's utility on its integer scale, as acceptance compares it


@dataclass(frozen=True)
class CoalitionSpace:
    """A scenario compiled once for questions about any group of its parties."""

    scenario: Scenario
    relaxed: Space  # red lines kept as terms, not applied; constraints applied
    crossings: tuple[BoolArray, ...]  # per block: (rows, red-line terms) does the row cross it
    red_lines: tuple[int, ...]  # positions in relaxed.terms of the parties' red lines
    config: tuple[int, int]  # (max_block_size, max_stream) for a fresh compilation
    _cache: dict[tuple[tuple[int, ...], frozenset[int]], Space] = field(default_factory=dict, compare=False)
    _layouts: dict[int, tuple[Space, Layout]] = field(default_factory=dict, compare=False)
    _row_cache: dict[tuple[int, frozenset[int]], _Rows] = field(default_factory=dict, compare=False)

    def layout(self, space: Space) -> Layout:
        """The optimisation engine's columns for one of this scenario's spaces, made once."""
        made = self._layouts.get(id(space))
        if made is None or made[0] is not space:
            made = _remember(self._layouts, id(space), (space, layout(space)))
        return made[1]

    def accepts(self, options: IntArray) -> BoolArray:
        """For one package, whether each party accepts it: utility at least the reservation
        value and none of the party's red lines crossed."""
        x = np.asarray(options, dtype=np.int64)[None, :]
        _, q, _ = self.relaxed.evaluate(x)
        out = q[0] >= self.relaxed.floor_q
        for t in self.red_lines:
            term = self.relaxed.terms[t]
            if term.holds(x)[0]:
                out[term.party] = False
        return np.asarray(out, dtype=bool)

    def space(self, members: Sequence[int], dropped: Collection[int] = ()) -> Space:
        """The space of the packages ``members`` can consider: their utilities only, their red
        lines (but those in ``dropped``, positions in ``relaxed.terms``) and the constraints."""
        key = (tuple(sorted(members)), frozenset(dropped))
        space = self._cache.get(key)  # one lookup: another thread may change the cache
        if space is None:
            space = _remember(self._cache, key, self._slice(key[0], key[1]))
        return space

    def _rows(self, b: int, enforced: list[int]) -> _Rows:
        """The rows of block ``b`` that cross none of the ``enforced`` red lines, with their
        choices, multiplicities and ranks: the same for every coalition whose members have the
        same red lines there, so made once per such set."""
        crossing = self.crossings[b]
        live = frozenset(n for n in enforced if crossing[:, n].any())
        key = (b, live)
        rows = self._row_cache.get(key)
        if rows is None:
            block = self.relaxed.blocks[b]
            ok = ~crossing[:, sorted(live)].any(axis=1) if live else np.ones(block.size, dtype=bool)
            keep: slice | IntArray = slice(None) if ok.all() else np.flatnonzero(ok)
            rows = _Rows(keep, block.choices[keep], block.multiplicity[keep], block.rank[keep])
            if len(self._row_cache) > 4096:
                self._row_cache.clear()
            self._row_cache[key] = rows
        return rows

    def _slice(self, members: tuple[int, ...], dropped: frozenset[int]) -> Space:
        s = self.relaxed
        cols = list(members)
        position = {p: n for n, p in enumerate(members)}
        scenario = self.scenario.restricted_to(self.scenario.parties[p].id for p in members)
        if any(b.plan is not None for b in s.blocks):
            # A streamed block holds only its own frontier over all parties with no red line
            # applied: it cannot be sliced, so compile the members' scenario afresh.
            return compile_space(
                _without_red_lines(self.scenario, [s.terms[t] for t in dropped]).restricted_to(
                    self.scenario.parties[p].id for p in members
                ),
                max_block_size=self.config[0],
                max_stream=self.config[1],
            )
        enforced = [
            n for n, t in enumerate(self.red_lines) if s.terms[t].party in position and t not in dropped
        ]
        blocks = [_sliced_block(block, self._rows(b, enforced), cols) for b, block in enumerate(s.blocks)]
        terms = tuple(
            Term(position[t.party], t.issues, t.masks, t.value, t.index, t.units)
            for n, t in enumerate(s.terms)
            if t.party in position and not (t.is_red_line and n in dropped)
        ) + tuple(t for t in s.terms if t.is_constraint)
        return Space(
            scenario=scenario,
            contributions=tuple(c[:, cols] for c in s.contributions),
            terms=terms,
            blocks=tuple(blocks),
            reservation=s.reservation[cols],
            power=s.power[cols],
            scales=tuple(s.scales[p] for p in cols),
            contributions_q=tuple(c[:, cols] for c in s.contributions_q),
        )


def _without_red_lines(scenario: Scenario, terms: Sequence[Term]) -> Scenario:
    """The scenario without the red lines ``terms`` stand for (terms of the full scenario)."""
    if not terms:
        return scenario
    prefs = dict(scenario.preferences)
    ids = [p.id for p in scenario.parties]
    for term in terms:
        pid = ids[term.party]
        lines = [r for n, r in enumerate(prefs[pid].red_lines) if n != term.index]
        prefs[pid] = prefs[pid].model_copy(update={"red_lines": lines})
    return scenario.model_copy(update={"preferences": prefs})


@dataclass(frozen=True)
class _Rows:
    """Rows of a block kept for a set of red lines (``keep``: all of them, or their indices)."""

    keep: slice | IntArray
    choices: IntArray
    multiplicity: IntArray
    rank: IntArray


def _sliced_block(block: Block, rows: _Rows, cols: list[int]) -> Block:
    # One gather per array (rows and columns at once); rows that all stay are not copied.
    pick = (slice(None), cols) if isinstance(rows.keep, slice) else np.ix_(rows.keep, np.asarray(cols))
    quantized = block.quantized[pick]
    return Block(
        issues=block.issues,
        choices=rows.choices,
        utilities=block.utilities[pick],
        quantized=quantized,
        multiplicity=rows.multiplicity,
        rank=rows.rank,
        key=block.key,
        n_allowed=int(rows.multiplicity.sum()),
        lowest=quantized.min(axis=0) if len(quantized) else np.zeros(len(cols), dtype=np.int64),
    )


def coalition_space(
    scenario: Scenario, *, max_block_size: int = 2_000_000, max_stream: int = 50_000_000
) -> CoalitionSpace:
    """Compile ``scenario`` once for questions about any group of its parties."""
    relaxed = compile_space(
        scenario, max_block_size=max_block_size, max_stream=max_stream, keep_red_lines=True
    )
    red = tuple(n for n, t in enumerate(relaxed.terms) if t.is_red_line and not t.is_constraint)
    crossings = []
    n_issues = len(scenario.issues)
    for block in relaxed.blocks:
        x = np.zeros((block.size, n_issues), dtype=np.int64)
        x[:, list(block.issues)] = block.choices
        column = [
            relaxed.terms[t].holds(x)
            if set(relaxed.terms[t].issues) <= set(block.issues)
            else np.zeros(block.size, dtype=bool)
            for t in red
        ]
        crossings.append(np.column_stack(column) if column else np.zeros((block.size, 0), dtype=bool))
    return CoalitionSpace(scenario, relaxed, tuple(crossings), red, (max_block_size, max_stream))


def best_package(
    cs: CoalitionSpace,
    accepted_by: Sequence[int],
    objective: Objective,
    *,
    shift: Fraction = Fraction(0),
    lifted: Collection[int] = (),
    dropped: Collection[int] = (),
) -> Best | None:
    """The package that maximises ``objective`` among the packages every party of
    ``accepted_by`` accepts; None if there is none.

    ``shift`` (a utility, exactly) raises every member's floor (lowers it, if negative): the
    floor of each is the least integer on its scale worth at least its reservation value plus
    ``shift``; a party in ``lifted`` has no floor (its red lines still bind);
    ``dropped`` red lines (positions in ``cs.relaxed.terms``) do not bind. Exact: the
    maximiser is taken on the exact Pareto frontier of the members' utilities above their
    floors, which holds a maximiser of every objective that never falls when a member's utility
    rises. Ties go to the larger sum of the members' utilities, then the smaller package key
    (:func:`~accord.analysis.bargaining.break_ties`).
    """
    return best_packages(cs, accepted_by, (objective,), shift=shift, lifted=lifted, dropped=dropped)[0]


def best_packages(
    cs: CoalitionSpace,
    accepted_by: Sequence[int],
    objectives: Sequence[Objective],
    *,
    shift: Fraction = Fraction(0),
    lifted: Collection[int] = (),
    dropped: Collection[int] = (),
) -> list[Best | None]:
    """:func:`best_package` for several objectives over the same packages: one frontier."""
    members = sorted(set(accepted_by))
    if not members:
        raise AnalysisError("best_package needs at least one party that must accept")
    position = {p: n for n, p in enumerate(members)}
    for objective in objectives:
        unknown = [p for p in objective.parties if p not in position]
        if unknown:
            raise AnalysisError(
                f"the objective scores parties {unknown} that are not among those who must accept"
            )
    space = cs.space(members, dropped)
    floor_q = shifted_floors(space, shift)
    unbounded = space.floors(np.full(len(members), -np.inf))
    for p in lifted:
        floor_q[position[p]] = unbounded[position[p]]
    frontier = None
    if choose_engine(space) == "frontier":
        with contextlib.suppress(SpaceTooLargeError):
            frontier = space_frontier(space, floor_q=floor_q, max_candidates=_FRONTIER_BUDGET)
    if frontier is None:  # too large to list: the optimisation engine answers
        free = [position[p] for p in lifted]
        return [_optimised(cs, space, floor_q, free, members, o) for o in objectives]
    if len(frontier) == 0:
        return [None for _ in objectives]
    keys = canonical_keys(space, frontier.options)
    return [_maximiser(cs, space, frontier, keys, members, objective) for objective in objectives]


def _maximiser(
    cs: CoalitionSpace,
    space: Space,
    frontier: Frontier,
    keys: IntArray,
    members: list[int],
    objective: Objective,
) -> Best:
    position = {p: n for n, p in enumerate(members)}
    cols = [position[p] for p in objective.parties]
    q = frontier.quantized
    smallest = Fraction(0)
    if objective.kind == "nash":
        idx = nash_points(frontier.utilities[:, cols], space.reservation[cols]).indices
    elif objective.kind == "maximin":
        # Gains on different parties' scales compared exactly, as rationals.
        smallest, idx = ExactGains(space, q).best_min(cols)
    else:
        score = q[:, cols[0]]
        idx = np.flatnonzero(score == score.max())
    j = int(break_ties(idx, frontier.utilities, keys)[0])
    u_all, q_all, _ = cs.relaxed.evaluate(frontier.options[j][None, :])
    utilities, quantized = u_all[0], q_all[0].copy()
    quantized[members] = q[j]  # the frontier's sums, which decided acceptance
    if objective.kind == "nash":
        value = float(np.prod(np.maximum(frontier.utilities[j, cols] - space.reservation[cols], 0.0)))
    elif objective.kind == "maximin":
        value = float(smallest)
    else:
        value = float(frontier.utilities[j, cols[0]])
    return Best(frontier.options[j].copy(), utilities, value, quantized)


_SLICES_KEPT = 16
"""Coalition spaces (and their optimisation layouts) a :class:`CoalitionSpace` keeps, the most
recent: a coalition's questions come together, and each slice of a large block holds megabytes
(the flagship's 255 slices held 1 GB)."""

_K = TypeVar("_K")
_V = TypeVar("_V")


def _remember(cache: dict[_K, _V], key: _K, value: _V) -> _V:
    """Store ``value`` and drop the oldest entries beyond :data:`_SLICES_KEPT`."""
    cache[key] = value
    while len(cache) > _SLICES_KEPT:
        try:
            cache.pop(next(iter(cache)), None)
        except (RuntimeError, StopIteration):  # another thread changed it meanwhile
            break
    return value


_FRONTIER_BUDGET = 1_000_000
"""Candidates the frontier may filter for one coalition question before the optimisation
engine takes it over (a few seconds at the filter's speed for three to nine parties)."""

OPTIMISE_SECONDS = 60.0
"""The time limit of one coalition question answered by the optimisation engine."""


def _optimised(
    cs: CoalitionSpace,
    space: Space,
    floor_q: IntArray,
    free: Sequence[int],
    members: list[int],
    objective: Objective,
) -> Best | None:
    """:func:`best_package` by the optimisation engine, for a space whose frontier is too
    large to list (many parties and issues): the same exact maximiser of the objective among
    the packages the members accept (certified, see docs/analysis.md), the largest sum of
    utilities first among its ties as on the frontier. Where the solver cannot certify the
    answer within :data:`OPTIMISE_SECONDS`, an error says so rather than a guess."""
    position = {p: n for n, p in enumerate(members)}
    cols = {position[p] for p in objective.parties}
    lay = cs.layout(space)
    accepting = np.ones(len(members), dtype=bool)
    accepting[list(free)] = False
    goal: Utility | MinGain | NashProduct
    if objective.kind == "utility":
        goal = Utility(position[objective.parties[0]])
    elif objective.kind == "maximin":
        goal = MinGain(tuple(Fraction(int(n in cols)) for n in range(len(members))), clip=False)
    else:
        goal = NashProduct(tuple(float(n in cols) for n in range(len(members))))
    r = maximise(lay, goal, accepting=accepting, floors=floor_q, time_limit=OPTIMISE_SECONDS, max_ties=20)
    if r.best is None and r.certified and isinstance(goal, NashProduct):
        # No package gives every scored member a gain: the product is 0 on all of them and
        # they all tie; the frontier engine then takes the largest sum, as here.
        r = maximise(lay, Welfare(), accepting=accepting, floors=floor_q, time_limit=OPTIMISE_SECONDS)
    if not r.certified:
        raise AnalysisError(
            f"the coalition {', '.join(space.scenario.party_ids)}: the optimisation engine could not "
            f"certify its answer within {OPTIMISE_SECONDS:g} s (best value in "
            f"[{r.interval[0]:.6g}, {r.interval[1]:.6g}]); the scenario is too hard to answer exactly"
        )
    if r.best is None:
        return None
    found = r.best
    u_all, q_all, _ = cs.relaxed.evaluate(found.options[None, :])
    quantized = q_all[0].copy()
    quantized[members] = found.q
    ordered = sorted(cols)
    if objective.kind == "nash":
        value = float(np.prod(np.maximum(found.utilities[ordered] - space.reservation[ordered], 0.0)))
    elif objective.kind == "maximin":
        value = float(min(exact_gains(space, found.q, ordered)))
    else:
        value = float(found.utilities[ordered[0]])
    return Best(found.options.copy(), u_all[0], value, quantized)


def shifted_floors(space: Space, shift: Fraction) -> IntArray:
    """Each party's least integer utility worth at least its reservation value plus ``shift``
    (:meth:`~accord.model.utility.PartyScale.floor`, exactly); ``space.floor_q`` at 0."""
    if shift == 0:
        return space.floor_q.copy()
    out = []
    for scale, r in zip(space.scales, space.exact_reservation, strict=True):
        out.append(math.ceil((r + shift) * scale.denominator) - scale.slack)
    return np.asarray(out, dtype=np.int64)
