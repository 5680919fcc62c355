"""``accord robustness SCENARIO``: Monte Carlo robustness and sensitivity under uncertainty."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .. import _load
from ..errors import AccordError
from ..model import OptionValue
from ..uncertainty import Robustness, RobustnessConfig
from ..uncertainty import robustness as run
from ._common import esc, fail, package_arg

__all__ = ["robustness"]


def robustness(
    scenario: Annotated[str, typer.Argument(help="A bundled scenario name or a scenario YAML file.")],
    samples: Annotated[int, typer.Option("--samples", "-n", min=1, help="Monte Carlo samples.")] = 10_000,
    seed: Annotated[int, typer.Option(min=0, help="Seed of the samples.")] = 0,
    package: Annotated[
        list[str] | None,
        typer.Option(
            "--package",
            "-p",
            metavar="'issue=option,...'",
            help="A package to assess as well (repeatable): 'issue=option,...' or a JSON object.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the machine-readable result.")] = False,
    workers: Annotated[int, typer.Option(min=1, help="Threads evaluating samples.")] = 2,
) -> None:
    """How robust the answer is to the ranges and distributions in the scenario: acceptance
    probabilities, the most robust package, stability of the bargaining solutions, a tornado
    of the inputs and the thresholds where a party's acceptance flips."""
    err = Console(stderr=True)
    try:
        s = _load.load(scenario)
        packages = [package_arg(s, p) for p in package or ()]
        config = RobustnessConfig(workers=workers)
        if err.is_terminal and not as_json:
            with Progress(
                TextColumn("Sampling"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            ) as bar:
                task = bar.add_task("samples", total=2 * samples)

                def show(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                result = run(s, samples=samples, seed=seed, packages=packages, config=config, progress=show)
        else:
            result = run(s, samples=samples, seed=seed, packages=packages, config=config)
    except AccordError as exc:
        fail(str(exc))
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        render(Console(), result)


def _pkg(package: dict[str, OptionValue] | None) -> str:
    return "—" if package is None else esc(", ".join(f"{k}={v}" for k, v in package.items()))


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def render(console: Console, result: Robustness) -> None:
    """Rich tables of a robustness result."""
    s = result.scenario
    parties = s.party_ids
    console.print(
        f"[bold]{esc(s.name or s.id)}[/]  ({esc(s.id)}): {result.samples:,} samples, seed "
        f"{result.seed}, {len(result.inputs)} uncertain inputs",
        highlight=False,
    )
    if result.inputs:
        table = Table(title="Uncertain inputs", title_justify="left")
        for col in ("input", "nominal", "distribution", "rationale"):
            table.add_column(col)
        for x in result.inputs:
            table.add_row(esc(x.name), f"{x.nominal:g}", esc(x.description), esc(x.number.rationale or ""))
        console.print(table)
    cand = result.candidates
    console.print(
        f"Candidates: {cand['count']:,} packages ({cand['nominally_acceptable']:,} acceptable "
        f"to all at the nominal values); solutions re-solved on {cand['resolved_on']:,}. "
        f"Searched: {esc(cand['searched'])}.",
        highlight=False,
    )
    table = Table(title="Packages assessed", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("why")
    for issue in s.issue_ids:
        table.add_column(esc(issue))
    for n, row in enumerate(result.packages, 1):
        table.add_row(str(n), esc(", ".join(row.labels)), *(esc(row.package[i]) for i in s.issue_ids))
    console.print(table)
    table = Table(title="Probability of acceptance", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("all", justify="right")
    for p in parties:
        table.add_column(esc(p), justify="right")
    for n, row in enumerate(result.packages, 1):
        table.add_row(str(n), f"[bold]{_pct(row.p_all_accept)}[/]", *(_pct(row.p_accept[p]) for p in parties))
    console.print(table)
    table = Table(
        title="Gain over the reservation value: expected / worst decile (10th percentile)",
        title_justify="left",
    )
    table.add_column("#", justify="right")
    for p in parties:
        table.add_column(esc(p), justify="right")
    for n, row in enumerate(result.packages, 1):
        table.add_row(
            str(n), *(f"{row.expected_gain[p]:+.3f} / {row.worst_decile_gain[p]:+.3f}" for p in parties)
        )
    console.print(table)
    if result.most_robust is not None:
        console.print(
            f"[bold green]Most robust:[/] {_pkg(result.most_robust.package)}, accepted by "
            f"all in {_pct(result.most_robust.p_all_accept)} of samples.",
            highlight=False,
        )
    table = Table(title="Bargaining solutions re-solved per sample", title_justify="left")
    for col in ("solution", "nominal", "same", "no agreement", "most frequent (changes from nominal)"):
        table.add_column(col)
    numbers = {json.dumps(row.package, sort_keys=True): n for n, row in enumerate(result.packages, 1)}
    for sol in result.solutions:
        base = sol.package or {}
        shown = (
            "—" if sol.package is None else f"#{numbers.get(json.dumps(sol.package, sort_keys=True), '?')}"
        )
        table.add_row(
            esc(sol.solution),
            shown,
            _pct(sol.p_same),
            _pct(sol.p_no_agreement),
            "\n".join(
                f"{_pct(f)}: "
                + (esc(", ".join(f"{k}={v}" for k, v in p.items() if base.get(k) != v)) or "the same")
                for p, f in sol.most_frequent
            ),
        )
    console.print(table)
    sens = result.sensitivity
    if sens.tornado:
        table = Table(
            title=f"Tornado: each input at its low / high end, others nominal "
            f"({sens.reference} package: {_pkg(sens.package)})",
            title_justify="left",
        )
        for col in ("input", "low", "high", "swing", "gains at low → high", "rejected by (low / high)"):
            table.add_column(col)
        width = max(b.swing for b in sens.tornado) or 1.0
        for b in sens.tornado:
            moved = [p for p in parties if abs(b.gain_high[p] - b.gain_low[p]) > 1e-9]
            gains = "; ".join(f"{esc(p)} {b.gain_low[p]:+.3f} → {b.gain_high[p]:+.3f}" for p in moved)
            bar = "█" * max(1, round(20 * b.swing / width)) if b.swing > 0 else ""
            table.add_row(
                esc(b.input),
                f"{b.low:g}",
                f"{b.high:g}",
                f"{bar} {b.swing:.3f}",
                gains,
                esc(f"{', '.join(b.rejected_by_low) or '—'} / {', '.join(b.rejected_by_high) or '—'}"),
            )
        console.print(table)
    if sens.thresholds:
        table = Table(
            title="Thresholds: where a party's acceptance of the package flips", title_justify="left"
        )
        for col in ("input", "party", "flips at", "accepts", "method"):
            table.add_column(col)
        for t in sens.thresholds:
            table.add_row(
                esc(t.input),
                esc(t.party),
                "—" if t.value is None else f"{t.value:.4g}",
                t.accepts if t.value is None else f"{t.accepts} it",
                t.method,
            )
        console.print(table)
    for note in result.notes:
        console.print(f"[dim]note: {esc(note)}[/]", highlight=False)
