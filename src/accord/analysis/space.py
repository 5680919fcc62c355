"""The compiled form of a scenario: per-issue utility arrays, and blocks of coupled issues.

Every party's utility is additive over issues except where an interaction or a red line couples
several issues. Issues so coupled are merged into one *block* whose options are the combinations
of its issues' options; issues coupled to nothing are blocks of their own. A package is then one
combination per block, and its utility vector is the sum of the blocks' vectors: the structure
that :mod:`accord.analysis.pareto` exploits.

Utilities are also kept as integers, each party's on its own exact scale
(:class:`~accord.model.utility.PartyScale`: ``denominator`` times the exact rational utility of
the file's numbers). All comparisons (acceptance, dominance, ties) are made on those integers, so
they are exact and transitive, and sums of block utilities are exact too: a package exactly at a
reservation value is accepted. ``Space.floor_q`` holds the least accepted integer utility of each
party, and :meth:`Space.floors` turns any other floor into integers the same way.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np
import numpy.typing as npt

from ..errors import AnalysisError, SpaceTooLargeError
from ..model import (
    Condition,
    Issue,
    OptionValue,
    RangeCondition,
    Scenario,
    value_of,
)
from ..model.utility import TOL, PartyScale, exact_number, issue_contributions, party_scale, quantize
from .nondominated import pareto_frontier

__all__ = ["CONSTRAINT", "TOL", "Block", "Space", "Term", "canonical_keys", "compile_space", "quantize"]

CONSTRAINT = -1
"""The ``party`` of a :class:`Term` that is a scenario-level constraint: a red line for everyone."""

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Term:
    """An interaction (``value`` added to party ``party``) or a red line (``value`` is nan).

    ``masks[j]`` says which options of issue ``issues[j]`` meet the condition on that issue.
    """

    party: int
    issues: tuple[int, ...]
    masks: tuple[BoolArray, ...]
    value: float
    index: int  # position in the party's list of interactions or red lines
    units: int = 0  # ``value`` on the party's integer scale (0 for a red line)

    @property
    def is_red_line(self) -> bool:
        """A red line or a constraint: the packages it holds for are excluded."""
        return math.isnan(self.value)

    @property
    def is_constraint(self) -> bool:
        """A scenario-level constraint (excluded for everyone), not a party's red line."""
        return self.party == CONSTRAINT

    def holds(self, options: IntArray) -> BoolArray:
        """For packages ``options`` (m x n_issues option indices): does every condition hold?"""
        out = np.ones(options.shape[0], dtype=bool)
        for issue, mask in zip(self.issues, self.masks, strict=True):
            out &= mask[options[:, issue]]
        return out


@dataclass(frozen=True)
class Block:
    """A group of coupled issues and the combinations of their options that no red line forbids.

    ``choices`` is (n, len(issues)) option indices; ``utilities`` (n, parties) floats and
    ``quantized`` the same on each party's exact integer scale (see :class:`Space`). Options
    that no party and no term can tell apart are merged into classes first, so each row stands
    for ``multiplicity`` packages of the block. A block too large to hold is *streamed*: it
    keeps only its own Pareto frontier (all the frontier needs) and ``plan`` to enumerate it
    again in chunks (for counting).
    """

    issues: tuple[int, ...]
    choices: IntArray
    utilities: FloatArray
    quantized: IntArray
    multiplicity: IntArray
    rank: IntArray  # canonical order of the combinations: by option ids, issues taken by id
    key: str  # the smallest issue id in the block, to order blocks canonically
    n_allowed: int  # combinations (not classes) that cross no red line
    lowest: IntArray  # each party's smallest (quantized) utility in the block
    plan: _Plan | None = None

    @property
    def size(self) -> int:
        return int(self.choices.shape[0])

    @cached_property
    def reduced(self) -> tuple[IntArray, IntArray]:
        """The block's own frontier: for each distinct utility vector on it, the canonically
        first row and how many packages of the block share the vector (all equal vectors lie
        on the frontier together). It does not depend on reservation values: computed once."""
        q = self.quantized
        idx = pareto_frontier(q)
        qi = q[idx]
        # Sort by vector, then by canonical rank: the first row of each run of equal vectors is
        # the representative, and the run's multiplicities add up to its count.
        idx = idx[np.lexsort((self.rank[idx], *(qi[:, j] for j in reversed(range(q.shape[1])))))]
        qi = q[idx]
        starts = np.flatnonzero(np.r_[True, np.any(qi[1:] != qi[:-1], axis=1)])
        counts = np.add.reduceat(self.multiplicity[idx], starts)
        reps = idx[starts]
        order = np.argsort(reps)
        return reps[order], counts[order]

    @property
    def all_rows(self) -> IntArray:
        return np.arange(self.size, dtype=np.int64)

    @cached_property
    def reduced_quantized(self) -> IntArray:
        """The utilities of :attr:`reduced`'s rows."""
        return self.quantized[self.reduced[0]]


