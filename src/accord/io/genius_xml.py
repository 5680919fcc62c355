"""Genius XML domains and profiles (ANAC 2010–2019), read into and written from scenarios.

A Genius scenario is a folder: one *domain* file (the issues and their options) and one
*profile* (``utility_space``) file per party. :func:`read_genius` reads such a folder into a
:class:`~accord.model.Scenario`; :func:`write_genius` writes a scenario back as a folder.

How Genius reads and evaluates these files
------------------------------------------
Read in the Genius 10.4 sources (``genius.core``, as vendored in NegMAS under
``external/genius10.4/src/main/java/genius/core``), and matched here:

* **Which files.** ``UTILITYSPACETYPE.getUtilitySpaceType`` reads the profile root's ``type``
  attribute: absent (or ``linear``) means additive, ``nonlinear`` means the ANAC 2014
  hyper-rectangle format; ``constraint`` and ``uncertain`` profiles are refused here.
  ``DomainImpl(File)`` takes the first ``utility_space`` child of the domain root
  (``negotiation_template``) and its first ``objective``; issues of nested objectives come before
  the objective's own issues (``buildTreeRecursive``).
* **Issue types.** ``DomainImpl.buildTreeRecursive``: no ``type`` attribute means discrete (the
  AMPOvsCity quirk); integer issues carry ``lowerbound``/``upperbound`` attributes; real issues a
  ``<range lowerbound upperbound>`` child, enumerated by ``BidIterator`` as 21 points
  (``IssueReal.fNumberOfDiscretizationSteps``), so an imported real issue has the grid
  ``lowerbound + k (upperbound - lowerbound) / 20``.
* **Weights.** ``AdditiveUtilitySpace.loadTreeRecursive`` ties each ``<weight index=..>`` to the
  issue with that ``index`` *in the profile*; a weight whose index is the objective's own (FitnessA)
  is the objective's weight and is not used. An issue without a weight has no evaluator, and
  ``getUtility`` then fails. Loading a file does **not** normalise the weights
  (``normalizeWeights`` is only called by the constructor taking a map of evaluators), and
  ``getUtility`` returns ``min(1, sum_i w_i * e_i)``.
* **Discrete values.** ``EvaluatorDiscrete.normalize`` divides an item's ``evaluation`` by the
  largest evaluation of the issue (``getEvalMax``), or gives 0 when that maximum is below 1e-5,
  whatever its class comment says about values <= 1. Items are kept in a ``HashMap``, so of two
  items with the same value the later one counts (AMPOvsCity lists ``value="0"`` twice).
* **Integer values.** ``EvaluatorInteger.getEvaluation``:
  ``clamp(offset + slope * (x - lowerbound), 0, 1)`` with ``slope``/``offset`` from the
  ``<evaluator>`` child and ``lowerbound`` from the profile's issue; no division by a maximum.
  (The older ``negotiator.utility.EvaluatorInteger`` read ``parameter0``/``parameter1`` and
  evaluated ``clamp(parameter1 * x + parameter0, 0, 1)``; both forms are read.)
* **Real values.** ``EvaluatorReal.getEvaluation``: ``linear`` is
  ``clamp(parameter1 * x + parameter0, 0, 1)``; ``constant`` is ``parameter0``.
* **Reservation value and discount factor.** ``<reservation value>`` and ``<discount_factor
  value>`` children of the root (``AbstractUtilitySpace.RESERVATION``); no reservation element
  means 0 (``getReservationValueUndiscounted``); ``validateDiscount`` replaces a factor <= 0 or
  > 1 by 1, which is what an imported party gets.
* **Non-linear profiles** (``NonlinearUtilitySpace``). ``loadNonlinearSpace`` reads
  ``<utility maxutility=..>`` and its first ``<ufun>``; ``UtilityFunction.getUtility`` sums
  (aggregation ``sum``) the utilities of its hyper-rectangles and of its inner ufuns times their
  ``weight`` (the top ufun's own weight is not applied); ``InclusiveHyperRectangle.getUtility``
  gives ``utility * weight`` when every ``<INCLUDES index min max>`` bound holds (bounds are on
  the issue with that index, inclusive integers, see ``Bound``) and 0 otherwise;
  ``ExclusiveHyperRectangle`` (``<EXCLUDES>``) gives it when some bound fails; a rectangle with
  no bounds always gives it. ``NonlinearUtilitySpace.getUtility`` returns
  ``min(1, sum / maxutility)``.

How the model expresses it
--------------------------
accord's utility is ``sum_i (a_i / A) * v_i / max v_i + interactions`` (see
:mod:`accord.model.preferences`). An additive profile becomes weights ``a_i = w_i * m_i``, where
``m_i`` is the largest Genius evaluation of issue ``i`` on its grid (1 for a discrete issue,
0 when Genius evaluates the issue to 0 everywhere), discrete values are the file's evaluations
(accord divides by the largest, as Genius does), and integer/real evaluators become
:class:`~accord.model.PiecewiseLinear` functions through the ends of the range and the points where
the clamped line meets 0 or 1. So accord's utility is Genius's divided by ``A = sum_i w_i m_i``;
when the file's weights do not sum to 1 (``A != 1``), the stored weights are divided by ``A`` and
the profile's ``rationale`` says so, because accord's utility then differs from Genius's by that
factor (and Genius caps at 1). A non-linear profile becomes one
:class:`~accord.model.Interaction` per hyper-rectangle with :class:`~accord.model.RangeCondition`
conditions and value ``utility * weight / maxutility`` (an ``EXCLUDES`` rectangle becomes a
constant plus a negative interaction on its box); the reader checks by branch and bound that the
sum never exceeds ``maxutility``, so Genius's cap at 1 never applies and the utilities are equal
for every package.

Issues and options keep their names and values exactly: the name is the id when it is a valid
id, otherwise the id is made valid (``,`` → ``;``, ``=`` → ``-``) and the exact text is kept in
``Issue.name`` / ``Option.label``. Issues of a profile are matched to the domain by name; weights
and hyper-rectangle bounds by the profile's own ``index`` attributes. Party ids are the profile
file names without ``.xml``.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from pydantic import ValidationError

from ..errors import AccordError, ImportFormatError
from ..model import (
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
    value_of,
)
from ..model.preferences import Condition

__all__ = ["MAX_FILE_BYTES", "read_genius", "write_genius"]

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Files larger than this are refused (the largest ANAC file is a few hundred kilobytes)."""

