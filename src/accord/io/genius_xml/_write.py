"""Writing a scenario as a Genius domain folder."""

from __future__ import annotations

import math
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from ...errors import ImportFormatError
from ...model import (
    Issue,
    NumericRange,
    Party,
    PiecewiseLinear,
    Preferences,
    RangeCondition,
    Scenario,
    value_of,
)
from ._boxes import Box, max_box_sum
from ._common import (
    _REAL_POINTS,
    _WEIGHT_TOLERANCE,
    _short,
)
from ._read import _interpolate

__all__ = ["write_genius"]

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
        elem = ET.Element(
            "issue", index=str(index), name=name, etype="discrete", type="discrete", vtype="discrete"
        )
        for k, value in enumerate(_option_values(issue), start=1):
            ET.SubElement(elem, "item", index=str(k), value=value)
        return elem
    grid = issue.range
    if grid.kind == "integer":
        if grid.step != 1:
            raise ImportFormatError(
                f"issue '{issue.id}': Genius integer issues have step 1, this one has step {grid.step:g}"
            )
        return ET.Element(
            "issue",
            index=str(index),
            name=name,
            etype="integer",
            type="integer",
            vtype="integer",
            lowerbound=str(int(grid.min)),
            upperbound=str(int(grid.max)),
        )
    if grid.size != _REAL_POINTS and grid.max > grid.min:
        raise ImportFormatError(
            f"issue '{issue.id}': Genius enumerates a real issue as "
            f"{_REAL_POINTS} points; this grid has {grid.size}. Use step "
            f"(max - min) / {_REAL_POINTS - 1}"
        )
    elem = ET.Element("issue", index=str(index), name=name, etype="real", type="real", vtype="real")
    ET.SubElement(elem, "range", lowerbound=_number(grid.min), upperbound=_number(grid.max))
    return elem


def _domain_xml(scenario: Scenario, names: Sequence[str]) -> ET.Element:
    root = ET.Element("negotiation_template")
    space = ET.SubElement(root, "utility_space", number_of_issues=str(len(scenario.issues)))
    objective = ET.SubElement(
        space,
        "objective",
        index="0",
        etype="objective",
        type="objective",
        description="",
        name=scenario.name or scenario.id,
    )
    for index, (issue, name) in enumerate(zip(scenario.issues, names, strict=True), start=1):
        objective.append(_issue_xml(issue, index, name))
    return root


def _profile_xml(scenario: Scenario, party: Party, names: Sequence[str]) -> ET.Element:
    prefs = scenario.preferences[party.id]
    where = f"party '{party.id}'"
    if prefs.red_lines:
        raise ImportFormatError(
            f"{where}: Genius profiles cannot express red lines; "
            "drop them or turn them into negative interactions"
        )
    weights = {k: value_of(v) for k, v in prefs.weights.items()}
    if prefs.interactions and weights:
        raise ImportFormatError(
            f"{where}: Genius cannot express interactions in an additive "
            "profile (weights and interactions together)"
        )
    root = ET.Element("utility_space")
    if prefs.interactions:
        root.set("type", "nonlinear")
    objective = ET.SubElement(
        root,
        "objective",
        index="0",
        etype="objective",
        type="objective",
        description="",
        name=scenario.name or scenario.id,
    )
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
            ET.SubElement(
                objective, "weight", index=str(index), value=_number(weights.get(issue.id, 0.0) / scale)
            )
    if party.discount_factor is not None:
        ET.SubElement(root, "discount_factor", value=_number(party.discount_factor))
    ET.SubElement(root, "reservation", value=_number(party.reservation))
    return root


def _evaluate_issue(elem: ET.Element, issue: Issue, prefs: Preferences, where: str) -> None:
    values = prefs.values.get(issue.id)
    if issue.range is None:
        assert issue.options is not None
        table = values if isinstance(values, Mapping) else {}
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
    intercept, slope = _as_clamped_line(normalised, grid.min, grid.max, f"{where}, issue '{issue.id}'")
    if grid.kind == "integer":
        ET.SubElement(elem, "evaluator", ftype="linear", slope=_number(slope), offset=_number(intercept))
    else:
        ET.SubElement(
            elem,
            "evaluator",
            ftype="linear",
            parameter0=_number(intercept - slope * grid.min),
            parameter1=_number(slope),
        )


def _grid_checkpoints(grid: NumericRange, points: list[tuple[float, float]]) -> set[float]:
    checks = {grid.min, grid.max}
    for x, _ in points:
        k = math.floor((x - grid.min) / grid.step + 1e-9)
        for j in (k, k + 1):
            if 0 <= j < grid.size:
                checks.add(grid.min + j * grid.step)
    return checks


def _as_clamped_line(
    points: list[tuple[float, float]], low: float, high: float, where: str
) -> tuple[float, float]:
    """(offset at ``low``, slope) with ``clamp(line, 0, 1)`` equal to the points on [low, high]."""
    xs = sorted({low, high} | {x for x, _ in points if low < x < high})
    ys = [_interpolate(points, x) for x in xs]
    intercept, slope = ys[0], 0.0
    for (x0, y0), (x1, y1) in zip(zip(xs, ys, strict=True), zip(xs[1:], ys[1:], strict=True), strict=False):
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


def _rectangles_xml(objective: ET.Element, scenario: Scenario, prefs: Preferences, where: str) -> None:
    index_of = {issue.id: n for n, issue in enumerate(scenario.issues, start=1)}
    bounds = {
        i.id: (int(i.range.min), int(i.range.max))
        for i in scenario.issues
        if i.range is not None and i.range.kind == "integer" and i.range.step == 1
    }
    utility = ET.SubElement(objective, "utility", maxutility="1")
    ufun = ET.SubElement(utility, "ufun", type="PlainUfun", weight="1", aggregation="sum")
    pieces: list[tuple[float, Box]] = []
    for n, inter in enumerate(prefs.interactions):
        box: Box = {}
        for issue_id, cond in inter.when.items():
            if issue_id not in bounds:
                raise ImportFormatError(
                    f"{where}: interaction {n} has a condition on issue "
                    f"'{issue_id}'; Genius's hyper-rectangles bound integer "
                    "issues (step 1) only"
                )
            lo, hi = bounds[issue_id]
            if isinstance(cond, RangeCondition):
                low = lo if cond.min is None else max(lo, math.ceil(cond.min - 1e-9))
                high = hi if cond.max is None else min(hi, math.floor(cond.max + 1e-9))
            elif isinstance(cond, int | float) and not isinstance(cond, bool) and float(cond).is_integer():
                low = high = int(cond)
            else:
                raise ImportFormatError(
                    f"{where}: interaction {n}, issue '{issue_id}': only "
                    "ranges and single integers fit a hyper-rectangle"
                )
            box[issue_id] = (low, high)
        value = value_of(inter.value)
        pieces.append((value, box))
        rect = ET.SubElement(ufun, "hyperRectangle", utility=_number(value))
        for issue_id, (low, high) in box.items():
            ET.SubElement(rect, "INCLUDES", index=str(index_of[issue_id]), min=str(low), max=str(high))
    best = max_box_sum(pieces, bounds, enough=1 + 1e-12)
    if best.value > 1 + 1e-12:
        raise ImportFormatError(
            f"{where}: the interactions sum to {best.value:g} for some package; "
            "Genius caps non-linear utilities at 1"
        )
    if not best.exact and best.bound > 1 + 1e-12:
        raise ImportFormatError(
            f"{where}: {best.boxes:,} interactions are too many to check within the search budget "
            "that no package sums above 1, where Genius caps non-linear utilities"
        )
