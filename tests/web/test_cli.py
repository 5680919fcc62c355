"""``accord db upgrade``, ``accord admin create-facilitator`` and ``accord serve``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from accord.cli.app import app
from accord.web.db import Database
from accord.web.migrate import current, head

from .conftest import free_port, start_server, stop_server

runner = CliRunner()


def test_db_upgrade_then_create_a_facilitator(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    done = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert done.exit_code == 0, done.output
    assert current(Database(url)) == head()
    made = runner.invoke(
        app, ["admin", "create-facilitator", "F@Example.org", "--db", url], input="a long password\n"
    )
    assert made.exit_code == 0, made.output
    assert "facilitator f@example.org created" in made.output
    again = runner.invoke(
        app, ["admin", "create-facilitator", "f@example.org", "--db", url], input="a long password\n"
    )
    assert again.exit_code == 2
    assert "an account for f@example.org exists already" in again.output
    short = runner.invoke(app, ["admin", "create-facilitator", "g@example.org", "--db", url], input="short\n")
    assert short.exit_code == 2
    assert "at least 12 characters" in short.output
    assert "Traceback" not in again.output + short.output


def test_create_facilitator_on_an_unmigrated_database_says_how_to_fix_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    done = runner.invoke(
        app, ["admin", "create-facilitator", "f@example.org", "--db", url], input="a long password\n"
    )
    assert done.exit_code == 2
    assert "run `accord db upgrade --db" in done.output


def test_serve_answers_on_loopback_with_security_headers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert runner.invoke(app, ["db", "upgrade", "--db", url]).exit_code == 0
    port = free_port()
    proc = start_server(url, port)
    try:
        page = httpx.get(f"http://127.0.0.1:{port}/")
        assert page.status_code == 200 and "Log in" in page.text
        csp = page.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert page.headers["x-content-type-options"] == "nosniff"
        api = httpx.get(f"http://127.0.0.1:{port}/api/cases")
        assert api.status_code == 401 and api.json() == {"error": "log in first"}
    finally:
        stop_server(proc)


def test_serve_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    done = runner.invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert done.exit_code == 2
    assert "run `accord db upgrade" in done.output


def test_the_command_line_loads_the_web_extra_only_when_a_web_command_runs() -> None:
    extra = "{'fastapi', 'sqlalchemy', 'alembic', 'uvicorn'}"
    probe = f"import sys, accord.cli; print(sorted({extra} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_without_the_extra_the_commands_say_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # an import of it now fails
    done = runner.invoke(app, ["serve"])
    assert done.exit_code == 2
    said = " ".join(done.output.split())  # one line, wrapped by the terminal width
    assert "needs the optional extra 'web' (uvicorn is missing): pip install 'accord[web]'" in said


def test_an_address_with_markup_is_printed_as_it_is(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert runner.invoke(app, ["db", "upgrade", "--db", url]).exit_code == 0
    made = runner.invoke(
        app, ["admin", "create-facilitator", "[/]x@example.org", "--db", url], input="a long password\n"
    )
    assert made.exit_code == 0, made.output
    assert "facilitator [/]x@example.org created" in made.output