_REAL_POINTS = 21  # genius.core.issue.IssueReal.fNumberOfDiscretizationSteps
_DISCRETE_ZERO = 1e-5  # EvaluatorDiscrete.normalize: a maximum below this evaluates to 0
_WEIGHT_TOLERANCE = 1e-9
_MAX_DEPTH = 64
_SEARCH_NODES = 2_000_000


# -- parsing ---------------------------------------------------------------------------------


@dataclass
class _Doc:
    """One parsed XML file, with the line of every element for error messages."""

    path: Path
    root: ET.Element
    lines: dict[int, int] = field(default_factory=dict)

    def error(self, elem: ET.Element | None, problem: str) -> ImportFormatError:
        where = str(self.path)
        if elem is not None:
            line = self.lines.get(id(elem))
            if line is not None:
                where += f":{line}"
            where += f": {_describe(elem)}"
        return ImportFormatError(f"{where}: {problem}")


def _describe(elem: ET.Element) -> str:
    for key in ("name", "value", "index"):
        if key in elem.attrib:
            return f"<{elem.tag} {key}=\"{_short(elem.attrib[key])}\">"
    return f"<{elem.tag}>"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _LineBuilder(ET.TreeBuilder):
    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: Any = None

    def start(self, tag: Any, attrs: Any) -> ET.Element:
        elem = super().start(tag, attrs)
        self.lines[id(elem)] = int(self.parser.parser.CurrentLineNumber)
        return elem


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ImportFormatError(
                f"{path}: the file has {size:,} bytes, more than the limit of {max_bytes:,}; "
                "Genius files are a few kilobytes, so this is not one (or raise the limit)"
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ImportFormatError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise ImportFormatError(f"{path}: the file is larger than the limit of {max_bytes:,} bytes")
    return data


def _looks_like_xml(data: bytes) -> bool:
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"<")


