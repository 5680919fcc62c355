"""Reading a Genius domain folder: the domain, additive and non-linear profiles."""

from __future__ import annotations

import itertools
import math
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ...errors import AccordError, ImportFormatError
from ...model import (
    Interaction,
    Issue,
    Number,
    NumericRange,
    Option,
    Party,
    PiecewiseLinear,
    Preferences,
    RangeCondition,
    Scenario,
)
from ...model.preferences import Condition
from .._files import folder_files, read_bounded
from .._ids import faithful_ids, identifier, unique_ids
from ._boxes import Box, max_box_sum
from ._common import (
    _DISCRETE_ZERO,
    _MAX_DEPTH,
    _REAL_POINTS,
    _WEIGHT_TOLERANCE,
    MAX_FILE_BYTES,
    MAX_RECTANGLES,
    _attr,
    _children,
    _Doc,
    _float,
    _int,
    _is_plain_text,
    _kind,
    _looks_like_xml,
    _parse,
    _short,
)

__all__ = ["read_genius"]

# -- the domain -------------------------------------------------------------------------------


@dataclass
class _DomainIssue:
    issue: Issue
    elem: ET.Element
    kind: str  # discrete, integer or real
    index: int | None


def _is_profile(root: ET.Element) -> bool:
    if root.tag != "utility_space":
        return False
    if root.get("type") is not None:
        return True
    for elem in root.iter():
        if elem.tag in ("weight", "evaluator", "utility", "ufun", "hyperRectangle"):
            return True
        if elem.tag == "item" and "evaluation" in elem.attrib:
            return True
    return False


def _domain_objective(doc: _Doc) -> ET.Element:
    root = doc.root
    space = root if root.tag == "utility_space" else next(iter(_children(root, "utility_space")), None)
    if space is None:
        raise doc.error(root, "a domain needs a <utility_space> element holding an <objective>")
    objective = next(iter(_children(space, "objective")), None)
    if objective is None:
        raise doc.error(space, "a domain needs an <objective> element holding the issues")
    return objective


def _issue_elements(doc: _Doc, objective: ET.Element, depth: int = 0) -> Iterator[ET.Element]:
    """Issues in Genius's order: those of nested objectives first, then the objective's own."""
    if depth > _MAX_DEPTH:
        raise doc.error(objective, f"objectives nested more than {_MAX_DEPTH} deep")
    for child in _children(objective, "objective"):
        yield from _issue_elements(doc, child, depth + 1)
    yield from _children(objective, "issue")


def _read_domain(doc: _Doc) -> list[_DomainIssue]:
    elems = list(_issue_elements(doc, _domain_objective(doc)))
    if not elems:
        raise doc.error(doc.root, "the domain has no issues")
    names = [_attr(doc, e, "name") for e in elems]
    for elem, name in zip(elems, names, strict=True):
        if names.count(name) > 1:
            raise doc.error(elem, f"duplicate issue name '{name}'; each issue needs its own name")
    ids = faithful_ids(names, "issue")
    issues = []
    for elem, name, ident in zip(elems, names, ids, strict=True):
        kind = _kind(elem)
        index = _int(doc, elem, "index") if elem.get("index") is not None else None
        try:
            if kind == "discrete":
                values = [_attr(doc, item, "value") for item in _children(elem, "item")]
                if not values:
                    raise doc.error(elem, "a discrete issue needs at least one <item value=...>")
                for item in _children(elem, "item"):
                    if values.count(item.get("value", "")) > 1:
                        raise doc.error(item, f"duplicate value in issue '{name}'")
                option_ids = faithful_ids(values, "option")
                options = tuple(
                    Option(id=oid, label=None if oid == value else value)
                    for oid, value in zip(option_ids, values, strict=True)
                )
                issue = Issue(id=ident, name=name, options=options)
            elif kind == "integer":
                source = (
                    elem if elem.get("lowerbound") is not None else next(iter(_children(elem, "range")), elem)
                )
                low, high = _int(doc, source, "lowerbound"), _int(doc, source, "upperbound")
                if high < low:
                    raise doc.error(elem, f"upperbound {high} is below lowerbound {low}")
                issue = Issue(
                    id=ident, name=name, range=NumericRange(kind="integer", min=low, max=high, step=1)
                )
            elif kind == "real":
                box = next(iter(_children(elem, "range")), None)
                if box is None:
                    raise doc.error(elem, "a real issue needs a <range lowerbound upperbound>")
                rlow, rhigh = _float(doc, box, "lowerbound"), _float(doc, box, "upperbound")
                if rhigh < rlow:
                    raise doc.error(box, f"upperbound {rhigh:g} is below lowerbound {rlow:g}")
                step = (rhigh - rlow) / (_REAL_POINTS - 1) if rhigh > rlow else 1.0
                issue = Issue(
                    id=ident, name=name, range=NumericRange(kind="real", min=rlow, max=rhigh, step=step)
                )
            else:
                raise doc.error(elem, f"unknown issue type '{kind}'; Genius knows discrete, integer and real")
        except ValidationError as exc:
            raise doc.error(elem, _pydantic_message(exc)) from None
        issues.append(_DomainIssue(issue, elem, kind, index))
    return issues


