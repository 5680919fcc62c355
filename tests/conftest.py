"""Tests marked ``corpus`` skip, with their reason, where the Genius corpus is absent."""

from __future__ import annotations

import pytest

from .corpus import PRESENT, REASON


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if PRESENT:
        return
    skip = pytest.mark.skip(reason=REASON)
    for item in items:
        if item.get_closest_marker("corpus") is not None:
            item.add_marker(skip)