def _parse(path: Path, data: bytes) -> _Doc:
    builder = _LineBuilder()
    parser = SafeET.DefusedXMLParser(
        target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as exc:
        raise ImportFormatError(
            f"{path}: refused: the file declares entities or external references ({exc!r}); "
            "Genius files never need them, and they can expand without bound (billion laughs) "
            "or read other files"
        ) from exc
    except ET.ParseError as exc:
        raise ImportFormatError(
            f"{path}: not well-formed XML ({exc}); the file may be truncated or corrupted"
        ) from exc
    except (ValueError, LookupError, RecursionError) as exc:
        raise ImportFormatError(f"{path}: cannot be parsed as XML: {exc}") from exc
    if not isinstance(root, ET.Element):
        raise ImportFormatError(f"{path}: no root element")
    return _Doc(path, root, builder.lines)


# -- small readers of attributes ------------------------------------------------------------------


def _attr(doc: _Doc, elem: ET.Element, key: str) -> str:
    value = elem.get(key)
    if value is None:
        raise doc.error(elem, f"missing the `{key}` attribute")
    return value


def _float(doc: _Doc, elem: ET.Element, key: str, default: float | None = None) -> float:
    text = elem.get(key)
    if text is None:
        if default is not None:
            return default
        raise doc.error(elem, f"missing the `{key}` attribute")
    try:
        number = float(text.strip().rstrip("dDfF"))  # Java's Double.valueOf accepts 1.0d
    except ValueError:
        raise doc.error(elem, f"`{key}` is '{_short(text)}', not a number") from None
    if not math.isfinite(number):
        raise doc.error(elem, f"`{key}` is '{_short(text)}', not a finite number")
    return number


def _int(doc: _Doc, elem: ET.Element, key: str) -> int:
    text = _attr(doc, elem, key)
    try:
        return int(text.strip())
    except ValueError:
        raise doc.error(elem, f"`{key}` is '{_short(text)}', not an integer") from None


def _children(elem: ET.Element, tag: str) -> list[ET.Element]:
    return [child for child in elem if child.tag == tag]


def _kind(elem: ET.Element) -> str:
    """The issue type as Genius decides it: ``type``, else discrete.

    Genius reports a conflict between ``type`` and ``vtype``/``etype`` and uses ``type``.
    """
    kind = elem.get("type")
    return "discrete" if kind is None else kind.strip().lower()


# -- identifiers ----------------------------------------------------------------------------


def _identifier(text: str, fallback: str) -> str:
    ident = text.replace(",", ";").replace("=", "-").lstrip()[:200].rstrip()
    return ident or fallback


def _unique_ids(texts: Sequence[str], fallback: str) -> list[str]:
    ids: list[str] = []
    seen: set[str] = set()
    for n, text in enumerate(texts, start=1):
        base = _identifier(text, f"{fallback}-{n}")
        ident, k = base, 2
        while ident in seen:
            ident, k = f"{base[:190]} ({k})", k + 1
        seen.add(ident)
        ids.append(ident)
    return ids


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
    space = root if root.tag == "utility_space" else next(
        iter(_children(root, "utility_space")), None)
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
    ids = _unique_ids(names, "issue")
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
                option_ids = _unique_ids(values, "option")
                options = tuple(
                    Option(id=oid, label=None if oid == value else value)
                    for oid, value in zip(option_ids, values, strict=True)
                )
                issue = Issue(id=ident, name=name, options=options)
            elif kind == "integer":
                source = elem if elem.get("lowerbound") is not None else next(
                    iter(_children(elem, "range")), elem
                )
                low, high = _int(doc, source, "lowerbound"), _int(doc, source, "upperbound")
                if high < low:
                    raise doc.error(elem, f"upperbound {high} is below lowerbound {low}")
                issue = Issue(id=ident, name=name,
                              range=NumericRange(kind="integer", min=low, max=high, step=1))
            elif kind == "real":
                box = next(iter(_children(elem, "range")), None)
                if box is None:
                    raise doc.error(elem, "a real issue needs a <range lowerbound upperbound>")
                rlow, rhigh = _float(doc, box, "lowerbound"), _float(doc, box, "upperbound")
                if rhigh < rlow:
                    raise doc.error(box, f"upperbound {rhigh:g} is below lowerbound {rlow:g}")
                step = (rhigh - rlow) / (_REAL_POINTS - 1) if rhigh > rlow else 1.0
                issue = Issue(id=ident, name=name,
                              range=NumericRange(kind="real", min=rlow, max=rhigh, step=step))
            else:
                raise doc.error(elem, f"unknown issue type '{kind}'; Genius knows discrete, "
                                      "integer and real")
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


def _clamped_line(low: float, high: float, intercept: float, slope: float,
                  origin: float) -> list[tuple[float, float]]:
    """``clamp(intercept + slope * (x - origin), 0, 1)`` on [low, high] as exact points."""
    xs = {low, high}
    if slope != 0.0:
        for level in (0.0, 1.0):
            x = origin + (level - intercept) / slope
            if low < x < high:
                xs.add(x)
    return [(x, min(1.0, max(0.0, intercept + slope * (x - origin)))) for x in sorted(xs)]


def _numeric_values(doc: _Doc, elem: ET.Element, domain: _DomainIssue
                    ) -> list[tuple[float, float]]:
    """The Genius evaluation of an integer or real issue, as (x, value) points."""
    assert domain.issue.range is not None
    low, high = domain.issue.range.min, domain.issue.range.max
    evaluator = next(iter(_children(elem, "evaluator")), None)
    if evaluator is None:  # slope and offset default to 0 in EvaluatorInteger
        return [(low, 0.0)] if low == high else [(low, 0.0), (high, 0.0)]
    if domain.kind == "integer" and "slope" in evaluator.attrib:
        # genius.core.utility.EvaluatorInteger: offset + slope * (x - lowerbound)
        bounds = elem if elem.get("lowerbound") is not None else next(
            iter(_children(elem, "range")), None)
        origin = float(_int(doc, bounds, "lowerbound")) if bounds is not None else low
        return _clamped_line(low, high, _float(doc, evaluator, "offset"),
                             _float(doc, evaluator, "slope"), origin)
    ftype = (evaluator.get("ftype") or "linear").strip().lower()
    if ftype == "linear":
        return _clamped_line(low, high, _float(doc, evaluator, "parameter0"),
                             _float(doc, evaluator, "parameter1"), 0.0)
    if ftype == "constant":
        constant = _float(doc, evaluator, "parameter0")
        if constant < 0:
            raise doc.error(evaluator, "a negative constant evaluation cannot be expressed "
                                       "(accord's values are >= 0)")
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


def _profile_issues(doc: _Doc, objective: ET.Element, domain: dict[str, _DomainIssue]
                    ) -> dict[int, tuple[ET.Element, _DomainIssue]]:
    """The profile's issues by their index, each matched by name to the domain's issue."""
    out: dict[int, tuple[ET.Element, _DomainIssue]] = {}
    seen: set[str] = set()
    for elem in _issue_elements(doc, objective):
        name = _attr(doc, elem, "name")
        if name not in domain:
            raise doc.error(elem, f"the domain has no issue '{_short(name)}'; its issues are "
                                  f"{_short(', '.join(domain), 200)}")
        if name in seen:
            raise doc.error(elem, f"duplicate issue name '{name}' in the profile")
        seen.add(name)
        index = _int(doc, elem, "index")
        if index in out:
            raise doc.error(elem, f"two issues have index {index}")
        out[index] = (elem, domain[name])
    return out


def _weights(doc: _Doc, objective: ET.Element, depth: int = 0
             ) -> Iterator[tuple[ET.Element, ET.Element, float]]:
    """(level, weight element, value): Genius ties a weight to the index at its own level."""
    if depth > _MAX_DEPTH:
        raise doc.error(objective, f"objectives nested more than {_MAX_DEPTH} deep")
    for elem in _children(objective, "weight"):
        yield objective, elem, _float(doc, elem, "value")
    for child in _children(objective, "objective"):
        yield from _weights(doc, child, depth + 1)


def _read_additive(doc: _Doc, objective: ET.Element, domain: dict[str, _DomainIssue]
                   ) -> tuple[Preferences, float]:
    by_index = _profile_issues(doc, objective, domain)
    weights_at: dict[int, tuple[ET.Element, float]] = {}
    for level, elem, value in _weights(doc, objective):
        index = _int(doc, elem, "index")
        level_indexes = {_int(doc, e, "index") for e in _children(level, "issue")}
        objective_indexes = {_int(doc, e, "index") for e in _children(level, "objective")
                             if e.get("index") is not None}
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
            raise doc.error(elem, f"issue '{issue.title}' has no <weight index=\"{index}\">; "
                                  "Genius cannot evaluate a profile without it")
        weight = weights_at[index][1]
        kind = _kind(elem)
        if kind != dom.kind:
            raise doc.error(elem, f"the profile evaluates '{issue.title}' as {kind}, but the "
                                  f"domain declares it {dom.kind}")
        if dom.kind == "discrete":
            assert issue.options is not None
            by_value = {o.label if o.label is not None else o.id: o.id for o in issue.options}
            evaluations: dict[str, float] = {}
            for item in _children(elem, "item"):
                option = _attr(doc, item, "value")
                if option not in by_value:
                    raise doc.error(item, f"issue '{issue.title}' has no option "
                                          f"'{_short(option)}' in the domain")
                text = item.get("evaluation")
                if text is None or text == "null":
                    continue  # EvaluatorDiscrete.loadFromXML skips it
                number = _float(doc, item, "evaluation")
                if number < 0:
                    raise doc.error(item, f"negative evaluation {number:g}; evaluations must be "
                                          ">= 0 (each is divided by the issue's largest)")
                evaluations[by_value[option]] = number  # a later duplicate wins
            missing = [o.label or o.id for o in issue.options if o.id not in evaluations]
            if missing:
                raise doc.error(elem, f"no evaluation for option(s) {_short(', '.join(missing))} "
                                      f"of issue '{issue.title}'")
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
    if not math.isfinite(total) or total <= 0:
        raise doc.error(objective, "every weight is zero (or weighs an issue Genius evaluates "
                                   "to 0 everywhere): the profile values no package")
    rationale = None
    if abs(total - 1.0) > _WEIGHT_TOLERANCE:
        rationale = (f"The Genius weights (times each issue's best evaluation) sum to "
                     f"{total:.12g}, not 1; they are divided by that sum here. Genius does not "
                     f"divide: its utility is {total:.12g} times this one, capped at 1.")
        raw = {key: w / total for key, w in raw.items()}
    ordered = {d.issue.id: raw[d.issue.id] for d in domain.values()}
    return Preferences(weights=ordered, values={k: values[k] for k in ordered},
                       rationale=rationale, source=f"Genius profile {doc.path.name}"), total


# -- non-linear (ANAC 2014) profiles ------------------------------------------------------------


Box = dict[str, tuple[int, int]]


def _read_nonlinear(doc: _Doc, objective: ET.Element, domain: dict[str, _DomainIssue],
                    issues: Sequence[Issue]) -> Preferences:
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
    pieces: list[tuple[float, Box | None]] = []  # (value, box); None is everywhere
    _collect_rectangles(doc, ufun, 1.0, by_index, pieces, depth=0)
    bounds = {i.id: (int(i.range.min), int(i.range.max)) for i in issues if i.range is not None
              and i.range.kind == "integer"}
    interactions = _interactions(pieces, top, issues, bounds)
    if not interactions:
        raise doc.error(ufun, "the profile has no hyper-rectangle with a non-zero utility, so "
                              "it values every package at 0")
    best = _max_box_sum([(v, b or {}) for v, b in pieces], bounds)
    if best > top * (1 + 1e-12):
        raise doc.error(utility, f"some package sums to {best:g}, above maxutility {top:g}, where "
                                 "Genius caps the utility at 1; accord cannot express the cap")
    return Preferences(interactions=interactions, source=f"Genius profile {doc.path.name}")


def _collect_rectangles(doc: _Doc, ufun: ET.Element, weight: float,
                        by_index: dict[int, _DomainIssue],
                        out: list[tuple[float, Box | None]], depth: int) -> None:
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
                raise doc.error(bound, f"issue '{dom.issue.title}' is {dom.kind}; Genius's "
                                       "hyper-rectangles bound integer issues only")
            low, high = _int(doc, bound, "min"), _int(doc, bound, "max")
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
        _collect_rectangles(doc, inner, weight * _float(doc, inner, "weight", 1.0), by_index,
                            out, depth + 1)


def _always(issues: Sequence[Issue]) -> dict[str, Condition]:
    first = issues[0]
    if first.range is not None:
        return {first.id: RangeCondition(min=first.range.min)}
    return {first.id: list(first.values())}


def _interactions(pieces: list[tuple[float, Box | None]], top: float, issues: Sequence[Issue],
                  bounds: dict[str, tuple[int, int]]) -> list[Interaction]:
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


def _max_box_sum(pieces: Sequence[tuple[float, Box]], bounds: dict[str, tuple[int, int]]
                 ) -> float:
    """The largest sum of box values over the integer grid, by branch and bound.

    Each issue's range splits into cells between box edges; one point per cell suffices. Falls
    back to the sum of the positive values (an upper bound) if the search grows too large.
    """
    keys = sorted({k for _, box in pieces for k in box},
                  key=lambda k: -sum(k in b for _, b in pieces))
    cells: dict[str, list[int]] = {}
    for key in keys:
        lo, hi = bounds[key]
        cuts = {lo}
        for _, box in pieces:
            if key in box:
                for edge in (box[key][0], box[key][1] + 1):
                    if lo <= edge <= hi:
                        cuts.add(edge)
        cells[key] = sorted(cuts)
    constant = sum(v for v, box in pieces if not box)
    boxes = [(v, box) for v, box in pieces if box]
    last = {id(box): max(keys.index(k) for k in box) for _, box in boxes}
    best = -math.inf
    nodes = 0

    def search(depth: int, alive: list[tuple[float, Box]], assigned: dict[str, int]) -> None:
        nonlocal best, nodes
        nodes += 1
        if nodes > _SEARCH_NODES:
            raise _TooLarge
        done = sum(v for v, b in alive if last[id(b)] < depth)
        bound = done + sum(max(v, 0.0) for v, b in alive if last[id(b)] >= depth)
        if bound <= best:
            return
        if depth == len(keys):
            best = max(best, done)
            return
        key = keys[depth]
        for x in cells[key]:
            assigned[key] = x
            search(depth + 1, [(v, b) for v, b in alive
                               if key not in b or b[key][0] <= x <= b[key][1]], assigned)
        del assigned[key]

    try:
        search(0, boxes, {})
    except _TooLarge:
        best = sum(max(v, 0.0) for v, _ in boxes)
    return constant + (best if boxes else 0.0)


class _TooLarge(Exception):
    pass


# -- the folder -------------------------------------------------------------------------------


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
    if not folder.is_dir():
        hint = "; give the folder that holds it" if folder.is_file() else ""
        raise ImportFormatError(f"{folder}: not a folder{hint} (a Genius scenario is a folder "
                                "with one domain XML file and one profile XML file per party)")
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".xml" and p.is_file())
    except OSError as exc:
        raise ImportFormatError(f"{folder}: cannot be listed: {exc.strerror or exc}") from exc
    docs: list[_Doc] = []
    for file in files:
        data = _read_bytes(file, max_file_bytes)
        if not _looks_like_xml(data):
            continue  # e.g. 10issues/pareto.xml, which is CSV
        docs.append(_parse(file, data))
    genius = [d for d in docs if d.root.tag in ("negotiation_template", "utility_space")]
    domains = [d for d in genius if not _is_profile(d.root)]
    profiles = [d for d in genius if _is_profile(d.root)]
    if not domains:
        found = ", ".join(f.name for f in files) or "no XML files"
        raise ImportFormatError(f"{folder}: no domain file (an XML file whose root is "
                                f"<negotiation_template>) among {found}")
    if len(domains) > 1:
        names = ", ".join(d.path.name for d in domains)
        raise ImportFormatError(f"{folder}: several domain files ({names}); keep one per folder")
    domain_doc = domains[0]
    for agent in domain_doc.root.iter("agent"):
        named = (agent.get("utility_space") or "").strip()
        if named and not (folder / Path(named).name).is_file():
            raise domain_doc.error(agent, f"names the profile '{_short(named)}', which is missing "
                                          f"from {folder}")
    if not profiles:
        raise ImportFormatError(f"{folder}: missing profiles: only the domain "
                                f"{domain_doc.path.name} was found; add one <utility_space> "
                                "profile file per party")
    domain = _read_domain(domain_doc)
    issues = [d.issue for d in domain]
    by_name = {d.issue.name or d.issue.id: d for d in domain}
    party_ids = _unique_ids([d.path.stem for d in profiles], "party")
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
            raise doc.error(doc.root, f"utility space type '{kind}' is not supported; accord "
                                      "reads linear (additive) and nonlinear profiles")
        reservation, discount = _reservation_and_discount(doc)
        value: float | Number = reservation
        if abs(scale - 1.0) > _WEIGHT_TOLERANCE:
            # Genius accepts when min(1, scale * u) >= r, i.e. when u >= r / scale (r <= 1):
            # dividing r too keeps exactly the packages Genius accepts.
            value = Number(value=reservation / scale, rationale=(
                f"Genius reservation value {reservation:.12g} divided by {scale:.12g}, the sum of "
                "the profile's weights, as the weights are: the same packages are acceptable"))
        try:
            parties.append(Party(id=party_id, reservation_value=value,
                                 discount_factor=discount))
        except ValidationError as exc:
            raise doc.error(doc.root, _pydantic_message(exc)) from None
        preferences[party_id] = prefs
    try:
        return Scenario(id=_identifier(folder.resolve().name, "genius"), name=folder.resolve().name,
                        source="Genius XML folder", parties=tuple(parties), issues=tuple(issues),
                        preferences=preferences)
    except ValidationError as exc:
        raise ImportFormatError(f"{folder}: {_pydantic_message(exc)}") from None
    except AccordError as exc:
        raise ImportFormatError(f"{folder}: the imported scenario is inconsistent: {exc}") from None


