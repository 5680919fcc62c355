"""``accord robustness SCENARIO``: Monte Carlo robustness and sensitivity under uncertainty."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.padding import Padding
from rich.table import Table

from .. import _load
from ..distributed import scheduler_client
from ..errors import AccordError
from ..model import OptionValue, Scenario
from ..report.brief import DEFAULT_PRECISION, input_label, number, plural, signed
from ..uncertainty import Robustness, RobustnessConfig
from ..uncertainty import robustness as run
from ._common import esc, fail, out_console, package_arg, progress_bar
from .render import TITLES

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
    precision: Annotated[
        int, typer.Option("--precision", min=0, max=9, help="Decimals shown for gains.")
    ] = DEFAULT_PRECISION,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="tcp://HOST:8786|local:N",
            help="Evaluate the samples on a Dask cluster: the address of a running scheduler, or "
            "local:N for N worker processes on this machine (needs the 'distributed' extra; "
            "docs/distributed.md). --workers is then not used.",
        ),
    ] = None,
) -> None:
    """How robust the answer is to the ranges and distributions in the scenario: acceptance
    probabilities, the most robust package, stability of the bargaining solutions, a tornado
    of the inputs and the thresholds where a party's acceptance flips."""
    try:
        s = _load.load(scenario)
        packages = [package_arg(s, p) for p in package or ()]
        config = RobustnessConfig(workers=workers)
        with (
            scheduler_client(scheduler) as client,
            progress_bar("Sampling", counts=False, show=not as_json) as show,
        ):
            result = run(
                s, samples=samples, seed=seed, packages=packages, config=config, progress=show, client=client
            )
    except AccordError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        if scheduler is None:
            raise
        fail("interrupted: the study's tasks on the cluster were cancelled", 130)
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        render(out_console(), result, precision=precision)


def _changes(s: Scenario, package: dict[str, OptionValue] | None, base: dict[str, OptionValue]) -> str:
    if package is None:
        return "—"
    diff = [f"{s.issue(k).title}: {s.issue(k).label_of(v)}" for k, v in package.items() if base.get(k) != v]
    return "; ".join(diff) or "the same package"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _party_of(s: Scenario, pid: str) -> str:
    return s.party(pid).title


