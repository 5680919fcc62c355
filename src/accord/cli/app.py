"""Typer application: analyze, explain, validate, schema, scenarios."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from .. import _load
from .._version import __version__
from ..analysis import AnalysisConfig, analyze, explain
from ..analysis.sequence import parse_order
from ..errors import AccordError, ScenarioError
from ..io import yaml as yaml_io
from ..uncertainty import recommend, uncertain_inputs
from ..uncertainty import robustness as robustness_run
from . import render
from ._common import esc, fail, out_console, package_arg, reservations, status
from .coalitions import coalitions, sequence_cmd
from .convert import convert
from .divide import divide
from .forecast import forecast
from .report import report
from .robustness import robustness
from .simulate import simulate, tournament
from .web import admin_app, db_app, serve

app = typer.Typer(
    name="accord",
    help="Exact analysis of multi-party, multi-issue agreements.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Off a terminal, usage errors are click's plain one-line `Error: ...` rather than a box
    # wrapped at 80 columns, so scripts and editors can parse them.
    rich_markup_mode="rich" if sys.stderr.isatty() else None,
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"accord {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print accord's version and exit."),
    ] = False,
) -> None:
    """Exact analysis of multi-party, multi-issue agreements."""


ScenarioArg = Annotated[
    str, typer.Argument(help="A bundled scenario name (see `accord scenarios`) or a scenario YAML file.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the machine-readable result.")]
ReservationOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--reservation",
        "-r",
        metavar="PARTY=VALUE",
        help="Override a party's reservation value (repeatable).",
    ),
]


PrecisionOpt = Annotated[
    int, typer.Option("--precision", min=0, max=9, help="Decimals shown for utilities and gains.")
]
OrderOpt = Annotated[
    str | None,
    typer.Option(
        "--order",
        metavar="'a+b, c, bloc'",
        help="The sequence of the talks, shown first with each step's price (as accord sequence; "
        "default: the scenario's declared sequence).",
    ),
]


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


@app.command("analyze")
def analyze_cmd(
    scenario: ScenarioArg,
    as_json: JsonOpt = False,
    reservation: ReservationOpt = None,
    max_enumerate: Annotated[
        int, typer.Option(min=1, help="Count acceptable packages exactly up to this many; estimate beyond.")
    ] = 50_000_000,
    max_stream: Annotated[
        int,
        typer.Option(
            min=1,
            help="Stream at most this many combinations of issues coupled by interactions or red lines.",
        ),
    ] = 50_000_000,
    seed: Annotated[int, typer.Option(min=0, help="Seed of any estimate.")] = 0,
    frontier_rows: Annotated[int, typer.Option(min=0, help="Frontier packages shown in the report.")] = 10,
    engine: Annotated[
        str, typer.Option(help="frontier, optimise (MILP, for many parties) or auto (see docs/analysis.md).")
    ] = "auto",
    time_limit: Annotated[
        float,
        typer.Option(
            min=0.01, help="Seconds the optimisation engine may spend; then it reports proven intervals."
        ),
    ] = 60.0,
    recommend_samples: Annotated[
        int,
        typer.Option(
            min=0,
            help="Monte Carlo samples (seeded by --seed) behind the recommendation when the scenario "
            "has uncertain inputs; 0: recommend the Nash solution.",
        ),
    ] = 2000,
    precision: PrecisionOpt = 2,
    order: OrderOpt = None,
) -> None:
    """Analyse a scenario: acceptable packages, frontier, bargaining solutions, blockers,
    exchanges, and one package to table."""
    try:
        if engine not in ("auto", "frontier", "optimise"):
            fail(f"--engine must be auto, frontier or optimise, got {engine!r}")
        s = _load.load(scenario)
        config = AnalysisConfig(
            max_enumerate=max_enumerate,
            max_stream=max_stream,
            seed=seed,
            engine=engine,
            time_limit=time_limit,
        )
        with status("Analysing…") as spinner:

            def show(stage: str) -> None:
                if spinner is not None:
                    spinner.update(f"Analysing: {stage}…")

            result = analyze(s, disagreement=reservations(s, reservation), config=config, progress=show)
            if recommend_samples > 0 and result.nash is not None and uncertain_inputs(result.scenario):
                show(f"weighing the uncertain inputs ({recommend_samples:,} samples)")
                rob = robustness_run(result.scenario, samples=recommend_samples, seed=seed)
                result = recommend(result, rob)
            if order:  # checked before anything is printed
                parse_order(result.scenario, order)
    except AccordError as exc:
        fail(str(exc))
        return
    if as_json:
        _print_json(result.to_dict())
        return
    try:
        render.analysis(out_console(), result, frontier_rows=frontier_rows, precision=precision, order=order)
    except AccordError as exc:
        fail(str(exc))


@app.command("explain")
def explain_cmd(
    scenario: ScenarioArg,
    package: Annotated[
        str | None,
        typer.Option(
            "--package",
            "-p",
            help="The package: 'issue=option,issue=option,...', or JSON '{\"issue\": \"option\", ...}' "
            "for ids holding ',' or '='.",
        ),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set", metavar="ISSUE=OPTION", help="One issue's option (repeatable; ids may hold ',' or '=')."
        ),
    ] = None,
    as_json: JsonOpt = False,
    reservation: ReservationOpt = None,
    precision: PrecisionOpt = 2,
) -> None:
    """How each party rates a package, who rejects it and why, and the nearest acceptable one."""
    try:
        s = _load.load(scenario)
        result = explain(s, package_arg(s, package, sets=set_), disagreement=reservations(s, reservation))
    except AccordError as exc:
        fail(str(exc))
        return
    if as_json:
        _print_json(result.to_dict())
    else:
        render.explanation(out_console(), result, precision=precision)


@app.command("validate")
def validate_cmd(file: Annotated[Path, typer.Argument(help="A scenario YAML file.")]) -> None:
    """Check a scenario file; print every problem with its line and field."""
    try:
        s = yaml_io.load_file(file)
    except ScenarioError as exc:
        fail(str(exc), code=1)
        return
    out_console().print(
        f"[green]ok[/] {esc(file)}: scenario '{esc(s.id)}', {len(s.parties)} parties, "
        f"{len(s.issues)} issues, {s.n_packages:,} packages",
        highlight=False,
        soft_wrap=True,
    )


@app.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of the scenario file format."""
    _print_json(yaml_io.schema())