# -- writing ----------------------------------------------------------------------------------


def _number(x: float) -> str:
    return repr(float(x))


def _genius_names(texts: Sequence[str | None], ids: Sequence[str]) -> list[str]:
    """Names or labels where they are all distinct, else the ids."""
    names = [t if t is not None else i for t, i in zip(texts, ids, strict=True)]
    return names if len(set(names)) == len(names) else list(ids)


def _file_stems(ids: Iterable[str]) -> list[str]:
    stems: list[str] = []
    for ident in ids:
        base = re.sub(r"[^\w.\- ]", "_", ident).strip(" .") or "party"
        stem, k = base, 2
        while stem.lower() in {s.lower() for s in stems}:
            stem, k = f"{base}_{k}", k + 1
        stems.append(stem)
    return stems


def write_genius(scenario: Scenario, folder: str | os.PathLike[str]) -> tuple[Path, ...]:
    """Write ``scenario`` as a Genius folder: a domain XML plus one profile XML per party.

    Returns the paths written, the domain first. Raises
    :class:`~accord.errors.ImportFormatError` naming what Genius cannot express: red lines,
    interactions mixed with weights, interactions on non-integer issues, numeric value
    functions that are not a clamped straight line, integer steps other than 1, real grids other
    than Genius's 21 points.
    """
    out = Path(folder)
    issue_names = _genius_names([i.name for i in scenario.issues], [i.id for i in scenario.issues])
    profiles = {p.id: _profile_xml(scenario, p, issue_names) for p in scenario.parties}
    domain = _domain_xml(scenario, issue_names)
    stems = _file_stems(scenario.party_ids)
    domain_stem = _file_stems([f"{scenario.id}-domain"])[0]
    while domain_stem.lower() in {s.lower() for s in stems}:
        domain_stem += "_"
    try:
        out.mkdir(parents=True, exist_ok=True)
        written = [out / f"{domain_stem}.xml"]
        _save(domain, written[0])
        for party_id, stem in zip(scenario.party_ids, stems, strict=True):
            written.append(out / f"{stem}.xml")
            _save(profiles[party_id], written[-1])
    except OSError as exc:
        raise ImportFormatError(f"{out}: cannot write: {exc.strerror or exc}") from exc
    return tuple(written)