def _pydantic_message(exc: ValidationError) -> str:
    return "; ".join(err["msg"] for err in exc.errors()) or str(exc)


# -- profiles ---------------------------------------------------------------------------------


@dataclass
class _Profile:
    party: Party
    preferences: Preferences


def _reservation_and_discount(doc: _Doc) -> tuple[float, float | None]:
    reservation = 0.0  # AbstractUtilitySpace.getReservationValueUndiscounted
    discount: float | None = None
    for tag in ("reservation", "discount_factor"):
        elem = next(iter(_children(doc.root, tag)), None)
        if elem is None:
            elem = next((e for e in doc.root.iter(tag)), None)
        if elem is None:
            continue
        number = _float(doc, elem, "value")
        if tag == "reservation":
            reservation = number
        else:
            discount = number if 0.0 < number <= 1.0 else 1.0  # validateDiscount
    return reservation, discount


def _clamped_line(
    low: float, high: float, intercept: float, slope: float, origin: float
) -> list[tuple[float, float]]:
    """``clamp(intercept + slope * (x - origin), 0, 1)`` on [low, high] as exact points."""
    xs = {low, high}
    if slope != 0.0:
        for level in (0.0, 1.0):
            x = origin + (level - intercept) / slope
            if low < x < high:
                xs.add(x)
    return [(x, min(1.0, max(0.0, intercept + slope * (x - origin)))) for x in sorted(xs)]


def _numeric_values(doc: _Doc, elem: ET.Element, domain: _DomainIssue) -> list[tuple[float, float]]:
    """The Genius evaluation of an integer or real issue, as (x, value) points."""
    assert domain.issue.range is not None
    low, high = domain.issue.range.min, domain.issue.range.max
    evaluator = next(iter(_children(elem, "evaluator")), None)
    if evaluator is None:  # slope and offset default to 0 in EvaluatorInteger
        return [(low, 0.0)] if low == high else [(low, 0.0), (high, 0.0)]
    if domain.kind == "integer" and "slope" in evaluator.attrib:
        # genius.core.utility.EvaluatorInteger: offset + slope * (x - lowerbound)
        bounds = elem if elem.get("lowerbound") is not None else next(iter(_children(elem, "range")), None)
        origin = float(_int(doc, bounds, "lowerbound")) if bounds is not None else low
        return _clamped_line(
            low, high, _float(doc, evaluator, "offset"), _float(doc, evaluator, "slope"), origin
        )
    ftype = (evaluator.get("ftype") or "linear").strip().lower()
    if ftype == "linear":
        return _clamped_line(
            low, high, _float(doc, evaluator, "parameter0"), _float(doc, evaluator, "parameter1"), 0.0
        )
    if ftype == "constant":
        constant = _float(doc, evaluator, "parameter0")
        if constant < 0:
            raise doc.error(
                evaluator, "a negative constant evaluation cannot be expressed (accord's values are >= 0)"
            )
        return [(low, constant)] if low == high else [(low, constant), (high, constant)]
    raise doc.error(evaluator, f"evaluator type '{ftype}' is not supported; use linear or constant")


