"""The scenario: parties, issues and each party's preferences, checked for consistency."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Annotated, Final, Literal

from pydantic import Field, model_validator

from ..errors import Problem, ScenarioError
from ._base import Frozen, Identifier, Number, Text, Value, support_of, value_of
from ._frozen import FrozenDict, NonEmpty
from .issue import Issue, OptionValue
from .party import Party
from .preferences import (
    Condition,
    Interaction,
    PiecewiseLinear,
    Preferences,
    RangeCondition,
    RedLine,
)
from .utility import MAX_INTERACTION, TOL, utility_bounds

__all__ = ["FORMAT", "Constraint", "Package", "Scenario"]

FORMAT: Final = "accord/1"
"""The version tag every scenario file carries."""

Package = Mapping[str, OptionValue]
"""One option per issue: ``{issue_id: option_id_or_number}``."""

Loc = tuple[str | int, ...]


class Constraint(Frozen):
    """Combinations of options that are not a coherent package for anyone (those meeting every
    condition): excluded from every count and solution, unlike a red line, which is one
    party's refusal."""

    when: Annotated[FrozenDict[str, Condition], NonEmpty()]
    rationale: Text | None = None
    source: Text | None = None


class Scenario(Frozen):
    """A negotiation: who is at the table, what is on it, and what each party wants."""

    format: Literal["accord/1"] = FORMAT
    id: Identifier
    name: Text | None = None
    description: Text | None = None
    source: Text | None = None
    parties: tuple[Party, ...] = Field(min_length=1)
    issues: tuple[Issue, ...] = Field(min_length=1)
    preferences: FrozenDict[str, Preferences]
    blocs: FrozenDict[Identifier, tuple[Identifier, ...]] = Field(default_factory=FrozenDict)
    signatories: tuple[Identifier, ...] | None = None
    constraints: tuple[Constraint, ...] = ()
    sequence: Text | None = None

    @model_validator(mode="after")
    def _check_consistency(self) -> Scenario:
        problems = list(_problems(self))
        if problems:
            # Not a ValueError: pydantic would wrap it and lose the places of the problems.
            raise ScenarioError(problems)
        return self

    # -- lookups ---------------------------------------------------------------------------
    @property
    def party_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.parties)

    @property
    def issue_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.issues)

    def party(self, party_id: str) -> Party:
        for p in self.parties:
            if p.id == party_id:
                return p
        raise KeyError(party_id)

    def issue(self, issue_id: str) -> Issue:
        for i in self.issues:
            if i.id == issue_id:
                return i
        raise KeyError(issue_id)

    def resolve_parties(self, names: Iterable[str], *, what: str = "parties") -> tuple[str, ...]:
        """Party ids from party and bloc names (a bloc stands for its members), each once, in
        the order the scenario declares the parties. Raises :class:`ScenarioError` naming an
        unknown name and listing the known ones."""
        wanted: set[str] = set()
        for name in names:
            if name in self.blocs:
                wanted.update(self.blocs[name])
            elif name in self.party_ids:
                wanted.add(name)
            else:
                known = ", ".join([*self.party_ids, *self.blocs])
                raise ScenarioError(f"{what}: no party or bloc '{name}'; known are {known}")
        return tuple(p for p in self.party_ids if p in wanted)

    @property
    def required(self) -> tuple[str, ...]:
        """The parties whose acceptance an agreement requires: the signatories (blocs
        expanded), or every party when the scenario names none."""
        if self.signatories is None:
            return self.party_ids
        return self.resolve_parties(self.signatories, what="signatories")

    def restricted_to(self, party_ids: Iterable[str]) -> Scenario:
        """The same negotiation among ``party_ids`` only: the others, their preferences (red
        lines included) and their places in blocs are left out; constraints stay; every party
        kept is a signatory. The declared ``sequence`` is left out too: it orders the whole
        table and may name parties that are not kept (validated like any changed copy)."""
        keep = set(party_ids)
        parties = tuple(p for p in self.parties if p.id in keep)
        blocs = {b: tuple(m for m in ms if m in keep) for b, ms in self.blocs.items()}
        return self.model_copy(
            update={
                "parties": parties,
                "preferences": {p.id: self.preferences[p.id] for p in parties},
                "blocs": {b: ms for b, ms in blocs.items() if ms},
                "signatories": None,
                "sequence": None,
            }
        )

    @property
    def n_packages(self) -> int:
        """Number of packages (one option per issue), red lines included."""
        return math.prod(i.size for i in self.issues)

    def package(self, spec: Mapping[str, OptionValue] | str) -> dict[str, OptionValue]:
        """A complete, checked package from a mapping or ``'issue=option,issue=option'`` text.

        Raises :class:`ScenarioError` naming any unknown issue or option, or a missing issue.
        """
        if isinstance(spec, str):
            pairs: dict[str, str] = {}
            for part in filter(None, (p.strip() for p in spec.split(","))):
                key, sep, val = part.partition("=")
                if not sep:
                    raise ScenarioError(f"'{part}' is not of the form issue=option")
                if key.strip() in pairs:
                    raise ScenarioError(
                        f"issue '{key.strip()}' is given twice in the package ('{pairs[key.strip()]}' and "
                        f"'{val.strip()}'); give each issue once"
                    )
                pairs[key.strip()] = val.strip()
            spec = {k: _parse_value(self.issue(k), v) if k in self.issue_ids else v for k, v in pairs.items()}
        return self._checked(spec)

    def _checked(self, spec: Mapping[str, OptionValue]) -> dict[str, OptionValue]:
        problems = []
        out: dict[str, OptionValue] = {}
        for key in spec:
            if key not in self.issue_ids:
                problems.append(
                    Problem(("package", key), f"no issue '{key}'; issues are {', '.join(self.issue_ids)}")
                )
        for issue in self.issues:
            if issue.id not in spec:
                problems.append(Problem(("package", issue.id), f"missing; choose one of {_choices(issue)}"))
                continue
            try:
                out[issue.id] = issue.values()[issue.index_of(spec[issue.id])]
            except KeyError:
                problems.append(
                    Problem(
                        ("package", issue.id),
                        f"no option '{spec[issue.id]}'; choose one of {_choices(issue)}",
                    )
                )
        if problems:
            raise ScenarioError(problems)
        return out


