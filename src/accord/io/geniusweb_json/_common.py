"""What the GeniusWeb reader and writer share: limits, names, located errors, utilities on
the engine's grid."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ...errors import ImportFormatError

__all__ = ["EXTRAS_FILE", "MAX_FILE_BYTES"]

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Files larger than this are refused (GeniusWeb profiles are a few kilobytes)."""

EXTRAS_FILE = "accord-extras.json"
"""What GeniusWeb cannot hold (exact reservation values, discount factors), written beside it."""

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