@dataclass(frozen=True)
class Space:
    """A scenario compiled to arrays. Build it with :func:`compile_space`."""

    scenario: Scenario
    contributions: tuple[FloatArray, ...]  # per issue: (n_options, parties) weighted, normalised
    terms: tuple[Term, ...]  # interactions and red lines, all parties
    blocks: tuple[Block, ...]
    reservation: FloatArray  # (parties,)
    power: FloatArray  # (parties,)
    scales: tuple[PartyScale, ...] = ()  # per party: its integer scale (accord.model.utility)
    contributions_q: tuple[IntArray, ...] = ()  # per issue: ``contributions`` as integers

    @cached_property
    def exact_reservation(self) -> tuple[Fraction, ...]:
        """Each party's reservation value as the exact number the file wrote."""
        return tuple(exact_number(float(r)) for r in self.reservation)

    @property
    def floor_q(self) -> IntArray:
        """Each party's least accepted integer utility: its reservation value, exactly."""
        return np.array([s.reservation for s in self.scales], dtype=np.int64)

    def floors(self, floor: npt.ArrayLike) -> IntArray:
        """Floors (utilities, ``(..., parties)``, ``-inf`` allowed) as the least integer
        utilities worth at least them, party by party."""
        f = np.asarray(floor, dtype=np.float64)
        out = np.empty(f.shape, dtype=np.int64)
        flat, target = f.reshape(-1, self.n_parties), out.reshape(-1, self.n_parties)
        for p, scale in enumerate(self.scales):
            target[:, p] = [scale.floor(float(x)) for x in flat[:, p]]
        return out

    @property
    def n_parties(self) -> int:
        return len(self.scenario.parties)

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(i.size for i in self.scenario.issues)

    @property
    def n_packages(self) -> int:
        return self.scenario.n_packages

    @property
    def n_allowed(self) -> int:
        """Packages that cross no red line."""
        return math.prod(b.n_allowed for b in self.blocks)

    def evaluate(self, options: npt.ArrayLike) -> tuple[FloatArray, IntArray, BoolArray]:
        """Utilities of packages given as option indices (m x issues).

        Returns float utilities (m x parties), the same on each party's exact integer scale,
        and whether each package is free of red lines. The integer utilities are exact sums of
        integer parts, as the frontier adds them, so every comparison agrees with it.
        """
        x = np.atleast_2d(np.asarray(options, dtype=np.int64))
        utilities = np.zeros((x.shape[0], self.n_parties))
        quantized = np.zeros((x.shape[0], self.n_parties), dtype=np.int64)
        allowed = np.ones(x.shape[0], dtype=bool)
        for block in self.blocks:
            part = np.zeros((x.shape[0], self.n_parties))
            for issue in block.issues:
                part += self.contributions[issue][x[:, issue]]
                quantized += self.contributions_q[issue][x[:, issue]]
            for term in self.terms:
                if term.issues[0] not in block.issues:
                    continue
                holds = term.holds(x)
                if term.is_red_line:
                    allowed &= ~holds
                else:
                    part[:, term.party] += term.value * holds
                    quantized[:, term.party] += term.units * holds
            utilities += part
        return utilities, quantized, allowed

    def red_lines_crossed(self, options: npt.ArrayLike) -> list[tuple[int, int]]:
        """(party, red line index) of every red line the package crosses; a constraint the
        package breaks is given as (:data:`CONSTRAINT`, constraint index)."""
        x = np.asarray([options], dtype=np.int64)
        return [(t.party, t.index) for t in self.terms if t.is_red_line and bool(t.holds(x)[0])]

    def indices(self, package: Mapping[str, OptionValue]) -> IntArray:
        """Option indices of a checked package (see :meth:`Scenario.package`)."""
        return np.array([issue.index_of(package[issue.id]) for issue in self.scenario.issues], dtype=np.int64)

    def package(self, options: npt.ArrayLike) -> dict[str, OptionValue]:
        """The package ``{issue id: option}`` for option indices."""
        x = np.asarray(options, dtype=np.int64)
        return {issue.id: issue.values()[int(o)] for issue, o in zip(self.scenario.issues, x, strict=True)}