def _parse_value(issue: Issue, text: str) -> OptionValue:
    if not issue.is_numeric:
        return text
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def _choices(issue: Issue) -> str:
    values = issue.values()
    shown = ", ".join(str(v) for v in values[:12])
    return shown + (f", ... ({len(values)} in all)" if len(values) > 12 else "")


def _duplicates(ids: list[str]) -> list[str]:
    return sorted({i for i in ids if ids.count(i) > 1})


def _sequence_problems(s: Scenario) -> Iterator[Problem]:
    """The declared sequence names known parties or blocs, each party once, every signatory."""
    if s.sequence is None:
        return
    known = {*s.party_ids, *s.blocs}
    seen: list[str] = []
    for part in s.sequence.split(","):
        names = [n.strip() for n in part.split("+") if n.strip()]
        if not names:
            yield Problem(("sequence",), "an empty group; write groups like 'us+russia, ukraine, europe'")
            return
        for name in names:
            if name not in known:
                yield Problem(
                    ("sequence",), f"no party or bloc '{name}'; known are {', '.join(sorted(known))}"
                )
                return
            seen.extend(s.blocs.get(name, (name,)))
    twice = sorted({p for p in seen if seen.count(p) > 1})
    if twice:
        yield Problem(("sequence",), f"{', '.join(twice)} appear in two groups; name each party once")
    named = s.party_ids if s.signatories is None else s.signatories
    required = [p for n in named for p in s.blocs.get(n, (n,))]
    missing = [p for p in s.party_ids if p in required and p not in seen]
    if missing:
        yield Problem(("sequence",), f"leaves out the signatories {', '.join(missing)}; add them to a group")