def _save(root: ET.Element, path: Path) -> None:
    ET.indent(root)
    path.write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n")


def _option_values(issue: Issue) -> list[str]:
    assert issue.options is not None
    return _genius_names([o.label for o in issue.options], [o.id for o in issue.options])


def _issue_xml(issue: Issue, index: int, name: str) -> ET.Element:
    if issue.range is None:
        elem = ET.Element("issue", index=str(index), name=name, etype="discrete",
                          type="discrete", vtype="discrete")
        for k, value in enumerate(_option_values(issue), start=1):
            ET.SubElement(elem, "item", index=str(k), value=value)
        return elem
    grid = issue.range
    if grid.kind == "integer":
        if grid.step != 1:
            raise ImportFormatError(f"issue '{issue.id}': Genius integer issues have step 1, "
                                    f"this one has step {grid.step:g}")
        return ET.Element("issue", index=str(index), name=name, etype="integer", type="integer",
                          vtype="integer", lowerbound=str(int(grid.min)),
                          upperbound=str(int(grid.max)))
    if grid.size != _REAL_POINTS and grid.max > grid.min:
        raise ImportFormatError(f"issue '{issue.id}': Genius enumerates a real issue as "
                                f"{_REAL_POINTS} points; this grid has {grid.size}. Use step "
                                f"(max - min) / {_REAL_POINTS - 1}")
    elem = ET.Element("issue", index=str(index), name=name, etype="real", type="real",
                      vtype="real")
    ET.SubElement(elem, "range", lowerbound=_number(grid.min), upperbound=_number(grid.max))
    return elem