def _max_on_grid(issue: Issue, points: list[tuple[float, float]]) -> float:
    # Every function read here is monotone or constant between the range ends, but the
    # breakpoints may fall between grid points, so look at the grid points next to them.
    assert issue.range is not None
    grid = issue.range
    candidates = {grid.min, grid.max}
    for x, _ in points:
        k = math.floor((x - grid.min) / grid.step + 1e-9)
        for j in (k, k + 1):
            if 0 <= j < grid.size:
                candidates.add(grid.min + j * grid.step)
    return max(_interpolate(points, x) for x in candidates)


def _interpolate(points: Sequence[tuple[float, float]], x: float) -> float:
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if x == x1:
            return y1
        if x < x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


def _profile_issues(
    doc: _Doc, objective: ET.Element, domain: dict[str, _DomainIssue]
) -> dict[int, tuple[ET.Element, _DomainIssue]]:
    """The profile's issues by their index, each matched by name to the domain's issue."""
    out: dict[int, tuple[ET.Element, _DomainIssue]] = {}
    seen: set[str] = set()
    for elem in _issue_elements(doc, objective):
        name = _attr(doc, elem, "name")
        if name not in domain:
            raise doc.error(
                elem,
                f"the domain has no issue '{_short(name)}'; its issues are {_short(', '.join(domain), 200)}",
            )
        if name in seen:
            raise doc.error(elem, f"duplicate issue name '{name}' in the profile")
        seen.add(name)
        index = _int(doc, elem, "index")
        if index in out:
            raise doc.error(elem, f"two issues have index {index}")
        out[index] = (elem, domain[name])
    return out


def _weights(
    doc: _Doc, objective: ET.Element, depth: int = 0
) -> Iterator[tuple[ET.Element, ET.Element, float]]:
    """(level, weight element, value): Genius ties a weight to the index at its own level."""
    if depth > _MAX_DEPTH:
        raise doc.error(objective, f"objectives nested more than {_MAX_DEPTH} deep")
    for elem in _children(objective, "weight"):
        yield objective, elem, _float(doc, elem, "value")
    for child in _children(objective, "objective"):
        yield from _weights(doc, child, depth + 1)


