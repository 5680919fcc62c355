"""``accord simulate`` and ``accord tournament``: negotiations played out, one or many."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from .. import _load
from ..errors import AccordError
from ..model import OptionValue, Scenario
from ..simulation import STRATEGIES, SessionConfig, SessionResult, build_domain, run_session
from ..simulation.tournament import TournamentConfig, TournamentResult, run_tournament

__all__ = ["simulate", "split_strategies", "tournament"]


def _fail(message: str) -> None:
    Console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)


def split_strategies(text: str) -> list[str]:
    """``"boulware,time-based(e=3, k=0.1)"`` -> ``["boulware", "time-based(e=3, k=0.1)"]``:
    commas inside parentheses belong to a strategy's parameters."""
    out, depth, current = [], 0, ""
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            out.append(current.strip())
            current = ""
        else:
            current += ch
    out.append(current.strip())
    return [s for s in out if s]


def _package(scenario: Scenario, package: dict[str, OptionValue]) -> str:
    return " · ".join(scenario.issue(k).label_of(v) for k, v in package.items())


StrategiesOpt = Annotated[str, typer.Option(
    "--strategies", "-s",
    help="Comma-separated strategies, one per party in the scenario's order (or one for all). "
         f"Known: {', '.join(STRATEGIES)}; parameters as in 'time-based(e=3)'.")]


