"""The first screen a mediator reads, in the terminal and at the top of the report: the package
to table and the rule that chose it, whether agreement is possible, who blocks and by how much,
and the sequence of the talks with each step's price when one is given; then the detail.

Plain values only (names, not ids; numbers already formatted), so that ``accord analyze``, the
HTML page and the Markdown report say the same thing. Needs neither matplotlib nor jinja2.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..analysis import Analysis
from ..analysis.sequence import SequenceResult
from ..analysis.sequence import sequence as run_sequence
from ..model import Condition, OptionValue, RangeCondition, Scenario
from ..uncertainty import UncertainInput

__all__ = [
    "DEFAULT_PRECISION",
    "Brief",
    "PartyGain",
    "StepBrief",
    "brief",
    "conditions",
    "input_label",
    "number",
    "plural",
    "signed",
    "versus",
]

DEFAULT_PRECISION = 2
"""Decimals of a utility a person reads: the inputs are an analyst's guesses, a third decimal
would claim more than they carry."""


def number(x: float | None, precision: int = DEFAULT_PRECISION) -> str:
    """``x`` with ``precision`` decimals, never ``-0.00``, never scientific notation."""
    if x is None:
        return "—"
    text = f"{x:.{precision}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def signed(x: float | None, precision: int = DEFAULT_PRECISION) -> str:
    """``x`` with its sign (``+0.12``, ``−0.05``; zero as ``0.00``)."""
    if x is None:
        return "—"
    text = number(abs(x), precision)
    if not text.strip("0."):
        return text
    return ("+" if x > 0 else "−") + text


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 issue``, ``2 issues``."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def versus(gap: float | None, precision: int = DEFAULT_PRECISION, what: str = "its reservation value") -> str:
    """A utility against a reservation value, in words a reader cannot misread: ``0.04 above its
    reservation value``; ``exactly at``; ``less than 0.01 below`` when it rounds to zero."""
    if gap is None:
        return "—"
    if abs(gap) < 5e-10:
        return f"exactly at {what}"
    side = "above" if gap > 0 else "below"
    shown = number(abs(gap), precision)
    if not shown.strip("0."):
        return f"less than {number(10.0**-precision, precision)} {side} {what}"
    return f"{shown} {side} {what}"


@dataclass(frozen=True)
class PartyGain:
    """A party's utility in the package to table, against its reservation value."""

    party: str
    utility: str
    reservation: str
    gain: str


@dataclass(frozen=True)
class StepBrief:
    """One step of the sequence: who joins, whether they can, what it costs those already in."""

    joining: str
    possible: bool
    text: str  # one sentence: the price each insider pays, or who blocks the step
    prices: tuple[tuple[str, float], ...]  # (insider's name, utility it gives up)
    utilities: tuple[tuple[str, float], ...]  # every party's utility after the step (if possible)


@dataclass(frozen=True)
class Brief:
    """The first screen: see the module's docstring. ``package`` pairs issue names with option
    names; ``blocking`` holds sentences, the party that blocks (or is hardest to bring along)
    first."""

    title: str
    agreement: bool
    verdict: str
    package: tuple[tuple[str, str], ...]
    package_is: str  # what the package is: the recommendation, or the closest when none
    rule: str | None
    gains: tuple[PartyGain, ...]
    blocking: tuple[str, ...]
    order: str | None
    steps: tuple[StepBrief, ...]
    sequence_end: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "agreement": self.agreement,
            "verdict": self.verdict,
            "package": [{"issue": i, "option": o} for i, o in self.package],
            "package_is": self.package_is,
            "rule": self.rule,
            "gains": [g.__dict__ for g in self.gains],
            "blocking": list(self.blocking),
            "order": self.order,
            "steps": [{"joining": s.joining, "possible": s.possible, "text": s.text} for s in self.steps],
            "sequence_end": self.sequence_end,
        }


def _g(x: float) -> str:
    return f"{x:g}"


def _condition(scenario: Scenario, issue_id: str, cond: Condition) -> str:
    if issue_id not in scenario.issue_ids:
        return issue_id
    issue = scenario.issue(issue_id)
    if isinstance(cond, RangeCondition):
        if cond.min is not None and cond.max is not None:
            return f"{issue.title} between {_g(cond.min)} and {_g(cond.max)}"
        return (
            f"{issue.title} ≥ {_g(cond.min)}"
            if cond.min is not None
            else f"{issue.title} ≤ {_g(cond.max or 0)}"
        )
    if isinstance(cond, dict):  # a range condition as the JSON of an analysis gives it
        lo, hi = cond.get("min"), cond.get("max")
        if lo is not None and hi is not None:
            return f"{issue.title} between {_g(lo)} and {_g(hi)}"
        return f"{issue.title} ≥ {_g(lo)}" if lo is not None else f"{issue.title} ≤ {_g(hi or 0)}"
    values = cond if isinstance(cond, list | tuple) else [cond]
    # A number as the file wrote it: 80, not 80.0.
    plain = [int(v) if isinstance(v, float) and v.is_integer() else v for v in values]
    return f"{issue.title}: " + " or ".join(issue.label_of(v) for v in plain)