def _read_additive(
    doc: _Doc, objective: ET.Element, domain: dict[str, _DomainIssue]
) -> tuple[Preferences, float]:
    by_index = _profile_issues(doc, objective, domain)
    weights_at: dict[int, tuple[ET.Element, float]] = {}
    for level, elem, value in _weights(doc, objective):
        index = _int(doc, elem, "index")
        level_indexes = {_int(doc, e, "index") for e in _children(level, "issue")}
        objective_indexes = {
            _int(doc, e, "index") for e in _children(level, "objective") if e.get("index") is not None
        }
        own = level.get("index")
        if index not in level_indexes:
            if index in objective_indexes or (own is not None and own.strip() == str(index)):
                continue  # the weight of an objective: Genius does not use it
            raise doc.error(elem, f"no issue has index {index} at this level of the profile")
        if value < 0:
            raise doc.error(elem, f"negative weight {value:g}; weights must be >= 0")
        weights_at[index] = (elem, value)  # a later duplicate wins, as in Genius's HashMap
    raw: dict[str, float] = {}
    values: dict[str, dict[str, float] | PiecewiseLinear] = {}
    for index, (elem, dom) in by_index.items():
        issue = dom.issue
        if index not in weights_at:
            raise doc.error(
                elem,
                f"issue '{issue.title}' has no <weight index=\"{index}\">; "
                "Genius cannot evaluate a profile without it",
            )
        weight = weights_at[index][1]
        kind = _kind(elem)
        if kind != dom.kind:
            raise doc.error(
                elem,
                f"the profile evaluates '{issue.title}' as {kind}, but the domain declares it {dom.kind}",
            )
        if dom.kind == "discrete":
            assert issue.options is not None
            by_value = {o.label if o.label is not None else o.id: o.id for o in issue.options}
            evaluations: dict[str, float] = {}
            for item in _children(elem, "item"):
                option = _attr(doc, item, "value")
                if option not in by_value:
                    raise doc.error(
                        item, f"issue '{issue.title}' has no option '{_short(option)}' in the domain"
                    )
                text = item.get("evaluation")
                if text is None or text == "null":
                    continue  # EvaluatorDiscrete.loadFromXML skips it
                number = _float(doc, item, "evaluation")
                if number < 0:
                    raise doc.error(
                        item,
                        f"negative evaluation {number:g}; evaluations must be "
                        ">= 0 (each is divided by the issue's largest)",
                    )
                evaluations[by_value[option]] = number  # a later duplicate wins
            missing = [o.label or o.id for o in issue.options if o.id not in evaluations]
            if missing:
                raise doc.error(
                    elem, f"no evaluation for option(s) {_short(', '.join(missing))} of issue '{issue.title}'"
                )
            values[issue.id] = {o.id: evaluations[o.id] for o in issue.options}
            largest = max(evaluations.values())
            raw[issue.id] = weight if largest >= _DISCRETE_ZERO else 0.0
        else:
            points = _numeric_values(doc, elem, dom)
            values[issue.id] = PiecewiseLinear(points=points)
            best = max(0.0, _max_on_grid(issue, points))
            # A line written to end at 1 often evaluates to 0.9999999999999999: keep the weight.
            raw[issue.id] = weight * (1.0 if abs(best - 1.0) <= _WEIGHT_TOLERANCE else best)
    for name, dom in domain.items():
        if dom.issue.id not in raw:
            raise doc.error(objective, f"the profile does not evaluate issue '{_short(name)}'")
    total = sum(raw.values())
    if not math.isfinite(total):
        raise doc.error(objective, "the weights sum to more than the largest number: give weights near 1")
    if total <= 0:
        raise doc.error(
            objective,
            "every weight is zero (or weighs an issue Genius evaluates "
            "to 0 everywhere): the profile values no package",
        )
    rationale = None
    if abs(total - 1.0) > _WEIGHT_TOLERANCE:
        rationale = (
            f"The Genius weights (times each issue's best evaluation) sum to "
            f"{total:.12g}, not 1; they are divided by that sum here. Genius does not "
            f"divide: its utility is {total:.12g} times this one, capped at 1."
        )
        raw = {key: w / total for key, w in raw.items()}
    ordered = {d.issue.id: raw[d.issue.id] for d in domain.values()}
    return Preferences(
        weights=ordered,
        values={k: values[k] for k in ordered},
        rationale=rationale,
        source=f"Genius profile {doc.path.name}",
    ), total


# -- non-linear (ANAC 2014) profiles ------------------------------------------------------------


