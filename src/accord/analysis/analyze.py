"""The façade: :func:`analyze` and :func:`explain` turn a scenario into typed results.

Everything here only assembles what the array functions of this package compute into the
records of :mod:`accord.analysis.results`; ``to_dict()`` of each result is exactly the
``--json`` output of the command line.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ..errors import AnalysisError, SpaceTooLargeError
from ..model import OptionValue, Scenario
from . import bargaining
from ._gains import ExactGains
from ._overrides import with_disagreement
from .best import CoalitionSpace, coalition_space
from .count import Estimate, count_acceptable, estimate_acceptable
from .explanation import (
    best_attainable,
    costly_issues,
    max_min_slack,
    nearest_acceptable,
    pareto_improvements,
    trades,
)
from .optimise import Optimised, agreement_possible, choose_engine, optimise_space
from .pareto import Frontier, space_frontier
from .results import (
    Blocker,
    FrontierPoint,
    Improvement,
    IssueChange,
    IssueCost,
    NearestPackage,
    NonSignatory,
    PartyLoss,
    PartyView,
    RedLineBlocker,
    ReservationCut,
    RuleBroken,
    Solution,
    SolutionView,
    Trade,
    Unblocking,
    by_party,
    plain,
    rounded,
)
from .space import CONSTRAINT, TOL, Space, canonical_keys, compile_space

__all__ = [
    "Analysis",
    "AnalysisConfig",
    "Explanation",
    "analyze",
    "explain",
    "recommendation",
]

JSON = dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class AnalysisConfig:
    """Limits and options of an analysis.

    ``max_enumerate``: packages counted one by one at most to give ``n_acceptable`` exactly;
    above it the count is estimated from ``estimate_samples`` packages drawn with ``seed``.
    ``max_block_size``: combinations of issues coupled by interactions or red lines held in
    memory at once; larger groups are streamed down to their frontier, up to ``max_stream``
    combinations per group (beyond, the analysis stops with an error that says so).
    ``count``: whether to count (or estimate) the acceptable packages: the one part of the
    analysis whose time grows with the number of packages.
    ``blockers`` and ``trades``: whether to compute them (each costs a few frontier runs).
    ``trades_per_pair``: logrolls reported per pair of parties.
    ``search_budget``: packages examined at most when looking for the nearest acceptable one.
    ``engine``: ``"frontier"`` lists the whole Pareto frontier (exact, for few parties);
    ``"optimise"`` answers every question by certified MILP solves and keeps a representative
    frontier (see docs/analysis.md); ``"auto"`` takes the frontier where it stays small.
    ``time_limit``: seconds the optimisation engine may spend on all its solves (a solve cut
    short reports the proven interval of its answer); ``max_ties``: ties it lists per solution.
    """

    max_enumerate: int = 50_000_000
    max_stream: int = 50_000_000
    estimate_samples: int = 200_000
    seed: int = 0
    max_block_size: int = 2_000_000
    count: bool = True
    blockers: bool = True
    trades: bool = True
    trades_per_pair: int = 2
    search_budget: int = 5_000_000
    engine: str = "auto"
    time_limit: float = 60.0
    max_ties: int = 20

    def __post_init__(self) -> None:
        if self.engine not in ("auto", "frontier", "optimise"):
            raise AnalysisError(
                f"AnalysisConfig.engine must be auto, frontier or optimise, got {self.engine!r}"
            )
        if not self.time_limit > 0 or self.max_ties < 0:
            raise AnalysisError("AnalysisConfig.time_limit must be > 0 and max_ties >= 0")
        for name in ("max_enumerate", "max_stream", "estimate_samples", "max_block_size", "search_budget"):
            if getattr(self, name) < 1:
                raise AnalysisError(f"AnalysisConfig.{name} must be at least 1, got {getattr(self, name)}")
        if self.trades_per_pair < 0:
            raise AnalysisError(f"AnalysisConfig.trades_per_pair must be >= 0, got {self.trades_per_pair}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise AnalysisError(f"AnalysisConfig.seed must be a non-negative integer, got {self.seed!r}")


@dataclass(frozen=True)
class Analysis:
    """Everything :func:`analyze` finds about a scenario. ``to_dict()`` is the JSON contract."""

    scenario: Scenario
    n_packages: int
    n_allowed: int
    n_acceptable: int | None
    n_acceptable_estimate: Estimate | None
    frontier: Frontier
    space: Space
    nash: Solution | None
    asymmetric_nash: Solution | None
    kalai_smorodinsky: Solution | None
    egalitarian: Solution | None
    utilitarian: Solution | None
    disagreement: dict[str, float]
    blockers: tuple[Blocker, ...]
    slack: float | None
    closest_package: dict[str, OptionValue] | None
    trades: tuple[Trade, ...]
    notes: tuple[str, ...] = field(default=())
    engine: str = "frontier"
    pareto_frontier_complete: bool = True
    non_signatories: tuple[NonSignatory, ...] = field(default=())
    red_line_blockers: tuple[RedLineBlocker, ...] = field(default=())
    unblocking: Unblocking | None = None
    recommendation: JSON | None = None

    @cached_property
    def pareto_frontier(self) -> tuple[FrontierPoint, ...]:
        """The frontier as packages and utilities by party (built on first use: for many
        parties it can hold thousands of points, and the arrays are in ``frontier``)."""
        f, parties = self.frontier, self.scenario.parties
        return tuple(
            FrontierPoint(self.space.package(o), by_party(parties, u), int(c) if c >= 0 else None)
            for o, u, c in zip(f.options, f.utilities, f.counts, strict=True)
        )

    @property
    def agreement_exists(self) -> bool:
        return len(self.frontier) > 0

    def to_dict(self) -> JSON:
        s = self.scenario

        def sol(x: Solution | None) -> JSON | None:
            return None if x is None else x.to_dict()

        return {
            "scenario": s.id,
            "name": s.name,
            "parties": list(s.party_ids),
            "issues": list(s.issue_ids),
            "reservation_values": self.disagreement,
            "power": {p.id: p.bargaining_power for p in s.parties},
            "n_packages": self.n_packages,
            "n_red_line_free": self.n_allowed,
            "n_acceptable": self.n_acceptable,
            "n_acceptable_estimate": None
            if self.n_acceptable_estimate is None
            else self.n_acceptable_estimate.to_dict(),
            "agreement_exists": self.agreement_exists,
            "pareto_frontier": [p.to_dict() for p in self.pareto_frontier],
            "pareto_frontier_complete": self.pareto_frontier_complete,
            "engine": self.engine,
            "nash": sol(self.nash),
            "asymmetric_nash": sol(self.asymmetric_nash),
            "kalai_smorodinsky": sol(self.kalai_smorodinsky),
            "egalitarian": sol(self.egalitarian),
            "utilitarian": sol(self.utilitarian),
            "slack": None if self.slack is None else rounded(self.slack),
            "closest_package": self.closest_package,
            # The red lines that alone block ride in the list of blockers, as one entry of their own.
            "blockers": [b.to_dict() for b in self.blockers]
            + (
                [{"red_lines": [r.to_dict() for r in self.red_line_blockers]}]
                if self.red_line_blockers
                else []
            ),
            "trades": [t.to_dict() for t in self.trades],
            "notes": list(self.notes),
            "tolerance": TOL,
            "signatories": list(s.party_ids),
            "non_signatories": [n.to_dict() for n in self.non_signatories],
            "constraints": [c.to_dict() for c in _constraints(s)],
            "unblocking": None if self.unblocking is None else self.unblocking.to_dict(),
            "recommendation": self.recommendation,
        }


_DEFINITIONS = {
    "nash": "maximises the product of gains over the reservation values (Nash 1950)",
    "asymmetric_nash": "maximises the product of gains, each raised to the party's power (Kalai 1977)",
    "kalai_smorodinsky": "maximises the smallest gain as a share of the party's best acceptable "
    "gain (Kalai and Smorodinsky 1975)",
    "egalitarian": "maximises the smallest gain (Kalai 1977)",
    "utilitarian": "maximises the sum of utilities (Harsanyi 1955)",
}


def _constraints(scenario: Scenario) -> list[RuleBroken]:
    """The scenario's constraints, for the report: combinations excluded from every count."""
    return [RuleBroken({k: plain(v) for k, v in c.when.items()}, c.rationale) for c in scenario.constraints]


