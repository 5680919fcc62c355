"""Schema migrations with Alembic: :func:`upgrade` applies them, :func:`check_current` refuses to
serve a database that is behind (``accord serve`` calls it at start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from ..errors import AccordError
from .db import Database

__all__ = ["check_current", "head", "upgrade"]

_SCRIPTS = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    return config


def head() -> str:
    """The newest revision the code knows."""
    found = ScriptDirectory.from_config(_config()).get_current_head()
    assert found is not None
    return found


def upgrade(database: Database) -> None:
    """Apply every migration the database has not had yet."""
    config = _config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def current(database: Database) -> str | None:
    """The database's revision (None for an empty database)."""
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def check_current(database: Database) -> None:
    """Raise a one-line :class:`AccordError` unless the database is at the newest revision."""
    found = current(database)
    if found != head():
        state = "has no accord tables" if found is None else f"is at revision {found}, not {head()}"
        raise AccordError(
            f"--db: the database {state}; run `accord db upgrade --db {database.display_url}` first"
        )
