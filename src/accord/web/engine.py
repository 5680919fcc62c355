"""The neutral engine: which packages to propose, from the parties' private preferences.

It builds an ordinary :class:`~accord.Scenario` from the case's parties and issues and each
party's submitted preferences, and asks :func:`accord.analyze` for the exact Pareto frontier of
the packages every party accepts (ties at a walk-away level included).

* Suggestions (:func:`propose`): the symmetric Nash package first (Nash 1950), then frontier
  packages spread across the parties' gains by farthest-point sampling (Gonzalez, "Clustering to
  minimize the maximum intercluster distance", Theor. Comp. Sci. 38, 1985): each next package is
  the one farthest from every package offered so far, gains scaled by each party's largest gain.
* Improvements (:func:`improve`): packages every party rates at least as high as the baseline,
  ordered by the smallest gain over the baseline, largest first (the Smartsettle rule,
  Thiessen 2002; Kalai's egalitarian solution, 1977, with the baseline as disagreement point).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..analysis import Analysis, AnalysisConfig, analyze, compile_space
from ..errors import ScenarioError
from ..model import Issue, OptionValue, Party, PiecewiseLinear, Preferences, RedLine, Scenario
from ..model.utility import float_at_most
from .problems import Invalid

__all__ = [
    "Candidate",
    "PartyPreferences",
    "Proposal",
    "build_scenario",
    "check_preferences",
    "improve",
    "propose",
]

_CONFIG = AnalysisConfig(count=False, blockers=False, trades=False)


class PartyPreferences(BaseModel):
    """What a party submits: the scenario format's preferences of one party, plus its walk-away
    level (its reservation value, on the 0-1 utility scale)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weights: dict[str, float]
    values: dict[str, dict[str, float] | PiecewiseLinear]
    reservation_value: float = Field(ge=0.0, le=1.0)
    red_lines: list[RedLine] = Field(default_factory=list)


@dataclass(frozen=True)
class Candidate:
    """A proposed package and every party's utility of it (each shown to its party only)."""

    package: dict[str, OptionValue]
    utilities: dict[str, float]


@dataclass(frozen=True)
class Proposal:
    """``exists`` is False when no package is acceptable to every party."""

    exists: bool
    candidates: tuple[Candidate, ...]


def _parties(setup: Mapping[str, Any]) -> tuple[Party, ...]:
    return tuple(Party.model_validate(p) for p in setup["parties"])


def _issues(setup: Mapping[str, Any]) -> tuple[Issue, ...]:
    return tuple(Issue.model_validate(i) for i in setup["issues"])


def check_preferences(setup: Mapping[str, Any], party: str, body: Any) -> PartyPreferences:
    """A party's submission, checked against the case's issues; :class:`Invalid` with a one-line
    message naming the field otherwise."""
    try:
        prefs = PartyPreferences.model_validate(body)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "preferences"
        raise Invalid(f"{where}: {err['msg']}") from None
    one = next(p for p in _parties(setup) if p.id == party)
    try:
        Scenario(
            id=str(setup["id"]),
            parties=(one.model_copy(update={"reservation_value": prefs.reservation_value}),),
            issues=_issues(setup),
            preferences={party: _model(prefs)},
        )
    except ScenarioError as exc:
        first = exc.problems[0]
        field = first.field.removeprefix(f"preferences.{party}.")
        more = f" (and {len(exc.problems) - 1} more problems)" if len(exc.problems) > 1 else ""
        raise Invalid(f"{field}: {first.message}{more}") from None
    return prefs


def _model(prefs: PartyPreferences) -> Preferences:
    return Preferences(
        weights=dict(prefs.weights), values=dict(prefs.values), red_lines=list(prefs.red_lines)
    )


def build_scenario(setup: Mapping[str, Any], submitted: Mapping[str, PartyPreferences]) -> Scenario:
    """The case's scenario with every party's submitted preferences and walk-away level."""
    parties = tuple(
        p.model_copy(update={"reservation_value": submitted[p.id].reservation_value}) for p in _parties(setup)
    )
    return Scenario(
        id=str(setup["id"]),
        name=setup.get("name"),
        parties=parties,
        issues=_issues(setup),
        preferences={pid: _model(prefs) for pid, prefs in submitted.items()},
    )


