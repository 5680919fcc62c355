"""``accord coalitions`` and ``accord sequence``: who can agree with whom, and in what order."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from .. import _load
from ..analysis.coalitions import coalition_map
from ..analysis.sequence import compare_orders, sequence
from ..distributed import scheduler_client
from ..errors import AccordError
from ._common import esc, fail, out_console, progress_bar, reservations

__all__ = ["coalitions", "sequence_cmd", "signed"]

ScenarioArg = Annotated[str, typer.Argument(help="A bundled scenario name or a scenario YAML file.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the machine-readable result.")]
ReservationOpt = Annotated[
    list[str] | None,
    typer.Option("--reservation", "-r", metavar="PARTY=VALUE", help="Override a party's reservation value."),
]


def signed(gain: float | None, *, what: str = "its reservation value") -> str:
    """A gain over a reservation value in words a reader cannot misread."""
    if gain is None:
        return "no package at all"
    if abs(gain) < 5e-10:
        return f"exactly at {what}"
    return f"{abs(gain):.3f} {'above' if gain > 0 else 'below'} {what}"


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _package(data: dict[str, Any] | None) -> str:
    if data is None:
        return "—"
    return ", ".join(f"{k}={v}" for k, v in data.items())


def coalitions(
    scenario: ScenarioArg,
    coalition: Annotated[
        list[str] | None,
        typer.Option(
            "--coalition",
            "-c",
            metavar="'a+b+bloc'",
            help="A coalition to examine (repeatable); needed beyond 12 parties.",
        ),
    ] = None,
    along: Annotated[
        str | None,
        typer.Option(
            "--along",
            metavar="'a+b, c, bloc'",
            help="Also the coalitions met along this sequence (the groups in at each step).",
        ),
    ] = None,
    as_json: JsonOpt = False,
    reservation: ReservationOpt = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="tcp://HOST:8786|local:N",
            help="Solve the coalitions on a Dask cluster: the address of a running scheduler, or "
            "local:N for N worker processes on this machine (needs the 'distributed' extra; "
            "docs/distributed.md).",
        ),
    ] = None,
) -> None:
    """The coalition map: for every group of parties, can it agree, its slack, its Nash package,
    which outsiders accept it; the largest groups that can agree, the minimal blocking sets and
    each party's veto weight."""
    try:
        s = _load.load(scenario)
        named = None if not coalition else [[n.strip() for n in c.split("+") if n.strip()] for c in coalition]
        steps = (
            None
            if along is None
            else [[n.strip() for n in g.split("+") if n.strip()] for g in along.split(",")]
        )
        if named is None and steps is not None:
            named = []  # the sequence's coalitions only, whatever the number of parties
        disagreement = reservations(s, reservation)
        with scheduler_client(scheduler) as client, progress_bar("coalitions", show=not as_json) as show:
            result = coalition_map(
                s, coalitions=named, along=steps, disagreement=disagreement, client=client, progress=show
            )
    except AccordError as exc:
        fail(str(exc))
        return
    except KeyboardInterrupt:
        if scheduler is None:
            raise
        fail("interrupted: the coalitions' tasks on the cluster were cancelled", 130)
    data = result.to_dict()
    if as_json:
        _print_json(data)
        return
    out = out_console()
    table = Table(title=f"Coalitions of {s.name or s.id}", title_justify="left")
    for col in ("coalition", "can agree", "slack", "Nash package", "outsiders who also accept it"):
        table.add_column(col)
    for c in data["coalitions"]:
        slack = c["slack"]
        table.add_row(
            esc("+".join(c["members"])),
            "[green]yes[/]" if c["can_agree"] else "[red]no[/]",
            "—" if slack is None else (f"+{slack:.3f}" if slack >= 0 else f"{slack:.3f}"),
            esc(_package(c["nash_package"])),
            esc(", ".join(c["outsiders_accepting"]) or "—"),
        )
    out.print(table)
    out.print(
        "slack: the most every member could raise its reservation value together and still agree "
        "(negative: how far all must lower it).",
        highlight=False,
    )
    if data["complete"]:
        out.print(
            "Largest coalitions that can agree: "
            + esc("; ".join("+".join(c) for c in data["largest_that_can_agree"]) or "none"),
            highlight=False,
        )
        blocking = data["minimal_blocking_sets"]
        out.print(
            "Minimal blocking sets (together they make agreement impossible): "
            + esc("; ".join("+".join(c) for c in blocking) or "none"),
            highlight=False,
        )
        weights = Table(title="Veto weight", title_justify="left")
        for col in ("party", "mean slack drop when it joins", "coalitions it blocks"):
            weights.add_column(col)
        ranked = sorted(data["veto_weight"].items(), key=lambda kv: -(kv[1]["mean_slack_drop"] or 0.0))
        for party, w in ranked:
            drop = w["mean_slack_drop"]
            weights.add_row(esc(party), "—" if drop is None else f"{drop:.3f}", str(w["coalitions_blocked"]))
        out.print(weights)