def _non_signatories(
    full: Scenario, solutions: Mapping[str, Solution | None], config: AnalysisConfig
) -> list[NonSignatory]:
    """How each party that is not a signatory rates each bargaining solution: analysed and
    reported, but its refusal does not block."""
    space = compile_space(full, max_block_size=config.max_block_size, max_stream=config.max_stream)
    required = set(full.required)
    out = []
    for p, party in enumerate(full.parties):
        if party.id in required:
            continue
        views: dict[str, SolutionView] = {}
        for name, solution in solutions.items():
            if solution is None:
                continue
            # The same issues in the same order: the signatories' scenario is the full one's.
            options = np.asarray(solution.options, dtype=np.int64)
            u, q, _ = space.evaluate(options[None, :])
            crossed = tuple(i for pp, i in space.red_lines_crossed(options) if pp == p)
            views[name] = SolutionView(
                utility=rounded(u[0, p]),
                accepts=bool(q[0, p] >= space.floor_q[p]) and not crossed,
                red_lines_crossed=crossed,
            )
        out.append(NonSignatory(party.id, rounded(party.reservation), views))
    return out


def _solutions(space: Space, frontier: Frontier) -> dict[str, Solution | None]:
    parties = space.scenario.parties
    d = space.reservation
    keys = canonical_keys(space, frontier.options)
    u = frontier.utilities
    gains = u - d
    # Exact gains from the integer utilities (the float ones carry float noise), and as floats,
    # correctly rounded: a gain is 0 exactly when it is 0 (accord.model.utility). Both engines'
    # frontiers hold each package's integer utilities, as Space.evaluate gives them.
    exact = ExactGains(space, frontier.quantized)
    g_float, span = exact.floats, exact.span
    found: dict[str, bargaining.Maximisers] = {
        "nash": bargaining.nash_points(u, d, gains=g_float),
        "asymmetric_nash": bargaining.nash_points(u, d, space.power, gains=g_float),
        "kalai_smorodinsky": bargaining.kalai_smorodinsky_points(u, d, gains=g_float),
        "egalitarian": bargaining.egalitarian_points(u, d, gains=g_float),
        "utilitarian": bargaining.utilitarian_points(u, d),
    }
    out: dict[str, Solution | None] = {}
    for name, best in found.items():
        if len(best) == 0:
            out[name] = None
            continue
        idx = bargaining.exact_maximisers(name, best.indices, exact, span, space.power.tolist())
        ranked = bargaining.break_ties(idx, u, keys)
        j = int(ranked[0])
        options = frontier.options[j]
        out[name] = Solution(
            name=name,
            definition=_DEFINITIONS[name],
            package=space.package(options),
            options=tuple(int(o) for o in options),
            utilities=by_party(parties, u[j]),
            gains=by_party(parties, np.maximum(gains[j], 0.0)),
            objective=rounded(best.values[j]),
            ties=tuple(space.package(frontier.options[int(t)]) for t in ranked[1:]),
        )
    return out


