"""The web app under load: concurrent cases driven through the JSON API on loopback.

Run ``python benchmarks/web_load.py [--cases 20] [--parties 7] [--issues 15] [--options 2]
[--db URL] [--passwords cheap|real]``. It prints a table.

A server (the app as ``accord serve`` runs it, one uvicorn process) is started on a free
loopback port over a fresh database (a temporary SQLite file unless ``--db`` names another).
Each case is a task of one asyncio loop with an ``httpx.AsyncClient`` per user: its facilitator
logs in, creates the case from a generated scenario (``--parties`` x ``--issues``, ``--options``
options each), invites every party; each party joins, logs in and enters random preferences
(seeded by case and party); the facilitator computes suggestions; every party reads them and
accepts the first (the Nash package, which all accept by construction) and rejects the rest;
the facilitator asks for improvements (there are none on a frontier package) and the case is
agreed. All cases run at once, and within a case the parties act at once.

Measured: wall time, requests per second, p50/p95/max latency per kind of request, and
errors (any answer other than the expected one; must be 0). ``POST rounds`` is the time to
compute a case's suggestions through the whole stack; the engine alone is also timed, in this
process, for one case of the same size. ``--passwords cheap`` (the default) hashes passwords
with the test profile, so that the numbers are those of the negotiation and not of argon2 (the
real profile's cost per hash is printed beside them).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from accord.web import WebConfig, engine
from accord.web.config import PasswordProfile
from accord.web.db import Database
from accord.web.migrate import upgrade
from accord.web.passwords import Passwords
from accord.web.service import Service

PASSWORD = "benchmark password 1"

SERVER = """
import sys, uvicorn
from accord.web import WebConfig, create_app
from accord.web.config import PasswordProfile
cheap = sys.argv[3] == "cheap"
config = WebConfig(db_url=sys.argv[1], passwords=PasswordProfile.cheap() if cheap else PasswordProfile())
uvicorn.run(create_app(config), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def scenario_text(n_parties: int, n_issues: int, n_options: int) -> str:
    return yaml.safe_dump(
        {
            "format": "accord/1",
            "id": "load",
            "name": f"Load test: {n_parties} parties, {n_issues} issues",
            "parties": [{"id": f"p{i}"} for i in range(n_parties)],
            "issues": [
                {"id": f"i{j}", "options": [{"id": f"o{k}"} for k in range(n_options)]}
                for j in range(n_issues)
            ],
        },
        sort_keys=False,
    )


def preferences(seed: int, n_issues: int, n_options: int) -> dict[str, Any]:
    rng = random.Random(seed)
    values = {}
    for j in range(n_issues):
        best = rng.randrange(n_options)  # each issue has a best option, rated 100
        values[f"i{j}"] = {f"o{k}": 100 if k == best else rng.randint(0, 99) for k in range(n_options)}
    return {
        "weights": {f"i{j}": rng.randint(1, 20) for j in range(n_issues)},
        "values": values,
        "reservation_value": 0.2,
        "red_lines": [],
    }


@dataclass
class Recorder:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)


class Client:
    """One user's browser: its cookies, the CSRF header, latency of every request recorded."""

    def __init__(self, base: str, recorder: Recorder) -> None:
        # Idle connections are dropped before the server's keep-alive timeout (5 s) closes them,
        # so that no request is sent on a connection the server is closing.
        limits = httpx.Limits(keepalive_expiry=2.0)
        self.http = httpx.AsyncClient(base_url=base, timeout=120, limits=limits)
        self.recorder = recorder

    async def call(self, kind: str, method: str, path: str, body: Any = None, expect: int = 200) -> Any:
        headers = {"X-CSRF-Token": self.http.cookies.get("csrf_token") or ""}
        start = time.perf_counter()
        try:
            response = await self.http.request(method, path, json=body, headers=headers)
        except httpx.HTTPError as exc:
            self.recorder.errors.append(f"{kind}: {exc!r}")
            return None
        self.recorder.latencies[kind].append(time.perf_counter() - start)
        if response.status_code != expect:
            self.recorder.errors.append(f"{kind}: {response.status_code} {response.text[:200]}")
            return None
        return response.json()

    async def close(self) -> None:
        await self.http.aclose()


