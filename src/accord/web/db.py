"""Database engines and transactions that serialise the decisions that must happen once.

SQLite: WAL journal (readers do not block the writer), a busy timeout, foreign keys on, and
every transaction opened with ``BEGIN IMMEDIATE``: it takes the write lock at the start, so two
requests cannot both read "not all accepted yet" and both record a baseline (a deferred
transaction would read, then fail or lose an update when it upgrades to writing).
PostgreSQL: the rows that decide (the case) are read with ``SELECT ... FOR UPDATE``
(see :func:`lock_case`). Both follow the SQLAlchemy documentation's pysqlite recipe.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import sessionmaker

from ..errors import AccordError
from .models import Case

__all__ = ["Database", "lock_case"]


class Database:
    """An engine and its session factory for one URL."""

    def __init__(self, url: str) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise AccordError(
                f"--db: '{url}' is not a database URL; use sqlite:///FILE or "
                "postgresql+psycopg://USER:PASSWORD@HOST/NAME"
            ) from None
        self.url = url
        # For messages: never print a password.
        self.display_url = parsed.render_as_string(hide_password=True)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if parsed.get_backend_name() not in ("sqlite", "postgresql"):
            raise AccordError(
                f"--db: '{parsed.get_backend_name()}' is not supported; use sqlite or postgresql"
            )
        kwargs: dict[str, Any] = {}
        if self.is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            _sqlite_immediate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Read-only transactions: on SQLite a plain (deferred) BEGIN, which WAL lets run beside
        # the writer; they must not write (an upgrade to writing could fail with SQLITE_BUSY).
        self._readers = sessionmaker(
            self.engine.execution_options(accord_read_only=True), expire_on_commit=False
        )

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[DbSession]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with (self._sessions if write else self._readers)() as db, db.begin():
            yield db

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_immediate(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, open transactions (the driver would open deferred ones).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        read_only = conn.get_execution_options().get("accord_read_only", False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def lock_case(db: DbSession, case_id: str) -> Case | None:
    """The case, locked until the transaction ends (``FOR UPDATE``; on SQLite the transaction
    already holds the database's write lock)."""
    return db.execute(select(Case).where(Case.id == case_id).with_for_update()).scalar_one_or_none()
