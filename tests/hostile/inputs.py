"""Small hostile inputs, generated: each test writes the one it needs into ``tmp_path``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def scenario(
    n_parties: int = 2,
    *,
    party_ids: list[str] | None = None,
    option_ids: tuple[str, str] = ("lo", "hi"),
    name: str = "A generated scenario",
    scenario_id: str = "generated",
) -> dict[str, Any]:
    """A valid scenario: ``n_parties`` parties, two issues of two options each, everyone
    preferring ``hi`` on ``a`` and half the parties ``hi`` on ``b``; reservation values 0.1."""
    ids = party_ids or [f"p{i}" for i in range(n_parties)]
    lo, hi = option_ids
    return {
        "format": "accord/1",
        "id": scenario_id,
        "name": name,
        "parties": [{"id": p, "reservation_value": 0.1} for p in ids],
        "issues": [
            {"id": "a", "options": [{"id": lo}, {"id": hi}]},
            {"id": "b", "options": [{"id": lo}, {"id": hi}]},
        ],
        "preferences": {
            p: {
                "weights": {"a": 2, "b": 1},
                "values": {"a": {lo: 0, hi: 1}, "b": {lo: n % 2, hi: 1 - n % 2}},
            }
            for n, p in enumerate(ids)
        },
    }


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
