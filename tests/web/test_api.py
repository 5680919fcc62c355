"""The JSON API's sessions, CSRF protection, login rate limit, invitations and errors."""

from __future__ import annotations

import time

from fastapi import FastAPI
from sqlalchemy import select, update

from accord.web.auth import digest
from accord.web.models import Session
from accord.web.models import User as UserRow

from .conftest import PASSWORD, PREFERENCES, SCENARIO, User, World, facilitator


def _db(app: FastAPI):  # type: ignore[no-untyped-def]
    return app.state.service.database.transaction()


def test_login_sets_a_strict_httponly_session_cookie_and_a_readable_csrf_cookie(app: FastAPI) -> None:
    app.state.service.create_facilitator("f@example.org", PASSWORD)
    user = User(app)
    response = user.call("POST", "/api/session", {"email": "f@example.org", "password": PASSWORD})
    assert response.status_code == 200 and response.json() == {
        "email": "f@example.org",
        "role": "facilitator",
    }
    cookies = {c.split("=", 1)[0]: c.lower() for c in response.headers.get_list("set-cookie")}
    assert "httponly" in cookies["accord_session"] and "samesite=strict" in cookies["accord_session"]
    assert "httponly" not in cookies["csrf_token"] and "samesite=strict" in cookies["csrf_token"]
    session_id = user.client.cookies["accord_session"]
    assert len(session_id) == 43  # 32 random bytes, URL-safe base64
    with _db(app) as db:
        rows = db.execute(select(Session)).scalars().all()
        assert [r.id_hash for r in rows] == [digest(session_id)]  # only the digest is stored
        assert db.execute(select(UserRow.password_hash)).scalar_one().startswith("$argon2id$")


def test_each_login_makes_a_new_session_id_and_ends_the_old_one(app: FastAPI) -> None:
    user = facilitator(app, "f@example.org")
    first = user.client.cookies["accord_session"]
    user.login("f@example.org")
    second = user.client.cookies["accord_session"]
    assert first != second
    stale = User(app)
    stale.client.cookies.set("accord_session", first)
    assert stale.call("GET", "/api/cases").status_code == 401
    assert user.call("GET", "/api/cases").status_code == 200


def test_logout_ends_the_session_at_once(app: FastAPI) -> None:
    user = facilitator(app, "f@example.org")
    kept = user.client.cookies["accord_session"]
    assert user.ok("DELETE", "/api/session") == {"ok": True}
    again = User(app)
    again.client.cookies.set("accord_session", kept)
    assert again.call("GET", "/api/cases").status_code == 401


def test_idle_and_absolute_timeouts(app: FastAPI) -> None:
    config = app.state.service.config
    user = facilitator(app, "f@example.org")
    assert user.call("GET", "/api/cases").status_code == 200
    with _db(app) as db:
        db.execute(update(Session).values(last_seen_at=time.time() - config.session_idle - 1))
    response = user.call("GET", "/api/cases")
    assert response.status_code == 401 and "session has ended" in response.json()["error"]
    user.login("f@example.org")
    with _db(app) as db:  # in use all along, but older than the lifetime
        db.execute(update(Session).values(created_at=time.time() - config.session_lifetime - 1))
    assert user.call("GET", "/api/cases").status_code == 401


def test_state_changing_requests_need_the_csrf_header(app: FastAPI) -> None:
    user = facilitator(app, "f@example.org")
    body = {"scenario": SCENARIO}
    missing = user.call("POST", "/api/cases", body, csrf=False)
    assert missing.status_code == 403 and "CSRF" in missing.json()["error"]
    wrong = user.client.post("/api/cases", json=body, headers={"X-CSRF-Token": "x" * 43})
    assert wrong.status_code == 403
    # A cookie and header that agree but are not the session's token (a planted cookie) fail too.
    planted = User(app)
    planted.client.cookies.set("accord_session", user.client.cookies["accord_session"])
    planted.client.cookies.set("csrf_token", "planted")
    assert (
        planted.client.post("/api/cases", json=body, headers={"X-CSRF-Token": "planted"}).status_code == 403
    )
    assert user.call("POST", "/api/cases", body).status_code == 201


