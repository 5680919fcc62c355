"""A scenario, issue by issue, as inputs to the expected-utility forecast.

Each issue is one dimension: a discrete issue's options, in their declared order, sit evenly on
0-100 (the first at 0, the last at 100); a numeric issue keeps its own numbers. A party's
position is its best option on the issue (the first best, in declared order), its salience its
issue weight divided by its largest weight (``salience="max"``: its top issue is fully salient)
or by the sum of its weights (``salience="sum"``, the scenario format's normalisation), its
capability its power. Interactions and red lines have no place in the model and are left out;
a party that gives an issue weight 0 does not take part in that issue's forecast.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from ..errors import AnalysisError
from ..model import Issue, OptionValue, PiecewiseLinear, Scenario, value_of
from .actors import Actor
from .bdm import BdmConfig
from .result import Forecast, forecast

__all__ = ["IssueForecast", "ScenarioForecast", "forecast_scenario", "issue_scale"]


def issue_scale(issue: Issue) -> tuple[float, ...]:
    """Where each option of an issue sits on the forecast's axis (0-100, or the numbers)."""
    values = issue.values()
    if issue.is_numeric:
        return tuple(float(v) for v in values)
    if len(values) == 1:
        return (0.0,)
    return tuple(100.0 * k / (len(values) - 1) for k in range(len(values)))


def _option_values(issue: Issue, values: object) -> np.ndarray[Any, np.dtype[np.float64]]:
    if isinstance(values, PiecewiseLinear):
        xs = np.array([x for x, _ in values.points], dtype=np.float64)
        ys = np.array([value_of(v) for _, v in values.points], dtype=np.float64)
        return np.interp(np.array(issue.values(), dtype=np.float64), xs, ys)
    assert isinstance(values, Mapping)
    return np.array([value_of(values[str(o)]) for o in issue.values()], dtype=np.float64)


@dataclass(frozen=True)
class IssueForecast:
    """One issue's forecast and the option nearest to where its median voter ends."""

    issue: str
    options: tuple[OptionValue, ...]
    scale: tuple[float, ...]
    forecast: Forecast
    settles_at: OptionValue

    def to_dict(self) -> dict[str, Any]:
        return {
            "issue": self.issue,
            "scale": dict(zip((str(v) for v in self.options), self.scale, strict=True)),
            "settles_at": self.settles_at,
            **self.forecast.to_dict(),
        }


@dataclass(frozen=True)
class ScenarioForecast:
    """The forecast of every issue of a scenario (issues nobody weighs are left out)."""

    scenario: str
    issues: tuple[IssueForecast, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"model": "bdm", "scenario": self.scenario, "issues": [i.to_dict() for i in self.issues]}


def forecast_scenario(
    scenario: Scenario,
    rounds: int = 10,
    config: BdmConfig | None = None,
    salience: Literal["max", "sum"] = "max",
) -> ScenarioForecast:
    """Forecast each issue of ``scenario`` with Bueno de Mesquita's model (see the module doc).

    ``salience="max"`` (the default) divides a party's weights by its largest, so saliences keep
    the model's meaning (1: the issue the party cares most about) however many issues there are;
    ``"sum"`` divides by their sum, which on a scenario of many issues makes every salience small,
    and in this model a target of low salience seldom resists any challenge.
    """
    if salience not in ("max", "sum"):
        raise AnalysisError(f"salience '{salience}': use 'max' or 'sum'")
    out = []
    for issue in scenario.issues:
        scale = issue_scale(issue)
        actors = []
        for party in scenario.parties:
            prefs = scenario.preferences[party.id]
            weights = {k: value_of(v) for k, v in prefs.weights.items()}
            total = sum(weights.values())
            weight = weights.get(issue.id, 0.0)
            if weight <= 0 or total <= 0 or issue.id not in prefs.values:
                continue
            best = int(np.argmax(_option_values(issue, prefs.values[issue.id])))
            scale_by = max(weights.values()) if salience == "max" else total
            actors.append(Actor(party.id, party.bargaining_power, scale[best], weight / scale_by))
        if not actors:
            continue
        result = forecast(actors, rounds=rounds, config=config)
        median = result.final.median
        nearest = min(range(len(scale)), key=lambda k: (abs(scale[k] - median), k))
        out.append(
            IssueForecast(
                issue=issue.id,
                options=issue.values(),
                scale=scale,
                forecast=result,
                settles_at=issue.values()[nearest],
            )
        )
    return ScenarioForecast(scenario=scenario.id, issues=tuple(out))