def render(console: Console, result: Robustness, *, precision: int = DEFAULT_PRECISION) -> None:
    """Rich tables of a robustness result: names, not ids; packages as their changes from the
    first package assessed; every cell wraps rather than being cut."""
    s = result.scenario
    parties = s.party_ids
    labels = {x.name: input_label(s, x) for x in result.inputs}
    console.print(
        f"[bold]{esc(s.name or s.id)}[/]: {result.samples:,} samples, seed "
        f"{result.seed}, {plural(len(result.inputs), 'uncertain input')}",
        highlight=False,
    )
    if result.inputs:
        table = Table(title="Uncertain inputs", title_justify="left")
        for col in ("input", "nominal", "distribution", "rationale"):
            table.add_column(col, overflow="fold", ratio=3 if col == "rationale" else None)
        for x in result.inputs:
            table.add_row(esc(labels[x.name]), f"{x.nominal:g}", x.description, esc(x.number.rationale or ""))
        console.print(table)
    cand = result.candidates
    console.print(
        f"Candidates: {cand['count']:,} packages ({cand['nominally_acceptable']:,} acceptable "
        f"to all at the nominal values); solutions re-solved on {cand['resolved_on']:,}. "
        f"Searched: {esc(str(cand['searched']))}.",
        highlight=False,
    )
    if not result.packages:
        return
    base = result.packages[0].package
    console.print(f"[bold]Package #1[/] ({esc(_why(result.packages[0].labels))}):", highlight=False)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", overflow="fold")
    grid.add_column(overflow="fold")
    for k, v in base.items():
        grid.add_row(esc(s.issue(k).title), esc(s.issue(k).label_of(v)))
    console.print(Padding(grid, (0, 0, 0, 2), expand=False))
    table = Table(title="Packages assessed (as changes from package #1)", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("why", overflow="fold")
    table.add_column("changes from #1", overflow="fold", ratio=1)
    for n, row in enumerate(result.packages, 1):
        table.add_row(str(n), esc(_why(row.labels)), "—" if n == 1 else esc(_changes(s, row.package, base)))
    console.print(table)
    table = Table(title="Probability that each party accepts", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("all", justify="right")
    for p in parties:
        table.add_column(esc(_party_of(s, p)), justify="right", overflow="fold")
    for n, row in enumerate(result.packages, 1):
        table.add_row(str(n), f"[bold]{_pct(row.p_all_accept)}[/]", *(_pct(row.p_accept[p]) for p in parties))
    console.print(table)
    table = Table(
        title="Gain over the reservation value: expected, and below it the worst decile (10th percentile)",
        title_justify="left",
    )
    table.add_column("#", justify="right")
    for p in parties:
        table.add_column(esc(_party_of(s, p)), justify="right", overflow="fold")
    for n, row in enumerate(result.packages, 1):
        table.add_row(
            str(n),
            *(
                signed(row.expected_gain[p], precision)
                + f"\n[dim]{signed(row.worst_decile_gain[p], precision)}[/]"
                for p in parties
            ),
        )
    console.print(table)
    if result.most_robust is not None:
        number_of = next(
            (n for n, row in enumerate(result.packages, 1) if row.package == result.most_robust.package), None
        )
        console.print(
            f"[bold green]Most robust:[/] package #{number_of or '?'}, accepted by all in "
            f"{_pct(result.most_robust.p_all_accept)} of samples.",
            highlight=False,
        )
    table = Table(title="Bargaining solutions re-solved per sample", title_justify="left")
    for col in ("solution", "nominal", "same", "no agreement", "most frequent (changes from nominal)"):
        table.add_column(col, overflow="fold", ratio=1 if col.startswith("most") else None)
    numbers = {json.dumps(row.package, sort_keys=True): n for n, row in enumerate(result.packages, 1)}
    for sol in result.solutions:
        nominal = sol.package or {}
        shown = (
            "—" if sol.package is None else f"#{numbers.get(json.dumps(sol.package, sort_keys=True), '?')}"
        )
        table.add_row(
            TITLES.get(sol.solution, sol.solution),
            shown,
            _pct(sol.p_same),
            _pct(sol.p_no_agreement),
            esc("\n".join(f"{_pct(f)}: {_changes(s, p, nominal)}" for p, f in sol.most_frequent)),
        )
    console.print(table)
    sens = result.sensitivity
    if sens.tornado:
        reference = "Nash package" if sens.reference == "nash" else "closest package"
        number_of_ref = numbers.get(json.dumps(sens.package, sort_keys=True), "?") if sens.package else "?"
        table = Table(
            title=f"Tornado: each input at its low / high end, the others nominal, in the {reference} "
            f"(#{number_of_ref}); ordered by swing (the largest change of any party's gain), largest first",
            title_justify="left",
        )
        for col in ("input", "low – high", "swing", "gains at low → high", "rejected by at low / high"):
            table.add_column(col, overflow="fold", ratio=2 if col.startswith(("input", "gains")) else None)
        bars = sorted(sens.tornado, key=lambda b: (-b.swing, b.input))
        width = max(b.swing for b in bars) or 1.0
        for b in bars:
            moved = [p for p in parties if abs(b.gain_high[p] - b.gain_low[p]) > 1e-9]
            gains = "; ".join(
                f"{_party_of(s, p)} {signed(b.gain_low[p], precision)} → {signed(b.gain_high[p], precision)}"
                for p in moved
            )
            bar = "█" * max(1, round(8 * b.swing / width)) if b.swing > 0 else ""
            low = ", ".join(_party_of(s, p) for p in b.rejected_by_low) or "—"
            high = ", ".join(_party_of(s, p) for p in b.rejected_by_high) or "—"
            table.add_row(
                esc(labels.get(b.input, b.input)),
                f"{b.low:g} – {b.high:g}",
                f"{bar} {number(b.swing, precision)}",
                esc(gains),
                esc(f"{low} / {high}"),
            )
        console.print(table)
    if sens.thresholds:
        table = Table(
            title="Thresholds: where a party's acceptance of the package flips", title_justify="left"
        )
        for col in ("input", "party", "flips at", "accepts", "method"):
            table.add_column(col, overflow="fold")
        for t in sens.thresholds:
            table.add_row(
                esc(labels.get(t.input, t.input)),
                esc(_party_of(s, t.party)),
                "—" if t.value is None else f"{t.value:.4g}",
                t.accepts if t.value is None else f"{t.accepts} it",
                t.method,
            )
        console.print(table)
    for note in result.notes:
        console.print(f"[dim]note: {esc(note)}[/]", highlight=False)


def _why(labels: tuple[str, ...] | list[str]) -> str:
    return ", ".join(TITLES.get(x, x) for x in labels)
