"""When the last parties accept the same package at the same moment, exactly one baseline is
recorded, and no answer is lost: threads on SQLite (BEGIN IMMEDIATE) and on PostgreSQL
(SELECT ... FOR UPDATE), whose binaries the PostgreSQL run needs."""

from __future__ import annotations

import threading
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select

from accord.web import create_app
from accord.web.models import AuditEvent, Case, Response
from accord.web.problems import Conflict

from .conftest import PREFERENCES, SCENARIO, facilitator, join, migrated, web_config

N_CASES = 3


def _cases(app: FastAPI) -> list[tuple[str, dict[str, Any], list[str]]]:
    """Cases in the suggestions phase: (id, each party's actor, the open suggestions)."""
    service = app.state.service
    boss = facilitator(app, "boss@example.org")
    out = []
    for _ in range(N_CASES):
        case = boss.ok("POST", "/api/cases", {"scenario": SCENARIO})["id"]
        users = {p: join(app, boss, case, p, f"{p}@example.org") for p in PREFERENCES}
        for party, user in users.items():
            user.ok("PUT", f"/api/cases/{case}/preferences", PREFERENCES[party])
        boss.ok("POST", f"/api/cases/{case}/rounds")
        sids = [s["id"] for s in users["alder"].ok("GET", f"/api/cases/{case}/suggestions")]
        actors = {p: service.actor(u.client.cookies["accord_session"]) for p, u in users.items()}
        out.append((case, actors, sids))
    return out


def test_exactly_one_baseline_when_everyone_accepts_everything_at_once(any_url: str) -> None:
    app = create_app(web_config(any_url), database=migrated(any_url))
    service = app.state.service
    cases = _cases(app)
    calls = [(case, actor, sid) for case, actors, sids in cases for actor in actors.values() for sid in sids]
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(case: str, actor: Any, sid: str) -> None:
        barrier.wait()
        try:
            service.respond(actor, case, sid, True)
            outcome = "recorded"
        except Conflict:
            outcome = "closed"  # a baseline was reached first: the round is over
        except Exception as exc:
            outcome = f"error: {exc!r}"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=accept, args=call) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert len(outcomes) == len(calls)
    with service.database.transaction() as db:
        for case, _, sids in cases:
            baselines = db.execute(
                select(func.count()).where(
                    AuditEvent.case_id == case, AuditEvent.action == "baseline_reached"
                )
            ).scalar_one()
            assert baselines == 1
            row = db.get(Case, case)
            assert row is not None and row.phase == "baseline" and row.baseline_id in sids
        # Not one recorded answer is lost.
        stored = db.execute(select(func.count()).select_from(Response)).scalar_one()
    assert stored == outcomes.count("recorded")
    assert outcomes.count("closed") > 0  # the race happened: some answers came after the baseline
