"""``accord divide FILE``: Brams and Taylor's Adjusted Winner between two parties."""

from __future__ import annotations

import json
import sys
from fractions import Fraction
from typing import Annotated

import typer
from rich.table import Table

from ..division import adjusted_winner, bundled_divisions, read_items
from ..errors import AccordError
from ._common import esc, fail, out_console

__all__ = ["divide"]


def _mixed(f: Fraction) -> str:
    """A fraction as people read points: 56 2/3, 1/6, 40."""
    whole, rest = divmod(f.numerator, f.denominator)
    if rest == 0:
        return str(whole)
    part = f"{rest}/{f.denominator}"
    return f"{whole} {part}" if whole else part


def divide(
    source: Annotated[
        str,
        typer.Argument(
            help="A CSV 'item,<party A>,<party B>' (100 points each) or a bundled one "
            f"({', '.join(bundled_divisions())})."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the machine-readable result.")] = False,
) -> None:
    """Divide items between two parties by Adjusted Winner: equal points, envy-free, efficient,
    at most one item split (exact fractions)."""
    try:
        items = read_items(source)
        result = adjusted_winner(items.items, items.points)
    except AccordError as exc:
        fail(str(exc))
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    console = out_console()
    a, b = result.parties
    table = Table(title=f"Adjusted Winner: {esc(source)}", title_justify="left")
    table.add_column("item")
    for p in (a, b):
        table.add_column(f"{esc(p)} points", justify="right")
    for p in (a, b):
        table.add_column(f"{esc(p)} gets", justify="right")
    for item in result.items:
        share = result.allocation[item]
        table.add_row(
            esc(item),
            _mixed(result.values[a][item]),
            _mixed(result.values[b][item]),
            *(_mixed(share[p]) if share[p] else "—" for p in (a, b)),
        )
    console.print(table)
    console.print(
        f"Points: {esc(a)} [bold]{_mixed(result.points[a])}[/], {esc(b)} [bold]{_mixed(result.points[b])}[/]",
        highlight=False,
    )
    if result.split is None:
        console.print("No item is split.", highlight=False)
    else:
        shares = ", ".join(f"{esc(p)} {_mixed(f)}" for p, f in result.split.fraction.items())
        console.print(f"Split item: [bold]{esc(result.split.item)}[/] ({shares})", highlight=False)
    checks = {"envy-free": result.envy_free, "equitable": result.equitable, "efficient": result.efficient}
    console.print(
        "Checks: "
        + ", ".join(f"{k} [{'green' if v else 'red'}]{'yes' if v else 'NO'}[/]" for k, v in checks.items()),
        highlight=False,
    )
