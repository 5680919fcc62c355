"""docs/report.md's examples run as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")
COMMANDS = [
    line.removeprefix("$ ").split("  #")[0].strip()
    for block in re.findall(r"```console\n(.*?)```", DOC, re.S)
    for line in block.splitlines()
    if line.startswith("$ accord")
]


def test_python_blocks_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```python\n(.*?)```", DOC, re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "docs/report.md", "exec"), {})


@pytest.mark.parametrize("command", COMMANDS)
def test_console_commands_run(command: str, tmp_path: Path) -> None:
    args = [str(tmp_path / a) if a.startswith("report.") else a for a in shlex.split(command)[1:]]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert any(p.stat().st_size > 10_000 for p in tmp_path.iterdir())


def test_linked_files_exist() -> None:
    for link in re.findall(r"\]\(([^)#]+)\)", DOC):
        if not link.startswith("http"):
            assert (ROOT / "docs" / link).exists(), link
