"""Hypothesis generators of scenarios, shared by the tests."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from accord.model import (
    Constraint,
    Interaction,
    Issue,
    NumericRange,
    Option,
    Party,
    PiecewiseLinear,
    Preferences,
    RangeCondition,
    RedLine,
    Scenario,
)
from accord.model.utility import utility_bounds

# Values on a coarse grid make exact ties (equivalent packages) common, which is what we want.
_value = st.integers(min_value=0, max_value=4).map(float)
_weight = st.integers(min_value=1, max_value=5).map(float)
# Bargaining powers with a common denominator of 2, so the engine compares the asymmetric Nash
# product exactly (prod g_i ** (2 * power_i)) and a brute force can too.
POWERS = (0.5, 1.0, 1.5, 2.0, 3.0)
_power = st.sampled_from(POWERS)
_discount = st.sampled_from((None, 0.5, 0.8, 0.95, 1.0))
# Steps of a real range that are exact in binary, so the grid points are the decimals they show.
_real_step = st.sampled_from((0.25, 0.5, 1.5, 2.5))


@st.composite
def scenarios(
    draw: st.DrawFn,
    *,
    min_parties: int = 2,
    max_parties: int = 4,
    max_issues: int = 4,
    max_options: int = 4,
    couplings: bool = True,
    powers: bool = False,
    constraints: bool = False,
    discounts: bool = False,
    real_ranges: bool = False,
) -> Scenario:
    """Small random scenarios: discrete and numeric issues, interactions and red lines; with
    ``powers``, bargaining powers from :data:`POWERS` (for the asymmetric Nash solution), not all
    equal when there are several parties; with ``constraints``, up to two scenario-level
    constraints; with ``discounts``, discount factors (or none); with ``real_ranges``, numeric
    issues may also be real ranges, starting anywhere, on steps of 0.25 to 2.5."""
    n_parties = draw(st.integers(min_parties, max_parties))
    n_issues = draw(st.integers(1, max_issues))
    issues: list[Issue] = []
    for i in range(n_issues):
        if draw(st.booleans()) and i > 0:
            n = draw(st.integers(1, max_options))
            if real_ranges and draw(st.booleans()):
                step = draw(_real_step)
                low = draw(st.integers(-4, 4)) * step
                grid = NumericRange(kind="real", min=low, max=low + (n - 1) * step, step=step)
                issues.append(Issue(id=f"r{i}", range=grid))
            else:
                issues.append(Issue(id=f"n{i}", range=NumericRange(kind="integer", min=0, max=n - 1)))
        else:
            n = draw(st.integers(1, max_options))
            issues.append(Issue(id=f"i{i}", options=tuple(Option(id=f"o{j}") for j in range(n))))
    power = [draw(_power) if powers else 1.0 for _ in range(n_parties)]
    if powers and n_parties > 1 and len(set(power)) == 1:
        power[draw(st.integers(0, n_parties - 1))] = 2.5  # unequal powers: the asymmetric case
    parties = [
        Party(
            id=f"p{p}",
            reservation_value=draw(st.integers(0, 8)) / 10,
            power=power[p],
            discount_factor=draw(_discount) if discounts else None,
        )
        for p in range(n_parties)
    ]
    prefs: dict[str, Preferences] = {}
    for party in parties:
        weights = {issue.id: draw(_weight) for issue in issues}
        values: dict[str, Any] = {}
        for issue in issues:
            if issue.is_numeric:
                lo, hi = draw(_value), draw(_value)
                grid = issue.values()
                if lo == hi == 0:
                    hi = 1.0
                if issue.range is not None and issue.range.kind == "real":
                    # Through a point inside the grid, so the function bends where packages lie.
                    mid = grid[draw(st.integers(0, len(grid) - 1))]
                    points = [(grid[0] - 1, lo), (float(mid), draw(_value)), (grid[-1] + 1, hi)]
                    if max(v for _, v in points) == 0:
                        points[-1] = (grid[-1] + 1, 1.0)
                    values[issue.id] = PiecewiseLinear(points=points)
                else:
                    values[issue.id] = PiecewiseLinear(points=[(0, lo), (max(grid[-1], 1), hi)])
            else:
                vals = [draw(_value) for _ in issue.values()]
                if max(vals) == 0:
                    vals[0] = 1.0
                values[issue.id] = {str(o): v for o, v in zip(issue.values(), vals, strict=True)}
        interactions, red_lines = [], []
        if couplings and len(issues) >= 2:
            for _ in range(draw(st.integers(0, 2))):
                interactions.append(
                    Interaction(when=draw(_conditions(issues)), value=draw(st.integers(-3, 3)) / 10)
                )
            for _ in range(draw(st.integers(0, 1))):
                red_lines.append(RedLine(when=draw(_conditions(issues))))
        prefs[party.id] = Preferences(
            weights=weights, values=values, interactions=interactions, red_lines=red_lines
        )
    # A reservation value above every utility the party can reach is refused: keep it within.
    parties = [
        p.model_copy(
            update={
                "reservation_value": min(
                    p.reservation, math.floor(utility_bounds(issues, prefs[p.id])[1] * 10 + 1e-9) / 10
                )
            }
        )
        for p in parties
    ]
    excluded = []
    if constraints and len(issues) >= 2:
        excluded = [Constraint(when=draw(_conditions(issues))) for _ in range(draw(st.integers(0, 2)))]
    return Scenario(
        id="random",
        parties=tuple(parties),
        issues=tuple(issues),
        preferences=prefs,
        constraints=tuple(excluded),
    )


@st.composite
def _conditions(draw: st.DrawFn, issues: list[Issue]) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(issues), min_size=1, max_size=2, unique_by=lambda i: i.id))
    out: dict[str, Any] = {}
    for issue in chosen:
        values = issue.values()
        if issue.is_numeric and draw(st.booleans()):
            out[issue.id] = RangeCondition(max=float(values[len(values) // 2]))
        else:
            picked = draw(st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True))
            out[issue.id] = picked if len(picked) > 1 else picked[0]
    return out


def all_packages(sizes: tuple[int, ...]) -> np.ndarray:
    """Every package as option indices (for brute-force checks on small scenarios)."""
    return np.indices(sizes).reshape(len(sizes), -1).T
