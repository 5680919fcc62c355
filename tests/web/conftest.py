"""A migrated database per test, the app on it (cheap password hashing: tests only), and users
that drive the JSON API as a browser does (the CSRF cookie's value in the X-CSRF-Token header)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from accord.web import WebConfig, create_app
from accord.web.config import PasswordProfile
from accord.web.db import Database
from accord.web.migrate import upgrade

SCENARIO = (Path(__file__).resolve().parents[2] / "src/accord/scenarios/three-towns.yaml").read_text()
PASSWORD = "a long enough password"

# The bundled three-towns preferences, as each party would enter them (the shape of the API).
PREFERENCES: dict[str, dict[str, Any]] = {
    "alder": {
        "weights": {"site": 30, "cost_share": 40, "capacity": 30},
        "values": {
            "site": {"alder": 100, "birch": 25, "cedar": 40},
            "cost_share": {"equal": 100, "population": 0, "usage": 50},
            "capacity": {"points": [[40, 0], [80, 100]]},
        },
        "reservation_value": 0.35,
        "red_lines": [],
    },
    "birch": {
        "weights": {"site": 10, "cost_share": 60, "capacity": 30},
        "values": {
            "site": {"alder": 50, "birch": 100, "cedar": 20},
            "cost_share": {"equal": 50, "population": 100, "usage": 0},
            "capacity": {"points": [[40, 40], [60, 100], [80, 20]]},
        },
        "reservation_value": 0.2,
        "red_lines": [{"when": {"site": "cedar"}}],
    },
    "cedar": {
        "weights": {"site": 30, "cost_share": 30, "capacity": 40},
        "values": {
            "site": {"alder": 60, "birch": 50, "cedar": 100},
            "cost_share": {"equal": 0, "population": 100, "usage": 50},
            "capacity": {"points": [[40, 100], [80, 0]]},
        },
        "reservation_value": 0.25,
        "red_lines": [],
    },
}


def web_config(url: str, **changes: Any) -> WebConfig:
    return WebConfig(db_url=url, passwords=PasswordProfile.cheap(), **changes)


_OPEN: list[Database] = []


def migrated(url: str) -> Database:
    """A database at the newest revision, disposed of when the test ends."""
    database = Database(url)
    _OPEN.append(database)
    upgrade(database)
    return database


@pytest.fixture(autouse=True)
def _dispose_databases() -> Iterator[None]:
    yield
    while _OPEN:
        _OPEN.pop().dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'accord.db'}"


@pytest.fixture
def app(sqlite_url: str) -> FastAPI:
    return create_app(web_config(sqlite_url), database=migrated(sqlite_url))


class User:
    """One browser: its own cookies; ``call`` adds the CSRF header to state-changing requests."""

    def __init__(self, app: FastAPI, email: str | None = None) -> None:
        self.client = TestClient(app, raise_server_exceptions=True, follow_redirects=False)
        self.email = email

    def call(self, method: str, path: str, body: Any = None, *, csrf: bool = True) -> Any:
        headers = {}
        token = self.client.cookies.get("csrf_token")
        if csrf and token and method != "GET":
            headers["X-CSRF-Token"] = token
        return self.client.request(method, path, json=body, headers=headers)

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        response = self.call(method, path, body)
        assert response.status_code < 300, (method, path, response.status_code, response.text)
        return response.json()

    def login(self, email: str, password: str = PASSWORD) -> User:
        self.email = email
        self.ok("POST", "/api/session", {"email": email, "password": password})
        return self


def facilitator(app: FastAPI, email: str) -> User:
    app.state.service.create_facilitator(email, PASSWORD)
    return User(app).login(email)


def join(app: FastAPI, boss: User, case_id: str, party: str, email: str) -> User:
    token = boss.ok("POST", f"/api/cases/{case_id}/invitations", {"party": party, "email": email})["token"]
    User(app).ok("POST", f"/api/invitations/{token}", {"password": PASSWORD})
    return User(app).login(email)


@dataclass
class World:
    """Two cases: ``case`` (three towns, facilitator ``boss``, parties alder/birch/cedar) and
    ``other`` (facilitator ``other_boss``, its party ``stranger`` seated as alder)."""

    app: FastAPI
    boss: User
    case: str
    parties: dict[str, User]
    other_boss: User
    other: str
    stranger: User
    anonymous: User = field(init=False)

    def __post_init__(self) -> None:
        self.anonymous = User(self.app)


def build_world(app: FastAPI) -> World:
    boss = facilitator(app, "boss@example.org")
    case = boss.ok("POST", "/api/cases", {"scenario": SCENARIO})["id"]
    parties = {p: join(app, boss, case, p, f"{p}@example.org") for p in ("alder", "birch", "cedar")}
    other_boss = facilitator(app, "other-boss@example.org")
    other = other_boss.ok("POST", "/api/cases", {"scenario": SCENARIO})["id"]
    stranger = join(app, other_boss, other, "alder", "stranger@example.org")
    return World(app, boss, case, parties, other_boss, other, stranger)


@pytest.fixture
def world(app: FastAPI) -> World:
    return build_world(app)


# -- PostgreSQL: a throwaway cluster when its binaries are here ---------------------------------


def _pg_bin() -> Path | None:
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return versions[-1].parent if versions else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL cluster in a temporary folder on a free port (fsync off), removed at the
    end. initdb refuses to run as root, so as root it runs as the ``postgres`` user."""
    binaries = _pg_bin()
    if binaries is None:
        pytest.skip("PostgreSQL's binaries (initdb, pg_ctl) are missing: apt-get install -y postgresql")
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if as_root and not (shutil.which("runuser") and _has_user("postgres")):
        pytest.skip("running as root without a `postgres` user and runuser: initdb cannot run")
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    folder = Path(tempfile.mkdtemp(prefix="accord-pg-"))
    if as_root:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", free_port()

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120, check=True)

    try:
        run(
            str(binaries / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
        )
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        run(
            str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"a throwaway PostgreSQL cluster could not start: {exc}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)


def _has_user(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def new_postgres_database(server: str) -> str:
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(
        server.replace("postgresql+psycopg", "postgresql") + "/postgres", autocommit=True
    ) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database URL on each backend (PostgreSQL skips without its binaries)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'accord.db'}"
    return new_postgres_database(request.getfixturevalue("postgres_server"))


# The app as `accord serve` runs it, but with the cheap password profile of the tests.
_CHEAP_SERVER = """
import sys, uvicorn
from accord.web import WebConfig, create_app
from accord.web.config import PasswordProfile
config = WebConfig(db_url=sys.argv[1], passwords=PasswordProfile.cheap())
uvicorn.run(create_app(config), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def start_server(url: str, port: int, *, cheap: bool = False) -> subprocess.Popen[str]:
    """``accord serve`` (or the same app with cheap password hashing) in a child process, once
    it answers."""
    serve = ["-c", "from accord.cli import main; main()", "serve", "--db", url, "--port", str(port)]
    proc = subprocess.Popen(
        [sys.executable, *(["-c", _CHEAP_SERVER, url, str(port)] if cheap else serve)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            output = proc.stdout.read() if proc.stdout else ""
            stop_server(proc)
            raise AssertionError(output or "the server stopped")
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.1)
    stop_server(proc, kill=True)
    raise AssertionError("the server did not answer within 30 s")


def stop_server(proc: subprocess.Popen[str], *, kill: bool = False) -> None:
    if kill:
        proc.kill()
    else:
        proc.terminate()
    proc.wait(timeout=15)
    if proc.stdout:
        proc.stdout.close()