def _utilities(analysis: Analysis, row: int) -> dict[str, float]:
    u = analysis.frontier.utilities[row]
    return {p.id: round(float(x), 9) + 0.0 for p, x in zip(analysis.scenario.parties, u, strict=True)}


def package_key(package: Mapping[str, OptionValue]) -> str:
    """A stable text key of a package, to tell offered packages apart."""
    return ",".join(f"{k}={package[k]}" for k in sorted(package))


def _rows(analysis: Analysis) -> list[bytes]:
    # One key per frontier point from its option indices: no dict per point (a 7-party frontier
    # can hold 10^5 points).
    return [row.tobytes() for row in np.ascontiguousarray(analysis.frontier.options, dtype=np.int64)]


def _row_of(analysis: Analysis, package: Mapping[str, OptionValue]) -> bytes:
    return np.ascontiguousarray(analysis.space.indices(package), dtype=np.int64).tobytes()


def propose(scenario: Scenario, *, offered: Collection[Mapping[str, OptionValue]], count: int) -> Proposal:
    """Up to ``count`` frontier packages not offered yet: Nash first, then the most spread out."""
    analysis = analyze(scenario, config=_CONFIG)
    if not analysis.agreement_exists:
        return Proposal(False, ())
    frontier, space = analysis.frontier, analysis.space
    rows = _rows(analysis)
    given = {_row_of(analysis, scenario.package(p)) for p in offered}
    free = np.array([r not in given for r in rows])
    gains = frontier.utilities - space.reservation
    points = gains / np.maximum(gains.max(axis=0), 1e-12)
    nearest = np.full(len(rows), math.inf)
    for i in np.flatnonzero(~free):
        nearest = np.minimum(nearest, np.linalg.norm(points - points[i], axis=1))
    assert analysis.nash is not None
    picks: list[int] = []
    nash = rows.index(np.asarray(analysis.nash.options, dtype=np.int64).tobytes())
    if free[nash]:
        picks.append(nash)
        free[nash] = False
        nearest = np.minimum(nearest, np.linalg.norm(points - points[nash], axis=1))
    while len(picks) < count and free.any():
        j = int(np.argmax(np.where(free, nearest, -1.0)))  # first of equals: frontier order
        picks.append(j)
        free[j] = False
        nearest = np.minimum(nearest, np.linalg.norm(points - points[j], axis=1))
    return Proposal(
        True, tuple(Candidate(space.package(frontier.options[j]), _utilities(analysis, j)) for j in picks)
    )


def improve(scenario: Scenario, baseline: Mapping[str, OptionValue], *, count: int) -> tuple[Candidate, ...]:
    """Up to ``count`` packages every party rates at least as high as ``baseline`` (and its
    walk-away level), not all equal to it, the largest smallest gain first."""
    space = compile_space(scenario)
    # The baseline's utilities on each party's exact integer scale, as the frontier counts
    # them, so that "as well off as the baseline" is decided exactly as the frontier is. The
    # floors handed to the analysis are floats at most the baseline's (never above it); the
    # exact floor is applied to the frontier after.
    _, base_q, _ = space.evaluate(space.indices(scenario.package(baseline))[None, :])
    scales = space.scales
    base = [Fraction(int(base_q[0, n]), s.denominator) for n, s in enumerate(scales)]
    floors = {p.id: max(p.reservation, float_at_most(base[n])) for n, p in enumerate(scenario.parties)}
    analysis = analyze(scenario, disagreement=floors, config=_CONFIG)
    frontier = analysis.frontier
    if not len(frontier):
        return ()
    # The analysis's scales hold its floors too: the baseline is measured on them again.
    _, base_q, _ = analysis.space.evaluate(analysis.space.indices(scenario.package(baseline))[None, :])
    scales = analysis.space.scales
    floor_q = np.maximum(analysis.space.floor_q, base_q[0])
    gains = [
        [Fraction(int(q) - int(f), s.denominator) for q, f, s in zip(row, floor_q, scales, strict=True)]
        for row in frontier.quantized
    ]
    same = np.all(frontier.quantized == base_q[0], axis=1)
    worse = np.any(frontier.quantized < floor_q, axis=1)
    order = sorted(
        (j for j in range(len(frontier)) if not same[j] and not worse[j]),
        key=lambda j: (-min(gains[j]), -sum(gains[j], Fraction(0)), j),
    )
    return tuple(
        Candidate(analysis.space.package(frontier.options[j]), _utilities(analysis, j)) for j in order[:count]
    )
