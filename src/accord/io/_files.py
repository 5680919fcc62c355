"""Reading the files of a scenario folder within a size limit, with errors that name them."""

from __future__ import annotations

from pathlib import Path

from ..errors import ImportFormatError

__all__ = ["folder_files", "read_bounded"]


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


def read_bounded(path: Path, max_bytes: int, typical: str) -> bytes:
    """The bytes of ``path``, refusing more than ``max_bytes`` (checked before and while
    reading, so a file growing underneath cannot slip through). ``typical`` says what size a
    real file of the format has, for the error."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ImportFormatError(
                f"{path}: the file has {size:,} bytes, more than the limit of {max_bytes:,}; {typical}"
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ImportFormatError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise ImportFormatError(f"{path}: the file is larger than the limit of {max_bytes:,} bytes")
    return data
