"""What every command shares: how an error is printed, how file content is shown, how output
files are written, the checks of ``PARTY=VALUE`` overrides, and packages given as
``issue=option,...``, as JSON or as ``--set ISSUE=OPTION``."""

from __future__ import annotations

import json
import math
import os
import re
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.status import Status

from ..errors import ScenarioError
from ..model import Issue, OptionValue, Scenario

__all__ = [
    "check_output",
    "err_console",
    "esc",
    "fail",
    "out_console",
    "package_arg",
    "printable",
    "progress_bar",
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


# Wide enough that no table accord prints is folded; Rich sizes tables to their content.
_UNBOUNDED = 100_000


def out_console() -> Console:
    """The console for a command's results on stdout. On a terminal Rich fits tables to its
    width; piped or redirected, nothing is wrapped at 80 columns (or at ``COLUMNS``), so that a
    table row stays one line for ``grep`` and scripts. Made per command, so the terminal width is
    read when the command runs."""
    console = Console()
    return console if console.is_terminal else Console(width=_UNBOUNDED, soft_wrap=True)


def err_console() -> Console:
    """The console for progress and notes on stderr: never hard-wrapped (see :func:`fail`)."""
    return Console(stderr=True, soft_wrap=True)


Show = Callable[[int, int], None]


@contextmanager
def progress_bar(
    label: str, *, counts: bool = True, unit: str = "", remaining: bool = False, show: bool = True
) -> Iterator[Show | None]:
    """A progress bar on stderr for work that reports ``progress(done, total)``; it vanishes
    when the work ends. Yields that callback, or None (no bar) when stderr is not a terminal or
    ``show`` is false (``--json``), so piped output stays clean. ``counts``: show ``done/total``
    (followed by ``unit``) rather than a percentage; ``remaining``: the time left rather than
    the time spent."""
    err = err_console()
    if not (show and err.is_terminal):
        yield None
        return
    amount = [MofNCompleteColumn(), TextColumn(unit)] if counts else [TextColumn("{task.percentage:>3.0f}%")]
    clock = TimeRemainingColumn() if remaining else TimeElapsedColumn()
    with Progress(
        TextColumn(f"[bold]{label}"), BarColumn(), *amount, clock, console=err, transient=True
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@contextmanager
def status(text: str) -> Iterator[Status | None]:
    """A spinner with ``text`` on stderr while the work runs, on a terminal only; yields it (to
    ``update``) or None."""
    err = err_console()
    if not err.is_terminal:
        yield None
        return
    with err.status(text) as spinner:
        yield spinner


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``error: message`` on stderr and exit. The message is text (user data may hold
    brackets or control characters) and is never hard-wrapped, so that ``file:line: field:
    message`` stays one line for editors and scripts whatever the terminal width."""
    err_console().print(f"[bold red]error:[/] {esc(message)}", highlight=False)
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


def package_arg(
    scenario: Scenario, text: str | None, option: str = "--package", sets: list[str] | None = None
) -> dict[str, OptionValue]:
    """A package argument as a checked package; errors name the argument. ``text`` is
    ``'issue=option,...'`` or a JSON object; ``sets`` are ``--set ISSUE=OPTION`` options (see
    :func:`_package_spec`)."""
    spec = _package_spec(scenario, text, sets, option)
    try:
        return scenario.package(spec)
    except ScenarioError as exc:
        reasons = "; ".join(f"{p.field}: {p.message}" if p.loc else p.message for p in exc.problems)
        shown = text if isinstance(spec, str) else json.dumps(spec, ensure_ascii=False)
        fail(f"{option} '{shown}': {reasons}")


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


def _package_spec(
    scenario: Scenario, text: str | None, sets: list[str] | None, option: str
) -> str | dict[str, OptionValue]:
    """The package of ``--package TEXT`` and ``--set ISSUE=OPTION`` options.

    ``TEXT`` is ``issue=option,issue=option,...`` or a JSON object ``{"issue": "option", ...}``;
    JSON and ``--set`` name ids holding ``,`` or ``=`` (ids imported from Genius and GeniusWeb
    files are the files' own strings, e.g. ``33%,33%,33%``). ``--set`` is repeatable and
    completes or replaces nothing: an issue given twice is refused. Plain text alone is returned
    as it is, for :meth:`Scenario.package` to parse.
    """
    if not sets and text is not None and not text.lstrip().startswith("{"):
        return text
    chosen: dict[str, OptionValue] = {}
    if text is not None:
        given = _json_package(text, option) if text.lstrip().startswith("{") else _text_package(text, option)
        for key, value in given.items():
            chosen[key] = value
    for item in sets or ():
        key, value = _set_item(scenario, item)
        if key in chosen:
            fail(f"--set '{item}': issue '{key}' is given twice; give each issue once")
        chosen[key] = value
    if not chosen:
        fail(f"give the package with {option} 'issue=option,...', {option} JSON or --set ISSUE=OPTION")
    ids = set(scenario.issue_ids)
    return {k: _typed(scenario.issue(k), v) if k in ids else v for k, v in chosen.items()}


def _json_package(text: str, option: str) -> dict[str, OptionValue]:
    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                fail(f"{option}: issue '{key}' is given twice in the JSON; give each issue once")
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=unique)
    except json.JSONDecodeError as exc:
        fail(f"{option}: not valid JSON ({exc.msg} at column {exc.colno}); e.g. {_EXAMPLE}")
    except (ValueError, RecursionError) as exc:
        fail(f"{option}: cannot be read as JSON: {exc}")
    if not isinstance(data, dict):
        fail(f"{option}: a JSON package is an object of issue ids to options, e.g. {_EXAMPLE}")
    for key, value in data.items():
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            fail(f"{option}: issue '{key}': an option is a string or a number, got {json.dumps(value)}")
    return data


_EXAMPLE = """'{"price": 18000, "warranty": "one_year"}'"""


def _text_package(text: str, option: str) -> dict[str, OptionValue]:
    out: dict[str, OptionValue] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep:
            fail(f"{option}: '{part}' is not of the form issue=option")
        if key.strip() in out:
            fail(f"{option}: issue '{key.strip()}' is given twice; give each issue once")
        out[key.strip()] = value.strip()
    return out


def _set_item(scenario: Scenario, item: str) -> tuple[str, str]:
    """``ISSUE=OPTION``, split after whichever issue id the text starts with (an id may hold
    ``=``); of two such ids, the one whose remainder is an option of it."""
    starts = [i for i in scenario.issues if item.startswith(i.id + "=")]
    if len(starts) > 1:
        starts = [i for i in starts if _is_option(i, item[len(i.id) + 1 :])] or starts
    if len(starts) > 1:
        fail(f"--set '{item}' fits several issues ({', '.join(i.id for i in starts)}); use --package JSON")
    if not starts:
        key = item.partition("=")[0]
        if "=" not in item:
            fail(f"--set '{item}' is not of the form ISSUE=OPTION")
        fail(f"--set names no issue '{key}'; issues are {', '.join(scenario.issue_ids)}")
    issue = starts[0]
    return issue.id, item[len(issue.id) + 1 :]


def _is_option(issue: Issue, text: str) -> bool:
    try:
        issue.index_of(_typed(issue, text))
    except KeyError:
        return False
    return True


def _typed(issue: Issue, value: OptionValue) -> OptionValue:
    """A number for a numeric issue given as text; anything else as it is."""
    if not issue.is_numeric or not isinstance(value, str):
        return value
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number