def test_logins_are_rate_limited(app: FastAPI) -> None:
    app.state.service.create_facilitator("f@example.org", PASSWORD)
    user = User(app)
    for _ in range(app.state.service.config.login_failures):
        wrong = user.call("POST", "/api/session", {"email": "f@example.org", "password": "not the password"})
        assert wrong.status_code == 401 and wrong.json() == {"error": "wrong e-mail address or password"}
    blocked = user.call("POST", "/api/session", {"email": "f@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    assert "too many failed logins" in blocked.json()["error"]


def test_an_unknown_address_gets_the_same_answer_as_a_wrong_password(app: FastAPI) -> None:
    response = User(app).call("POST", "/api/session", {"email": "nobody@example.org", "password": PASSWORD})
    assert response.status_code == 401 and response.json() == {"error": "wrong e-mail address or password"}


def test_an_invitation_works_once(world: World) -> None:
    joined = world.boss.call(
        "POST", f"/api/cases/{world.case}/invitations", {"party": "birch", "email": "b@x.org"}
    )
    assert joined.status_code == 409 and "has joined already" in joined.json()["error"]
    world.boss.ok("DELETE", f"/api/cases/{world.case}/parties/birch")
    token = world.boss.ok(
        "POST", f"/api/cases/{world.case}/invitations", {"party": "birch", "email": "b2@x.org"}
    )
    first = User(world.app).call("POST", f"/api/invitations/{token['token']}", {"password": PASSWORD})
    assert first.status_code == 201 and first.json()["party"] == "birch"
    second = User(world.app).call("POST", f"/api/invitations/{token['token']}", {"password": PASSWORD})
    assert second.status_code == 404 and "not valid" in second.json()["error"]


def test_removing_a_party_ends_its_sessions_and_deletes_its_preferences(world: World) -> None:
    alder = world.parties["alder"]
    alder.ok("PUT", f"/api/cases/{world.case}/preferences", PREFERENCES["alder"])
    world.boss.ok("DELETE", f"/api/cases/{world.case}/parties/alder")
    assert alder.call("GET", "/api/cases").status_code == 401
    back = User(world.app).login("alder@example.org")  # the account remains, the seat does not
    assert back.call("GET", f"/api/cases/{world.case}").status_code == 404
    status = world.boss.ok("GET", f"/api/cases/{world.case}")
    assert {p["id"]: p["submitted"] for p in status["parties"]}["alder"] is False


def test_errors_are_json_with_a_one_line_message(world: World) -> None:
    bad = world.boss.call(
        "POST", "/api/cases", {"scenario": "format: accord/1\nid: x\nparties: []\nissues: []\n"}
    )
    assert (
        bad.status_code == 422
        and "\n" not in bad.json()["error"]
        and bad.json()["error"].startswith("scenario:")
    )
    missing = world.boss.call("POST", "/api/cases", {})
    assert missing.status_code == 422 and missing.json() == {"error": "scenario: Field required"}
    prefs = dict(
        PREFERENCES["alder"], values={**PREFERENCES["alder"]["values"], "site": {"alder": 1, "mars": 2}}
    )
    wrong = world.parties["alder"].call("PUT", f"/api/cases/{world.case}/preferences", prefs)
    assert wrong.status_code == 422
    assert "site" in wrong.json()["error"] and "mars" in wrong.json()["error"]
    unknown = world.boss.call("GET", "/api/nothing-here")
    assert unknown.status_code == 404 and unknown.json() == {"error": "not found"}
    walk_away = dict(PREFERENCES["alder"], reservation_value=1.5)
    assert (
        world.parties["alder"].call("PUT", f"/api/cases/{world.case}/preferences", walk_away).status_code
        == 422
    )


def test_a_case_keeps_parties_and_issues_but_never_the_files_preferences(world: World) -> None:
    status = world.boss.ok("GET", f"/api/cases/{world.case}")
    assert [p["id"] for p in status["parties"]] == ["alder", "birch", "cedar"]
    assert [i["id"] for i in status["issues"]] == ["site", "cost_share", "capacity"]
    assert "preferences" not in status and "reservation_value" not in str(status)
    assert status["phase"] == "collecting" and not any(p["submitted"] for p in status["parties"])


def test_a_party_reads_back_exactly_its_own_preferences_and_can_delete_them(world: World) -> None:
    alder = world.parties["alder"]
    assert alder.ok("GET", f"/api/cases/{world.case}/preferences") is None
    alder.ok("PUT", f"/api/cases/{world.case}/preferences", PREFERENCES["alder"])
    mine = alder.ok("GET", f"/api/cases/{world.case}/preferences")
    assert mine["weights"] == PREFERENCES["alder"]["weights"]
    assert mine["reservation_value"] == 0.35
    exported = alder.ok("GET", "/api/me")
    assert exported["cases"][0]["preferences"] == mine
    alder.ok("DELETE", f"/api/cases/{world.case}/preferences")
    assert alder.ok("GET", f"/api/cases/{world.case}/preferences") is None