NASH_RULE = (
    "Table the Nash solution: the package that maximises the product of every signatory's gain "
    "over its reservation value (Nash 1950)."
)


def recommendation(
    solutions: Mapping[str, Solution | None],
    *,
    rule: str = NASH_RULE,
    package: Mapping[str, OptionValue] | None = None,
    utilities: Mapping[str, float] | None = None,
    p_all_accept: Mapping[str, float] | None = None,
) -> JSON | None:
    """One package to table, the rule that chose it in one sentence, and what the bargaining
    solutions (the main alternatives) would give each party. By default the Nash solution;
    :func:`accord.uncertainty.recommend` passes another package and rule where inputs are
    uncertain, with each package's probability that every signatory accepts it."""
    nash = solutions.get("nash")
    if nash is None:
        return None
    chosen = dict(package if package is not None else nash.package)
    alternatives: list[JSON] = []
    for name, sol in solutions.items():
        if sol is None:
            continue
        same = next((a for a in alternatives if a["package"] == sol.package), None)
        if same is not None:
            same["solutions"].append(name)
            continue
        alternatives.append(
            {
                "solutions": [name],
                "package": sol.package,
                "utilities": sol.utilities,
                "is_recommended": sol.package == chosen,
                "p_all_accept": None if p_all_accept is None else p_all_accept.get(name),
            }
        )
    return {
        "package": chosen,
        "rule": rule,
        "utilities": dict(utilities if utilities is not None else nash.utilities),
        "alternatives": alternatives,
    }


def _issue_costs(space: Space, options: np.ndarray, party: int) -> tuple[IssueCost, ...]:
    issues = space.scenario.issues
    return tuple(
        IssueCost(
            issue=issues[c.issue].id,
            option=issues[c.issue].values()[c.option],
            best_option=issues[c.issue].values()[c.best_option],
            loss=rounded(c.loss),
        )
        for c in costly_issues(space, options, party)
    )


