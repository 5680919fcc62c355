"""A killed server loses nothing it acknowledged: after ``kill -9`` and a restart every case,
preference, answer and session (still valid) is there."""

from __future__ import annotations

from typing import Any

import httpx

from accord.web.service import Service

from .conftest import (
    PASSWORD,
    PREFERENCES,
    SCENARIO,
    free_port,
    migrated,
    start_server,
    stop_server,
    web_config,
)


class Browser:
    """An httpx client against a real server; keeps its cookies across server restarts."""

    def __init__(self) -> None:
        self.cookies = httpx.Cookies()
        self.port = 0

    def call(self, method: str, path: str, body: Any = None) -> Any:
        headers = {"X-CSRF-Token": self.cookies.get("csrf_token") or ""}
        with httpx.Client(
            base_url=f"http://127.0.0.1:{self.port}", cookies=self.cookies, timeout=60
        ) as client:
            response = client.request(method, path, json=body, headers=headers)
            self.cookies.update(client.cookies)
        assert response.status_code < 300, (method, path, response.status_code, response.text)
        return response.json()


def test_a_killed_server_loses_nothing_acknowledged(sqlite_url: str) -> None:
    any_url = sqlite_url  # the guarantee is the database's; SQLite runs with synchronous=FULL
    database = migrated(any_url)
    Service(database, web_config(any_url)).create_facilitator("boss@example.org", PASSWORD)
    port = free_port()
    server = start_server(any_url, port, cheap=True)
    boss, parties = Browser(), {p: Browser() for p in PREFERENCES}
    try:
        for browser in (boss, *parties.values()):
            browser.port = port
        boss.call("POST", "/api/session", {"email": "boss@example.org", "password": PASSWORD})
        case = boss.call("POST", "/api/cases", {"scenario": SCENARIO})["id"]
        for party, browser in parties.items():
            token = boss.call(
                "POST", f"/api/cases/{case}/invitations", {"party": party, "email": f"{party}@x.org"}
            )
            browser.call("POST", f"/api/invitations/{token['token']}", {"password": PASSWORD})
            browser.call("POST", "/api/session", {"email": f"{party}@x.org", "password": PASSWORD})
            browser.call("PUT", f"/api/cases/{case}/preferences", PREFERENCES[party])
        boss.call("POST", f"/api/cases/{case}/rounds")
        before = {p: b.call("GET", f"/api/cases/{case}/suggestions") for p, b in parties.items()}
        first = before["alder"][0]["id"]
        parties["alder"].call("PUT", f"/api/cases/{case}/suggestions/{first}/response", {"accept": True})
        parties["birch"].call("PUT", f"/api/cases/{case}/suggestions/{first}/response", {"accept": True})
        parties["cedar"].call("PUT", f"/api/cases/{case}/suggestions/{first}/response", {"accept": False})
    finally:
        stop_server(server, kill=True)  # SIGKILL: no shutdown of any kind

    port = free_port()
    server = start_server(any_url, port, cheap=True)
    try:
        for browser in (boss, *parties.values()):
            browser.port = port
        status = boss.call("GET", f"/api/cases/{case}")  # the old session cookie still works
        assert status["phase"] == "suggestions" and all(p["submitted"] for p in status["parties"])
        for party, browser in parties.items():
            assert browser.call("GET", f"/api/cases/{case}/preferences") == dict(PREFERENCES[party])
            after = browser.call("GET", f"/api/cases/{case}/suggestions")
            expected = {"alder": True, "birch": True, "cedar": False}[party]
            assert [s["package"] for s in after] == [s["package"] for s in before[party]]
            assert after[0]["my_response"] is expected
        parties["cedar"].call("PUT", f"/api/cases/{case}/suggestions/{first}/response", {"accept": True})
        assert boss.call("GET", f"/api/cases/{case}")["phase"] == "baseline"
    finally:
        stop_server(server)
