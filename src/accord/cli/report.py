"""``accord report``: the analysis (and its robustness) as a report a mediator can read."""

from __future__ import annotations

import shlex
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .. import _load
from ..analysis import analyze
from ..errors import AccordError
from ..model import Number, Scenario
from ..uncertainty import recommend, robustness, uncertain_inputs
from ._common import check_output, err_console, esc, fail, reservations, status, writing

if TYPE_CHECKING:
    from ..uncertainty import Robustness

__all__ = ["report"]


class ReportFormat(StrEnum):
    html = "html"
    md = "md"


def _with_reservations(scenario: Scenario, items: list[str] | None) -> Scenario:
    """The scenario with ``PARTY=VALUE`` reservation values (a range or distribution given for
    the party's reservation value is dropped: the value is now fixed)."""
    values = reservations(scenario, items)
    if values is None:
        return scenario
    parties = []
    for p in scenario.parties:
        if p.id not in values:
            parties.append(p)
            continue
        old = p.reservation_value
        note = f"Set to {values[p.id]:g} on the command line (--reservation)."
        parties.append(
            p.model_copy(
                update={
                    "reservation_value": Number(
                        value=values[p.id],
                        rationale=note
                        + (
                            f" The file's reasons for {old.value:g}: {old.rationale}"
                            if isinstance(old, Number) and old.rationale
                            else ""
                        ),
                    )
                }
            )
        )
    return scenario.model_copy(update={"parties": tuple(parties)})


def report(
    scenario: Annotated[
        str, typer.Argument(help="A bundled scenario name (see `accord scenarios`) or a scenario YAML file.")
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The file to write: report.html, or report.md (its images go to report_files/).",
        ),
    ],
    fmt: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="html: one self-contained file; md: Markdown with PNG images beside it "
            "(default: from the extension of --output, .md for Markdown, else HTML).",
        ),
    ] = None,
    reservation: Annotated[
        list[str] | None,
        typer.Option(
            "--reservation",
            "-r",
            metavar="PARTY=VALUE",
            help="Override a party's reservation value (repeatable).",
        ),
    ] = None,
    samples: Annotated[
        int,
        typer.Option(
            min=0,
            help="Monte Carlo samples of the uncertain inputs for the "
            "robustness section (0: leave it out). Used only "
            "when the scenario gives ranges or distributions.",
        ),
    ] = 10_000,
    seed: Annotated[int, typer.Option(min=0, help="Seed of the samples.")] = 0,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the output file if it exists.")] = False,
    precision: Annotated[
        int, typer.Option("--precision", min=0, max=9, help="Decimals shown for utilities and gains.")
    ] = 2,
    order: Annotated[
        str | None,
        typer.Option(
            "--order",
            metavar="'a+b, c, bloc'",
            help="The sequence of the talks, shown first with each step's price (as accord sequence).",
        ),
    ] = None,
    coalitions: Annotated[
        bool | None,
        typer.Option(
            "--coalitions/--no-coalitions",
            help="Draw the coalition map of pairs (default: for up to four parties).",
        ),
    ] = None,
    pairs: Annotated[
        str | None,
        typer.Option(
            "--pairs",
            metavar="PARTY,PARTY",
            help="Draw the packages and the frontier for these two parties (drawn by default only "
            "for two or three parties).",
        ),
    ] = None,
) -> None:
    """Write a report a mediator can read: the scenario and every assumption's reasons, the
    acceptable packages and frontier drawn, the bargaining solutions side by side, who blocks,
    the trades that unblock, and the robustness of the answer."""
    try:
        from ..report import ReportConfig, build_report
    except ImportError as exc:
        fail(str(exc))
        return
    if fmt is None:
        fmt = ReportFormat.md if output.suffix.lower() in (".md", ".markdown") else ReportFormat.html
    check_output(output, "--output", force=force)
    overrides = tuple(reservation or ())
    named = None
    if pairs is not None:
        names = [p.strip() for p in pairs.split(",") if p.strip()]
        if len(names) != 2:
            fail(f"--pairs '{pairs}': name two parties separated by a comma, e.g. --pairs us,russia")
        named = (names[0], names[1])
    command = shlex.join(
        [
            "accord",
            "report",
            scenario,
            *(a for o in overrides for a in ("-r", o)),
            *(["--order", order] if order else []),
            *(["--pairs", pairs] if pairs else []),
            *([] if coalitions is None else ["--coalitions" if coalitions else "--no-coalitions"]),
            *(["--precision", str(precision)] if precision != 2 else []),
            "--samples",
            str(samples),
            "--seed",
            str(seed),
            "--format",
            fmt.value,
            "-o",
            str(output),
        ]
    )
    config = ReportConfig(
        source=scenario,
        overrides=overrides,
        command=command,
        precision=precision,
        order=order,
        pairs=named,
        coalitions=coalitions,
    )
    err = err_console()
    start = time.perf_counter()
    try:
        s = _with_reservations(_load.load(scenario), reservation)
        unknown = [p for p in named or () if p not in s.party_ids]
        if unknown or (named is not None and named[0] == named[1]):
            fail(f"--pairs '{pairs}': name two different parties of '{s.id}' ({', '.join(s.party_ids)})")
        with status("Analysing…"):
            result = analyze(s)
            rob: Robustness | None = None
            if samples > 0 and uncertain_inputs(s):
                rob = robustness(s, samples=samples, seed=seed)
                result = recommend(result, rob)
            built = build_report(result, robustness=rob, config=config)
            with writing(output, "--output"):
                written = (
                    built.write_markdown(output) if fmt is ReportFormat.md else [built.write_html(output)]
                )
    except AccordError as exc:
        fail(str(exc))
        return
    extra = f" and {len(written) - 1} images in {written[1].parent}" if len(written) > 1 else ""
    err.print(
        f"[green]wrote[/] {esc(written[0])}{esc(extra)} ({written[0].stat().st_size / 1024:,.0f} kB, "
        f"{time.perf_counter() - start:.1f} s)",
        highlight=False,
        soft_wrap=True,
    )