def _condition_mask(issue: Issue, condition: Condition) -> BoolArray:
    values = issue.values()
    if isinstance(condition, RangeCondition):
        grid = np.array(values, dtype=np.float64)
        lo = -np.inf if condition.min is None else condition.min - TOL
        hi = np.inf if condition.max is None else condition.max + TOL
        return np.asarray((grid >= lo) & (grid <= hi))
    mask = np.zeros(len(values), dtype=bool)
    for value in condition if isinstance(condition, tuple) else (condition,):
        mask[issue.index_of(value)] = True
    return mask


def _terms(scenario: Scenario, scales: Sequence[PartyScale]) -> list[Term]:
    position = {issue.id: n for n, issue in enumerate(scenario.issues)}
    terms = []
    for p, party in enumerate(scenario.parties):
        prefs = scenario.preferences[party.id]
        items = [
            (n, item.when, value_of(item.value), scales[p].interactions[n])
            for n, item in enumerate(prefs.interactions)
        ]
        items += [(n, line.when, math.nan, 0) for n, line in enumerate(prefs.red_lines)]
        for n, when, value, units in items:
            issues = tuple(position[i] for i in when)
            masks = tuple(_condition_mask(scenario.issues[position[i]], c) for i, c in when.items())
            terms.append(Term(p, issues, masks, value, n, units))
    for n, constraint in enumerate(scenario.constraints):
        issues = tuple(position[i] for i in constraint.when)
        masks = tuple(_condition_mask(scenario.issues[position[i]], c) for i, c in constraint.when.items())
        terms.append(Term(CONSTRAINT, issues, masks, math.nan, n))
    return terms


def _groups(n_issues: int, terms: Sequence[Term]) -> list[tuple[int, ...]]:
    """Connected components of issues under 'appear in one term together' (union-find)."""
    parent = list(range(n_issues))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for term in terms:
        for other in term.issues[1:]:
            parent[find(other)] = find(term.issues[0])
    groups: dict[int, list[int]] = {}
    for i in range(n_issues):
        groups.setdefault(find(i), []).append(i)
    return [tuple(g) for g in sorted(groups.values())]


def option_ranks(issue: Issue) -> IntArray:
    """Each option's place in the canonical order: by id for discrete options, by value for
    numeric ones. Ties are broken by these ranks so results never depend on declared order."""
    if issue.is_numeric:
        return np.arange(issue.size, dtype=np.int64)
    ids = [str(v) for v in issue.values()]
    order = sorted(range(len(ids)), key=lambda j: ids[j])
    ranks = np.empty(len(ids), dtype=np.int64)
    ranks[order] = np.arange(len(ids))
    return ranks