def _domain_xml(scenario: Scenario, names: Sequence[str]) -> ET.Element:
    root = ET.Element("negotiation_template")
    space = ET.SubElement(root, "utility_space", number_of_issues=str(len(scenario.issues)))
    objective = ET.SubElement(space, "objective", index="0", etype="objective", type="objective",
                              description="", name=scenario.name or scenario.id)
    for index, (issue, name) in enumerate(zip(scenario.issues, names, strict=True), start=1):
        objective.append(_issue_xml(issue, index, name))
    return root


def _profile_xml(scenario: Scenario, party: Party, names: Sequence[str]) -> ET.Element:
    prefs = scenario.preferences[party.id]
    where = f"party '{party.id}'"
    if prefs.red_lines:
        raise ImportFormatError(f"{where}: Genius profiles cannot express red lines; "
                                "drop them or turn them into negative interactions")
    weights = {k: value_of(v) for k, v in prefs.weights.items()}
    if prefs.interactions and weights:
        raise ImportFormatError(f"{where}: Genius cannot express interactions in an additive "
                                "profile (weights and interactions together)")
    root = ET.Element("utility_space")
    if prefs.interactions:
        root.set("type", "nonlinear")
    objective = ET.SubElement(root, "objective", index="0", etype="objective", type="objective",
                              description="", name=scenario.name or scenario.id)
    for index, (issue, name) in enumerate(zip(scenario.issues, names, strict=True), start=1):
        elem = _issue_xml(issue, index, name)
        if not prefs.interactions:
            _evaluate_issue(elem, issue, prefs, where)
        objective.append(elem)
    if prefs.interactions:
        _rectangles_xml(objective, scenario, prefs, where)
    else:
        total = sum(weights.values())
        scale = 1.0 if abs(total - 1.0) <= _WEIGHT_TOLERANCE else total
        for index, issue in enumerate(scenario.issues, start=1):
            ET.SubElement(objective, "weight", index=str(index),
                          value=_number(weights.get(issue.id, 0.0) / scale))
    if party.discount_factor is not None:
        ET.SubElement(root, "discount_factor", value=_number(party.discount_factor))
    ET.SubElement(root, "reservation", value=_number(party.reservation))
    return root