def _read_nonlinear(
    doc: _Doc, objective: ET.Element, domain: dict[str, _DomainIssue], issues: Sequence[Issue]
) -> Preferences:
    listed = _profile_issues(doc, objective, domain)
    if listed:
        by_index = {index: dom for index, (_, dom) in listed.items()}
    else:
        by_index = {dom.index: dom for dom in domain.values() if dom.index is not None}
    utility = next(iter(_children(objective, "utility")), None)
    if utility is None:
        raise doc.error(objective, "a non-linear profile needs a <utility maxutility=...> element")
    top = _float(doc, utility, "maxutility")
    if top <= 0:
        raise doc.error(utility, f"maxutility must be positive, got {top:g}")
    ufun = next(iter(_children(utility, "ufun")), None)
    if ufun is None:
        raise doc.error(utility, "no <ufun> element inside <utility>")
    rectangles = sum(1 for _ in ufun.iter("hyperRectangle"))
    if rectangles > MAX_RECTANGLES:
        raise doc.error(ufun, _too_many_rectangles(rectangles))
    pieces: list[tuple[float, Box | None]] = []  # (value, box); None is everywhere
    _collect_rectangles(doc, ufun, 1.0, by_index, pieces, depth=0)
    bounds = {
        i.id: (int(i.range.min), int(i.range.max))
        for i in issues
        if i.range is not None and i.range.kind == "integer"
    }
    limit = top * (1 + 1e-12)
    best = max_box_sum([(v, b or {}) for v, b in pieces], bounds, enough=limit)
    if best.value > limit:
        at = ", ".join(f"{k}={x}" for k, x in best.at.items())
        raise doc.error(
            utility,
            f"the package with {at} (any values elsewhere) sums to {best.value:g}, above "
            f"maxutility {top:g}, where Genius caps the utility at 1; accord cannot express the cap",
        )
    if not best.exact and best.bound > limit:
        raise doc.error(
            utility,
            f"{best.boxes:,} hyper-rectangles are too many to check within the search budget that "
            f"no package sums above maxutility {top:g} (where Genius caps the utility at 1, which "
            f"accord cannot express): the best sum found is {best.value:g}, and only {best.bound:g} "
            "is proved as a bound",
        )
    interactions = _interactions(pieces, top, issues, bounds)
    if not interactions:
        raise doc.error(
            ufun,
            "the profile has no hyper-rectangle with a non-zero utility, so it values every package at 0",
        )
    return Preferences(interactions=interactions, source=f"Genius profile {doc.path.name}")


def _collect_rectangles(
    doc: _Doc,
    ufun: ET.Element,
    weight: float,
    by_index: dict[int, _DomainIssue],
    out: list[tuple[float, Box | None]],
    depth: int,
) -> None:
    if depth > _MAX_DEPTH:
        raise doc.error(ufun, f"ufuns nested more than {_MAX_DEPTH} deep")
    aggregation = (ufun.get("aggregation") or "sum").strip().lower()
    if aggregation in ("min", "max"):
        raise doc.error(ufun, f"aggregation '{aggregation}' cannot be expressed; only sum can")
    for rect in _children(ufun, "hyperRectangle"):
        value = _float(doc, rect, "utility") * _float(doc, rect, "weight", 1.0) * weight
        excludes = _children(rect, "EXCLUDES")
        bounds = excludes or _children(rect, "INCLUDES")
        box: Box = {}
        empty = False
        for bound in bounds:
            index = _int(doc, bound, "index")
            dom = by_index.get(index)
            if dom is None:
                raise doc.error(bound, f"no issue has index {index}")
            if dom.kind != "integer":
                raise doc.error(
                    bound,
                    f"issue '{dom.issue.title}' is {dom.kind}; Genius's "
                    "hyper-rectangles bound integer issues only",
                )
            low, high = _int(doc, bound, "min"), _int(doc, bound, "max")
            if low > high:
                raise doc.error(
                    bound, f"min ({low}) is above max ({high}): the bound holds for no value; swap them"
                )
            old = box.get(dom.issue.id)
            if old is not None:
                low, high = max(low, old[0]), min(high, old[1])
            box[dom.issue.id] = (low, high)
            empty = empty or low > high
        if not bounds:
            out.append((value, None))
        elif excludes:  # value wherever some bound fails: value everywhere, minus it on the box
            out.append((value, None))
            if not empty:
                out.append((-value, box))
        elif not empty:
            out.append((value, box))
    for inner in _children(ufun, "ufun"):
        _collect_rectangles(doc, inner, weight * _float(doc, inner, "weight", 1.0), by_index, out, depth + 1)


def _always(issues: Sequence[Issue]) -> dict[str, Condition]:
    first = issues[0]
    if first.range is not None:
        return {first.id: RangeCondition(min=first.range.min)}
    return {first.id: tuple(first.values())}


