"""``accord serve``, ``accord db upgrade`` and ``accord admin create-facilitator``: the web app
of the optional extra ``web``, imported only when one of these commands runs."""

from __future__ import annotations

import getpass
import sys
from types import ModuleType
from typing import Annotated

import typer

from ..errors import AccordError
from ._common import err_console, esc, fail

__all__ = ["admin_app", "db_app", "serve"]

DbOpt = Annotated[
    str,
    typer.Option(
        "--db", help="Database URL: sqlite:///FILE or postgresql+psycopg://USER:PASSWORD@HOST/NAME."
    ),
]

db_app = typer.Typer(help="The web app's database.", no_args_is_help=True, add_completion=False)
admin_app = typer.Typer(help="Accounts of the web app.", no_args_is_help=True, add_completion=False)


def _say(text: str) -> None:
    """A status line on stderr: shown as it is (user data may hold brackets), never wrapped."""
    err_console().print(esc(text), highlight=False)


def _web() -> ModuleType:
    try:
        import uvicorn  # noqa: F401  (checked here so that the message names the extra)

        from .. import web
    except ImportError as exc:
        fail(f"the web app needs the optional extra 'web' ({exc.name} is missing): pip install 'accord[web]'")
    return web


def serve(
    db: DbOpt = "sqlite:///accord.db",
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    secure_cookies: Annotated[
        bool, typer.Option(help="Mark cookies Secure (set it when a TLS proxy is in front).")
    ] = False,
) -> None:
    """Serve the confidential mediated negotiation web app."""
    web = _web()
    import uvicorn

    try:
        app = web.create_app(web.WebConfig(db_url=db, secure_cookies=secure_cookies))
    except AccordError as exc:
        fail(str(exc))
    _say(f"accord serving on http://{host}:{port}/ (database {db.split('@')[-1]})")
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)


@db_app.command("upgrade")
def db_upgrade(db: DbOpt = "sqlite:///accord.db") -> None:
    """Create or migrate the web app's tables (Alembic)."""
    _web()
    from ..web.db import Database
    from ..web.migrate import head, upgrade

    try:
        database = Database(db)
        upgrade(database)
    except AccordError as exc:
        fail(str(exc))
    except Exception as exc:  # the database driver's errors: unreachable server, bad password
        fail(f"--db: cannot migrate {db.split('@')[-1]}: {str(exc).splitlines()[0]}")
    _say(f"database at revision {head()}")


@admin_app.command("create-facilitator")
def create_facilitator(
    email: Annotated[str, typer.Argument(help="The facilitator's e-mail address (the login).")],
    db: DbOpt = "sqlite:///accord.db",
) -> None:
    """Create a facilitator account; the password is read from standard input."""
    web = _web()
    from ..web.db import Database
    from ..web.service import Service

    password = getpass.getpass("password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\r\n")
    try:
        database = Database(db)
        web.migrate.check_current(database)
        Service(database, web.WebConfig(db_url=db)).create_facilitator(email, password)
    except AccordError as exc:
        fail(str(exc))
    _say(f"facilitator {email.strip().lower()} created")