def _blockers(space: Space, frontier: Frontier, optimised: Optimised | None = None) -> list[Blocker]:
    s = space.scenario
    out = []
    for p, party in enumerate(s.parties):
        if optimised is None:
            best, options = best_attainable(space, p, frontier)
        else:
            best, options = optimised.attainable[p].best, optimised.attainable[p].options
        interval = None if optimised is None else optimised.attainable[p].interval
        out.append(
            Blocker(
                party=party.id,
                reservation_value=rounded(party.reservation),
                best_attainable=None if best is None else rounded(best),
                shortfall=None if best is None else rounded(party.reservation - best),
                headroom=None if best is None else rounded(best - party.reservation),
                lower_reservation_by=None if best is None else rounded(max(party.reservation - best, 0.0)),
                blocks=bool(options is not None and space.evaluate(options)[1][0, p] < space.floor_q[p]),
                package=None if options is None else space.package(options),
                costly_issues=() if options is None else _issue_costs(space, options, p),
                best_attainable_interval=None
                if interval is None
                else (rounded(interval[0]), rounded(interval[1])),
            )
        )
    # Those who alone block first, then the others by how little room they have; last those for
    # whom no package satisfies all the others at once (their own move alone cannot help).
    out.sort(
        key=lambda b: (
            0 if b.blocks else 1 if b.shortfall is not None else 2,
            -(b.shortfall if b.shortfall is not None else 0.0),
            b.party,
        )
    )
    return out


def _red_line(scenario: Scenario, party: int, index: int) -> RedLineBlocker:
    pid = scenario.party_ids[party]
    line = scenario.preferences[pid].red_lines[index]
    return RedLineBlocker(pid, index, {k: plain(v) for k, v in line.when.items()}, line.rationale)


def _unblocking(cs: CoalitionSpace) -> Unblocking:
    """When no package is acceptable: per party the least its reservation value must fall
    (the others unchanged), and the smallest sets of red lines whose removal allows agreement."""
    from .coalitions import unblock  # built on the analysis engine, not under it

    s = cs.scenario
    found = unblock(cs, range(len(s.parties)))
    cuts = sorted(found.reservation_cuts, key=lambda c: (c[1] is None, c[1] or 0.0, s.party_ids[c[0]]))
    return Unblocking(
        reservation_cuts=tuple(
            ReservationCut(
                s.party_ids[p], None if v is None else rounded(v), rounded(s.parties[p].reservation)
            )
            for p, v in cuts
        ),
        red_line_sets=tuple(tuple(_red_line(s, p, n) for p, n in group) for group in found.red_line_sets),
        search_complete=found.complete,
    )


def _red_line_blockers(cs: CoalitionSpace, config: AnalysisConfig, optimise: bool) -> list[RedLineBlocker]:
    """Red lines whose removal alone would make an agreement possible.

    The scenario is compiled once (:func:`~accord.analysis.best.coalition_space`: every red
    line a term, none applied); the space without one red line is a slice of it.
    """
    everyone = range(len(cs.scenario.parties))
    out = []
    for t in cs.red_lines:
        relaxed = cs.space(everyone, dropped=(t,))
        if (
            agreement_possible(relaxed, time_limit=config.time_limit)
            if optimise
            else len(space_frontier(relaxed))
        ):
            term = cs.relaxed.terms[t]
            out.append(_red_line(cs.scenario, term.party, term.index))
    return out


_TRADE_ISSUES = 40
"""Issues whose pairs are searched for trades at most: every pair is one evaluation of the whole
package, so 200 issues (19,900 pairs) took minutes; the issues with most at stake are kept."""


def _trade_issues(space: Space) -> list[int] | None:
    if len(space.sizes) <= _TRADE_ISSUES:
        return None
    stakes = [float(np.ptp(c, axis=0).sum()) for c in space.contributions]
    order = sorted(range(len(stakes)), key=lambda i: (-stakes[i], space.scenario.issues[i].id))
    return order[:_TRADE_ISSUES]


