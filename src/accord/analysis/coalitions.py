"""Coalitions: which groups of parties can agree, how much room each has, and who blocks.

Each question is answered by :func:`accord.analysis.best.best_package` (the best package for an
objective among the packages a set of parties accepts), exactly, on one compilation of the
scenario sliced per coalition.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from ..distributed import map_chunks, n_threads, split
from ..errors import AnalysisError
from ..model import Scenario
from ._overrides import with_disagreement
from ._threads import cpu_count, ordered_map
from .best import Best, CoalitionSpace, Objective, best_package, best_packages, coalition_space, exact_gains
from .space import TOL, IntArray, Space

if TYPE_CHECKING:
    from distributed import Client

__all__ = [
    "MAX_ALL_SUBSETS",
    "Best",
    "Blocked",
    "Coalition",
    "CoalitionMap",
    "CoalitionSpace",
    "Objective",
    "best_package",
    "best_packages",
    "coalition_map",
    "coalition_space",
    "unblock",
]

JSON = dict[str, Any]

MAX_RED_LINE_SET = 3  # red lines dropped together at most, when looking for the smallest sets
MAX_RED_LINE_CHECKS = 2000  # combinations of red lines tried at most

MAX_ALL_SUBSETS = 12
"""Up to this many parties the map covers every coalition (4,095 for twelve); beyond, only the
coalitions named."""


def slack(
    cs: CoalitionSpace, members: Sequence[int], candidates: Sequence[IntArray] = ()
) -> tuple[float, Best | None]:
    """``max over packages of min over members of (u_i - d_i)``: the most all members could
    raise their reservation values together (negative: the least they must all lower them for
    agreement to exist), and a package attaining it; (-inf, None) when the members' red lines
    and the constraints leave no package at all.

    Any package the members' red lines allow gives a lower bound; with the best of
    ``candidates`` as the floor the frontier holds the maximiser (the frontier of an exact
    floor, as in :func:`best_package`). Without a candidate, the bound is found by bisection on
    the exact test "does a package give every member at least ``d_i + t``?".
    """
    value, best, _ = _slack(cs, sorted(set(members)), candidates)
    return value, best


def _slack(
    cs: CoalitionSpace, members: list[int], candidates: Sequence[IntArray]
) -> tuple[float, Best | None, Best | None]:
    """:func:`slack`, and the members' Nash package when they can agree (from the same frontier
    where the slack is not negative: the frontier above the reservation values holds both)."""
    space = cs.space(members)
    everyone = list(range(len(members)))
    bound: Fraction | None = None
    nash = Objective("nash", tuple(members))
    maximin = Objective("maximin", tuple(members))
    if len(members) == 1:
        best = best_package(cs, members, Objective("utility", tuple(members)), lifted=members)
        if best is None:
            return -math.inf, None, None
        value = float(exact_gains(space, best.quantized[members], everyone)[0])
        # One party's Nash package is its best; its Nash product, its gain.
        gain = float(best.utilities[members[0]] - space.reservation[0])
        return value, best, replace(best, value=gain) if value >= 0 else None
    if len(candidates):
        _, q, allowed = space.evaluate(np.unique(np.asarray(candidates), axis=0))
        if allowed.any():
            bound = max(min(exact_gains(space, row, everyone)) for row in q[allowed])
    if bound is None:
        bound = _bisect(cs, members, space)
        if bound is None:
            return -math.inf, None, None
    if bound >= 0:
        best, agreed = best_packages(cs, members, (maximin, nash))
        assert best is not None and agreed is not None  # the bound is attained by a package
        return best.value, best, agreed
    best = best_package(cs, members, maximin, shift=bound)
    assert best is not None  # the bound is attained by a package
    if best.value >= 0:
        return best.value, best, best_package(cs, members, nash)
    return best.value, best, None


def _bisect(cs: CoalitionSpace, members: list[int], space: Space) -> Fraction | None:
    """A ``t`` (a multiple of TOL, within TOL below the slack) such that some package gives
    every member at least ``d_i + t``, found by bisection on integers; None if no package is
    allowed at all. The frontier above it holds the exact maximiser (:func:`_slack`)."""
    spread = sum(abs(t.value) for t in space.terms if not t.is_red_line)
    reach = math.ceil((2.0 + float(np.abs(space.reservation).max()) + spread) / TOL)
    lo, hi = -reach, reach
    objective = Objective("maximin", tuple(members))
    step = Fraction(TOL)
    if best_package(cs, members, objective, shift=lo * step) is None:
        return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if best_package(cs, members, objective, shift=mid * step) is None:
            hi = mid
        else:
            lo = mid
    return lo * step


@dataclass(frozen=True)
class Blocked:
    """Why a step is impossible and the smallest changes that would make it possible.

    ``reservation_cuts``: per party at the step (newcomers first), how much its reservation
    value would have to fall, the others unchanged, for a package to exist (None: no amount
    would do, the red lines and constraints forbid it). ``red_line_sets``: the smallest sets of
    red lines (party index, red line index) whose removal would let the step's parties agree.
    ``complete``: whether the search over red-line sets finished within its limits.
    """

    reservation_cuts: tuple[tuple[int, float | None], ...]
    red_line_sets: tuple[tuple[tuple[int, int], ...], ...]
    complete: bool


def unblock(cs: CoalitionSpace, members: Sequence[int], *, first: Sequence[int] = ()) -> Blocked:
    """The smallest changes that would let ``members`` agree: per member (``first`` first),
    the least its reservation value must fall, the others unchanged (the most it gets among
    the packages the others accept, its red lines kept: :func:`best_package` with its floor
    lifted); and the smallest sets of the members' red lines (up to :data:`MAX_RED_LINE_SET`
    at once, :data:`MAX_RED_LINE_CHECKS` sets tried at most) whose removal would let them
    agree, tried smallest first."""
    members = sorted(members)
    order = [*first, *[p for p in members if p not in first]]
    cuts: list[tuple[int, float | None]] = []
    for p in order:
        best = best_package(cs, members, Objective("utility", (p,)), lifted=(p,))
        if best is None:
            cuts.append((p, None))
        else:
            short = -exact_gains(cs.relaxed, best.quantized, [p])[0]
            cuts.append((p, float(max(short, Fraction(0)))))
    terms = cs.relaxed.terms
    lines = [t for t in cs.red_lines if terms[t].party in members]
    found: list[tuple[int, ...]] = []
    checks = 0
    complete = True
    feasible = Objective("maximin", tuple(members))
    for size in range(1, min(MAX_RED_LINE_SET, len(lines)) + 1):
        for combo in itertools.combinations(lines, size):
            checks += 1
            if checks > MAX_RED_LINE_CHECKS:
                complete = False
                break
            if best_package(cs, members, feasible, dropped=combo) is not None:
                found.append(combo)
        if found or not complete:
            break
    else:
        complete = len(lines) <= MAX_RED_LINE_SET
    sets = tuple(tuple((terms[t].party, terms[t].index) for t in combo) for combo in found)
    return Blocked(tuple(cuts), sets, complete)


@dataclass(frozen=True)
class Coalition:
    """One group of parties: can it agree, its slack, its Nash package, who else accepts it."""

    members: tuple[int, ...]
    can_agree: bool
    slack: float  # -inf: no package the members' red lines and the constraints allow
    nash: Best | None
    outsiders_accepting: tuple[int, ...]
    maximin: Best | None = field(default=None, repr=False)


@dataclass(frozen=True)
class CoalitionMap:
    """The coalition map of a scenario. ``complete``: every coalition is in it (then the
    derived findings cover all of them). ``to_dict()`` is the ``accord coalitions --json``
    output."""

    scenario: Scenario
    space: CoalitionSpace = field(repr=False)
    coalitions: tuple[Coalition, ...]
    complete: bool

    def find(self, members: Collection[int]) -> Coalition | None:
        key = tuple(sorted(members))
        return next((c for c in self.coalitions if c.members == key), None)

    @property
    def largest(self) -> tuple[Coalition, ...]:
        """The coalitions of the most parties that can agree."""
        able = [c for c in self.coalitions if c.can_agree]
        top = max((len(c.members) for c in able), default=0)
        return tuple(c for c in able if len(c.members) == top)

    @property
    def maximal(self) -> tuple[Coalition, ...]:
        """The coalitions that can agree and are in no larger coalition that can agree."""
        able = [c for c in self.coalitions if c.can_agree]
        sets = [set(c.members) for c in able]
        return tuple(c for c, s in zip(able, sets, strict=True) if not any(s < o for o in sets))

    @property
    def minimal_blocking(self) -> tuple[Coalition, ...]:
        """The groups of parties whose joint presence makes agreement impossible while every
        smaller group among them can agree. Agreement is monotone (a subset of a group that
        can agree can agree too), so it is enough that removing any one member allows it."""
        if not self.complete:
            return ()
        out = []
        for c in self.coalitions:
            if c.can_agree:
                continue
            smaller = [self.find(set(c.members) - {p}) for p in c.members] if len(c.members) > 1 else []
            if all(s is not None and s.can_agree for s in smaller):
                out.append(c)
        return tuple(out)

    def veto_weight(self) -> dict[int, tuple[float, int]]:
        """Per party: how much the slack of the coalitions without it drops, on average, when
        it joins them (over the coalitions whose slack is finite with and without it), and how
        many coalitions that could agree cannot once it joins."""
        out: dict[int, tuple[float, int]] = {}
        if not self.complete:
            return out
        by_key = {c.members: c for c in self.coalitions}
        for p in range(len(self.scenario.parties)):
            drops, vetoes = [], 0
            for c in self.coalitions:
                if p in c.members:
                    continue
                joined = by_key[tuple(sorted((*c.members, p)))]
                if math.isfinite(c.slack) and math.isfinite(joined.slack):
                    drops.append(c.slack - joined.slack)
                vetoes += int(c.can_agree and not joined.can_agree)
            out[p] = (float(np.mean(drops)) if drops else math.nan, vetoes)
        return out

    def to_dict(self) -> JSON:
        ids = self.scenario.party_ids
        space = self.space.relaxed

        def names(members: Collection[int]) -> list[str]:
            return [ids[p] for p in sorted(members)]

        def entry(c: Coalition) -> JSON:
            return {
                "members": names(c.members),
                "can_agree": c.can_agree,
                "slack": _number(c.slack),
                "nash_package": None if c.nash is None else space.package(c.nash.options),
                "nash_utilities": None
                if c.nash is None
                else {ids[p]: _round(c.nash.utilities[p]) for p in range(len(ids))},
                "outsiders_accepting": names(c.outsiders_accepting),
            }

        weights = self.veto_weight()
        return {
            "scenario": self.scenario.id,
            "parties": list(ids),
            "complete": self.complete,
            "coalitions": [entry(c) for c in self.coalitions],
            "largest_that_can_agree": [names(c.members) for c in self.largest],
            "maximal_that_can_agree": [names(c.members) for c in self.maximal],
            "minimal_blocking_sets": [names(c.members) for c in self.minimal_blocking],
            "veto_weight": {
                ids[p]: {"mean_slack_drop": _number(w), "coalitions_blocked": n}
                for p, (w, n) in weights.items()
            },
            "definitions": {
                "slack": "max over packages of min over members of (utility - reservation value)",
                "veto_weight": "mean drop of a coalition's slack when the party joins it",
            },
        }


def _round(x: float) -> float:
    return round(float(x), 9) + 0.0


def _number(x: float) -> float | None:
    return _round(x) if math.isfinite(x) else None


def _coalition(cs: CoalitionSpace, members: tuple[int, ...], candidates: Sequence[IntArray]) -> Coalition:
    value, maximin, nash = _slack(cs, list(members), candidates)
    can_agree = nash is not None
    outsiders: tuple[int, ...] = ()
    if nash is not None:
        accepting = cs.accepts(nash.options)
        outsiders = tuple(int(p) for p in np.flatnonzero(accepting) if p not in members)
    return Coalition(members, can_agree, value, nash, outsiders, maximin)


def coalition_map(
    scenario: Scenario,
    *,
    coalitions: Sequence[Sequence[str]] | None = None,
    along: Sequence[Sequence[str]] | None = None,
    disagreement: Mapping[str, float] | None = None,
    max_block_size: int = 2_000_000,
    max_stream: int = 50_000_000,
    client: Client | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CoalitionMap:
    """The coalition map: for every coalition (every non-empty set of parties while there are
    at most :data:`MAX_ALL_SUBSETS`; else only ``coalitions``, each a list of party or bloc
    names, and the coalitions met ``along`` a sequence: its groups in order, each a list of
    names, giving the coalitions in at each step), whether a package exists that every member
    accepts, its slack, its Nash package and the outsiders who would also accept that package;
    derived, the largest coalitions that can agree, the minimal blocking sets and each party's
    veto weight.

    Coalitions are solved smallest first, and the maximin packages of a coalition's subsets
    seed its slack (any package a coalition's red lines allow bounds its slack from below).
    The cooperative-game reading (coalitions, blocking sets, veto players) follows Shapley and
    Shubik, "A method for evaluating the distribution of power in a committee system", APSR
    48(3), 1954, and Riker, *The Theory of Political Coalitions* (1962); each value here is
    exact for the numbers in the file. ``disagreement`` overrides reservation values.

    ``client``: a ``distributed.Client``; the coalitions of each size are then solved in tasks
    on its cluster (docs/distributed.md), the compiled scenario shipped once per worker, and the
    map is identical to one computed here. ``progress(done, total)`` follows the coalitions.
    """
    scenario = with_disagreement(scenario, disagreement)
    cs = coalition_space(scenario, max_block_size=max_block_size, max_stream=max_stream)
    n = len(scenario.parties)
    ids = scenario.party_ids
    if along:
        steps = [list(itertools.chain.from_iterable(along[: k + 1])) for k in range(len(along))]
        coalitions = [*(coalitions or ()), *steps, *along]
    if coalitions is None:
        if n > MAX_ALL_SUBSETS:
            raise AnalysisError(
                f"scenario '{scenario.id}' has {n} parties, more than the {MAX_ALL_SUBSETS} whose every "
                "coalition is mapped; name the coalitions to examine (--coalition 'a+b') or a sequence "
                "(--along 'a+b, c, d')"
            )
        wanted = [c for size in range(1, n + 1) for c in itertools.combinations(range(n), size)]
        complete = True
    else:
        found = {
            tuple(ids.index(p) for p in scenario.resolve_parties(c, what="coalition")) for c in coalitions
        }
        wanted = sorted((c for c in found if c), key=lambda c: (len(c), c))
        complete = False
    done: dict[tuple[int, ...], Coalition] = {}

    def seeds(members: tuple[int, ...]) -> list[IntArray]:
        # The maximin and Nash packages of the coalitions one member smaller bound its slack.
        out: list[IntArray] = []
        for p in members:
            sub = done.get(tuple(m for m in members if m != p))
            if sub is not None:
                out += [b.options for b in (sub.maximin, sub.nash) if b is not None]
        return out

    if client is None:
        # One size at a time on threads (the solvers and numpy release the GIL): a coalition's
        # seeds come from the size below, so the map is the one a single thread makes.
        for size in sorted({len(m) for m in wanted}):
            jobs = [(m, seeds(m)) for m in wanted if len(m) == size]
            for coalition in ordered_map(lambda job: _coalition(cs, *job), jobs, cpu_count()):
                done[coalition.members] = coalition
                if progress is not None:
                    progress(len(done), len(wanted))
    else:
        # One size at a time: a coalition's seeds come from the size below, so every
        # coalition is solved from the same seeds as in one process and the map is the same.
        for size in sorted({len(m) for m in wanted}):
            level = [(m, seeds(m)) for m in wanted if len(m) == size]
            parts = split(len(level), n_threads(client) * 4)
            chunks = [level[r.start : r.stop] for r in parts]
            for solved in map_chunks(client, _solve, cs, chunks, name="coalitions"):
                for coalition in solved:
                    done[coalition.members] = coalition
                if progress is not None:
                    progress(len(done), len(wanted))
    return CoalitionMap(scenario, cs, tuple(done[m] for m in wanted), complete)


def _solve(cs: CoalitionSpace, chunk: list[tuple[tuple[int, ...], list[IntArray]]]) -> list[Coalition]:
    """A task on a Dask worker: the coalitions of ``chunk``, each from its seeds."""
    return [_coalition(cs, members, candidates) for members, candidates in chunk]
