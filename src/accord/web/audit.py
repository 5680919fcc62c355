"""The append-only audit log: who did what, when. Callers pass ids and names, never a preference
value or an answer (a test seeds marker values and searches the export for them)."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from .models import AuditEvent

__all__ = ["export", "record"]


def record(
    db: DbSession, action: str, *, actor: str | None, case_id: str | None = None, detail: str = ""
) -> None:
    db.add(AuditEvent(at=time.time(), actor=actor, case_id=case_id, action=action, detail=detail))


def export(db: DbSession, case_id: str) -> list[dict[str, Any]]:
    """A case's events in order, as JSON-ready rows."""
    rows = db.execute(
        select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(AuditEvent.id)
    ).scalars()
    return [
        {
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(e.at)),
            "actor": e.actor,
            "action": e.action,
            "detail": e.detail,
        }
        for e in rows
    ]