def _evaluate_issue(elem: ET.Element, issue: Issue, prefs: Preferences, where: str) -> None:
    values = prefs.values.get(issue.id)
    if issue.range is None:
        assert issue.options is not None
        table = values if isinstance(values, dict) else {}
        for item, option in zip(elem, issue.options, strict=True):
            item.set("evaluation", _number(value_of(table.get(option.id, 0.0))))
        return
    grid = issue.range
    if isinstance(values, PiecewiseLinear):
        points = [(x, value_of(v)) for x, v in values.points]
        largest = max(_interpolate(points, x) for x in _grid_checkpoints(grid, points))
    else:
        points, largest = [(grid.min, 0.0)], 0.0
    scale = largest if largest > 0 else 1.0
    normalised = [(x, y / scale) for x, y in points]
    intercept, slope = _as_clamped_line(normalised, grid.min, grid.max, f"{where}, issue "
                                        f"'{issue.id}'")
    if grid.kind == "integer":
        ET.SubElement(elem, "evaluator", ftype="linear", slope=_number(slope),
                      offset=_number(intercept))
    else:
        ET.SubElement(elem, "evaluator", ftype="linear", parameter0=_number(
            intercept - slope * grid.min), parameter1=_number(slope))


def _grid_checkpoints(grid: NumericRange, points: list[tuple[float, float]]) -> set[float]:
    checks = {grid.min, grid.max}
    for x, _ in points:
        k = math.floor((x - grid.min) / grid.step + 1e-9)
        for j in (k, k + 1):
            if 0 <= j < grid.size:
                checks.add(grid.min + j * grid.step)
    return checks