def _trades(space: Space, options: np.ndarray, config: AnalysisConfig) -> list[Trade]:
    s = space.scenario
    ids = s.party_ids
    out = []
    found = trades(space, options, per_pair=config.trades_per_pair, issues=_trade_issues(space))
    found.sort(
        key=lambda t: (
            not t.acceptable,
            -round(float(min(t.delta[t.parties[0]], t.delta[t.parties[1]])) / TOL),
        )
    )
    for t in found:
        a, b = t.parties
        out.append(
            Trade(
                parties=(ids[a], ids[b]),
                changes=tuple(
                    IssueChange(s.issues[i].id, s.issues[i].values()[x], s.issues[i].values()[y])
                    for i, x, y in t.changes
                ),
                gains=by_party(s.parties, t.delta),
                package=space.package(t.options),
                acceptable_to_all=t.acceptable,
                # Who pays for the two parties' gains, most first.
                losses=tuple(
                    PartyLoss(ids[p], rounded(-t.delta[p]))
                    for p in sorted(range(len(ids)), key=lambda p: (rounded(float(t.delta[p])), ids[p]))
                    if t.delta[p] < -TOL / 2
                ),
                total_loss_of_others=rounded(-sum(min(float(v), 0.0) for v in t.delta)),
                total_gain_of_the_two=rounded(float(t.delta[a] + t.delta[b])),
                pareto_improvement=bool(np.all(t.delta >= -TOL / 2)),
            )
        )
    return out


def _enumerated(space: Space) -> int:
    """Rows the exact count would run through: combinations of option classes, red lines out."""
    return math.prod(b.plan.n_combos if b.plan is not None else b.size for b in space.blocks)


def analyze(
    scenario: Scenario,
    *,
    disagreement: Mapping[str, float] | None = None,
    config: AnalysisConfig | None = None,
    progress: Callable[[str], None] | None = None,
) -> Analysis:
    """Analyse a scenario exactly: acceptable packages, Pareto frontier, the four bargaining
    solutions, blockers and trades.

    ``disagreement`` overrides reservation values (party id → utility of no agreement).
    ``progress``, if given, is called with the name of each stage as it starts.
    Raises :class:`~accord.errors.SpaceTooLargeError` only when coupled issues are too many to
    combine; the frontier and solutions never enumerate the whole space.
    """
    config = config or AnalysisConfig()
    stage = progress or (lambda _: None)
    scenario = with_disagreement(scenario, disagreement)
    full = scenario
    if len(scenario.required) < len(scenario.parties):
        # Only the signatories' acceptance is required: the analysis is theirs; the others are
        # reported beside it (see _non_signatories).
        scenario = scenario.restricted_to(scenario.required)
    stage("compiling the scenario and the frontier of each block of issues")
    space = compile_space(scenario, max_block_size=config.max_block_size, max_stream=config.max_stream)
    notes: list[str] = []
    engine = choose_engine(space, config.engine)
    optimised: Optimised | None = None
    if engine == "frontier":
        stage("building the Pareto frontier")
        try:
            frontier = space_frontier(
                space,
                max_candidates=None
                if config.engine == "frontier"
                else _AUTO_BUDGET.get(space.n_parties, 300_000),
            )
        except SpaceTooLargeError:
            if config.engine == "frontier":
                raise
            engine = "optimise"
    if engine == "optimise":
        stage("optimising: the bargaining solutions, blockers and representative frontier points")
        optimised = optimise_space(
            space, time_limit=config.time_limit, max_ties=config.max_ties, seed=config.seed
        )
        frontier = optimised.frontier
        notes.extend(optimised.notes)
        if not optimised.complete:
            notes.append(
                f"pareto_frontier holds {len(frontier):,} representative Pareto-optimal packages "
                "(the bargaining solutions, their ties, each party's best and Chebyshev points), "
                "not the whole frontier"
            )
    n_acceptable: int | None = None
    estimate: Estimate | None = None
    if not config.count:
        notes.append("n_acceptable not computed (AnalysisConfig.count is off)")
    elif _enumerated(space) <= config.max_enumerate:
        stage(f"counting acceptable packages ({_enumerated(space):,} combinations at most)")
        n_acceptable = count_acceptable(space)
    else:
        estimate = estimate_acceptable(space, samples=config.estimate_samples, seed=config.seed)
        notes.append(
            f"n_acceptable not counted: {_enumerated(space):,} combinations exceed max_enumerate "
            f"({config.max_enumerate:,}); estimated from {config.estimate_samples:,} samples. "
            "The frontier and bargaining solutions are exact."
        )
    solutions = _solutions(space, frontier)
    blockers: list[Blocker] = []
    red_line_blockers: list[RedLineBlocker] = []
    unblocking: Unblocking | None = None
    slack: float | None = None
    closest: dict[str, OptionValue] | None = None
    reference: np.ndarray | None = None
    if config.blockers:
        stage("finding blockers")
        blockers = _blockers(space, frontier, optimised)
        egalitarian = solutions["egalitarian"]
        if egalitarian is not None:
            # With an agreement, the largest smallest gain is the egalitarian solution's.
            slack, closest = egalitarian.objective, egalitarian.package
        else:
            slack_value, slack_options = max_min_slack(space) if optimised is None else _slack(optimised)
            slack = slack_value if math.isfinite(slack_value) else None
            if slack_options is not None:
                closest = space.package(slack_options)
                reference = slack_options
        has_red_lines = any(t.is_red_line and not t.is_constraint for t in space.terms)
        if not len(frontier) and (has_red_lines or optimised is None):
            # One compilation for every "what if this red line went" question.
            cs = coalition_space(
                space.scenario, max_block_size=config.max_block_size, max_stream=config.max_stream
            )
            red_line_blockers = _red_line_blockers(cs, config, optimised is not None)
            if optimised is None:  # the search runs exact frontiers: not where they are too large
                unblocking = _unblocking(cs)
    if solutions["nash"] is not None:
        reference = np.asarray(solutions["nash"].options, dtype=np.int64)
    trade_list: list[Trade] = []
    if config.trades and reference is not None:
        stage("looking for trades")
        trade_list = _trades(space, reference, config)
        if _trade_issues(space) is not None:
            notes.append(
                f"trades searched among the {_TRADE_ISSUES} issues with the most at stake (the sum "
                f"over parties of each issue's utility range), not all {len(space.sizes)}"
            )
    return Analysis(
        scenario=scenario,
        n_packages=space.n_packages,
        n_allowed=space.n_allowed,
        n_acceptable=n_acceptable,
        n_acceptable_estimate=estimate,
        frontier=frontier,
        space=space,
        nash=solutions["nash"],
        asymmetric_nash=solutions["asymmetric_nash"],
        kalai_smorodinsky=solutions["kalai_smorodinsky"],
        egalitarian=solutions["egalitarian"],
        utilitarian=solutions["utilitarian"],
        disagreement={p.id: rounded(p.reservation) for p in scenario.parties},
        blockers=tuple(blockers),
        slack=slack,
        closest_package=closest,
        trades=tuple(trade_list),
        notes=tuple(notes),
        engine=engine,
        pareto_frontier_complete=optimised is None or optimised.complete,
        non_signatories=tuple(_non_signatories(full, solutions, config) if full is not scenario else ()),
        red_line_blockers=tuple(red_line_blockers),
        unblocking=unblocking,
        recommendation=recommendation(solutions),
    )


