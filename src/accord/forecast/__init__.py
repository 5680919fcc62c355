"""Forecasts of where a negotiation settles: Bueno de Mesquita's expected-utility model.

Pure functions on numpy arrays (:mod:`accord.forecast.bdm`) under a thin façade of named
actors (:func:`forecast`) and scenarios (:func:`forecast_scenario`). See docs/forecast.md.
"""

from .actors import HEADER, Actor, bundled_forecasts, parse_actors, read_actors
from .bdm import MAX_ACTORS, BdmConfig, bdm_path, median_position, weighted_mean
from .result import Forecast, ForecastRound, forecast
from .scenario import IssueForecast, ScenarioForecast, forecast_scenario, issue_scale

__all__ = [
    "HEADER",
    "MAX_ACTORS",
    "Actor",
    "BdmConfig",
    "Forecast",
    "ForecastRound",
    "IssueForecast",
    "ScenarioForecast",
    "bdm_path",
    "bundled_forecasts",
    "forecast",
    "forecast_scenario",
    "issue_scale",
    "median_position",
    "parse_actors",
    "read_actors",
    "weighted_mean",
]
