"""Actors of a forecast and the CSV they come in: ``Actor,Capability,Position,Salience``.

That header is the one the public replications of Scholz, Calbert and Smith (2011) use, so
their data files read as they are. Bundled reference files live in ``accord/forecast/data``.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

from ..errors import ImportFormatError
from ..io._files import bundled_tables, read_table
from .bdm import MAX_ACTORS

__all__ = ["HEADER", "Actor", "bundled_forecasts", "parse_actors", "read_actors"]

HEADER = ("Actor", "Capability", "Position", "Salience")


@dataclass(frozen=True)
class Actor:
    """One actor: its capability (power, >= 0), position on the issue and salience in [0, 1]."""

    name: str
    capability: float
    position: float
    salience: float


def parse_actors(text: str, file: str = "<csv>") -> tuple[Actor, ...]:
    """Actors from CSV text; any problem raises :class:`ImportFormatError` naming file and line."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise ImportFormatError(f"{file}: empty; the first line must be {','.join(HEADER)}")
    header = tuple(cell.strip() for cell in rows[0])
    if tuple(h.lower() for h in header) != tuple(h.lower() for h in HEADER):
        raise ImportFormatError(
            f"{file}:1: the header is '{','.join(header)}'; it must be {','.join(HEADER)}"
        )
    actors: list[Actor] = []
    seen: set[str] = set()
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(HEADER):
            raise ImportFormatError(f"{file}:{line}: {len(row)} fields; each row needs {len(HEADER)}")
        name = row[0].strip()
        if not name:
            raise ImportFormatError(f"{file}:{line}: the actor has no name; give it one")
        if name in seen:
            raise ImportFormatError(f"{file}:{line}: actor '{name}' appears twice; give each one row")
        seen.add(name)
        values = []
        for column, cell in zip(HEADER[1:], row[1:], strict=True):
            try:
                value = float(cell)
            except ValueError:
                raise ImportFormatError(f"{file}:{line}: {column} '{cell.strip()}' is not a number") from None
            if not math.isfinite(value):
                raise ImportFormatError(f"{file}:{line}: {column} must be a finite number")
            values.append(value)
        capability, position, salience = values
        if capability < 0:
            raise ImportFormatError(f"{file}:{line}: Capability {capability:g} is negative; use >= 0")
        if not 0 <= salience <= 1:
            raise ImportFormatError(
                f"{file}:{line}: Salience {salience:g} is outside [0, 1]; rescale the saliences to [0, 1]"
            )
        actors.append(Actor(name, capability, position, salience))
    if not actors:
        raise ImportFormatError(f"{file}: a header but no actors; add one row per actor")
    if len(actors) > MAX_ACTORS:
        raise ImportFormatError(
            f"{file}: {len(actors)} actors; the model supports at most {MAX_ACTORS} (it compares "
            "every pair of actors for every voter): merge actors of like position"
        )
    return tuple(actors)


def bundled_forecasts() -> tuple[str, ...]:
    """Names of the bundled actor files (``accord forecast NAME``)."""
    return bundled_tables("accord.forecast")


def read_actors(name_or_path: str | Path) -> tuple[Actor, ...]:
    """Actors from a CSV file, or from a bundled file by name (see :func:`bundled_forecasts`)."""
    text, file = read_table(name_or_path, "accord.forecast", "actor file")
    return parse_actors(text, file=file)
