"""The negotiation state moves on only through its own methods; strategies can only read it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import accord
from accord.simulation import NegotiationState

SOURCE = Path(accord.__file__).parent


def _private_writes(tree: ast.AST) -> list[str]:
    """Assignments to a private attribute of anything but ``self`` or ``cls``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        else:
            continue
        for target in targets:
            for sub in ast.walk(target):
                if (
                    isinstance(sub, ast.Attribute)
                    and sub.attr.startswith("_")
                    and not sub.attr.startswith("__")
                    and not (isinstance(sub.value, ast.Name) and sub.value.id in ("self", "cls"))
                ):
                    found.append(f"line {node.lineno}: {ast.unparse(sub)}")
    return found


def test_the_check_sees_a_write_from_outside() -> None:
    assert _private_writes(ast.parse("state._turn, state._round = k, r\nself._time = t")) == [
        "line 1: state._turn",
        "line 1: state._round",
    ]


def test_no_module_writes_another_objects_private_attributes() -> None:
    found = {
        str(path.relative_to(SOURCE)): writes
        for path in sorted(SOURCE.rglob("*.py"))
        if (writes := _private_writes(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}


def test_the_protocol_moves_the_state_on_and_a_strategy_cannot() -> None:
    state = NegotiationState(protocol="saop", n_parties=3, n_rounds=4)
    state._advance(7, 7 / 12)
    assert (state.turn, state.round, state.time) == (7, 2, 7 / 12)
    state._offer(1, 42)
    assert (state.standing, state.proposer, state.n_accepts) == (42, 1, 0)
    assert state._accept() == 1 and state._accept() == 2 and state.n_accepts == 2
    state._offer(2, 5)
    assert state.n_accepts == 0
    state._seat((0, 2))
    assert state.active == (0, 2)
    with pytest.raises(AttributeError):
        state.turn = 0  # type: ignore[misc]
    with pytest.raises(AttributeError):
        state.extra = 1  # type: ignore[attr-defined]  # __slots__: no new attributes either


def test_powers_and_quorum_are_given_when_the_state_is_made() -> None:
    state = NegotiationState(
        protocol="mopac", n_parties=2, n_rounds=None, powers=(2.0, 1.0), quorum_power=1.5
    )
    assert (state.powers, state.quorum_power, state.n_turns, state.on_schedule) == (
        (2.0, 1.0),
        1.5,
        None,
        False,
    )
    assert NegotiationState(protocol="saop", n_parties=2, n_rounds=3).powers == (1.0, 1.0)