def _as_clamped_line(points: list[tuple[float, float]], low: float, high: float, where: str
                     ) -> tuple[float, float]:
    """(offset at ``low``, slope) with ``clamp(line, 0, 1)`` equal to the points on [low, high]."""
    xs = sorted({low, high} | {x for x, _ in points if low < x < high})
    ys = [_interpolate(points, x) for x in xs]
    intercept, slope = ys[0], 0.0
    for (x0, y0), (x1, y1) in zip(zip(xs, ys, strict=True), zip(xs[1:], ys[1:], strict=True),
                                  strict=False):
        if abs(y1 - y0) > 1e-12:
            slope = (y1 - y0) / (x1 - x0)
            intercept = y0 - slope * (x0 - low)
            break
    checks = set(xs)
    if slope != 0:
        for level in (0.0, 1.0):
            x = low + (level - intercept) / slope
            if low < x < high:
                checks.add(x)
    for x in checks:
        genius = min(1.0, max(0.0, intercept + slope * (x - low)))
        if abs(genius - _interpolate(points, x)) > 1e-9:
            raise ImportFormatError(
                f"{where}: Genius evaluates numeric issues with one straight line clamped to "
                f"[0, 1]; these points ({_short(str(points), 120)}) are not such a line"
            )
    return intercept, slope


def _rectangles_xml(objective: ET.Element, scenario: Scenario, prefs: Preferences,
                    where: str) -> None:
    index_of = {issue.id: n for n, issue in enumerate(scenario.issues, start=1)}
    bounds = {i.id: (int(i.range.min), int(i.range.max)) for i in scenario.issues
              if i.range is not None and i.range.kind == "integer" and i.range.step == 1}
    utility = ET.SubElement(objective, "utility", maxutility="1")
    ufun = ET.SubElement(utility, "ufun", type="PlainUfun", weight="1", aggregation="sum")
    pieces: list[tuple[float, Box]] = []
    for n, inter in enumerate(prefs.interactions):
        box: Box = {}
        for issue_id, cond in inter.when.items():
            if issue_id not in bounds:
                raise ImportFormatError(f"{where}: interaction {n} has a condition on issue "
                                        f"'{issue_id}'; Genius's hyper-rectangles bound integer "
                                        "issues (step 1) only")
            lo, hi = bounds[issue_id]
            if isinstance(cond, RangeCondition):
                low = lo if cond.min is None else max(lo, math.ceil(cond.min - 1e-9))
                high = hi if cond.max is None else min(hi, math.floor(cond.max + 1e-9))
            elif isinstance(cond, int | float) and not isinstance(cond, bool) and float(
                    cond).is_integer():
                low = high = int(cond)
            else:
                raise ImportFormatError(f"{where}: interaction {n}, issue '{issue_id}': only "
                                        "ranges and single integers fit a hyper-rectangle")
            box[issue_id] = (low, high)
        value = value_of(inter.value)
        pieces.append((value, box))
        rect = ET.SubElement(ufun, "hyperRectangle", utility=_number(value))
        for issue_id, (low, high) in box.items():
            ET.SubElement(rect, "INCLUDES", index=str(index_of[issue_id]), min=str(low),
                          max=str(high))
    best = _max_box_sum(pieces, bounds)
    if best > 1 + 1e-12:
        raise ImportFormatError(f"{where}: the interactions sum to {best:g} for some package; "
                                "Genius caps non-linear utilities at 1")
