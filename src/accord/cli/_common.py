"""What every command shares: how an error is printed, how file content is shown, how output
files are written, and the checks of ``PARTY=VALUE`` overrides."""

from __future__ import annotations

import math
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import ScenarioError
from ..model import OptionValue, Scenario

__all__ = [
    "check_output",
    "esc",
    "fail",
    "package_arg",
    "printable",
    "reservations",
    "writing",
]

# C0 controls but tab and newline, DEL and the C1 controls: an ESC or CSI in a file's text
# would otherwise reach the terminal as a command (set the title, move the cursor, ...).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: object) -> str:
    """``text`` with every control character (but tab and newline) shown as ``\\xNN``."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def esc(text: object) -> str:
    """File content made safe to put in Rich markup: control characters shown as ``\\xNN`` and
    ``[`` escaped, so an id like ``[bold]`` or ``[/]`` is printed as it is."""
    return escape(printable(text))


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``error: message`` on stderr and exit. The message is text (user data may hold
    brackets or control characters) and is never hard-wrapped, so that ``file:line: field:
    message`` stays one line for editors and scripts whatever the terminal width."""
    Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {esc(message)}", highlight=False)
    raise typer.Exit(code)


def reservations(scenario: Scenario, items: list[str] | None) -> dict[str, float] | None:
    """``--reservation PARTY=VALUE`` options as ``{party: value}``; None when there are none.
    A party given twice is refused (which value was meant cannot be told)."""
    if not items:
        return None
    values: dict[str, float] = {}
    for item in items:
        party, sep, value = item.partition("=")
        if not sep:
            fail(f"--reservation '{item}' is not of the form PARTY=VALUE, e.g. russia=0.45")
        if party not in scenario.party_ids:
            fail(f"--reservation names no party '{party}'; parties are {', '.join(scenario.party_ids)}")
        if party in values:
            fail(f"--reservation gives '{party}' twice ({values[party]:g} and {value}); give each party once")
        try:
            number = float(value)
        except ValueError:
            fail(f"--reservation {party}: '{value}' is not a number")
        if not math.isfinite(number):
            fail(f"--reservation {party}: '{value}' is not a finite number")
        values[party] = number
    return values


def package_arg(scenario: Scenario, text: str, option: str = "--package") -> dict[str, OptionValue]:
    """A ``'issue=option,...'`` argument as a checked package; errors name the argument."""
    try:
        return scenario.package(text)
    except ScenarioError as exc:
        reasons = "; ".join(f"{p.field}: {p.message}" if p.loc else p.message for p in exc.problems)
        fail(f"{option} '{text}': {reasons}")


def check_output(path: Path, option: str, *, force: bool, folder: bool = False) -> None:
    """Refuse, before any work is done, an output path that cannot or should not be written:
    a missing parent folder, a folder where a file is meant (or a file where a folder is meant),
    an existing file unless ``force``, a device or pipe. ``option`` names the argument."""
    shown = f"{option} {path}"
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        fail(f"{shown}: cannot be written: {exc.strerror or exc}")
    if info is None:
        parent = path.parent
        if not parent.is_dir():
            fail(f"{shown}: the folder '{parent}' does not exist; create it first (mkdir -p {parent})")
        if not os.access(parent, os.W_OK | os.X_OK):
            fail(f"{shown}: the folder '{parent}' is not writable")
        return
    if folder:
        if not stat.S_ISDIR(info.st_mode):
            fail(f"{shown}: is a file; give a folder")
        return
    if stat.S_ISDIR(info.st_mode):
        fail(f"{shown}: is a folder; give a file name inside it")
    if stat.S_ISREG(info.st_mode):
        if not force:
            fail(f"{shown}: the file exists; add --force to overwrite it, or choose another name")
        if not os.access(path, os.W_OK):
            fail(f"{shown}: the file is not writable")


@contextmanager
def writing(path: Path, option: str) -> Iterator[None]:
    """Turn an OS error while writing ``path`` (disk full, permission, ...) into a clear error
    naming the argument; the one place where commands report write failures."""
    try:
        yield
    except OSError as exc:
        where = exc.filename if exc.filename and str(exc.filename) != str(path) else None
        extra = f" ({where})" if where else ""
        fail(f"{option} {path}: cannot be written{extra}: {exc.strerror or exc}")