def canonical_keys(space: Space, options: IntArray) -> IntArray:
    """Packages (rows of option indices) as rows of canonical ranks, issues taken by id: sorting
    these rows sorts packages by option ids, whatever order anything was declared in."""
    issues = space.scenario.issues
    order = sorted(range(len(issues)), key=lambda i: issues[i].id)
    x = np.asarray(options, dtype=np.int64).reshape(-1, len(issues))
    return np.column_stack([option_ranks(issues[i])[x[:, i]] for i in order]) if order else x


def _canonical_rank(scenario: Scenario, group: tuple[int, ...], choices: IntArray) -> IntArray:
    members = sorted(range(len(group)), key=lambda m: scenario.issues[group[m]].id)
    columns = [option_ranks(scenario.issues[group[m]])[choices[:, m]] for m in members]
    order = np.lexsort(tuple(reversed(columns))) if columns else np.zeros(0, dtype=np.int64)
    rank = np.empty(len(choices), dtype=np.int64)
    rank[order] = np.arange(len(choices))
    return rank


_CHUNK = 1 << 18  # combinations of a streamed block evaluated at once
_INNER = 1 << 12  # combinations of a streamed block's trailing issues precomputed once


def compile_space(
    scenario: Scenario,
    *,
    max_block_size: int = 2_000_000,
    max_stream: int = 50_000_000,
    keep_red_lines: bool = False,
    stream_chunk: int = _CHUNK,
    stream_inner: int = _INNER,
) -> Space:
    """Compile a scenario into arrays: per-issue utilities, terms, and blocks of coupled issues.

    Coupled issues with up to ``max_block_size`` distinct combinations are held in full; up to
    ``max_stream`` they are streamed in chunks and only their frontier is held; beyond that
    :class:`SpaceTooLargeError` names the issues. With ``keep_red_lines`` the blocks keep the
    combinations that cross a party's red line (constraints still leave theirs out): the form
    :mod:`accord.analysis.coalitions` slices for any group of parties. A streamed block is
    evaluated ``stream_chunk`` combinations at a time, over a grid of at most ``stream_inner``
    combinations of its trailing issues computed once: they bound memory, not the result.
    """
    for name, value in (("stream_chunk", stream_chunk), ("stream_inner", stream_inner)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise AnalysisError(f"compile_space: {name} must be a whole number of at least 1, got {value!r}")
    parties = scenario.parties
    issues = scenario.issues
    # The one utility definition (accord.model.utility): floats, and each party's exact integers.
    per_party = [issue_contributions(issues, scenario.preferences[p.id]) for p in parties]
    scales = [party_scale(issues, scenario.preferences[p.id], p.reservation, party=p.id) for p in parties]
    contributions = [
        np.column_stack([c[i] for c in per_party]).reshape(issue.size, len(parties))
        for i, issue in enumerate(issues)
    ]
    contributions_q = [
        np.column_stack([s.contributions[i] for s in scales]).reshape(issue.size, len(parties))
        for i, issue in enumerate(issues)
    ]
    terms = _terms(scenario, scales)
    blocks = []
    coupled = {i for t in terms for i in t.issues}
    for group in _groups(len(scenario.issues), terms):
        if len(group) == 1 and group[0] not in coupled:
            blocks.append(
                _plain_block(scenario, group[0], contributions[group[0]], contributions_q[group[0]])
            )
            continue
        plan = _Plan.make(
            scenario, contributions, contributions_q, terms, group, keep_red_lines, stream_chunk, stream_inner
        )
        if plan.n_combos > max_stream:
            names = ", ".join(scenario.issues[i].id for i in group)
            raise SpaceTooLargeError(
                f"issues {names} are coupled by interactions or red lines into "
                f"{plan.n_combos:,} distinct combinations (after merging options no party can tell "
                f"apart), more than the limit of {max_stream:,}; raise AnalysisConfig.max_stream "
                "or split the interaction terms"
            )
        blocks.append(_block(scenario, plan, max_block_size))
    return Space(
        scenario=scenario,
        contributions=tuple(contributions),
        terms=tuple(terms),
        blocks=tuple(blocks),
        reservation=np.array([p.reservation for p in parties]),
        power=np.array([p.bargaining_power for p in parties]),
        scales=tuple(scales),
        contributions_q=tuple(contributions_q),
    )


@dataclass(frozen=True)
class _Plan:
    """How to enumerate a group of coupled issues: per issue, its option classes (options that
    every party values alike and every term treats alike), each with a representative."""

    group: tuple[int, ...]
    representatives: tuple[IntArray, ...]
    class_sizes: tuple[IntArray, ...]
    contributions: tuple[FloatArray, ...]
    contributions_q: tuple[IntArray, ...]
    terms: tuple[Term, ...]
    n_issues: int
    keep_red_lines: bool = False  # rows crossing a party's red line are kept (constraints never)
    chunk: int = _CHUNK  # combinations evaluated at once
    inner: int = _INNER  # combinations of the trailing issues precomputed once

    def excludes(self, term: Term) -> bool:
        """Whether rows the term holds for are left out of the block."""
        return term.is_constraint or (term.is_red_line and not self.keep_red_lines)

    @staticmethod
    def make(
        scenario: Scenario,
        contributions: Sequence[FloatArray],
        contributions_q: Sequence[IntArray],
        terms: Sequence[Term],
        group: tuple[int, ...],
        keep_red_lines: bool = False,
        chunk: int = _CHUNK,
        inner: int = _INNER,
    ) -> _Plan:
        own = tuple(t for t in terms if t.issues[0] in group)
        reps, sizes = [], []
        for i in group:
            issue = scenario.issues[i]
            signature: dict[tuple[object, ...], list[int]] = {}
            q = contributions_q[i]
            ranks = option_ranks(issue)
            for o in sorted(range(issue.size), key=lambda o: ranks[o]):
                masks = [
                    bool(mask[o]) for t in own for j, mask in zip(t.issues, t.masks, strict=True) if j == i
                ]
                key = (tuple(q[o]), *masks)
                signature.setdefault(key, []).append(o)
            members = sorted(signature.values(), key=lambda m: m[0])
            reps.append(np.array([m[0] for m in members], dtype=np.int64))
            sizes.append(np.array([len(m) for m in members], dtype=np.int64))
        return _Plan(
            group,
            tuple(reps),
            tuple(sizes),
            tuple(contributions),
            tuple(contributions_q),
            own,
            len(scenario.issues),
            keep_red_lines,
            chunk,
            inner,
        )

    @property
    def n_combos(self) -> int:
        return math.prod(len(r) for r in self.representatives)

    def _tables(
        self, members: Sequence[int]
    ) -> tuple[IntArray, FloatArray, IntArray, IntArray, dict[int, BoolArray]]:
        """For every class combination of ``members`` (positions in the group), in mixed-radix
        order: the classes, the utility of the members' issues (floats and integers), the
        multiplicity, and each term's condition on these members."""
        radices = [len(self.representatives[m]) for m in members]
        n = math.prod(radices)
        classes = (
            np.indices(radices).reshape(len(members), -1).T if members else np.zeros((1, 0), dtype=np.int64)
        )
        k = self.contributions[0].shape[1]
        utilities = np.zeros((n, k))
        quantized = np.zeros((n, k), dtype=np.int64)
        multiplicity = np.ones(n, dtype=np.int64)
        for col, m in enumerate(members):
            reps = self.representatives[m]
            utilities += self.contributions[self.group[m]][reps][classes[:, col]]
            quantized += self.contributions_q[self.group[m]][reps][classes[:, col]]
            multiplicity *= self.class_sizes[m][classes[:, col]]
        partial: dict[int, BoolArray] = {}
        inside = {self.group[m] for m in members}
        for t, term in enumerate(self.terms):
            holds = np.ones(n, dtype=bool)
            for i, mask in zip(term.issues, term.masks, strict=True):
                if i in inside:
                    m = self.group.index(i)
                    holds &= mask[self.representatives[m]][classes[:, members.index(m)]]
            partial[t] = holds
        return classes, utilities, quantized, multiplicity, partial

    def flat_chunks(self) -> Iterator[tuple[IntArray, FloatArray, IntArray, IntArray]]:
        """(index, utilities, integer utilities, multiplicity) of the red-line-free class
        combinations, chunk by chunk; ``index`` is the mixed-radix index that
        :meth:`choices_of` decodes, so callers decode only the rows they keep.

        The trailing issues form an inner grid computed once; each chunk is a run of outer
        combinations times that grid, so per chunk only the terms spanning both halves cost a
        full-size operation.
        """
        members = list(range(len(self.group)))
        radices = [len(r) for r in self.representatives]
        split = len(members)
        inner_size = 1
        while split > 0 and inner_size * radices[split - 1] <= self.inner:
            split -= 1
            inner_size *= radices[split]
        outer_m, inner_m = members[:split], members[split:]
        _, in_u, in_q, in_mult, in_holds = self._tables(inner_m)
        inner_only = [
            t for t, term in enumerate(self.terms) if all(self.group.index(i) in inner_m for i in term.issues)
        ]
        for t in inner_only:
            term = self.terms[t]
            if not term.is_red_line:
                in_u[:, term.party] += term.value * in_holds[t]
                in_q[:, term.party] += term.units * in_holds[t]
        in_ok = np.ones(len(in_u), dtype=bool)
        for t in inner_only:
            if self.excludes(self.terms[t]):
                in_ok &= ~in_holds[t]
        mixed = [t for t in range(len(self.terms)) if t not in inner_only]
        n_outer = math.prod(radices[m] for m in outer_m)
        step = max(1, self.chunk // inner_size)
        out_classes_all = None
        for start in range(0, n_outer, step):
            stop = min(n_outer, start + step)
            if outer_m:
                out_classes_all = np.arange(start, stop, dtype=np.int64)
            o_u, o_q, o_mult, o_holds = self._outer(outer_m, out_classes_all)
            utilities = o_u[:, None, :] + in_u[None, :, :]
            quantized = o_q[:, None, :] + in_q[None, :, :]
            ok = np.broadcast_to(in_ok[None, :], (len(o_u), len(in_u))).copy()
            for t in mixed:
                term = self.terms[t]
                holds = o_holds[t][:, None] & in_holds[t][None, :]
                if self.excludes(term):
                    ok &= ~holds
                elif term.is_red_line:
                    continue
                else:
                    utilities[:, :, term.party] += term.value * holds
                    quantized[:, :, term.party] += term.units * holds
            flat = (
                np.arange(start, stop, dtype=np.int64)[:, None] * inner_size
                + np.arange(inner_size, dtype=np.int64)[None, :]
            )
            multiplicity = o_mult[:, None] * in_mult[None, :]
            yield flat[ok], utilities[ok], quantized[ok], multiplicity[ok]

    def _outer(
        self, members: list[int], flat: IntArray | None
    ) -> tuple[FloatArray, IntArray, IntArray, dict[int, BoolArray]]:
        k = self.contributions[0].shape[1]
        if flat is None:
            return (
                np.zeros((1, k)),
                np.zeros((1, k), dtype=np.int64),
                np.ones(1, dtype=np.int64),
                {t: np.ones(1, dtype=bool) for t in range(len(self.terms))},
            )
        classes = np.empty((len(flat), len(members)), dtype=np.int64)
        rest = flat.copy()
        for col in reversed(range(len(members))):
            radix = len(self.representatives[members[col]])
            classes[:, col] = rest % radix
            rest //= radix
        utilities = np.zeros((len(flat), k))
        quantized = np.zeros((len(flat), k), dtype=np.int64)
        multiplicity = np.ones(len(flat), dtype=np.int64)
        for col, m in enumerate(members):
            utilities += self.contributions[self.group[m]][self.representatives[m]][classes[:, col]]
            quantized += self.contributions_q[self.group[m]][self.representatives[m]][classes[:, col]]
            multiplicity *= self.class_sizes[m][classes[:, col]]
        holds: dict[int, BoolArray] = {}
        for t, term in enumerate(self.terms):
            h = np.ones(len(flat), dtype=bool)
            for i, mask in zip(term.issues, term.masks, strict=True):
                m = self.group.index(i)
                if m in members:
                    h &= mask[self.representatives[m]][classes[:, members.index(m)]]
            holds[t] = h
        return utilities, quantized, multiplicity, holds

    def choices_of(self, flat: IntArray) -> IntArray:
        """Option indices (rows over the group's issues) of mixed-radix combination indices."""
        out = np.empty((len(flat), len(self.group)), dtype=np.int64)
        rest = np.asarray(flat, dtype=np.int64).copy()
        for m in reversed(range(len(self.group))):
            radix = len(self.representatives[m])
            out[:, m] = self.representatives[m][rest % radix]
            rest //= radix
        return out


def _plain_block(scenario: Scenario, issue: int, table: FloatArray, quantized: IntArray) -> Block:
    """An issue that no term touches: its options as they are (the common, fast case)."""
    n = table.shape[0]
    choices = np.arange(n, dtype=np.int64)[:, None]
    return Block(
        issues=(issue,),
        choices=choices,
        utilities=table,
        quantized=quantized,
        multiplicity=np.ones(n, dtype=np.int64),
        rank=option_ranks(scenario.issues[issue]),
        key=scenario.issues[issue].id,
        n_allowed=n,
        lowest=quantized.min(axis=0),
    )


def _block(scenario: Scenario, plan: _Plan, max_block_size: int) -> Block:
    """Hold the block in full when it is small enough, else stream it down to its frontier."""
    parts: list[tuple[IntArray, FloatArray, IntArray, IntArray]] = []
    n_allowed = 0
    lowest = np.full(plan.contributions[0].shape[1], np.iinfo(np.int64).max)
    streamed = plan.n_combos > max_block_size
    for flat, utilities, quantized, multiplicity in plan.flat_chunks():
        n_allowed += int(multiplicity.sum())
        if len(utilities):
            lowest = np.minimum(lowest, quantized.min(axis=0))
        if streamed:
            keep = pareto_frontier(quantized)
            parts.append((flat[keep], utilities[keep], quantized[keep], multiplicity[keep]))
            if len(parts) > 1:
                merged = [np.concatenate(x) for x in zip(*parts, strict=True)]
                keep = pareto_frontier(merged[2])
                parts = [(merged[0][keep], merged[1][keep], merged[2][keep], merged[3][keep])]
        else:
            parts.append((flat, utilities, quantized, multiplicity))
    if parts:
        flat, utilities, quantized, multiplicity = (np.concatenate(x) for x in zip(*parts, strict=True))
    else:
        k = plan.contributions[0].shape[1]
        flat = np.zeros(0, dtype=np.int64)
        utilities, multiplicity = np.zeros((0, k)), np.zeros(0, dtype=np.int64)
        quantized = np.zeros((0, k), dtype=np.int64)
    choices = plan.choices_of(flat)
    return Block(
        issues=plan.group,
        choices=choices,
        utilities=utilities,
        quantized=quantized,
        multiplicity=multiplicity,
        rank=_canonical_rank(scenario, plan.group, choices),
        key=min(scenario.issues[i].id for i in plan.group),
        n_allowed=n_allowed,
        lowest=lowest,
        plan=plan if streamed else None,
    )
