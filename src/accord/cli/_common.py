"""What every command shares: how an error is printed, and ``PARTY=VALUE`` overrides."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from ..model import Scenario

__all__ = ["fail", "reservations"]


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``error: message`` on stderr (as text: user data may hold brackets) and exit."""
    Console(stderr=True).print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def reservations(scenario: Scenario, items: list[str] | None) -> dict[str, float] | None:
    """``--reservation PARTY=VALUE`` options as ``{party: value}``; None when there are none."""
    if not items:
        return None
    values: dict[str, float] = {}
    for item in items:
        party, sep, value = item.partition("=")
        if not sep:
            fail(f"--reservation '{item}' is not of the form PARTY=VALUE, e.g. russia=0.45")
        if party not in scenario.party_ids:
            fail(f"--reservation names no party '{party}'; parties are {', '.join(scenario.party_ids)}")
        try:
            values[party] = float(value)
        except ValueError:
            fail(f"--reservation {party}: '{value}' is not a number")
    return values
