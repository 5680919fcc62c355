"""Small scenarios built in code, shared by the simulation tests."""

from __future__ import annotations

import pytest

from accord.model import Issue, Option, Party, Preferences, Scenario


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


@pytest.fixture
def tiny() -> Scenario:
    return three_packages()
