"""The façade: a forecast of named actors, round by round, with its ``to_dict()``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import AnalysisError
from .actors import Actor
from .bdm import BdmConfig, bdm_path, median_position, weighted_mean

__all__ = ["Forecast", "ForecastRound", "forecast"]


@dataclass(frozen=True)
class ForecastRound:
    """One round: every actor's position, the median voter position and the weighted mean."""

    round: int
    median: float
    mean: float
    positions: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {"round": self.round, "median": self.median, "mean": self.mean, "positions": self.positions}


@dataclass(frozen=True)
class Forecast:
    """A forecast: ``rounds[0]`` holds the inputs, ``rounds[t]`` the positions after round t."""

    model: str
    actors: tuple[Actor, ...]
    config: BdmConfig
    rounds: tuple[ForecastRound, ...]

    @property
    def final(self) -> ForecastRound:
        return self.rounds[-1]

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "rounds": [r.to_dict() for r in self.rounds]}


def forecast(actors: Sequence[Actor], rounds: int = 10, config: BdmConfig | None = None) -> Forecast:
    """Bueno de Mesquita's expected-utility forecast (Scholz, Calbert and Smith 2011) of ``actors``.

    See :mod:`accord.forecast.bdm` for the model and docs/forecast.md for every equation.
    """
    config = config or BdmConfig()
    if not actors:
        raise AnalysisError("a forecast needs at least one actor")
    names = [a.name for a in actors]
    if len(set(names)) != len(names):
        raise AnalysisError("actor names must be unique")
    c = np.array([a.capability for a in actors], dtype=np.float64)
    x = np.array([a.position for a in actors], dtype=np.float64)
    s = np.array([a.salience for a in actors], dtype=np.float64)
    path = bdm_path(x, c, s, rounds, config)
    out = tuple(
        ForecastRound(
            round=t,
            median=median_position(row, c, s),
            mean=weighted_mean(row, c, s),
            positions={n: float(v) for n, v in zip(names, row, strict=True)},
        )
        for t, row in enumerate(path)
    )
    return Forecast(model="bdm", actors=tuple(actors), config=config, rounds=out)
