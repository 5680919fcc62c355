"""A case's set-up from a scenario file: its parties and issues only. Preferences, interactions
and red lines in the file are dropped (the parties enter their own), and so are reservation
values (each party sets its own walk-away level)."""

from __future__ import annotations

import json
from typing import Any

import yaml

from ..errors import ScenarioError
from ..io import yaml as yaml_io
from .problems import Invalid

__all__ = ["MAX_SCENARIO_BYTES", "parse_setup"]

MAX_SCENARIO_BYTES = 1_000_000


def parse_setup(text: str) -> dict[str, Any]:
    """The JSON-ready set-up ``{id, name, description, parties, issues}``; :class:`Invalid`
    with a one-line message (field and line) otherwise. A file without ``preferences`` is
    accepted: neutral ones are appended for the check (line numbers stay those of the file)."""
    if len(text.encode()) > MAX_SCENARIO_BYTES:
        raise Invalid(f"scenario: larger than {MAX_SCENARIO_BYTES:,} bytes; send a smaller file")
    try:
        # Every scalar a string (BaseLoader): only to find the ids the neutral preferences need.
        raw = yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as exc:
        raise Invalid(f"scenario: not valid YAML: {str(exc).splitlines()[0]}") from None
    if isinstance(raw, dict) and "preferences" not in raw:
        text = text.rstrip("\n") + "\npreferences: " + json.dumps(_neutral(raw)) + "\n"
    try:
        scenario = yaml_io.loads(text, file="scenario")
    except ScenarioError as exc:
        first = exc.problems[0]
        line = f" (line {first.line})" if first.line else ""
        raise Invalid(f"scenario: {first.field}{line}: {first.message}") from None
    return {
        "id": scenario.id,
        "name": scenario.name or scenario.id,
        "description": scenario.description,
        "parties": [
            p.model_dump(mode="json", exclude_none=True, exclude={"reservation_value"})
            for p in scenario.parties
        ],
        "issues": [i.model_dump(mode="json", exclude_none=True) for i in scenario.issues],
    }


def _neutral(raw: dict[str, Any]) -> dict[str, Any]:
    """For each party, one interaction of value 0: valid preferences that mean nothing."""
    parties = raw.get("parties") if isinstance(raw.get("parties"), list) else []
    issues = raw.get("issues") if isinstance(raw.get("issues"), list) else []
    first = issues[0] if issues and isinstance(issues[0], dict) else {}
    condition: Any = ""
    options = first.get("options")
    if isinstance(options, list) and options and isinstance(options[0], dict):
        condition = options[0].get("id", "")
    elif isinstance(first.get("range"), dict):
        condition = {"min": first["range"].get("min", "0")}
    interaction = {"when": {str(first.get("id", "")): condition}, "value": 0}
    return {
        str(p["id"]): {"interactions": [interaction]}
        for p in parties or []
        if isinstance(p, dict) and "id" in p
    }