def _interactions(
    pieces: list[tuple[float, Box | None]],
    top: float,
    issues: Sequence[Issue],
    bounds: dict[str, tuple[int, int]],
) -> list[Interaction]:
    out = []
    for value, box in pieces:
        if value == 0:
            continue
        if box is None:
            out.append(Interaction(when=_always(issues), value=value / top))
        elif all(low <= bounds[k][1] and high >= bounds[k][0] for k, (low, high) in box.items()):
            when: dict[str, Condition] = {
                key: RangeCondition(min=low, max=high) for key, (low, high) in box.items()
            }
            out.append(Interaction(when=when, value=value / top))
    return out


# -- the folder -------------------------------------------------------------------------------


def _too_many_rectangles(count: int) -> str:
    return (
        f"{count:,} hyper-rectangles, more than the {MAX_RECTANGLES:,} accord reads in one profile "
        "(the ANAC 2014 10issues profiles have 40); each becomes an interaction the analysis "
        "evaluates for every package: merge or drop rectangles"
    )


_GENIUS_ROOTS = ("negotiation_template", "utility_space")


def _genius_files(files: Sequence[Path], max_file_bytes: int) -> list[_Doc]:
    """Every Genius file of the folder, parsed. A file that is empty, binary, not XML, or XML
    with another root element is an error naming it: skipping it would silently drop a party.
    Only plain text that is not XML is skipped (``10issues/pareto.xml`` is a CSV table)."""
    docs: list[_Doc] = []
    for file in files:
        data = read_bounded(
            file, max_file_bytes, "Genius files are a few kilobytes, so this is not one (or raise the limit)"
        )
        if not data.strip():
            raise ImportFormatError(
                f"{file}: the file is empty; a Genius folder holds one domain file and one profile "
                "file per party: restore the file or remove it from the folder"
            )
        if not _looks_like_xml(data):
            if _is_plain_text(data) and b"utility_space" not in data and b"negotiation_template" not in data:
                continue
            raise ImportFormatError(
                f"{file}: not XML (binary data or another encoding); a Genius folder holds one "
                "domain file and one profile file per party: restore the file or remove it from the folder"
            )
        rectangles = data.count(b"<hyperRectangle")  # refused before the parse, which takes seconds
        if rectangles > MAX_RECTANGLES:
            raise ImportFormatError(f"{file}: {_too_many_rectangles(rectangles)}")
        doc = _parse(file, data)
        if doc.root.tag not in _GENIUS_ROOTS:
            raise doc.error(
                doc.root,
                "the root element is neither <negotiation_template> (a domain) nor <utility_space> "
                "(a profile); a Genius folder holds only those: remove the file or fix its root",
            )
        docs.append(doc)
    return docs


def _named_profiles_note(folder: Path, domain: _Doc, profiles: Sequence[_Doc]) -> str | None:
    """What to say when the domain's ``<agent utility_space=...>`` names profiles that are not in
    the folder. With other profile files present (ANAC 2012 CarC in common copies names
    ``ABMP_car_dealer_utilityspace.xml`` beside ``Car-C-prof1.xml``), those are read and the note
    says so; with none, the missing profile is an error."""
    named: list[tuple[ET.Element, str]] = []
    for agent in domain.root.iter("agent"):
        text = (agent.get("utility_space") or "").strip()
        if text:
            named.append((agent, Path(text).name))
    missing = [(agent, name) for agent, name in named if not (folder / name).is_file()]
    if not missing:
        return None
    names = {name for _, name in named}
    others = [d.path.name for d in profiles if d.path.name not in names]
    if not others:
        agent, name = missing[0]
        raise domain.error(agent, f"names the profile '{_short(name)}', which is missing from {folder}")
    absent = ", ".join(sorted({name for _, name in missing}))
    return (
        f"The domain {domain.path.name} names the profile(s) {absent}, which are not in the "
        f"folder; read from the profile files present: {', '.join(d.path.name for d in profiles)}."
    )