def simulate(
    scenario: Annotated[str, typer.Argument(help="A bundled scenario name, a scenario YAML file "
                                                 "or a Genius folder.")],
    strategies: StrategiesOpt = "boulware,conceder",
    rounds: Annotated[int, typer.Option("--rounds", "-n", help="Deadline in rounds.")] = 100,
    seed: Annotated[int, typer.Option(help="Session seed (random strategies).")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the trace and outcome as JSON.")] = False,
    rows: Annotated[int, typer.Option(help="Trace rows shown (first and last); 0 for all.")] = 30,
) -> None:
    """Play one negotiation (stacked alternating offers) and show every offer and the outcome."""
    try:
        s = _load.load(scenario)
        result = run_session(build_domain(s), split_strategies(strategies),
                             SessionConfig(n_rounds=rounds, seed=seed))
    except AccordError as exc:
        _fail(str(exc))
        return
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        render_session(Console(), result, rows=rows)


def render_session(console: Console, result: SessionResult, *, rows: int = 30) -> None:
    """The trace (offers per round with each party's utility) and the outcome."""
    d = result.domain
    s = d.scenario
    ids = d.party_ids
    who = ", ".join(f"{s.party(p).title} [dim]({st})[/]" for p, st in zip(ids, result.strategies,
                                                                          strict=True))
    console.print(Panel(f"[bold]{s.name or s.id}[/]  ({s.id})\n{who}\n"
                        f"stacked alternating offers · deadline {result.config.n_rounds} rounds · "
                        f"seed {result.config.seed} · {d.n_packages:,} packages", expand=False))
    table = Table(title="Trace", title_justify="left")
    for col in ("round", "party", "action", "package"):
        table.add_column(col, justify="right" if col == "round" else "left")
    for pid in ids:
        table.add_column(f"u({pid})", justify="right")
    events = result.trace.events
    shown: list[Any] = list(events)
    if rows and len(events) > rows:
        head = rows // 2
        shown = [*events[:head], None, *events[len(events) - (rows - head):]]
    for e in shown:
        if e is None:
            table.add_row("…", "", f"[dim]{len(events) - rows} more[/]", "", *[""] * len(ids))
            continue
        style = {"accept": "green", "end": "red"}.get(e.action, "")
        if e.package is None:
            table.add_row(str(e.round + 1), ids[e.party], f"[{style}]walks away[/]", "",
                          *[""] * len(ids))
            continue
        u = d.utilities[e.package]
        action = f"[{style}]{e.action}[/]" if style else e.action
        table.add_row(str(e.round + 1), ids[e.party], action, _package(s, d.package(e.package)),
                      *[f"{x:.3f}" for x in u])
    console.print(table)
    o = result.outcome
    if o.agreement is not None:
        console.print(f"[bold green]Agreement[/] in round {o.rounds} (relative time {o.time:.3f}): "
                      f"{_package(s, d.package(o.agreement))}", highlight=False)
    elif o.reason == "ended":
        assert o.ended_by is not None
        console.print(f"[bold red]No agreement:[/] {ids[o.ended_by]} walked away in round "
                      f"{o.rounds}.", highlight=False)
    else:
        console.print(f"[bold red]No agreement[/] by the deadline ({o.rounds} rounds).",
                      highlight=False)
    out = Table(title="Outcome", title_justify="left")
    for col in ("party", "strategy", "utility", "reservation value", "gain"):
        out.add_column(col, justify="left" if col in ("party", "strategy") else "right")
    for p, pid in enumerate(ids):
        rv = d.views[p].reservation
        gain = o.utilities[p] - rv
        colour = "green" if gain > 1e-9 else ("red" if gain < -1e-9 else "")
        out.add_row(pid, result.strategies[p], f"{o.utilities[p]:.3f}", f"{rv:.3f}",
                    f"[{colour}]{gain:+.3f}[/]" if colour else f"{gain:+.3f}")
    console.print(out)


def tournament(
    scenarios: Annotated[list[str], typer.Argument(help="Scenarios: bundled names, YAML files or "
                                                        "Genius folders.")],
    strategies: Annotated[str, typer.Option(
        "--strategies", "-s", help="Comma-separated strategies to play against each other. "
                                   f"Known: {', '.join(STRATEGIES)}.")] = "boulware,linear,conceder",
    seeds: Annotated[int, typer.Option("--seeds", help="Sessions per assignment (seeds 0..N-1).")] = 1,
    rounds: Annotated[int, typer.Option("--rounds", "-n", help="Deadline in rounds.")] = 100,
    assignments: Annotated[str, typer.Option(
        help="'all': every assignment of strategies to parties; 'cyclic': k rotations.")] = "all",
    workers: Annotated[int | None, typer.Option(help="Processes (default: every core when it "
                                                     "pays).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write the records: .csv or .json.")] = None,
) -> None:
    """Play scenarios x strategy assignments x seeds; write one record per session and party."""
    if output is not None and output.suffix not in (".csv", ".json"):
        _fail(f"--output {output}: write .csv or .json (parquet: load the CSV with pandas)")
    try:
        loaded = [_load.load(s) for s in scenarios]
        config = TournamentConfig(n_seeds=seeds, n_rounds=rounds, workers=workers,
                                  assignments=assignments)  # type: ignore[arg-type]
        err = Console(stderr=True)
        with Progress(TextColumn("[bold]tournament"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("sessions"), TimeRemainingColumn(), console=err,
                      disable=not err.is_terminal) as bar:
            task = bar.add_task("sessions", total=None)

            def show(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            result = run_tournament(loaded, split_strategies(strategies), config, progress=show)
    except AccordError as exc:
        _fail(str(exc))
        return
    if output is not None:
        if output.suffix == ".csv":
            result.to_csv(output)
        else:
            output.write_text(json.dumps(list(result.records), indent=1) + "\n", encoding="utf-8")
    render_tournament(Console(), result, output)


def render_tournament(console: Console, result: TournamentResult, output: Path | None) -> None:
    """The summary table: one row per strategy, best mean gain first."""
    table = Table(title=f"Tournament: {result.n_sessions:,} sessions, {len(result.records):,} records",
                  title_justify="left")
    for col in ("strategy", "rows", "agreement", "utility", "gain", "welfare", "to Pareto",
                "to Nash", "rounds"):
        table.add_column(col, justify="left" if col == "strategy" else "right",
                         no_wrap=col == "strategy")

    def f(x: float | None, spec: str = ".3f") -> str:
        return "—" if x is None else format(x, spec)

    for r in result.summary():
        table.add_row(r["strategy"], str(r["rows"]), f(r["agreement_rate"], ".0%"), f(r["utility"]),
                      f(r["gain"], "+.3f"), f(r["social_welfare"]), f(r["pareto_distance"]),
                      f(r["nash_distance"]), f(r["rounds"], ".1f"))
    console.print(table)
    if output is not None:
        console.print(f"[green]wrote[/] {output}", highlight=False)