def _problems(s: Scenario) -> Iterator[Problem]:
    """Every cross-reference and numeric problem, each with its place in the file."""
    for kind, ids in (("parties", [p.id for p in s.parties]), ("issues", [i.id for i in s.issues])):
        for dup in _duplicates(ids):
            yield Problem((kind, ids.index(dup), "id"), f"duplicate id '{dup}'; make each id unique")
    for index, party in enumerate(s.parties):
        for field in ("reservation_value", "power"):
            number = value_of(getattr(party, field))
            if not math.isfinite(number):
                yield Problem(("parties", index, field), "must be a finite number")
        if party.bargaining_power <= 0:
            yield Problem(("parties", index, "power"), "must be positive")
        elif support_of(party.power)[0] <= 0:
            yield Problem(("parties", index, "power"), _may_be("must be positive", party.power))
    issues = {i.id: i for i in s.issues}
    for pid in s.preferences:
        if pid not in s.party_ids:
            yield Problem(("preferences", pid), f"no party '{pid}'; parties are {', '.join(s.party_ids)}")
    for index, party in enumerate(s.parties):
        if party.id not in s.preferences:
            yield Problem(("preferences",), f"party '{party.id}' has no preferences; add them")
            continue
        try:
            found, best = _checked_preferences(s.preferences[party.id], party.id, s.issues)
        except TypeError:  # unhashable: built around validation (model_construct); check afresh
            found, best = _checked_preferences.__wrapped__(s.preferences[party.id], party.id, s.issues)
        yield from found
        reservation = value_of(party.reservation_value)
        if not found and math.isfinite(reservation):
            message = _above_best(reservation, best)
            if message:
                yield Problem(("parties", index, "reservation_value"), message)

    yield from _group_problems(s)
    yield from _sequence_problems(s)
    for n, constraint in enumerate(s.constraints):
        for issue_id, cond in constraint.when.items():
            yield from _condition_problems(
                cond, ("constraints", n, "when", issue_id), issues.get(issue_id), issues
            )


def _group_problems(s: Scenario) -> Iterator[Problem]:
    """Blocs name known parties and no party; signatories name known parties or blocs."""
    parties = ", ".join(s.party_ids)
    for bloc, members in s.blocs.items():
        if bloc in s.party_ids:
            yield Problem(("blocs", bloc), f"'{bloc}' is already a party id; give the bloc another name")
        if not members:
            yield Problem(("blocs", bloc), "a bloc needs at least one party")
        for n, member in enumerate(members):
            if member not in s.party_ids:
                yield Problem(("blocs", bloc, n), f"no party '{member}'; parties are {parties}")
    if s.signatories is not None:
        if not s.signatories:
            yield Problem(("signatories",), "name at least one party or bloc, or leave the key out")
        for n, name in enumerate(s.signatories):
            if name not in s.party_ids and name not in s.blocs:
                known = ", ".join([*s.party_ids, *s.blocs])
                yield Problem(("signatories", n), f"no party or bloc '{name}'; known are {known}")


def reservation_problem(issues: Sequence[Issue], prefs: Preferences, reservation: float) -> str | None:
    """Why a reservation value cannot be meant, or None. Reservation values are on the party's
    normalised utility scale: one above every utility the party can reach means it accepts
    nothing, and is refused (docs/scenario-format.md). One below every utility is a threshold
    every package meets; it still sets the disagreement point of the bargaining solutions, so it
    is kept."""
    return _above_best(reservation, utility_bounds(issues, prefs)[1])


def _above_best(reservation: float, hi: float) -> str | None:
    if reservation > hi + TOL:
        return (
            f"{reservation:g} is above the best utility this party can reach ({hi:.6g}): "
            "reservation values are on the normalised utility scale, 0 (worst) to 1 (best), "
            f"so give a value of at most {hi:.6g}"
        )
    return None


@functools.lru_cache(maxsize=1024)
def _checked_preferences(
    prefs: Preferences, party: str, issues: tuple[Issue, ...]
) -> tuple[tuple[Problem, ...], float]:
    """The problems of one party's preferences, and the best utility it can reach when there are
    none. Both depend on nothing else, and the model cannot change, so they are computed once
    for each: a scenario restricted to a coalition (validated like every changed copy) asks for
    the same parties' checks again, thousands of times in a coalition map."""
    found = tuple(_preference_problems(prefs, ("preferences", party), {i.id: i for i in issues}))
    return found, (math.nan if found else utility_bounds(issues, prefs)[1])


