"""Sequencing: agree among a first group, then bring the others in, one group at a time.

Start from the first group's Nash package. At each step the newcomers must also accept: the
package chosen is the one that keeps the parties already in as well off as possible (the
largest Nash product of their gains over their reservation values) among the packages that the
insiders and the newcomers all accept. Each insider's *price* is the utility it loses at that
step. Where no package is acceptable to insiders and newcomers together, the step is blocked,
and the smallest changes that would unblock it are given: how far each party's reservation
value would have to fall (the others unchanged), and the smallest sets of red lines whose
removal would let them agree.

The starting group's Nash product never rises along a sequence: every later package is one it
accepts, and the first was the best of those for it. A single insider may still gain at some
step (the product, not each factor, is what the step protects).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import AnalysisError
from ..model import Scenario
from ._overrides import with_disagreement
from .coalitions import Best, Blocked, CoalitionSpace, Objective, best_package, coalition_space, unblock

__all__ = [
    "Blocked",
    "OrderComparison",
    "SequenceResult",
    "Step",
    "compare_orders",
    "parse_order",
    "sequence",
]

JSON = dict[str, Any]

MAX_ORDERS = 720  # orders compared at most (six groups)


@dataclass(frozen=True)
class Step:
    """One step: who joins, the package, each insider's price, the issues that moved."""

    newcomers: tuple[int, ...]
    insiders: tuple[int, ...]
    package: Best | None
    prices: tuple[tuple[int, float], ...]  # (insider, utility lost: before - after)
    moved: tuple[tuple[int, int, int], ...]  # (issue, from option, to option)
    starting_group_nash: float | None  # the starting group's Nash product at this package
    blocked: Blocked | None = None


@dataclass(frozen=True)
class SequenceResult:
    """A whole sequence and its comparison with the all-party Nash solution."""

    scenario: Scenario
    groups: tuple[tuple[int, ...], ...]
    steps: tuple[Step, ...]
    all_party_nash: Best | None
    space: CoalitionSpace = field(repr=False, compare=False)

    @property
    def end(self) -> Best | None:
        """The package at the end: None if some step was blocked."""
        return self.steps[-1].package if self.steps and self.steps[-1].blocked is None else None

    @property
    def completed(self) -> bool:
        return self.end is not None

    def to_dict(self) -> JSON:
        s = self.scenario
        ids = s.party_ids
        space = self.space.relaxed

        def utilities(b: Best) -> dict[str, float]:
            return {ids[p]: _round(b.utilities[p]) for p in range(len(ids))}

        def step(st: Step) -> JSON:
            out: JSON = {
                "newcomers": [ids[p] for p in st.newcomers],
                "insiders": [ids[p] for p in st.insiders],
                "possible": st.blocked is None,
                "package": None if st.package is None else space.package(st.package.options),
                "utilities": None if st.package is None else utilities(st.package),
                "prices": {ids[p]: _round(v) for p, v in st.prices},
                "moved": [
                    {"issue": s.issues[i].id, "from": s.issues[i].values()[a], "to": s.issues[i].values()[b]}
                    for i, a, b in st.moved
                ],
                "starting_group_nash_product": None
                if st.starting_group_nash is None
                else _round(st.starting_group_nash),
            }
            if st.blocked is not None:
                out["blocked"] = {
                    "reservation_cuts": [
                        {"party": ids[p], "lower_by": None if v is None else _round(v)}
                        for p, v in st.blocked.reservation_cuts
                    ],
                    "red_line_sets": [
                        [
                            {
                                "party": ids[p],
                                "red_line": n,
                                "rationale": s.preferences[ids[p]].red_lines[n].rationale,
                            }
                            for p, n in group
                        ]
                        for group in st.blocked.red_line_sets
                    ],
                    "search_complete": st.blocked.complete,
                }
            return out

        end = self.end
        nash = self.all_party_nash
        return {
            "scenario": s.id,
            "order": [[ids[p] for p in g] for g in self.groups],
            "completed": self.completed,
            "steps": [step(st) for st in self.steps],
            "end_package": None if end is None else space.package(end.options),
            "all_party_nash": None
            if nash is None
            else {"package": space.package(nash.options), "utilities": utilities(nash)},
            "end_minus_all_party_nash": None
            if end is None or nash is None
            else {ids[p]: _round(end.utilities[p] - nash.utilities[p]) for g in self.groups for p in g},
            "end_is_all_party_nash": None
            if end is None or nash is None
            else bool(np.array_equal(end.options, nash.options)),
        }


def _round(x: float) -> float:
    return round(float(x), 9) + 0.0


def parse_order(scenario: Scenario, text: str) -> tuple[tuple[int, ...], ...]:
    """Groups from ``'us+russia, ukraine, europe'``: groups separated by commas, parties (or
    blocs) within a group by ``+``. Every signatory must appear, and no party twice."""
    ids = scenario.party_ids
    groups: list[tuple[int, ...]] = []
    seen: set[int] = set()
    for part in text.split(","):
        names = [n.strip() for n in part.split("+") if n.strip()]
        if not names:
            raise AnalysisError(f"--order '{text}': an empty group; write groups like 'us+russia, ukraine'")
        group = tuple(ids.index(p) for p in scenario.resolve_parties(names, what="--order"))
        twice = [ids[p] for p in group if p in seen]
        if twice:
            raise AnalysisError(
                f"--order '{text}': {', '.join(twice)} appear in two groups; name each party once"
            )
        seen.update(group)
        groups.append(group)
    missing = [p for p in scenario.required if ids.index(p) not in seen]
    if missing:
        raise AnalysisError(
            f"--order '{text}' leaves out the signatories {', '.join(missing)}; every party whose "
            "acceptance an agreement requires must join at some step"
        )
    return tuple(groups)