_AUTO_BUDGET = {2: 20_000_000, 3: 1_000_000}
"""Candidates the frontier engine may filter, in all, when the engine is chosen automatically
(300,000 for four parties or more): a few seconds' work at the filter's measured speed (0.3 µs
a candidate for two parties, about 5 µs for three, 6-25 µs for five to nine); past it, the
optimiser answers."""


def _slack(optimised: Optimised) -> tuple[float, np.ndarray | None]:
    value, options = optimised.slack
    return (-math.inf if value is None else value), options


@dataclass(frozen=True)
class Explanation:
    """How each party rates one package, who rejects it and why, and the nearest package that
    every party accepts. ``to_dict()`` is the ``accord explain --json`` output."""

    scenario: Scenario
    package: dict[str, OptionValue]
    parties: tuple[PartyView, ...]
    rejected_by: tuple[str, ...]
    nearest: NearestPackage | None
    note: str | None
    rejected_by_others: tuple[str, ...] = ()
    constraints_broken: tuple[RuleBroken, ...] = ()
    improvements: tuple[Improvement, ...] = ()
    n_pareto_optimal_improvements: int = 0
    improvements_complete: bool = True

    @property
    def acceptable(self) -> bool:
        """Every signatory accepts it, and it breaks no constraint of the scenario."""
        return not self.rejected_by and not self.constraints_broken

    def to_dict(self) -> JSON:
        return {
            "scenario": self.scenario.id,
            "package": self.package,
            "acceptable": self.acceptable,
            "rejected_by": list(self.rejected_by),
            "parties": [v.to_dict() for v in self.parties],
            "nearest_acceptable": None if self.nearest is None else self.nearest.to_dict(),
            "note": self.note,
            "rejected_by_non_signatories": list(self.rejected_by_others),
            "constraints_broken": [c.to_dict() for c in self.constraints_broken],
            "pareto_improvements": [i.to_dict() for i in self.improvements],
            "n_pareto_optimal_improvements": self.n_pareto_optimal_improvements,
            "pareto_optimal": self.n_pareto_optimal_improvements == 0,
            "pareto_improvements_search_complete": self.improvements_complete,
        }


