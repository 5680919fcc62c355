"""Small scenarios built in code, shared by the simulation tests."""

from __future__ import annotations

import pytest

from accord.model import Issue, Option, Party, Preferences, RedLine, Scenario


def three_packages(reservation: float = 0.0, discount: float | None = None) -> Scenario:
    """Two parties, one issue of three options: a's utilities 1, 0.6, 0; b's 0, 0.6, 1."""
    parties = tuple(Party(id=p, reservation_value=reservation, discount_factor=discount) for p in ("a", "b"))
    return Scenario(
        id="three-packages",
        parties=parties,
        issues=(Issue(id="split", options=tuple(Option(id=o) for o in ("low", "mid", "high"))),),
        preferences={
            "a": Preferences(weights={"split": 1}, values={"split": {"low": 1, "mid": 0.6, "high": 0}}),
            "b": Preferences(weights={"split": 1}, values={"split": {"low": 0, "mid": 0.6, "high": 1}}),
        },
    )


def nothing_acceptable() -> Scenario:
    """:func:`three_packages` where neither party has a package worth its reservation value 1
    that crosses none of its red lines (each refuses its own best package): both walk away.
    A reservation value above 1 would say the same but is refused (it lies off the scale)."""
    s = three_packages(reservation=1.0)
    refuse = {"a": "low", "b": "high"}
    prefs = {
        pid: p.model_copy(update={"red_lines": [RedLine(when={"split": refuse[pid]})]})
        for pid, p in s.preferences.items()
    }
    return Scenario.model_validate(
        {**s.model_dump(), "preferences": {k: v.model_dump() for k, v in prefs.items()}}
    )


@pytest.fixture
def tiny() -> Scenario:
    return three_packages()
