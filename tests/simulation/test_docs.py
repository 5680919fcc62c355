"""docs/simulation.md's examples run as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "simulation.md").read_text(encoding="utf-8")
COMMANDS = [
    line.removeprefix("$ ").strip()
    for block in re.findall(r"```console\n(.*?)```", DOC, re.S)
    for line in block.replace("\\\n", " ").splitlines()
    if line.startswith("$ accord")
]


def test_python_blocks_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC, re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "docs/simulation.md", "exec"), {})


@pytest.mark.parametrize("command", COMMANDS)
def test_console_commands_run(command: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    args = [str(tmp_path / a) if a.endswith(".csv") else a for a in shlex.split(command)[1:]]
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
