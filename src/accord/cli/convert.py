"""``accord convert SRC DST``: between YAML, Genius XML and GeniusWeb JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .. import _load
from ..errors import AccordError
from ..io import convert as convert_io
from ._common import esc, fail, out_console

__all__ = ["convert"]


def _refuse_writing_into_source(src: str, dst: str) -> None:
    """The target may not be the source, nor lie inside a source folder: the files written
    would mix with (or replace) the ones read, leaving a folder no reader can tell apart."""
    source = Path(src)
    if not src.strip() or not dst.strip() or not source.exists():
        return
    source, target = source.resolve(), Path(dst).resolve()
    if target == source or (source.is_dir() and source in target.parents):
        where = "the source" if target == source else "inside the source folder"
        fail(f"convert {src} {dst}: the target is {where}; write to another folder")


def convert(
    src: Annotated[
        str,
        typer.Argument(
            help="A bundled scenario name, a scenario YAML file, a "
            "Genius XML folder or a GeniusWeb JSON folder."
        ),
    ],
    dst: Annotated[
        str, typer.Argument(help="Where to write: a .yaml file, or a folder for genius and geniusweb.")
    ],
    format: Annotated[
        str | None,
        typer.Option("--format", "-f", help="yaml, genius or geniusweb; inferred for a .yaml/.yml DST."),
    ] = None,
) -> None:
    """Convert a scenario between YAML, Genius XML and GeniusWeb JSON.

    The source format is told by content. What the target format cannot express (red lines,
    interactions, ...) is refused with a message naming it; nothing is written then.
    """
    _refuse_writing_into_source(src, dst)
    try:
        scenario = _load.load(src)
        written = convert_io.write(scenario, dst, format)
    except AccordError as exc:
        fail(str(exc))
    kind = format or "yaml"
    out_console().print(
        f"[green]wrote[/] {esc(dst)} ({esc(kind)}): scenario '{esc(scenario.id)}', "
        f"{len(scenario.parties)} parties, {len(scenario.issues)} issues, "
        f"{len(written)} file(s)",
        highlight=False,
        soft_wrap=True,
    )
