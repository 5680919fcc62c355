"""Authorisation on every route for every kind of user (ASVS 8.2.2, 8.2.3, 8.4.1), and a leak
test: marker values seeded into each party's preferences appear in no response to anyone else."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from accord.web import api, pages

from .conftest import PREFERENCES, SCENARIO, User, World, build_world

ROLES = ("anonymous", "boss", "other_boss", "alder", "birch", "stranger")


def _user(world: World, role: str) -> User:
    return {
        "anonymous": world.anonymous,
        "boss": world.boss,
        "other_boss": world.other_boss,
        "alder": world.parties["alder"],
        "birch": world.parties["birch"],
        "stranger": world.stranger,
    }[role]


def _sid(world: World) -> str:
    found: str = world.parties["alder"].ok("GET", f"/api/cases/{world.case}/suggestions")[0]["id"]
    return found


@dataclass(frozen=True)
class Route:
    method: str
    template: str  # the route as the app declares it
    path: Callable[[World], str]
    expected: dict[str, int]
    body: Any = None


def _codes(
    anonymous: int, boss: int, other_boss: int, alder: int, birch: int, stranger: int
) -> dict[str, int]:
    return dict(zip(ROLES, (anonymous, boss, other_boss, alder, birch, stranger), strict=True))


# In the order they run: requests that change or end something come last. The world is in the
# suggestions phase (every party has entered preferences; round 1 is open).
MATRIX = [
    Route("GET", "/api/cases", lambda w: "/api/cases", _codes(401, 200, 200, 200, 200, 200)),
    Route("GET", "/api/me", lambda w: "/api/me", _codes(401, 200, 200, 200, 200, 200)),
    Route(
        "GET", "/api/cases/{case_id}", lambda w: f"/api/cases/{w.case}", _codes(401, 200, 404, 200, 200, 404)
    ),
    Route(
        "GET",
        "/api/cases/{case_id}/audit",
        lambda w: f"/api/cases/{w.case}/audit",
        _codes(401, 200, 404, 403, 403, 404),
    ),
    Route(
        "GET",
        "/api/cases/{case_id}/preferences",
        lambda w: f"/api/cases/{w.case}/preferences",
        _codes(401, 403, 404, 200, 200, 404),
    ),
    Route(
        "GET",
        "/api/cases/{case_id}/suggestions",
        lambda w: f"/api/cases/{w.case}/suggestions",
        _codes(401, 403, 404, 200, 200, 404),
    ),
    Route("GET", "/", lambda w: "/", _codes(200, 303, 303, 303, 303, 303)),
    Route("GET", "/cases", lambda w: "/cases", _codes(303, 200, 200, 200, 200, 200)),
    Route("GET", "/cases/{case_id}", lambda w: f"/cases/{w.case}", _codes(303, 200, 404, 200, 200, 404)),
    Route(
        "GET",
        "/cases/{case_id}/preferences",
        lambda w: f"/cases/{w.case}/preferences",
        _codes(303, 403, 404, 200, 200, 404),
    ),
    Route(
        "GET",
        "/cases/{case_id}/suggestions",
        lambda w: f"/cases/{w.case}/suggestions",
        _codes(303, 403, 404, 200, 200, 404),
    ),
    Route(
        "GET",
        "/invitations/{token}",
        lambda w: "/invitations/" + "x" * 43,
        _codes(404, 404, 404, 404, 404, 404),
    ),
    Route(
        "POST",
        "/api/invitations/{token}",
        lambda w: "/api/invitations/" + "x" * 43,
        _codes(404, 404, 404, 404, 404, 404),
        {"password": "a long enough password"},
    ),
    Route(
        "POST",
        "/api/cases",
        lambda w: "/api/cases",
        _codes(401, 201, 201, 403, 403, 403),
        {"scenario": SCENARIO},
    ),
    # A wrong password is refused whoever sends it; the sixth failure from one address in the
    # window is rate-limited (all test clients share one address).
    Route(
        "POST",
        "/api/session",
        lambda w: "/api/session",
        _codes(401, 401, 401, 401, 401, 429),
        {"email": "boss@example.org", "password": "not the password"},
    ),
    # birch has joined: the facilitator is let through and told so (409); nobody else gets that far.
    Route(
        "POST",
        "/api/cases/{case_id}/invitations",
        lambda w: f"/api/cases/{w.case}/invitations",
        _codes(401, 409, 404, 403, 403, 404),
        {"party": "birch", "email": "b@example.org"},
    ),
    # Preferences are locked while suggestions are open: a party is let through and told so.
    Route(
        "PUT",
        "/api/cases/{case_id}/preferences",
        lambda w: f"/api/cases/{w.case}/preferences",
        _codes(401, 403, 404, 409, 409, 404),
        PREFERENCES["alder"],
    ),
    Route(
        "PUT",
        "/api/cases/{case_id}/suggestions/{suggestion_id}/response",
        lambda w: f"/api/cases/{w.case}/suggestions/{_sid(w)}/response",
        _codes(401, 403, 404, 200, 200, 404),
        {"accept": False},
    ),
    # Another case's suggestion, through one's own case: 404 (the facilitator may not answer: 403).
    Route(
        "PUT",
        "/api/cases/{case_id}/suggestions/{suggestion_id}/response",
        lambda w: f"/api/cases/{w.other}/suggestions/{_sid(w)}/response",
        _codes(401, 404, 403, 404, 404, 404),
        {"accept": True},
    ),
    Route(
        "POST",
        "/api/cases/{case_id}/rounds",
        lambda w: f"/api/cases/{w.case}/rounds",
        _codes(401, 200, 404, 403, 403, 404),
    ),
    Route(
        "DELETE",
        "/api/cases/{case_id}/parties/{party}",
        lambda w: f"/api/cases/{w.case}/parties/cedar",
        _codes(401, 200, 404, 403, 403, 404),
    ),
    Route(
        "DELETE",
        "/api/cases/{case_id}/preferences",
        lambda w: f"/api/cases/{w.case}/preferences",
        _codes(401, 403, 404, 200, 200, 404),
    ),
    Route("DELETE", "/api/session", lambda w: "/api/session", _codes(401, 200, 200, 200, 200, 200)),
]


def _in_suggestions(app: FastAPI) -> World:
    world = build_world(app)
    for party, user in world.parties.items():
        user.ok("PUT", f"/api/cases/{world.case}/preferences", PREFERENCES[party])
    world.boss.ok("POST", f"/api/cases/{world.case}/rounds")
    return world


def test_the_matrix_covers_every_route() -> None:
    routes = [*api.router.routes, *pages.router.routes]
    declared = {(m, r.path) for r in routes if isinstance(r, APIRoute) for m in r.methods}
    assert len(declared) > 20
    assert declared == {(r.method, r.template) for r in MATRIX}


def test_every_route_for_every_kind_of_user(app: FastAPI) -> None:
    world = _in_suggestions(app)
    failures = []
    for route in MATRIX:
        for role in ROLES:  # a role allowed to change something goes after those refused
            response = _user(world, role).call(route.method, route.path(world), route.body)
            if response.status_code != route.expected[role]:
                failures.append(
                    f"{route.method} {route.template} as {role}: {response.status_code} {response.text[:120]}"
                )
            elif response.status_code in (401, 403, 404, 409, 422) and route.path(world).startswith("/api/"):
                assert "error" in response.json()
    assert not failures, "\n".join(failures)


# -- the leak test -------------------------------------------------------------------------------

# Numbers and a text no computation produces by chance, one set per party.
MARKERS = {
    "alder": ("13.1719", "61.2347", "0.0314159", "MARKER-alder-7f3a"),
    "birch": ("17.2311", "71.3457", "0.0271828", "MARKER-birch-c91e"),
    "cedar": ("19.2917", "83.4567", "0.0161803", "MARKER-cedar-4b2d"),
}


def _marked(party: str) -> dict[str, Any]:
    weight, value, walk_away, text = MARKERS[party]
    prefs = PREFERENCES[party]
    values = {**prefs["values"], "site": {**prefs["values"]["site"], "birch": float(value)}}
    lines = [{**line, "rationale": text} for line in prefs["red_lines"]] or [
        {"when": {"site": "cedar", "cost_share": "usage", "capacity": 80}, "rationale": text}
    ]
    return {
        "weights": {**prefs["weights"], "site": float(weight)},
        "values": values,
        "reservation_value": float(walk_away),
        "red_lines": lines,
    }


def _everything_seen(world: World, users: dict[str, User], seen: dict[str, list[str]]) -> None:
    """Every GET route (JSON and HTML) as every user, added to what that user has seen."""
    case, other = world.case, world.other
    paths = [
        "/api/cases",
        "/api/me",
        "/",
        "/cases",
        *(
            p
            for c in (case, other)
            for p in (
                f"/api/cases/{c}",
                f"/api/cases/{c}/audit",
                f"/api/cases/{c}/preferences",
                f"/api/cases/{c}/suggestions",
                f"/cases/{c}",
                f"/cases/{c}/preferences",
                f"/cases/{c}/suggestions",
            )
        ),
    ]
    for name, user in users.items():
        for path in paths:
            seen[name].append(user.call("GET", path).text)


def test_no_one_sees_another_partys_preferences(app: FastAPI) -> None:
    world = build_world(app)
    cedar = world.parties["cedar"]
    users = {
        "boss": world.boss,
        "other_boss": world.other_boss,
        "stranger": world.stranger,
        "anonymous": world.anonymous,
        **world.parties,
    }
    seen: dict[str, list[str]] = {name: [] for name in users}

    def act(name: str, method: str, path: str, body: Any = None) -> Any:
        response = users[name].call(method, path, body)
        seen[name].append(response.text)
        assert response.status_code < 300, (name, method, path, response.text)
        return response.json()

    case = f"/api/cases/{world.case}"
    for party in world.parties:
        act(party, "PUT", f"{case}/preferences", _marked(party))
    _everything_seen(world, users, seen)
    act("boss", "POST", f"{case}/rounds")
    _everything_seen(world, users, seen)
    for party in world.parties:
        sid = act(party, "GET", f"{case}/suggestions")[0]["id"]
        act(party, "PUT", f"{case}/suggestions/{sid}/response", {"accept": True})
    _everything_seen(world, users, seen)
    act("boss", "POST", f"{case}/rounds")
    _everything_seen(world, users, seen)
    seen["cedar"].append(cedar.call("GET", "/api/me").text)

    for party, markers in MARKERS.items():
        own = "\n".join(seen[party])
        assert all(m in own for m in markers[:2]), f"{party} should see its own values"
        for name, texts in seen.items():
            if name == party:
                continue
            everything = "\n".join(texts)
            leaked = [m for m in markers if m in everything]
            assert not leaked, f"{name} saw {party}'s {leaked}"


def test_the_audit_log_records_actions_without_values(app: FastAPI) -> None:
    world = build_world(app)
    case = f"/api/cases/{world.case}"
    for party, user in world.parties.items():
        user.ok("PUT", f"{case}/preferences", _marked(party))
    world.boss.ok("POST", f"{case}/rounds")
    for user in world.parties.values():
        sid = user.ok("GET", f"{case}/suggestions")[0]["id"]
        user.ok("PUT", f"{case}/suggestions/{sid}/response", {"accept": False})
    log = world.boss.ok("GET", f"{case}/audit")
    actions = [e["action"] for e in log]
    assert actions.count("preferences_submitted") == 3 and actions.count("answer_recorded") == 3
    assert "round_started" in actions and "baseline_reached" not in actions
    text = str(log)
    assert not any(m in text for markers in MARKERS.values() for m in markers)
    # An answer is logged as "answered", never as what it was.
    assert {e["detail"] for e in log if e["action"] == "answer_recorded"} == set(world.parties)
    assert all(isinstance(v, str | None) for e in log for v in e.values())
