"""The CSV of a two-party division: a header ``item,<party A>,<party B>``, one row per item.

Bundled examples live in ``accord/division/data`` (``accord divide NAME``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from ..errors import ImportFormatError
from ..io._files import bundled_tables, read_table

__all__ = ["Items", "bundled_divisions", "parse_items", "read_items"]


@dataclass(frozen=True)
class Items:
    """Items and each party's points for them, as exact fractions."""

    items: tuple[str, ...]
    points: dict[str, tuple[Fraction, ...]]


def parse_items(text: str, file: str = "<csv>") -> Items:
    """Items from CSV text; any problem raises :class:`ImportFormatError` naming file and line."""
    rows = [r for r in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(c.strip() for c in r)]
    if not rows:
        raise ImportFormatError(f"{file}: empty; the first line must be item,<party A>,<party B>")
    header = [c.strip() for c in rows[0]]
    if len(header) != 3 or header[0].lower() != "item" or not header[1] or not header[2]:
        raise ImportFormatError(
            f"{file}:1: the header is '{','.join(header)}'; it must be item,<party A>,<party B>"
        )
    if header[1] == header[2]:
        raise ImportFormatError(f"{file}:1: both parties are named '{header[1]}'; name them apart")
    items: list[str] = []
    points: dict[str, list[Fraction]] = {header[1]: [], header[2]: []}
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != 3:
            raise ImportFormatError(
                f"{file}:{line}: {len(row)} fields; each row needs 3 (item and two points)"
            )
        item = row[0].strip()
        if not item:
            raise ImportFormatError(f"{file}:{line}: the item has no name; give it one")
        if item in items:
            raise ImportFormatError(f"{file}:{line}: item '{item}' appears twice; give each one row")
        items.append(item)
        for party, cell in zip(header[1:], row[1:], strict=True):
            try:
                value = Fraction(cell.strip())
            except (ValueError, ZeroDivisionError):
                raise ImportFormatError(
                    f"{file}:{line}: {party}'s points '{cell.strip()}' are not an exact number "
                    "(e.g. 12.5 or 25/2)"
                ) from None
            if value < 0:
                raise ImportFormatError(f"{file}:{line}: {party}'s points are negative; use >= 0")
            points[party].append(value)
    if not items:
        raise ImportFormatError(f"{file}: a header but no items; add one row per item")
    for party, values in points.items():
        if sum(values) != 100:
            raise ImportFormatError(
                f"{file}: {party}'s points sum to {float(sum(values)):g}; each party spreads exactly 100"
            )
    return Items(tuple(items), {p: tuple(v) for p, v in points.items()})


def bundled_divisions() -> tuple[str, ...]:
    """Names of the bundled item files (``accord divide NAME``)."""
    return bundled_tables("accord.division")


def read_items(name_or_path: str | Path) -> Items:
    """Items from a CSV file, or from a bundled file by name (see :func:`bundled_divisions`)."""
    text, file = read_table(name_or_path, "accord.division", "item file")
    return parse_items(text, file=file)