def _preference_problems(prefs: Preferences, loc: Loc, issues: dict[str, Issue]) -> Iterator[Problem]:
    weights = {k: value_of(v) for k, v in prefs.weights.items()}
    for key, w in weights.items():
        if key not in issues:
            yield Problem((*loc, "weights", key), f"no issue '{key}'; issues are {', '.join(issues)}")
        elif not math.isfinite(w) or w < 0:
            yield Problem((*loc, "weights", key), f"weight must be a finite number >= 0, got {w:g}")
        elif support_of(prefs.weights[key])[0] < 0:
            yield Problem((*loc, "weights", key), _may_be("weights must be >= 0", prefs.weights[key]))
    if weights:
        for issue_id in issues:
            if issue_id not in weights:
                yield Problem(
                    (*loc, "weights"),
                    f"no weight for issue '{issue_id}'; add `{issue_id}: 0` if it does not matter",
                )
        if sum(w for w in weights.values() if math.isfinite(w) and w > 0) <= 0:
            yield Problem((*loc, "weights"), "weights sum to zero; give at least one issue a positive weight")
    elif not prefs.interactions:
        yield Problem(
            (*loc, "weights"),
            "no weights and no interactions: give each issue a weight (weights are divided by their sum)",
        )
    for key, values in prefs.values.items():
        if key not in issues:
            yield Problem((*loc, "values", key), f"no issue '{key}'; issues are {', '.join(issues)}")
            continue
        issue = issues[key]
        vloc = (*loc, "values", key)
        if isinstance(values, PiecewiseLinear):
            if not issue.is_numeric:
                yield Problem(vloc, "`points` are for numeric issues; give a value for each option")
                continue
            numbers = [value_of(v) for _, v in values.points]
            given: list[tuple[Loc, Value]] = [
                ((*vloc, "points", n, 1), v) for n, (_, v) in enumerate(values.points)
            ]
        else:
            if issue.is_numeric:
                yield Problem(vloc, "a numeric issue needs `points: [[x, value], ...]`")
                continue
            numbers = []
            given = [((*vloc, str(o)), v) for o, v in values.items()]
            for option in values:
                if option not in issue.values():
                    yield Problem(
                        (*vloc, option),
                        f"issue '{key}' has no option '{option}'; options are {_choices(issue)}",
                    )
            for option_id in issue.values():
                if option_id not in values:
                    yield Problem(vloc, f"no value for option '{option_id}'; give it one (0 is allowed)")
                else:
                    numbers.append(value_of(values[str(option_id)]))
        invalid = any(not math.isfinite(n) or n < 0 for n in numbers)
        if invalid:
            yield Problem(vloc, "option values must be finite numbers >= 0 (they are divided by the largest)")
        elif weights.get(key, 0.0) > 0 and numbers and max(numbers) <= 0:
            yield Problem(
                vloc,
                f"every option is valued 0 but the issue has weight {weights[key]:g}; "
                "value the options or set the weight to 0",
            )
        for place, v in given if not invalid else ():
            if support_of(v)[0] < 0:
                yield Problem(place, _may_be("option values must be >= 0", v))
    for issue_id, w in weights.items():
        if w > 0 and issue_id in issues and issue_id not in prefs.values:
            yield Problem((*loc, "values"), f"issue '{issue_id}' has weight {w:g} but no values; add them")
    terms: list[tuple[str, Sequence[Interaction | RedLine]]] = [
        ("interactions", prefs.interactions),
        ("red_lines", prefs.red_lines),
    ]
    for kind, items in terms:
        for n, item in enumerate(items):
            for issue_id, cond in item.when.items():
                yield from _condition_problems(
                    cond, (*loc, kind, n, "when", issue_id), issues.get(issue_id), issues
                )
    for n, inter in enumerate(prefs.interactions):
        v = value_of(inter.value)
        if not math.isfinite(v):
            yield Problem((*loc, "interactions", n, "value"), "must be a finite number")
        elif abs(v) > MAX_INTERACTION:
            yield Problem(
                (*loc, "interactions", n, "value"),
                f"{v:g} is far outside the normalised utility scale (1 is the whole scale); "
                f"utilities are compared exactly up to {MAX_INTERACTION:g}: rescale it",
            )


def _may_be(rule: str, value: Value) -> str:
    """The message for a number whose range or distribution reaches values the rule forbids."""
    low = support_of(value)[0]
    how = "range" if isinstance(value, Number) and value.range is not None else "distribution"
    unbounded = isinstance(value, Number) and value.distribution is not None and math.isinf(low)
    return f"{rule}, but its {how} reaches {low:g}; narrow the {how}" + (
        " (give the normal a `min`)" if unbounded else ""
    )


def _condition_problems(
    cond: Condition, loc: Loc, issue: Issue | None, issues: dict[str, Issue]
) -> Iterator[Problem]:
    if issue is None:
        yield Problem(loc, f"no issue '{loc[-1]}'; issues are {', '.join(issues)}")
        return
    if isinstance(cond, RangeCondition):
        if not issue.is_numeric:
            yield Problem(loc, "a min/max range needs a numeric issue; list option ids instead")
        return
    for value in cond if isinstance(cond, tuple) else (cond,):
        try:
            issue.index_of(value)
        except KeyError:
            yield Problem(loc, f"issue '{issue.id}' has no option '{value}'; options are {_choices(issue)}")