def conditions(scenario: Scenario, when: Mapping[str, Any]) -> str:
    """A red line's, interaction's or constraint's conditions in the scenario's names."""
    return " and ".join(_condition(scenario, k, v) for k, v in when.items())


def input_label(s: Scenario, x: UncertainInput) -> str:
    """An uncertain input in the scenario's names: ``Russia: weight of Sanctions relief``."""
    party = s.parties[x.party].title
    issue = s.issues[x.issue] if x.issue is not None else None
    if x.kind == "reservation":
        return f"{party}: reservation value"
    if x.kind == "power":
        return f"{party}: bargaining power"
    if x.kind == "interaction":
        return f"{party}: interaction {(x.slot or 0) + 1}"
    assert issue is not None
    if x.kind == "weight":
        return f"{party}: weight of {issue.title}"
    if issue.options is not None and x.slot is not None:
        return f"{party}: value of {issue.title}: {issue.label_of(issue.values()[x.slot])}"
    return f"{party}: value of {issue.title}, point {(x.slot or 0) + 1}"


def _names(s: Scenario, ids: list[str] | tuple[str, ...]) -> str:
    titles = [s.party(p).title for p in ids]
    return titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]


def _package(s: Scenario, package: Mapping[str, OptionValue]) -> tuple[tuple[str, str], ...]:
    return tuple((s.issue(k).title, s.issue(k).label_of(v)) for k, v in package.items())


def _blocking(result: Analysis, precision: int) -> list[str]:
    s = result.scenario
    parties = {b.party: b for b in result.blockers}
    out: list[str] = []
    found = result.unblocking
    # (party, reservation value, the least it must fall) of those whose own cut is enough
    cuts = [
        (c.party, c.reservation_value, c.lower_by)
        for c in (() if found is None else found.reservation_cuts)
        if c.lower_by is not None
    ]
    said: set[str] = set()
    if not result.agreement_exists and cuts:
        first, r, by = cuts[0]
        sentence = (
            f"{s.party(first).title} blocks agreement: its reservation value would have to "
            f"fall by {number(by, precision)} (from {number(r, precision)} to "
            f"{number(r - by, precision)}), the others unchanged, for a package acceptable to all to exist."
        )
        b = parties.get(first)
        if b is not None and b.best_attainable is not None:
            sentence += (
                f" The most it can get in a package every other party accepts is "
                f"{number(b.best_attainable, precision)}, {versus(b.headroom, precision)}."
            )
        out.append(sentence)
        said.add(first)
        if len(cuts) > 1:
            out.append(
                "Or lower "
                + "; or ".join(f"{s.party(c).title}'s by {number(v, precision)}" for c, _, v in cuts[1:])
                + "."
            )
    for b in parties.values():
        if b.blocks and b.party not in said:
            out.append(
                f"{s.party(b.party).title} blocks agreement: the most it can get in a package every "
                f"other party accepts is {number(b.best_attainable, precision)}, "
                f"{versus(b.headroom, precision)}."
            )
    for group in () if found is None else found.red_line_sets:
        lines = " and ".join(
            f"{s.party(r.party).title}'s red line"
            + (f" ({r.rationale.strip().rstrip('.')})" if r.rationale else "")
            for r in group
        )
        out.append(f"Or drop {lines}.")
    if not result.agreement_exists and not out:
        out.append("No single party's concession alone would allow an agreement.")
    if result.agreement_exists and parties and not any(b.blocks for b in parties.values()):
        hardest = next(iter(parties.values()))
        if hardest.best_attainable is not None:
            out.append(
                f"Nobody blocks. Hardest to bring along: {s.party(hardest.party).title}, at best "
                f"{versus(hardest.headroom, precision)} in a package every other party accepts."
            )
    return out


