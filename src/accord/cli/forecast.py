"""``accord forecast FILE|SCENARIO``: Bueno de Mesquita's expected-utility forecast."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from .. import _load
from ..errors import AccordError
from ..forecast import (
    BdmConfig,
    Forecast,
    ScenarioForecast,
    bundled_forecasts,
    forecast_scenario,
    read_actors,
)
from ..forecast import forecast as run
from ._common import esc, fail, out_console

__all__ = ["forecast"]


def forecast(
    source: Annotated[
        str,
        typer.Argument(
            help="An actor CSV (Actor,Capability,Position,Salience), a bundled one "
            f"({', '.join(bundled_forecasts())}), or a scenario (bundled name or YAML file)."
        ),
    ],
    model: Annotated[str, typer.Option(help="The forecasting model; only 'bdm' is implemented.")] = "bdm",
    rounds: Annotated[int, typer.Option(help="Rounds of offers to run.", min=0, max=1000)] = 10,
    probability: Annotated[
        str, typer.Option(help="'all_pairs' (the authors' program) or 'dyad' (the text's equation).")
    ] = "all_pairs",
    compromise: Annotated[
        str, typer.Option(help="'weighted_position' (the authors' program) or 'nearest' (the text).")
    ] = "weighted_position",
    salience: Annotated[
        str,
        typer.Option(
            help="Scenarios: a party's issue weight over its largest ('max') or over their sum ('sum')."
        ),
    ] = "max",
    as_json: Annotated[bool, typer.Option("--json", help="Print the machine-readable result.")] = False,
) -> None:
    """Where the expected-utility model (Scholz, Calbert and Smith 2011) says an issue settles:
    every actor's position, the median voter and the weighted mean, round by round."""
    if model != "bdm":
        fail(f"--model '{model}': only 'bdm' (Bueno de Mesquita's expected-utility model) is implemented")
    if not Path(source).exists() and source not in bundled_forecasts() + tuple(_load.bundled_scenarios()):
        fail(
            f"no file '{source}' and nothing bundled of that name; actor files: "
            f"{', '.join(bundled_forecasts())}; scenarios: {', '.join(_load.bundled_scenarios())}"
        )
    for option, value, allowed in (
        ("--probability", probability, ("all_pairs", "dyad")),
        ("--compromise", compromise, ("weighted_position", "nearest")),
        ("--salience", salience, ("max", "sum")),
    ):
        if value not in allowed:
            fail(f"{option} '{value}': use one of {', '.join(allowed)}")
    try:
        config = BdmConfig(probability=probability, compromise=compromise)  # type: ignore[arg-type]
        result: Forecast | ScenarioForecast
        if _is_actor_file(source):
            result = run(read_actors(source), rounds=rounds, config=config)
        else:
            result = forecast_scenario(
                _load.load(source),
                rounds=rounds,
                config=config,
                salience=salience,  # type: ignore[arg-type]
            )
    except AccordError as exc:
        fail(str(exc))
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    console = out_console()
    if isinstance(result, Forecast):
        _render(console, result, title=source)
    else:
        for issue in result.issues:
            _render(console, issue.forecast, title=f"{result.scenario}: {issue.issue}")
            console.print(
                f"[bold]{esc(issue.issue)}[/] settles at [bold green]{esc(issue.settles_at)}[/] "
                f"(median {issue.forecast.final.median:.4g} on the issue's scale)\n",
                highlight=False,
            )


def _is_actor_file(source: str) -> bool:
    path = Path(source)
    if path.exists():  # a .csv that is not a regular file is refused as an actor file
        return path.suffix.lower() == ".csv"
    return source in bundled_forecasts()


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _render(console: Console, result: Forecast, title: str) -> None:
    """One column per round (round 0 = the inputs), one row per actor: long forecasts stay
    narrow enough for a terminal."""
    table = Table(
        title=f"Expected-utility forecast: {esc(title)}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 0, 0, 1),
    )
    table.add_column("round", no_wrap=True)
    for r in result.rounds:
        table.add_column(str(r.round), justify="right", no_wrap=True, min_width=4)
    table.add_row("[bold]median[/]", *(f"[bold]{_fmt(r.median)}[/]" for r in result.rounds))
    table.add_row("mean", *(_fmt(r.mean) for r in result.rounds), end_section=True)
    for actor in result.actors:
        table.add_row(esc(actor.name), *(_fmt(r.positions[actor.name]) for r in result.rounds))
    console.print(table)
