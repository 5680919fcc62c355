"""Finding a scenario by bundled name or by path."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from . import io
from .errors import ScenarioError
from .io import yaml as yaml_io
from .model import Scenario

__all__ = ["bundled_scenarios", "load"]


def bundled_scenarios() -> dict[str, str]:
    """Bundled scenario ids and their names, sorted by id."""
    out = {}
    for entry in sorted(resources.files("accord.scenarios").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            scenario = yaml_io.loads(entry.read_text(encoding="utf-8"), file=entry.name)
            out[scenario.id] = scenario.name or scenario.id
    return out


def load(name_or_path: str | Path) -> Scenario:
    """A scenario from a bundled name (see ``accord scenarios``), a YAML file or a Genius folder."""
    if not str(name_or_path).strip():
        # Path("") is the current folder: an empty argument (an unset shell variable) must not
        # silently analyse whatever folder the command runs in.
        raise ScenarioError(
            "is empty; give a bundled scenario name, a YAML file or a folder", file="SCENARIO"
        )
    path = Path(name_or_path)
    if path.exists():
        return io.read(path)
    name = str(name_or_path)
    bundled = resources.files("accord.scenarios").joinpath(f"{name}.yaml")
    if "/" not in name and bundled.is_file():
        return yaml_io.loads(bundled.read_text(encoding="utf-8"), file=f"{name}.yaml")
    names = ", ".join(bundled_scenarios()) or "none"
    raise ScenarioError(f"no file '{name}' and no bundled scenario of that name; bundled: {names}", file=name)