def read_genius(path: str | os.PathLike[str], *, max_file_bytes: int = MAX_FILE_BYTES) -> Scenario:
    """Read a Genius domain folder (one domain XML and one profile XML per party) into a scenario.

    The domain is the file whose root is ``<negotiation_template>`` (or a ``<utility_space>``
    without weights, evaluations or utilities); every other ``<utility_space>`` file is a
    profile. Files that are not XML (``pareto.xml`` in ANAC 2014) are skipped.

    Raises :class:`~accord.errors.ImportFormatError` naming the file, the element and the problem
    for anything that cannot be read faithfully: malformed, truncated, oversized or hostile XML
    (entity declarations are refused), a missing domain or profile, a profile naming an issue or
    option the domain lacks, negative or all-zero weights, duplicate issue names.
    """
    folder = Path(path)
    files = folder_files(
        folder,
        ".xml",
        "a Genius scenario is a folder with one domain XML file and one profile XML file per party",
    )
    genius = _genius_files(files, max_file_bytes)
    domains = [d for d in genius if not _is_profile(d.root)]
    profiles = [d for d in genius if _is_profile(d.root)]
    if not domains:
        found = ", ".join(f.name for f in files) or "no XML files"
        raise ImportFormatError(
            f"{folder}: no domain file (an XML file whose root is <negotiation_template>) among {found}"
        )
    if len(domains) > 1:
        names = ", ".join(d.path.name for d in domains)
        raise ImportFormatError(f"{folder}: several domain files ({names}); keep one per folder")
    domain_doc = domains[0]
    note = _named_profiles_note(folder, domain_doc, profiles)
    if not profiles:
        raise ImportFormatError(
            f"{folder}: missing profiles: only the domain "
            f"{domain_doc.path.name} was found; add one <utility_space> "
            "profile file per party"
        )
    domain = _read_domain(domain_doc)
    issues = [d.issue for d in domain]
    by_name = {d.issue.name or d.issue.id: d for d in domain}
    party_ids = unique_ids([d.path.stem for d in profiles], "party")
    parties, preferences = [], {}
    for doc, party_id in zip(profiles, party_ids, strict=True):
        kind = (doc.root.get("type") or "linear").strip().lower()
        objective = next(iter(_children(doc.root, "objective")), None)
        if objective is None:
            raise doc.error(doc.root, "a profile needs an <objective> element")
        scale = 1.0
        if kind == "linear":
            prefs, scale = _read_additive(doc, objective, by_name)
        elif kind == "nonlinear":
            prefs = _read_nonlinear(doc, objective, by_name, issues)
        else:
            raise doc.error(
                doc.root,
                f"utility space type '{kind}' is not supported; accord "
                "reads linear (additive) and nonlinear profiles",
            )
        reservation, discount = _reservation_and_discount(doc)
        value: float | Number = reservation
        if abs(scale - 1.0) > _WEIGHT_TOLERANCE:
            # Genius accepts when min(1, scale * u) >= r, i.e. when u >= r / scale (r <= 1):
            # dividing r too keeps exactly the packages Genius accepts.
            value = Number(
                value=reservation / scale,
                rationale=(
                    f"Genius reservation value {reservation:.12g} divided by {scale:.12g}, the sum of "
                    "the profile's weights, as the weights are: the same packages are acceptable"
                ),
            )
        try:
            parties.append(Party(id=party_id, reservation_value=value, discount_factor=discount))
        except ValidationError as exc:
            raise doc.error(doc.root, _pydantic_message(exc)) from None
        preferences[party_id] = prefs
    try:
        return Scenario(
            id=identifier(folder.resolve().name, "genius"),
            name=folder.resolve().name,
            description=note,
            source="Genius XML folder",
            parties=tuple(parties),
            issues=tuple(issues),
            preferences=preferences,
        )
    except ValidationError as exc:
        raise ImportFormatError(f"{folder}: {_pydantic_message(exc)}") from None
    except AccordError as exc:
        raise ImportFormatError(f"{folder}: the imported scenario is inconsistent: {exc}") from None