@app.command("scenarios")
def scenarios_cmd(as_json: JsonOpt = False) -> None:
    """List the bundled scenarios."""
    found = _load.bundled_scenarios()
    if as_json:
        _print_json(found)
        return
    grid = Table.grid(padding=(0, 2))  # ids in one aligned column, names in the next
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for sid, name in found.items():
        grid.add_row(esc(sid), esc(name))
    out_console().print(grid)


app.command("convert")(convert)
app.command("simulate")(simulate)
app.command("tournament")(tournament)
app.command("robustness")(robustness)
app.command("report")(report)
app.command("forecast")(forecast)
app.command("divide")(divide)
app.command("coalitions")(coalitions)
app.command("sequence")(sequence_cmd)
app.command("serve")(serve)
app.add_typer(db_app, name="db")
app.add_typer(admin_app, name="admin")


def _paragraphs(text: str) -> str:
    """A docstring as help: lines within a paragraph joined, so that the terminal wraps each
    sentence at its own width instead of breaking it where the source line ended."""
    return "\n\n".join(" ".join(p.split()) for p in text.strip().split("\n\n"))


for _command in app.registered_commands:
    if _command.help is None and _command.callback is not None and _command.callback.__doc__:
        _command.help = _paragraphs(_command.callback.__doc__)


def main() -> None:
    """Entry point of the ``accord`` script."""
    app()