def sequence_cmd(
    scenario: ScenarioArg,
    order: Annotated[
        str | None,
        typer.Option(
            "--order",
            "-o",
            metavar="'a+b, c, bloc'",
            help="Groups in the order they join: commas between groups, + within one "
            "(default: the scenario's `sequence`).",
        ),
    ] = None,
    orders: Annotated[
        str | None,
        typer.Option("--orders", metavar="all", help="'all': compare every order of the same groups."),
    ] = None,
    as_json: JsonOpt = False,
    reservation: ReservationOpt = None,
) -> None:
    """Agree in steps: the first group's Nash package, then at each step the package that keeps
    the insiders as well off as possible while the newcomers also accept; per step each
    insider's price and the issues that moved, or what would unblock an impossible step."""
    if orders not in (None, "all"):
        fail(f"--orders '{orders}': the only value is 'all'")
    try:
        s = _load.load(scenario)
        order = order or s.sequence
        if order is None:
            fail(f"scenario '{s.id}' declares no `sequence`: give the order with --order 'a+b, c'")
            return
        overrides = reservations(s, reservation)
        result = sequence(s, order, disagreement=overrides)
        compared = compare_orders(s, order, disagreement=overrides) if orders == "all" else None
    except AccordError as exc:
        fail(str(exc))
        return
    data = result.to_dict()
    if as_json:
        if compared is not None:
            data["orders"] = compared.to_dict()
        _print_json(data)
        return
    out = out_console()
    _render_steps(out, data, {p.id: p.reservation for p in result.scenario.parties})
    if compared is not None:
        _render_orders(out, compared.to_dict())


def _render_steps(out: Console, data: dict[str, Any], reservation: dict[str, float]) -> None:
    for n, step in enumerate(data["steps"], 1):
        who = esc(", ".join(step["newcomers"]))
        if not step["possible"]:
            out.print(
                f"[bold red]Step {n}: {who} cannot join[/]: no package is acceptable to all of "
                f"{esc(', '.join([*step['insiders'], *step['newcomers']]))}.",
                highlight=False,
            )
            blocked = step["blocked"]
            for cut in blocked["reservation_cuts"]:
                party, by = cut["party"], cut["lower_by"]
                if by is None:
                    out.print(
                        f"  {esc(party)}: lowering its reservation value alone would not help.",
                        highlight=False,
                    )
                else:
                    r = reservation[party]
                    out.print(
                        f"  {esc(party)}'s reservation value would have to fall by {by:.3f} "
                        f"(from {r:.3f} to {r - by:.3f}).",
                        highlight=False,
                    )
            for group in blocked["red_line_sets"]:
                lines = "; ".join(
                    f"{g['party']}'s red line {g['red_line'] + 1} ({g['rationale'] or 'no rationale'})"
                    for g in group
                )
                out.print(f"  or drop {esc(lines)}.", highlight=False)
            if not blocked["red_line_sets"]:
                out.print("  No set of at most three red lines, dropped, would allow it.", highlight=False)
            return
        title = f"Step {n}, {who} first" if not step["insiders"] else f"Step {n}, {who} join"
        out.print(f"[bold]{title}[/]: {esc(_package(step['package']))}", highlight=False)
        for m in step["moved"]:
            out.print(f"  {esc(m['issue'])}: {esc(str(m['from']))} → {esc(str(m['to']))}", highlight=False)
        for party, price in step["prices"].items():
            verb = "pays" if price > 5e-10 else ("gains" if price < -5e-10 else "keeps what it had")
            amount = "" if verb.startswith("keeps") else f" {abs(price):.3f}"
            out.print(f"  {esc(party)} {verb}{amount} (now {step['utilities'][party]:.3f})", highlight=False)
    nash = data["all_party_nash"]
    if data["completed"] and nash is not None:
        same = data["end_is_all_party_nash"]
        out.print(
            "The end package "
            + (
                "[green]is[/] the all-party Nash solution."
                if same
                else "differs from the all-party Nash solution "
            )
            + ("" if same else esc(_package(nash["package"])) + ":"),
            highlight=False,
        )
        if not same:
            for party, diff in data["end_minus_all_party_nash"].items():
                out.print(f"  {esc(party)}: {signed(diff, what='its Nash utility')}", highlight=False)


def _render_orders(out: Console, data: dict[str, Any]) -> None:
    table = Table(title="Every order", title_justify="left")
    for col in ("order", "end package", "all-party Nash?"):
        table.add_column(col)
    for o in data["orders"]:
        table.add_row(
            esc(", ".join("+".join(g) for g in o["order"])),
            esc(_package(o["end_package"])) if o["completed"] else "[red]blocked[/]",
            "" if o["end_is_all_party_nash"] is None else ("yes" if o["end_is_all_party_nash"] else "no"),
        )
    out.print(table)
    out.print(
        f"{data['distinct_end_packages']} distinct end package(s): the order "
        + ("[bold]matters[/]." if data["order_matters"] else "does not matter."),
        highlight=False,
    )
    for group, gains in data["gain_from_going_first"].items():
        text = ", ".join(f"{p} {signed(g, what='its average otherwise')}" for p, g in gains.items())
        out.print(f"  When {esc(group)} goes first: {esc(text)}", highlight=False)