def _steps(result: SequenceResult, precision: int) -> tuple[list[StepBrief], str | None]:
    s = result.scenario
    data = result.to_dict()
    out = []
    for n, step in enumerate(data["steps"]):
        who = _names(s, step["newcomers"])
        if not step["possible"]:
            cuts = [c for c in step["blocked"]["reservation_cuts"] if c["lower_by"] is not None]
            how = (
                "; ".join(
                    f"{s.party(c['party']).title}'s reservation value would have to fall by "
                    f"{number(c['lower_by'], precision)}"
                    for c in cuts
                )
                or "no single reservation value, lowered, would allow it"
            )
            text = f"{who} cannot join: no package is acceptable to all of them and those already in; {how}."
            out.append(StepBrief(who, False, text, (), ()))
            break
        prices = tuple((s.party(p).title, float(v)) for p, v in step["prices"].items())
        utilities = tuple((s.party(p).title, float(v)) for p, v in step["utilities"].items())
        if n == 0:
            text = f"{who} {'agrees' if len(step['newcomers']) == 1 else 'agree'} first."
        else:
            paid = ", ".join(
                f"{name} {'pays' if v > 0 else 'gains'} {number(abs(v), precision)}"
                for name, v in prices
                if number(abs(v), precision).strip("0.")
            )
            moved = plural(len(step["moved"]), "issue") if step["moved"] else "no issue"
            joins = "joins" if len(step["newcomers"]) == 1 else "join"
            text = f"{who} {joins} ({moved} changed): " + (paid or "nobody already in pays anything") + "."
        out.append(StepBrief(who, True, text, prices, utilities))
    end = None
    if data["completed"] and data["end_is_all_party_nash"] is not None:
        end = (
            "The sequence ends at the all-party Nash solution."
            if data["end_is_all_party_nash"]
            else "The sequence ends at a package other than the all-party Nash solution."
        )
    return out, end


def brief(
    result: Analysis,
    *,
    sequence: SequenceResult | None = None,
    order: str | None = None,
    precision: int = DEFAULT_PRECISION,
) -> Brief:
    """The first screen of an analysis. With ``order`` (``'us+russia, ukraine, europe'``: the
    order in which the parties join, see :func:`accord.analysis.sequence.sequence`; default: the
    scenario's declared ``sequence``) or a ``sequence`` already run, it also gives each step and
    its price."""
    s = result.scenario
    rec = result.recommendation
    n_acc = (
        f"{result.n_acceptable:,}"
        if result.n_acceptable is not None
        else (f"about {result.n_acceptable_estimate.value:,.0f}" if result.n_acceptable_estimate else "some")
    )
    if result.agreement_exists:
        verdict = (
            f"Agreement is possible: {n_acc} of the {result.n_packages:,} packages are acceptable "
            "to every party"
            + (
                f", and all reservation values could rise by {number(result.slack, precision)} together."
                if result.slack is not None
                else "."
            )
        )
    else:
        verdict = (
            f"No agreement is possible: none of the {result.n_packages:,} packages is acceptable "
            "to every party."
        )
    gains: list[PartyGain] = []
    package: tuple[tuple[str, str], ...] = ()
    package_is = "Package to table"
    rule = None
    if rec is not None:
        package = _package(s, rec["package"])
        rule = rec["rule"]
        utilities = rec["utilities"]
    elif result.closest_package is not None:
        package = _package(s, result.closest_package)
        package_is = "Closest package (none is acceptable to all)"
        rule = "The package whose smallest gain over a reservation value is largest (the slack)."
        options = np.asarray(result.space.indices(result.closest_package), dtype=np.int64)
        u = result.space.evaluate(options[None, :])[0][0]
        utilities = {p.id: float(x) for p, x in zip(s.parties, u, strict=True)}
    else:
        utilities = {}
    for p in s.parties:
        if p.id in utilities:
            u = float(utilities[p.id])
            gains.append(
                PartyGain(
                    p.title,
                    number(u, precision),
                    number(p.reservation, precision),
                    signed(u - p.reservation, precision),
                )
            )
    steps: list[StepBrief] = []
    end = None
    order = order or s.sequence  # the scenario's declared sequence, unless another is asked for
    if sequence is None and order:
        sequence = run_sequence(s, order)
    if sequence is not None:
        steps, end = _steps(sequence, precision)
        order = ", then ".join(_names(s, [s.party_ids[p] for p in g]) for g in sequence.groups)
    return Brief(
        title=s.name or s.id,
        agreement=result.agreement_exists,
        verdict=verdict,
        package=package,
        package_is=package_is,
        rule=rule,
        gains=tuple(gains),
        blocking=tuple(_blocking(result, precision)),
        order=order if sequence is not None else None,
        steps=tuple(steps),
        sequence_end=end,
    )
