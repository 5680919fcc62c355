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
from .geniusweb_json import looks_like_geniusweb, read_geniusweb, write_geniusweb

__all__ = ["FORMATS", "Format", "detect", "read", "write"]

Format = Literal["yaml", "genius", "geniusweb"]
FORMATS: Final[tuple[str, ...]] = get_args(Format)


def _has_xml(folder: Path) -> bool:
    try:
        return any(p.suffix.lower() == ".xml" and p.is_file() for p in folder.iterdir())
    except OSError:
        return False


def detect(path: str | os.PathLike[str]) -> Format:
    """The format of an existing file or folder, by content: a file is YAML; a folder is
    GeniusWeb if a JSON file in it is a GeniusWeb domain or profile, else Genius if it holds XML.

    Raises :class:`~accord.errors.ScenarioError` if ``path`` is neither.
    """
    p = Path(path)
    if p.is_dir():
        if looks_like_geniusweb(p):
            return "geniusweb"
        if _has_xml(p):
            return "genius"
        raise ScenarioError(
            f"{p} is a folder with neither Genius XML files nor GeniusWeb JSON "
            "files; give a scenario YAML file, a Genius domain folder or a "
            "GeniusWeb folder",
            file=str(p),
        )
    if p.is_file():
        return "yaml"
    if p.exists():
        # A device, FIFO or socket: reading it would never end or block.
        raise ScenarioError(f"{not_regular(p)}; give a scenario YAML file or a folder", file=str(p))
    raise ScenarioError(f"no file or folder '{p}'", file=str(p))


def read(path: str | os.PathLike[str]) -> Scenario:
    """A scenario from a YAML file, a Genius XML folder or a GeniusWeb JSON folder."""
    p = Path(path)
    kind = detect(p)
    if kind == "geniusweb":
        return read_geniusweb(p)
    if kind == "genius":
        return read_genius(p)
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
