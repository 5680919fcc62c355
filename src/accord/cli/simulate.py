"""``accord simulate`` and ``accord tournament``: negotiations played out, one or many."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from .. import _load
from ..distributed import scheduler_client
from ..errors import AccordError
from ..model import OptionValue, Scenario
from ..simulation import STRATEGIES, SessionConfig, SessionResult, build_domain, make_strategy, run_session
from ..simulation.tournament import TournamentConfig, TournamentResult, run_tournament
from ..simulation.trace import MAX_ROUNDS, PROTOCOLS
from ._common import check_output, esc, fail, out_console, progress_bar, writing

__all__ = ["simulate", "split_strategies", "tournament"]


def strategies_arg(text: str, option: str = "--strategies", *, parties: Sequence[str] = ()) -> list[str]:
    """The strategy specs of an argument, each checked (one, or one per party of ``parties``
    when given); errors name the argument."""
    specs = split_strategies(text)
    if not specs:
        fail(f"{option} '{text}': give at least one strategy; known: {', '.join(STRATEGIES)}")
    if parties and len(specs) not in (1, len(parties)):
        fail(
            f"{option} '{text}': {len(specs)} strategies for {len(parties)} parties "
            f"({', '.join(parties)}); give one per party, or one for all"
        )
    for spec in specs:
        try:
            make_strategy(spec)
        except AccordError as exc:
            fail(f"{option} '{text}': {exc}")
    return specs


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
    return esc(" · ".join(scenario.issue(k).label_of(v) for k, v in package.items()))


StrategiesOpt = Annotated[
    str,
    typer.Option(
        "--strategies",
        "-s",
        help="Comma-separated strategies, one per party in the scenario's order (or one for all). "
        f"Known: {', '.join(STRATEGIES)}; parameters as in 'time-based(e=3)'.",
    ),
]


ProtocolOpt = Annotated[
    str,
    typer.Option(
        "--protocol",
        "-p",
        help="saop: stacked alternating offers; mopac: offers, power-weighted "
        "votes and opt-ins with partial agreements; mediated: a mediator's "
        "single negotiating text.",
    ),
]
QuorumOpt = Annotated[
    float, typer.Option(help="MOPAC: the least share of the parties' total power a coalition needs.")
]

SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="tcp://HOST:8786|local:N",
        help="Run on a Dask cluster: the address of a running scheduler, or local:N for N worker "
        "processes on this machine (needs the 'distributed' extra; docs/distributed.md).",
    ),
]

_PROTOCOL_NAMES = {
    "saop": "stacked alternating offers",
    "mopac": "MOPAC (offers, votes, opt-ins; partial agreements)",
    "mediated": "mediated single text",
}


def _check_protocol(protocol: str) -> None:
    if protocol not in PROTOCOLS:
        fail(f"--protocol {protocol}: protocols are {', '.join(PROTOCOLS)}")


def check_rounds(rounds: int) -> None:
    """``--rounds`` within [1, MAX_ROUNDS]: the trace of every offer is kept in memory."""
    if rounds < 1:
        fail(f"--rounds {rounds}: a deadline is at least 1 round")
    if rounds > MAX_ROUNDS:
        fail(
            f"--rounds {rounds:,}: more than the limit of {MAX_ROUNDS:,} rounds (every offer of the "
            "trace is kept in memory); give fewer rounds"
        )


def simulate(
    scenario: Annotated[
        str, typer.Argument(help="A bundled scenario name, a scenario YAML file or a Genius folder.")
    ],
    strategies: StrategiesOpt = "boulware,conceder",
    rounds: Annotated[int, typer.Option("--rounds", "-n", help="Deadline in rounds.")] = 100,
    seed: Annotated[int, typer.Option(min=0, help="Session seed (random strategies).")] = 0,
    protocol: ProtocolOpt = "saop",
    quorum: QuorumOpt = 0.5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the trace and outcome as JSON.")] = False,
    rows: Annotated[int, typer.Option(min=0, help="Trace rows shown (first and last); 0 for all.")] = 30,
) -> None:
    """Play one negotiation and show every offer (vote, text) and the outcome."""
    _check_protocol(protocol)
    check_rounds(rounds)
    try:
        s = _load.load(scenario)
        config = SessionConfig(
            n_rounds=rounds,
            seed=seed,
            protocol=protocol,  # type: ignore[arg-type]
            quorum=quorum,
        )
        result = run_session(build_domain(s), strategies_arg(strategies, parties=s.party_ids), config)
    except AccordError as exc:
        fail(str(exc))
        return
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        render_session(out_console(), result, rows=rows)


def render_session(console: Console, result: SessionResult, *, rows: int = 30) -> None:
    """The trace (offers per round with each party's utility) and the outcome."""
    d = result.domain
    s = d.scenario
    ids = d.party_ids
    who = ", ".join(
        f"{esc(s.party(p).title)} [dim]({esc(st)})[/]" for p, st in zip(ids, result.strategies, strict=True)
    )
    config = result.config
    extra = (
        f" · quorum {config.quorum:g} of the power"
        if config.protocol == "mopac"
        else (f" · mediator {esc(config.mediator)}" if config.protocol == "mediated" else "")
    )
    console.print(
        Panel(
            f"[bold]{esc(s.name or s.id)}[/]  ({esc(s.id)})\n{who}\n"
            f"{_PROTOCOL_NAMES[config.protocol]}{extra} · deadline {config.n_rounds} "
            f"rounds · seed {config.seed} · {d.n_packages:,} packages",
            expand=False,
        )
    )
    if config.protocol == "mopac":
        _render_mopac(console, result, rows=rows)
    elif config.protocol == "mediated":
        _render_mediated(console, result, rows=rows)
    else:
        _render_saop(console, result, rows=rows)
    _render_outcome(console, result)


def _shown(items: list[Any], rows: int) -> list[Any]:
    """The first and last rows (None marks the cut)."""
    if rows and len(items) > rows:
        head = rows // 2
        return [*items[:head], None, *items[len(items) - (rows - head) :]]
    return items


def _render_saop(console: Console, result: SessionResult, *, rows: int) -> None:
    d = result.domain
    s = d.scenario
    ids = d.party_ids
    table = _trace_table("Trace", ("round", "party", "action", "package"), ids)
    events = result.trace.events
    for e in _shown(list(events), rows):
        if e is None:
            table.add_row("…", "", f"[dim]{len(events) - rows} more[/]", "", *[""] * len(ids))
            continue
        style = {"accept": "green", "end": "red"}.get(e.action, "")
        if e.package is None:
            table.add_row(
                str(e.round + 1), esc(ids[e.party]), f"[{style}]walks away[/]", "", *[""] * len(ids)
            )
            continue
        u = d.utilities[e.package]
        action = f"[{style}]{e.action}[/]" if style else e.action
        table.add_row(
            str(e.round + 1),
            esc(ids[e.party]),
            action,
            _package(s, d.package(e.package)),
            *[f"{x:.3f}" for x in u],
        )
    console.print(table)


def _trace_table(title: str, columns: tuple[str, ...], ids: Sequence[str]) -> Table:
    """A trace table: the given columns (``round`` right-aligned), then each party's utility."""
    table = Table(title=title, title_justify="left")
    for col in columns:
        table.add_column(col, justify="right" if col == "round" else "left")
    for pid in ids:
        table.add_column(esc(f"u({pid})"), justify="right")
    return table


def _render_mopac(console: Console, result: SessionResult, *, rows: int) -> None:
    """One row per offer (its voters, opt-ins marked +) and one per agreement."""
    d = result.domain
    s = d.scenario
    ids = d.party_ids
    table = _trace_table(
        "Trace (offers with their votes; + opted in)", ("round", "party", "action", "package", "votes"), ids
    )
    lines: list[Any] = []
    events = result.trace.events
    by_round: dict[int, list[Any]] = {}
    for e in events:
        by_round.setdefault(e.round, []).append(e)
    blank = [""] * len(ids)
    for r, evs in by_round.items():
        voters: dict[int, list[str]] = {}
        for e in evs:
            if e.action in ("vote", "opt-in") and e.package is not None:
                mark = "+" if e.action == "opt-in" else ""
                voters.setdefault(e.package, []).append(mark + esc(ids[e.party]))
        listed: set[int] = set()
        for e in evs:
            if e.action == "end":
                lines.append((str(r + 1), esc(ids[e.party]), "[red]walks away[/]", "", "", *blank))
            elif e.action == "offer" and e.package is not None:
                u = d.utilities[e.package]
                votes = "" if e.package in listed else ", ".join(voters.get(e.package, [])) or "—"
                listed.add(e.package)
                lines.append(
                    (
                        str(r + 1),
                        esc(ids[e.party]),
                        "offer",
                        _package(s, d.package(e.package)),
                        votes,
                        *[f"{x:.3f}" for x in u],
                    )
                )
        for a in result.outcome.agreements:
            if a.round == r:
                u = d.utilities[a.package]
                lines.append(
                    (
                        str(r + 1),
                        esc(", ".join(ids[p] for p in a.parties)),
                        "[bold green]AGREE[/]",
                        _package(s, d.package(a.package)),
                        "",
                        *[f"[green]{x:.3f}[/]" if p in a.parties else "" for p, x in enumerate(u)],
                    )
                )
    for line in _shown(lines, rows):
        if line is None:
            table.add_row("…", "", f"[dim]{len(lines) - rows} more[/]", "", "", *blank)
        else:
            table.add_row(*line)
    console.print(table)


def _render_mediated(console: Console, result: SessionResult, *, rows: int) -> None:
    """One row per text: who accepts, rejects, vetoes."""
    d = result.domain
    s = d.scenario
    ids = d.party_ids
    table = _trace_table(
        "Trace (the mediator's texts and the answers)", ("round", "text", "accept", "reject", "veto"), ids
    )
    lines: list[Any] = []
    current: list[Any] | None = None
    for e in result.trace.events:
        if e.action == "text" and e.package is not None:
            current = [
                str(e.round + 1),
                _package(s, d.package(e.package)),
                [],
                [],
                [],
                *[f"{x:.3f}" for x in d.utilities[e.package]],
            ]
            lines.append(current)
        elif current is not None and e.action in ("accept", "reject", "veto"):
            current[2 + ("accept", "reject", "veto").index(e.action)].append(esc(ids[e.party]))
    for line in _shown(lines, rows):
        if line is None:
            table.add_row("…", f"[dim]{len(lines) - rows} more[/]", "", "", "", *[""] * len(ids))
            continue
        accept, reject, veto = (", ".join(x) or "—" for x in line[2:5])
        table.add_row(line[0], line[1], f"[green]{accept}[/]", reject, f"[red]{veto}[/]", *line[5:])
    console.print(table)


def _render_outcome(console: Console, result: SessionResult) -> None:
    d = result.domain
    s = d.scenario
    ids = d.party_ids
    o = result.outcome
    if o.reason == "partial":
        bound_parties = {p for a in o.agreements for p in a.parties}
        missing = [p for p in s.required if ids.index(p) not in bound_parties]
        console.print(
            f"[bold red]No agreement:[/] the partial agreements below leave out the "
            f"signator{'y' if len(missing) == 1 else 'ies'} {', '.join(missing)}, whose acceptance "
            "an agreement requires.",
            highlight=False,
        )
        for i, a in enumerate(o.agreements, 1):
            console.print(
                f"[bold green]Partial agreement {i}[/] in round {a.round + 1} (relative "
                f"time {a.time:.3f}) among [bold]{esc(', '.join(ids[p] for p in a.parties))}"
                f"[/]: {_package(s, d.package(a.package))}",
                highlight=False,
            )
        console.print(
            f"[bold red]Left without agreement:[/] {esc(', '.join(ids[p] for p in o.without_agreement))}",
            highlight=False,
        )
    elif o.agreement is not None:
        console.print(
            f"[bold green]Agreement[/] in round {o.rounds} (relative time {o.time:.3f}): "
            f"{_package(s, d.package(o.agreement))}",
            highlight=False,
        )
    elif o.reason == "ended":
        assert o.ended_by is not None
        console.print(
            f"[bold red]No agreement:[/] {esc(ids[o.ended_by])} walked away in round {o.rounds}.",
            highlight=False,
        )
    else:
        console.print(f"[bold red]No agreement[/] by the deadline ({o.rounds} rounds).", highlight=False)
    partial = result.config.protocol == "mopac"
    out = Table(title="Outcome", title_justify="left")
    for col in (
        "party",
        "strategy",
        *(["agreement"] if partial else []),
        "utility",
        "reservation value",
        "gain",
    ):
        out.add_column(col, justify="left" if col in ("party", "strategy", "agreement") else "right")
    for p, pid in enumerate(ids):
        rv = d.views[p].reservation
        gain = o.utilities[pid] - rv
        colour = "green" if gain > 1e-9 else ("red" if gain < -1e-9 else "")
        bound = [f"#{i}" for i, a in enumerate(o.agreements, 1) if p in a.parties]
        which = [f"[green]{bound[0]}[/]" if bound else "[red]none[/]"] if partial else []
        out.add_row(
            esc(pid),
            esc(result.strategies[p]),
            *which,
            f"{o.utilities[pid]:.3f}",
            f"{rv:.3f}",
            f"[{colour}]{gain:+.3f}[/]" if colour else f"{gain:+.3f}",
        )
    console.print(out)


def tournament(
    scenarios: Annotated[
        list[str], typer.Argument(help="Scenarios: bundled names, YAML files or Genius folders.")
    ],
    strategies: Annotated[
        str,
        typer.Option(
            "--strategies",
            "-s",
            help=f"Comma-separated strategies to play against each other. Known: {', '.join(STRATEGIES)}.",
        ),
    ] = "boulware,linear,conceder",
    seeds: Annotated[int, typer.Option("--seeds", min=1, help="Sessions per assignment (seeds 0..N-1).")] = 1,
    rounds: Annotated[int, typer.Option("--rounds", "-n", help="Deadline in rounds.")] = 100,
    assignments: Annotated[
        str, typer.Option(help="'all': every assignment of strategies to parties; 'cyclic': k rotations.")
    ] = "all",
    workers: Annotated[
        int | None, typer.Option(min=1, help="Processes (default: every core when it pays).")
    ] = None,
    protocol: ProtocolOpt = "saop",
    quorum: QuorumOpt = 0.5,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the records: .csv or .json.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the --output file if it exists.")] = False,
    scheduler: SchedulerOpt = None,
) -> None:
    """Play scenarios x strategy assignments x seeds; write one record per session and party."""
    _check_protocol(protocol)
    check_rounds(rounds)
    if scheduler is not None and workers is not None:
        fail("--workers and --scheduler exclude each other: the cluster's workers run the sessions")
    if output is not None:
        if output.suffix not in (".csv", ".json"):
            fail(f"--output {output}: write .csv or .json (parquet: load the CSV with pandas)")
        check_output(output, "--output", force=force)
    try:
        loaded = [_load.load(s) for s in scenarios]
        config = TournamentConfig(
            n_seeds=seeds,
            n_rounds=rounds,
            workers=workers,
            assignments=assignments,  # type: ignore[arg-type]
            protocol=protocol,  # type: ignore[arg-type]
            quorum=quorum,
        )
        with (
            progress_bar("tournament", unit="sessions", remaining=True) as show,
            scheduler_client(scheduler) as client,
        ):
            result = run_tournament(loaded, strategies_arg(strategies), config, progress=show, client=client)
    except AccordError as exc:
        fail(str(exc))
        return
    except KeyboardInterrupt:
        if scheduler is None:
            raise
        fail("interrupted: the tournament's tasks on the cluster were cancelled", 130)
    if output is not None:
        with writing(output, "--output"):
            if output.suffix == ".csv":
                result.to_csv(output)
            else:
                output.write_text(json.dumps(list(result.records), indent=1) + "\n", encoding="utf-8")
    render_tournament(out_console(), result, output)


def render_tournament(console: Console, result: TournamentResult, output: Path | None) -> None:
    """The summary table: one row per strategy, best mean gain first."""
    table = Table(
        title=f"Tournament: {result.n_sessions:,} sessions, {len(result.records):,} records",
        title_justify="left",
    )
    for col in (
        "strategy",
        "rows",
        "agreement",
        "utility",
        "gain",
        "welfare",
        "to Pareto",
        "to Nash",
        "rounds",
    ):
        table.add_column(col, justify="left" if col == "strategy" else "right", no_wrap=col == "strategy")

    def f(x: float | None, spec: str = ".3f") -> str:
        return "—" if x is None else format(x, spec)

    for r in result.summary():
        table.add_row(
            esc(r["strategy"]),
            str(r["rows"]),
            f(r["agreement_rate"], ".0%"),
            f(r["utility"]),
            f(r["gain"], "+.3f"),
            f(r["social_welfare"]),
            f(r["pareto_distance"]),
            f(r["nash_distance"]),
            f(r["rounds"], ".1f"),
        )
    console.print(table)
    if output is not None:
        console.print(f"[green]wrote[/] {esc(output)}", highlight=False, soft_wrap=True)