def explain(
    scenario: Scenario,
    package: Mapping[str, OptionValue] | str,
    *,
    disagreement: Mapping[str, float] | None = None,
    config: AnalysisConfig | None = None,
) -> Explanation:
    """Explain one package: each party's utility, gain, red lines crossed and costliest issues;
    who rejects it; and the nearest package every party accepts (fewest issues changed).

    ``package`` is a mapping or ``'issue=option,issue=option'`` text naming every issue.
    """
    config = config or AnalysisConfig()
    scenario = with_disagreement(scenario, disagreement)
    checked = scenario.package(package)
    space = compile_space(scenario, max_block_size=config.max_block_size, max_stream=config.max_stream)
    options = np.asarray(space.indices(checked))
    u, q, _ = space.evaluate(options[None, :])
    crossed = space.red_lines_crossed(options)
    floor_q = space.floor_q
    views = []
    rejected: list[str] = []
    others: list[str] = []
    required = set(scenario.required)
    broken = tuple(
        RuleBroken({k: plain(v) for k, v in c.when.items()}, c.rationale)
        for c in (scenario.constraints[i] for pp, i in crossed if pp == CONSTRAINT)
    )
    for p, party in enumerate(scenario.parties):
        lines = [scenario.preferences[party.id].red_lines[i] for (pp, i) in crossed if pp == p]
        accepts = bool(q[0, p] >= floor_q[p]) and not lines
        if not accepts:
            (rejected if party.id in required else others).append(party.id)
        views.append(
            PartyView(
                party=party.id,
                signatory=party.id in required,
                utility=rounded(u[0, p]),
                reservation_value=rounded(party.reservation),
                gain=rounded(u[0, p] - party.reservation),
                accepts=accepts,
                red_lines_crossed=tuple(
                    RuleBroken({k: plain(v) for k, v in r.when.items()}, r.rationale) for r in lines
                ),
                costly_issues=_issue_costs(space, options, p),
            )
        )
    nearest: NearestPackage | None = None
    note = None
    signed = space
    if len(required) < len(scenario.parties):
        # The nearest package the signatories accept: the others' red lines do not bind.
        signed = compile_space(
            scenario.restricted_to(required),
            max_block_size=config.max_block_size,
            max_stream=config.max_stream,
        )
    found, distance, complete = nearest_acceptable(signed, options, budget=config.search_budget)
    if found is not None:
        nu = space.evaluate(found[None, :])[0][0]
        nearest = NearestPackage(
            package=space.package(found),
            issues_changed=tuple(scenario.issues[i].id for i in np.flatnonzero(found != options)),
            utilities=by_party(scenario.parties, nu),
        )
    elif not complete:
        note = (
            f"no package within {distance - 1} changed issues is acceptable to all; the "
            f"search stopped at its budget of {config.search_budget:,} packages"
        )
    else:
        note = "no package is acceptable to every party"
    better, n_optimal, complete = pareto_improvements(space, options, budget=config.search_budget)
    improvements = []
    for x in better:
        ux = space.evaluate(x[None, :])[0][0]
        improvements.append(
            Improvement(
                package=space.package(x),
                issues_changed=tuple(
                    IssueChange(
                        scenario.issues[i].id,
                        scenario.issues[i].values()[int(options[i])],
                        scenario.issues[i].values()[int(x[i])],
                    )
                    for i in np.flatnonzero(x != options)
                ),
                utilities=by_party(scenario.parties, ux),
                gains=by_party(scenario.parties, ux - u[0]),
            )
        )
    return Explanation(
        scenario,
        checked,
        tuple(views),
        tuple(rejected),
        nearest,
        note,
        tuple(others),
        broken,
        tuple(improvements),
        n_optimal,
        complete,
    )
