"""Reading the files of a scenario folder within a size limit, with errors that name them.

Every input file accord reads goes through :func:`read_bounded`: it refuses what is not a
regular file (a FIFO would block, ``/dev/zero`` never ends, neither has a meaningful size) and
never reads more than the limit, whatever ``st_size`` says.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from ..errors import AccordError, ImportFormatError

__all__ = ["bundled_tables", "folder_files", "not_regular", "read_bounded", "read_table"]


def folder_files(folder: Path, suffix: str, what: str) -> list[Path]:
    """The files of ``folder`` ending in ``suffix`` (any case), sorted; ``what`` describes the
    folder a format expects, for the error when ``folder`` is not one."""
    if not folder.is_dir():
        hint = "; give the folder that holds it" if folder.is_file() else ""
        raise ImportFormatError(f"{folder}: not a folder{hint} ({what})")
    try:
        return sorted(p for p in folder.iterdir() if p.suffix.lower() == suffix and p.is_file())
    except OSError as exc:
        raise ImportFormatError(f"{folder}: cannot be listed: {exc.strerror or exc}") from exc


def _import_error(path: Path) -> Callable[[str], AccordError]:
    return lambda message: ImportFormatError(f"{path}: {message}")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def not_regular(path: Path) -> str:
    """What ``path`` is, said of something that is not a regular file (``is a device, ...``)."""
    try:
        what = _kind(path.stat().st_mode)
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    return f"is {what}, not a regular file" if what[0] == "a" else f"is {what}"


def read_bounded(
    path: Path,
    max_bytes: int,
    typical: str,
    *,
    error: Callable[[str], AccordError] | None = None,
) -> bytes:
    """The bytes of the regular file ``path``, refusing more than ``max_bytes``.

    The size is checked before reading and again while reading (at most ``max_bytes + 1`` bytes
    are read), so a file growing underneath cannot slip through. Anything but a regular file
    (after symlinks) is refused before it is opened. ``typical`` says what size a real file of
    the format has, for the error; ``error`` builds the exception from a message (default: an
    :class:`~accord.errors.ImportFormatError` naming the path).
    """
    make = error or _import_error(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise make(f"{not_regular(path)}; give a file")
        if info.st_size > max_bytes:
            raise make(
                f"the file has {info.st_size:,} bytes, more than the limit of {max_bytes:,}; {typical}"
            )
        # O_NONBLOCK: should the path be swapped for a FIFO after the check, opening does not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise make("is not a regular file; give a file")
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise make(f"cannot be read: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise make(f"the file is larger than the limit of {max_bytes:,} bytes; {typical}")
    return data


def bundled_tables(package: str) -> tuple[str, ...]:
    """The names of the CSV tables bundled in ``package``'s ``data`` folder, sorted."""
    folder = resources.files(package).joinpath("data")
    return tuple(sorted(e.name.removesuffix(".csv") for e in folder.iterdir() if e.name.endswith(".csv")))


def read_table(
    name_or_path: str | Path, package: str, what: str, *, max_bytes: int = 5_000_000
) -> tuple[str, str]:
    """The text of a small CSV table and the name its errors should give: the file at
    ``name_or_path`` (a regular file of at most ``max_bytes``, UTF-8), else the table of that
    name bundled in ``package`` (see :func:`bundled_tables`). ``what`` names the kind of file
    ("actor file"), for the errors."""
    path = Path(name_or_path)
    if path.exists():
        data = read_bounded(path, max_bytes, f"{what}s are small")
        try:
            return data.decode("utf-8"), str(path)
        except UnicodeDecodeError as exc:
            raise ImportFormatError(f"{path}: cannot be read as UTF-8 text: {exc}") from exc
    name = str(name_or_path)
    bundled = bundled_tables(package)
    if name in bundled:
        text = resources.files(package).joinpath("data", f"{name}.csv").read_text(encoding="utf-8")
        return text, f"{name}.csv"
    raise ImportFormatError(
        f"{name}: no such file and no bundled {what} of that name; bundled: {', '.join(bundled)}"
    )
