"""A generated scenario with many parties: seeded, small enough to enumerate (3^5 packages), an
uncertain reservation value for the tornado, and a bloc for a three-step sequence."""

from __future__ import annotations

import numpy as np
import yaml

from accord.io import yaml as yaml_io
from accord.model import Scenario

NAMES = (
    "Avalon", "Brightwater", "Calder", "Dunmore", "Eastvale", "Fairholm",
    "Glenrock", "Highmoor", "Ironbridge", "Juniper", "Kingsford", "Larkspur",
    "Millbrook", "Northwick", "Oakhurst", "Pinecrest", "Queensbury", "Ravenwood",
    "Silverton", "Thornbury",
)  # fmt: skip


def many_parties(n: int = 12, *, seed: int = 0) -> Scenario:
    """``n`` parties (at most 20) over five issues of three options each; every party values
    each option at random (seeded) and has a reservation value of 0.3, the first one uncertain."""
    rng = np.random.default_rng(seed)
    issues = [
        {
            "id": f"issue{i}",
            "name": f"Issue {i + 1}",
            "options": [{"id": f"o{j}", "label": f"Option {j + 1}"} for j in range(3)],
        }
        for i in range(5)
    ]
    parties = [
        {
            "id": f"p{k}",
            "name": NAMES[k],
            "reservation_value": {"value": 0.3, "range": [0.2, 0.4]} if k == 0 else 0.3,
        }
        for k in range(n)
    ]
    preferences = {
        f"p{k}": {
            "weights": {f"issue{i}": int(w) for i, w in enumerate(rng.integers(1, 10, size=5))},
            "values": {
                f"issue{i}": {f"o{j}": int(v) for j, v in enumerate(rng.integers(0, 101, size=3))}
                for i in range(5)
            },
        }
        for k in range(n)
    }
    data = {
        "format": "accord/1",
        "id": f"many-{n}",
        "name": f"{n} parties",
        "blocs": {"rest": [f"p{k}" for k in range(4, n)]},
        "parties": parties,
        "issues": issues,
        "preferences": preferences,
    }
    return yaml_io.loads(yaml.safe_dump(data, sort_keys=False))


ORDER = "p0+p1, p2+p3, rest"
