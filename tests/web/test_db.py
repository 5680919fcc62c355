"""The schema: the Alembic migration builds what the models declare, the app refuses a
database that is behind, and the audit log cannot be changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from accord.errors import AccordError
from accord.web.db import Database
from accord.web.migrate import check_current, current, head
from accord.web.models import Base

from .conftest import migrated


def _columns(database: Database) -> dict[str, set[tuple[str, bool]]]:
    found = inspect(database.engine)
    return {
        t: {(c["name"], bool(c["nullable"])) for c in found.get_columns(t)}
        for t in found.get_table_names()
        if t != "alembic_version"
    }


def test_migration_builds_the_schema_of_the_models(sqlite_url: str) -> None:
    database = migrated(sqlite_url)
    declared = {t.name: {(c.name, bool(c.nullable)) for c in t.columns} for t in Base.metadata.sorted_tables}
    assert _columns(database) == declared
    assert current(database) == head()
    check_current(database)  # no error


def test_upgrade_twice_is_harmless(sqlite_url: str) -> None:
    migrated(sqlite_url)
    database = migrated(sqlite_url)
    assert current(database) == head()


def test_an_unmigrated_database_is_refused_with_the_fix(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(AccordError, match=r"no accord tables; run `accord db upgrade --db sqlite:///"):
        check_current(database)


def test_a_bad_url_is_one_line_with_the_fix() -> None:
    with pytest.raises(AccordError, match="not a database URL; use sqlite:///FILE"):
        Database("not a url")
    with pytest.raises(AccordError, match="'mysql' is not supported"):
        Database("mysql://localhost/x")


def test_sqlite_runs_in_wal_mode(sqlite_url: str) -> None:
    database = migrated(sqlite_url)
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_the_audit_log_is_append_only(sqlite_url: str) -> None:
    database = migrated(sqlite_url)
    with database.transaction() as db:
        db.execute(text("INSERT INTO audit_events (at, actor, action, detail) VALUES (1, 'a', 'x', '')"))
    for statement in ("UPDATE audit_events SET action = 'y'", "DELETE FROM audit_events"):
        with pytest.raises(DatabaseError, match="append-only"), database.transaction() as db:
            db.execute(text(statement))
    with database.transaction() as db:
        assert db.execute(text("SELECT action FROM audit_events")).scalars().all() == ["x"]
