"""docs/web.md's commands run as written, and its API table lists every route the API declares."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from typer.testing import CliRunner

from accord.cli import app
from accord.web import api

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
COMMANDS = [
    line.removeprefix("$ ").strip()
    for block in re.findall(r"```console\n(.*?)```", DOC, re.S)
    for line in block.splitlines()
    if line.startswith("$ accord")
]


def test_the_commands_run_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert [shlex.split(c)[1] for c in COMMANDS] == ["db", "admin", "serve"]
    for command in COMMANDS:
        args = shlex.split(command)[1:]
        if args[0] == "serve":  # it would serve until stopped: check that its options parse
            args.append("--help")
        result = CliRunner().invoke(app, args, input="a long enough password\n")
        assert result.exit_code == 0, (command, result.output)
    assert (tmp_path / "accord.db").exists()


def test_the_api_table_lists_every_route() -> None:
    rows = set(re.findall(r"^\| `(GET|POST|PUT|DELETE) (/api/[^`]*)`", DOC, re.M))
    declared = {
        (m, re.sub(r"\{(case_id)\}", "{id}", r.path).replace("{suggestion_id}", "{sid}"))
        for r in api.router.routes
        if isinstance(r, APIRoute)
        for m in r.methods
    }
    assert rows == declared


def test_the_screenshot_is_there() -> None:
    assert (ROOT / "docs" / "images" / "web-suggestions.png").stat().st_size > 10_000