def _nash_product(b: Best, cs: CoalitionSpace, parties: Sequence[int]) -> float:
    d = cs.relaxed.reservation
    return float(np.prod([max(b.utilities[p] - d[p], 0.0) for p in parties]))


def sequence(
    scenario: Scenario,
    order: Sequence[Sequence[int]] | str,
    *,
    disagreement: Mapping[str, float] | None = None,
    space: CoalitionSpace | None = None,
) -> SequenceResult:
    """Run a sequence: the first group's Nash package, then at each step the package that
    maximises the insiders' Nash product (over their reservation values) among those that
    insiders and newcomers all accept (:func:`~accord.analysis.coalitions.best_package`).

    ``order`` is a list of groups of party indices, or text as :func:`parse_order` reads it.
    The sequential view of bargaining follows Raiffa, *The Art and Science of Negotiation*
    (1982), ch. 17 (coalition building), and Sebenius, "Sequencing to build coalitions", Journal
    of Conflict Resolution 40(2), 1996; each step is solved exactly (Nash 1950 on the packages
    the step's parties accept). ``disagreement`` overrides reservation values.
    """
    scenario = with_disagreement(scenario, disagreement)
    groups = parse_order(scenario, order) if isinstance(order, str) else tuple(tuple(g) for g in order)
    cs = space or coalition_space(scenario)
    first = groups[0]
    everyone = sorted(p for g in groups for p in g)
    steps: list[Step] = []
    current: Best | None = None
    insiders: list[int] = []
    for group in groups:
        members = sorted({*insiders, *group})
        scored = tuple(insiders) if insiders else tuple(sorted(group))
        found = best_package(cs, members, Objective("nash", tuple(sorted(scored))))
        if found is None:
            steps.append(
                Step(tuple(group), tuple(insiders), None, (), (), None, unblock(cs, members, first=group))
            )
            break
        prices: tuple[tuple[int, float], ...] = ()
        moved: tuple[tuple[int, int, int], ...] = ()
        if current is not None:
            prices = tuple((p, float(current.utilities[p] - found.utilities[p])) for p in insiders)
            moved = tuple(
                (i, int(a), int(b))
                for i, (a, b) in enumerate(zip(current.options, found.options, strict=True))
                if a != b
            )
        steps.append(
            Step(tuple(group), tuple(insiders), found, prices, moved, _nash_product(found, cs, first))
        )
        current = found
        insiders = members
    nash = best_package(cs, everyone, Objective("nash", tuple(everyone)))
    return SequenceResult(scenario, groups, tuple(steps), nash, cs)


@dataclass(frozen=True)
class OrderComparison:
    """Every order of the same groups: the end package of each, and who gains from going
    first. ``to_dict()`` is the ``accord sequence --orders all --json`` output."""

    scenario: Scenario
    results: tuple[SequenceResult, ...]

    def to_dict(self) -> JSON:
        ids = self.scenario.party_ids
        space = self.results[0].space.relaxed
        ends = {tuple(r.end.options) for r in self.results if r.end is not None}
        groups = self.results[0].groups
        first: JSON = {}
        for g in groups:
            lead = [r for r in self.results if r.groups[0] == g and r.end is not None]
            rest = [r for r in self.results if r.groups[0] != g and r.end is not None]
            if lead and rest:
                first["+".join(ids[p] for p in g)] = {
                    ids[p]: _round(
                        np.mean([r.end.utilities[p] for r in lead if r.end is not None])
                        - np.mean([r.end.utilities[p] for r in rest if r.end is not None])
                    )
                    for p in g
                }
        return {
            "scenario": self.scenario.id,
            "orders": [
                {
                    "order": [[ids[p] for p in g] for g in r.groups],
                    "completed": r.completed,
                    "end_package": None if r.end is None else space.package(r.end.options),
                    "end_utilities": None
                    if r.end is None
                    else {ids[p]: _round(r.end.utilities[p]) for g in r.groups for p in g},
                    "end_is_all_party_nash": r.to_dict()["end_is_all_party_nash"],
                }
                for r in self.results
            ],
            "distinct_end_packages": len(ends),
            # Different end packages, or some orders blocked and others not.
            "order_matters": len({None if r.end is None else tuple(r.end.options) for r in self.results}) > 1,
            "gain_from_going_first": first,
        }


def compare_orders(
    scenario: Scenario,
    groups: Sequence[Sequence[int]] | str,
    *,
    disagreement: Mapping[str, float] | None = None,
) -> OrderComparison:
    """Run :func:`sequence` for every order of the same groups (at most :data:`MAX_ORDERS`)."""
    scenario = with_disagreement(scenario, disagreement)
    base = parse_order(scenario, groups) if isinstance(groups, str) else tuple(tuple(g) for g in groups)
    if math.factorial(len(base)) > MAX_ORDERS:
        raise AnalysisError(
            f"{len(base)} groups have {math.factorial(len(base)):,} orders, more than the {MAX_ORDERS} "
            "compared at most; merge groups or give one order"
        )
    cs = coalition_space(scenario)
    results = tuple(sequence(scenario, list(order), space=cs) for order in itertools.permutations(base))
    return OrderComparison(scenario, results)
