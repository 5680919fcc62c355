"""What the GeniusWeb reader and writer share: limits, names, located errors, utilities on
the engine's grid."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...errors import ImportFormatError
from ...model import (
    Issue,
    PiecewiseLinear,
    Preferences,
    value_of,
)

__all__ = ["EXTRAS_FILE", "MAX_FILE_BYTES"]

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Files larger than this are refused (GeniusWeb profiles are a few kilobytes)."""

EXTRAS_FILE = "accord-extras.json"
"""What GeniusWeb cannot hold (exact reservation values, discount factors), written beside it."""

_TOL = 1e-9  # accord.analysis.space.TOL: the engine's grid of utilities
_DISCRETE = ("DiscreteValueSetUtilities", "discreteutils")
_NUMBER = ("NumberValueSetUtilities", "numberutils")
_PROFILE_TYPES = (
    "LinearAdditiveUtilitySpace",
    "SumOfGroupsUtilitySpace",
    "DefaultPartialOrdering",
    "LinearAdditiveUtilitySpaceOptimizer",
)

# -- reading JSON with located errors ---------------------------------------------------------


@dataclass(frozen=True)
class _At:
    """A place in a JSON file, for error messages: the file and the JSON path."""

    file: Path
    path: tuple[str | int, ...] = ()

    def __truediv__(self, key: str | int) -> _At:
        return _At(self.file, (*self.path, key))

    @property
    def where(self) -> str:
        out = "$"
        for part in self.path:
            if isinstance(part, int):
                out += f"[{part}]"
            elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
                out += f".{part}"
            else:
                out += f"[{json.dumps(part, ensure_ascii=False)}]"
        return out

    def error(self, problem: str) -> ImportFormatError:
        return ImportFormatError(f"{self.file}: {self.where}: {problem}")


def _short(text: object, limit: int = 60) -> str:
    s = text if isinstance(text, str) else json.dumps(text, ensure_ascii=False, default=str)
    return s if len(s) <= limit else s[: limit - 3] + "..."


def _issue_contributions(issues: Sequence[Issue], prefs: Preferences) -> list[np.ndarray]:
    """Each issue's utility on accord's scale, option by option, as the engine computes it."""
    weights = {k: value_of(v) for k, v in prefs.weights.items()}
    total = sum(weights.values())
    out = []
    for issue in issues:
        values = prefs.values.get(issue.id)
        weight = weights.get(issue.id, 0.0) / total if total > 0 else 0.0
        if values is None or weight <= 0:
            out.append(np.zeros(issue.size))
            continue
        if isinstance(values, PiecewiseLinear):
            raw = np.interp(
                np.asarray(issue.values(), dtype=np.float64),
                np.asarray([x for x, _ in values.points], dtype=np.float64),
                np.asarray([value_of(v) for _, v in values.points], dtype=np.float64),
            )
        else:
            raw = np.asarray([value_of(values[str(o)]) for o in issue.values()], dtype=np.float64)
        top = raw.max()
        out.append(weight * (raw / top) if top > 0 else np.zeros(issue.size))
    return out


def _quantized(contributions: Sequence[np.ndarray]) -> list[np.ndarray]:
    return [np.rint(c / _TOL).astype(np.int64) for c in contributions]
