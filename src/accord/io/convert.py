"""One entry point for every format: :func:`read` tells them apart by content, :func:`write` by
the ``format`` argument (or the file suffix for YAML).

* ``yaml``: one ``.yaml``/``.yml`` file (:mod:`accord.io.yaml`);
* ``genius``: a folder of Genius XML files (:mod:`accord.io.genius_xml`);
* ``geniusweb``: a folder of GeniusWeb JSON files (:mod:`accord.io.geniusweb_json`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final, Literal, get_args

from ..errors import ImportFormatError, ScenarioError
from ..model import Scenario
from . import yaml as yaml_io
from ._files import not_regular
from .genius_xml import read_genius, write_genius
from .geniusweb_json import JsonFile, json_files, looks_like_geniusweb, read_json_files, write_geniusweb

__all__ = ["FORMATS", "Format", "detect", "read", "write"]

Format = Literal["yaml", "genius", "geniusweb"]
FORMATS: Final[tuple[str, ...]] = get_args(Format)


def _listing(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_file())
    except OSError as exc:
        raise ImportFormatError(
            f"{folder}: the folder cannot be read ({exc.strerror or exc}); check its permissions"
        ) from exc


def _folder(folder: Path) -> tuple[Format, list[JsonFile]]:
    """The format of a scenario folder, and its JSON files, read once for the reader."""
    files = _listing(folder)
    found = json_files(files)
    if looks_like_geniusweb(found):
        return "geniusweb", found
    if any(p.suffix.lower() == ".xml" for p in files):
        return "genius", found
    unreadable = next((f.problem for f in found if f.problem is not None), None)
    if unreadable is not None:  # a JSON file that cannot be read may well be the profile
        raise unreadable
    raise ScenarioError(
        f"{folder} is a folder with neither Genius XML files nor GeniusWeb JSON "
        "files; give a scenario YAML file, a Genius domain folder or a "
        "GeniusWeb folder",
        file=str(folder),
    )


def detect(path: str | os.PathLike[str]) -> Format:
    """The format of an existing file or folder, by content: a file is YAML; a folder is
    GeniusWeb if a JSON file in it is a GeniusWeb domain or profile, else Genius if it holds XML.

    Raises :class:`~accord.errors.ScenarioError` if ``path`` is neither, and
    :class:`~accord.errors.ImportFormatError` if the folder cannot be read.
    """
    p = Path(path)
    if p.is_dir():
        return _folder(p)[0]
    if p.is_file():
        return "yaml"
    if p.exists():
        # A device, FIFO or socket: reading it would never end or block.
        raise ScenarioError(f"{not_regular(p)}; give a scenario YAML file or a folder", file=str(p))
    raise ScenarioError(f"no file or folder '{p}'", file=str(p))


def read(path: str | os.PathLike[str]) -> Scenario:
    """A scenario from a YAML file, a Genius XML folder or a GeniusWeb JSON folder."""
    p = Path(path)
    if p.is_dir():
        kind, found = _folder(p)
        return read_json_files(p, found) if kind == "geniusweb" else read_genius(p)
    detect(p)  # refuses a device, a FIFO, a socket or a missing path
    return yaml_io.load_file(p)


def _infer(path: Path) -> Format:
    if path.suffix.lower() in (".yaml", ".yml"):
        return "yaml"
    raise ImportFormatError(
        f"{path}: cannot tell the format from the name; give the format "
        f"(--format or format=): one of {', '.join(FORMATS)} (Genius and "
        "GeniusWeb scenarios are folders, YAML is a .yaml file)"
    )


def _uncertain_places(data: object, path: str = "") -> list[str]:
    """Where a dumped scenario holds a number with a range or a distribution."""
    if isinstance(data, dict):
        if "value" in data and ("range" in data or "distribution" in data):
            return [path]
        return [p for k, v in data.items() for p in _uncertain_places(v, f"{path}.{k}" if path else k)]
    if isinstance(data, list):
        return [p for n, v in enumerate(data) for p in _uncertain_places(v, f"{path}[{n}]")]
    return []


def write(scenario: Scenario, path: str | os.PathLike[str], format: str | None = None) -> tuple[Path, ...]:
    """Write ``scenario`` to ``path`` in ``format`` (``yaml``, ``genius`` or ``geniusweb``).

    ``format`` may be left out for a ``.yaml``/``.yml`` path. Returns the paths written. Raises
    :class:`~accord.errors.ImportFormatError` for an unknown format, or naming what the target
    format cannot express (see docs/interop.md).
    """
    p = Path(path)
    kind = _infer(p) if format is None else format.strip().lower()
    if kind not in FORMATS:
        raise ImportFormatError(f"unknown format '{format}'; choose one of {', '.join(FORMATS)}")
    if kind == "yaml":
        if p.is_dir():
            raise ImportFormatError(
                f"{p} is a folder; YAML is written to a file such as {p / (scenario.id + '.yaml')}"
            )
        try:
            if p.parent != Path():
                p.parent.mkdir(parents=True, exist_ok=True)
            yaml_io.dump(scenario, p)
        except OSError as exc:
            raise ImportFormatError(f"{p}: cannot write: {exc.strerror or exc}") from exc
        return (p,)
    if p.exists() and not p.is_dir():
        raise ImportFormatError(f"{p} is a file; {kind} scenarios are written to a folder")
    uncertain = _uncertain_places(scenario.model_dump(mode="json", exclude_none=True))
    if uncertain:
        shown = ", ".join(uncertain[:5]) + (f" and {len(uncertain) - 5} more" if len(uncertain) > 5 else "")
        raise ImportFormatError(
            f"{kind} cannot express uncertain numbers (ranges or distributions): {shown}; "
            "write YAML, or convert a copy whose numbers are plain values"
        )
    if kind == "genius":
        return write_genius(scenario, p)
    return write_geniusweb(scenario, p)