async def one_case(n: int, base: str, args: argparse.Namespace, recorder: Recorder) -> None:
    boss = Client(base, recorder)
    parties = {f"p{i}": Client(base, recorder) for i in range(args.parties)}
    try:
        await boss.call(
            "login", "POST", "/api/session", {"email": f"boss{n}@example.org", "password": PASSWORD}
        )
        text = scenario_text(args.parties, args.issues, args.options)
        case = (await boss.call("create case", "POST", "/api/cases", {"scenario": text}, expect=201))["id"]

        async def join(party: str, client: Client) -> None:
            invitation = {"party": party, "email": f"{party}.{n}@example.org"}
            token = (await boss.call("invite", "POST", f"/api/cases/{case}/invitations", invitation, 201))[
                "token"
            ]
            await client.call("join", "POST", f"/api/invitations/{token}", {"password": PASSWORD}, expect=201)
            await client.call(
                "login", "POST", "/api/session", {"email": invitation["email"], "password": PASSWORD}
            )
            prefs = preferences(n * 1000 + int(party[1:]), args.issues, args.options)
            await client.call("put preferences", "PUT", f"/api/cases/{case}/preferences", prefs)

        await asyncio.gather(*(join(p, c) for p, c in parties.items()))
        await boss.call("POST rounds (suggestions)", "POST", f"/api/cases/{case}/rounds")

        async def answer(client: Client) -> None:
            found = await client.call("get suggestions", "GET", f"/api/cases/{case}/suggestions")
            for rank, suggestion in enumerate(found or []):
                path = f"/api/cases/{case}/suggestions/{suggestion['id']}/response"
                if rank > 0:
                    await client.call("answer", "PUT", path, {"accept": False})
            if found:  # accepted last, so that the baseline closes the round after the rejections
                path = f"/api/cases/{case}/suggestions/{found[0]['id']}/response"
                await client.call("answer", "PUT", path, {"accept": True})

        await asyncio.gather(*(answer(c) for c in parties.values()))
        status = await boss.call("case status", "GET", f"/api/cases/{case}")
        if status and status["phase"] != "baseline":
            recorder.errors.append(f"case {n}: phase {status['phase']} after every party accepted")
        done = await boss.call("POST rounds (improvements)", "POST", f"/api/cases/{case}/rounds")
        if done and done["phase"] != "agreed":
            recorder.errors.append(f"case {n}: phase {done['phase']} at the end")
    finally:
        for client in (boss, *parties.values()):
            await client.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def engine_time(args: argparse.Namespace, repeats: int = 5) -> float:
    """The engine alone (accord.analyze and the choice of suggestions), best of ``repeats``."""
    setup = {
        "id": "load",
        "parties": [{"id": f"p{i}"} for i in range(args.parties)],
        "issues": [
            {"id": f"i{j}", "options": [{"id": f"o{k}"} for k in range(args.options)]}
            for j in range(args.issues)
        ],
    }
    prefs = {
        f"p{i}": engine.check_preferences(setup, f"p{i}", preferences(i, args.issues, args.options))
        for i in range(args.parties)
    }
    scenario = engine.build_scenario(setup, prefs)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        engine.propose(scenario, offered=[], count=3)
        best = min(best, time.perf_counter() - start)
    return best


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def drive(base: str, args: argparse.Namespace, recorder: Recorder) -> float:
    start = time.perf_counter()
    await asyncio.gather(*(one_case(n, base, args, recorder) for n in range(args.cases)))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--parties", type=int, default=7)
    parser.add_argument("--issues", type=int, default=15)
    parser.add_argument("--options", type=int, default=2)
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--passwords", choices=["cheap", "real"], default="cheap")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="accord-load-")
    url = args.db or f"sqlite:///{Path(folder) / 'load.db'}"
    database = Database(url)
    upgrade(database)
    profile = PasswordProfile.cheap() if args.passwords == "cheap" else PasswordProfile()
    service = Service(database, WebConfig(db_url=url, passwords=profile))
    for n in range(args.cases):
        service.create_facilitator(f"boss{n}@example.org", PASSWORD)
    database.dispose()

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, url, str(port), args.passwords],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        recorder = Recorder()
        wall = asyncio.run(drive(base, args, recorder))
    finally:
        server.terminate()
        server.wait(timeout=30)

    n_requests = sum(len(v) for v in recorder.latencies.values())
    real = Passwords(PasswordProfile())
    start = time.perf_counter()
    real.hash(PASSWORD)
    hash_cost = time.perf_counter() - start
    print(
        f"{args.cases} cases x {args.parties} parties, {args.issues} issues of {args.options} options, "
        f"{'SQLite' if url.startswith('sqlite') else 'PostgreSQL'}, {args.passwords} password hashing, "
        f"{os.cpu_count()} CPUs"
    )
    print()
    print(f"| {'request':<28} | {'n':>5} | {'p50 ms':>8} | {'p95 ms':>8} | {'max ms':>8} |")
    print(f"|{'-' * 30}|{'-' * 7}|{'-' * 10}|{'-' * 10}|{'-' * 10}|")
    everything = [x for v in recorder.latencies.values() for x in v]
    for kind, values in [*sorted(recorder.latencies.items()), ("all", everything)]:
        print(
            f"| {kind:<28} | {len(values):>5} | {statistics.median(values) * 1e3:>8.1f} | "
            f"{percentile(values, 0.95) * 1e3:>8.1f} | {max(values) * 1e3:>8.1f} |"
        )
    print()
    print(
        f"wall time {wall:.2f} s, {n_requests} requests, {n_requests / wall:.0f} requests/s, "
        f"errors: {len(recorder.errors)}"
    )
    for error in recorder.errors[:10]:
        print("  error:", error)
    print(
        f"engine alone, suggestions for one {args.parties}-party {args.issues}-issue case: "
        f"{engine_time(args) * 1e3:.0f} ms (best of 5)"
    )
    print(f"one argon2id hash with the real profile (64 MiB, 3 passes): {hash_cost * 1e3:.0f} ms")
    sys.exit(1 if recorder.errors else 0)


if __name__ == "__main__":
    main()
