"""The records :func:`~accord.analysis.analyze` and :func:`~accord.analysis.explain` return.

Each is a frozen dataclass holding labels (party and issue ids, option values) and numbers
rounded as they are reported; ``to_dict()`` is the one place that builds JSON, and its output is
exactly the command line's ``--json``. The index-level records of the kernels
(:mod:`accord.analysis.explanation`) are turned into these by the façade.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..model import OptionValue, Party

__all__ = [
    "Blocker",
    "FrontierPoint",
    "Improvement",
    "IssueChange",
    "IssueCost",
    "NearestPackage",
    "NonSignatory",
    "PartyLoss",
    "PartyView",
    "RedLineBlocker",
    "ReservationCut",
    "RuleBroken",
    "Solution",
    "SolutionView",
    "Trade",
    "Unblocking",
]

JSON = dict[str, Any]
Package = dict[str, OptionValue]


def rounded(x: float) -> float:
    """A number as it is reported: 9 decimals (the tolerance's), and no -0.0."""
    return round(float(x), 9) + 0.0


def by_party(parties: Sequence[Party], values: np.ndarray) -> dict[str, float]:
    """One reported number per party, keyed by party id, in the parties' order."""
    return {p.id: rounded(v) for p, v in zip(parties, values, strict=True)}


def plain(value: object) -> Any:
    """An option value or range condition as JSON: range conditions as their fields."""
    if hasattr(value, "model_dump"):
        return value.model_dump(exclude_none=True)
    return value


@dataclass(frozen=True)
class FrontierPoint:
    """A Pareto-optimal acceptable package, and how many packages share its utility vector."""

    package: Package
    utilities: dict[str, float]
    n_equivalent: int | None  # None: not counted (a representative point of the optimisation engine)

    def to_dict(self) -> JSON:
        return {"package": self.package, "utilities": self.utilities, "n_equivalent": self.n_equivalent}


@dataclass(frozen=True)
class Solution:
    """A bargaining solution: the chosen package (as labels, and as ``options``, the option
    index of each issue in the scenario's order), its utilities and gains, the value of the
    objective, and every other frontier package that ties with it."""

    name: str
    definition: str
    package: Package
    options: tuple[int, ...]
    utilities: dict[str, float]
    gains: dict[str, float]
    objective: float
    ties: tuple[Package, ...]

    def to_dict(self) -> JSON:
        return {
            "package": self.package,
            "utilities": self.utilities,
            "gains": self.gains,
            "objective": self.objective,
            "definition": self.definition,
            "ties": list(self.ties),
        }


@dataclass(frozen=True)
class IssueCost:
    """What a party loses on one issue against its best option there (interactions aside)."""

    issue: str
    option: OptionValue
    best_option: OptionValue
    loss: float

    def to_dict(self) -> JSON:
        return {
            "issue": self.issue,
            "option": self.option,
            "best_option": self.best_option,
            "loss": self.loss,
        }


@dataclass(frozen=True)
class Blocker:
    """How hard one party is to bring along: the most it can get in a package every other party
    accepts (``best_attainable``, None when the others cannot all be satisfied at once).

    ``shortfall`` is the reservation value minus that best; ``headroom`` the same with the sign
    a reader cannot misread (best minus reservation value: negative, below it);
    ``lower_reservation_by`` the least the reservation value must fall. ``blocks``: even that
    package is below the party's reservation value. ``best_attainable_interval``: the proven
    interval of the best, when the optimisation engine's solve was cut short.
    """

    party: str
    reservation_value: float
    best_attainable: float | None
    shortfall: float | None
    headroom: float | None
    lower_reservation_by: float | None
    blocks: bool
    package: Package | None
    costly_issues: tuple[IssueCost, ...]
    best_attainable_interval: tuple[float, float] | None = None

    def to_dict(self) -> JSON:
        out: JSON = {
            "party": self.party,
            "reservation_value": self.reservation_value,
            "best_attainable": self.best_attainable,
            "shortfall": self.shortfall,
            "headroom": self.headroom,
            "lower_reservation_by": self.lower_reservation_by,
            "blocks": self.blocks,
            "package": self.package,
            "costly_issues": [c.to_dict() for c in self.costly_issues],
        }
        if self.best_attainable_interval is not None:
            out["best_attainable_interval"] = list(self.best_attainable_interval)
        return out


@dataclass(frozen=True)
class RedLineBlocker:
    """A red line of a party (``red_line``: its index in the party's list) whose removal alone
    makes an agreement possible, or, in :class:`Unblocking`, together with the rest of its set."""

    party: str
    red_line: int
    when: JSON
    rationale: str | None

    def to_dict(self) -> JSON:
        return {
            "party": self.party,
            "red_line": self.red_line,
            "when": self.when,
            "rationale": self.rationale,
        }


@dataclass(frozen=True)
class ReservationCut:
    """The least ``party``'s reservation value must fall, the others unchanged, for a package
    acceptable to all to exist (``lower_by`` None: no cut of its own is enough)."""

    party: str
    lower_by: float | None
    reservation_value: float

    def to_dict(self) -> JSON:
        return {"party": self.party, "lower_by": self.lower_by, "reservation_value": self.reservation_value}


@dataclass(frozen=True)
class Unblocking:
    """When no package is acceptable: the reservation cuts (smallest first) and the smallest
    sets of red lines whose removal allows agreement, and whether that search was complete."""

    reservation_cuts: tuple[ReservationCut, ...]
    red_line_sets: tuple[tuple[RedLineBlocker, ...], ...]
    search_complete: bool

    def to_dict(self) -> JSON:
        return {
            "reservation_cuts": [c.to_dict() for c in self.reservation_cuts],
            "red_line_sets": [[r.to_dict() for r in group] for group in self.red_line_sets],
            "search_complete": self.search_complete,
        }


@dataclass(frozen=True)
class IssueChange:
    """One issue changed from one option to another."""

    issue: str
    from_option: OptionValue
    to_option: OptionValue

    def to_dict(self) -> JSON:
        return {"issue": self.issue, "from": self.from_option, "to": self.to_option}


@dataclass(frozen=True)
class PartyLoss:
    """What one party loses (a positive number) in a trade."""

    party: str
    loss: float

    def to_dict(self) -> JSON:
        return {"party": self.party, "loss": self.loss}


@dataclass(frozen=True)
class Trade:
    """A logroll from the reference package: two parties each concede one issue to win another.

    An exchange, not a gain for all: ``losses`` are who pays for the two parties' gains, most
    first; ``pareto_improvement`` says nobody does.
    """

    parties: tuple[str, str]
    changes: tuple[IssueChange, ...]
    gains: dict[str, float]
    package: Package
    acceptable_to_all: bool
    losses: tuple[PartyLoss, ...]
    total_loss_of_others: float
    total_gain_of_the_two: float
    pareto_improvement: bool

    def to_dict(self) -> JSON:
        return {
            "parties": list(self.parties),
            "changes": [c.to_dict() for c in self.changes],
            "gains": self.gains,
            "package": self.package,
            "acceptable_to_all": self.acceptable_to_all,
            "kind": "exchange",
            "losses": [x.to_dict() for x in self.losses],
            "total_loss_of_others": self.total_loss_of_others,
            "total_gain_of_the_two": self.total_gain_of_the_two,
            "pareto_improvement": self.pareto_improvement,
        }


@dataclass(frozen=True)
class SolutionView:
    """How a party that is not a signatory rates one bargaining solution."""

    utility: float
    accepts: bool
    red_lines_crossed: tuple[int, ...]

    def to_dict(self) -> JSON:
        return {
            "utility": self.utility,
            "accepts": self.accepts,
            "red_lines_crossed": list(self.red_lines_crossed),
        }


@dataclass(frozen=True)
class NonSignatory:
    """A party whose acceptance is not required: analysed and reported, its refusal does not
    block. ``solutions``: its view of each bargaining solution, by solution name."""

    party: str
    reservation_value: float
    solutions: dict[str, SolutionView]

    def to_dict(self) -> JSON:
        return {
            "party": self.party,
            "reservation_value": self.reservation_value,
            "solutions": {name: v.to_dict() for name, v in self.solutions.items()},
        }


@dataclass(frozen=True)
class RuleBroken:
    """A red line a package crosses or a constraint of the scenario it breaks: the conditions
    (issue id to option value or range) and the rationale given for it."""

    when: JSON
    rationale: str | None

    def to_dict(self) -> JSON:
        return {"when": self.when, "rationale": self.rationale}


@dataclass(frozen=True)
class PartyView:
    """How one party rates a package (see :func:`~accord.analysis.explain`)."""

    party: str
    signatory: bool
    utility: float
    reservation_value: float
    gain: float
    accepts: bool
    red_lines_crossed: tuple[RuleBroken, ...]
    costly_issues: tuple[IssueCost, ...]

    def to_dict(self) -> JSON:
        return {
            "party": self.party,
            "signatory": self.signatory,
            "utility": self.utility,
            "reservation_value": self.reservation_value,
            "gain": self.gain,
            "accepts": self.accepts,
            "red_lines_crossed": [r.to_dict() for r in self.red_lines_crossed],
            "costly_issues": [c.to_dict() for c in self.costly_issues],
        }


@dataclass(frozen=True)
class NearestPackage:
    """The package every signatory accepts that changes the fewest issues of the one explained."""

    package: Package
    issues_changed: tuple[str, ...]
    utilities: dict[str, float]

    def to_dict(self) -> JSON:
        return {
            "package": self.package,
            "issues_changed": list(self.issues_changed),
            "utilities": self.utilities,
        }


@dataclass(frozen=True)
class Improvement:
    """A Pareto improvement on the package explained: the changes, utilities and gains."""

    package: Package
    issues_changed: tuple[IssueChange, ...]
    utilities: dict[str, float]
    gains: dict[str, float]

    def to_dict(self) -> JSON:
        return {
            "package": self.package,
            "issues_changed": [c.to_dict() for c in self.issues_changed],
            "utilities": self.utilities,
            "gains": self.gains,
        }
