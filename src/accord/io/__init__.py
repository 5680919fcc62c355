"""Reading and writing scenarios: accord's YAML, and the Genius XML format of the field."""

from __future__ import annotations

from pathlib import Path

from ..errors import ScenarioError
from ..model import Scenario
from .genius_xml import read_genius, write_genius
from .yaml import dump, dumps, load_file, loads, schema

__all__ = ["dump", "dumps", "load_file", "loads", "read", "read_genius", "schema", "write_genius"]


def read(path: str | Path) -> Scenario:
    """A scenario from a YAML file or a Genius domain folder (one domain XML and its profiles)."""
    path = Path(path)
    if path.is_dir():
        if any(p.suffix.lower() == ".xml" for p in path.iterdir()):
            return read_genius(path)
        raise ScenarioError(f"{path} is a folder without Genius XML files; give a scenario YAML "
                            "file or a Genius domain folder", file=str(path))
    return load_file(path)
