"""The FastAPI application: routes, error answers and the security headers of every response."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from . import api, pages
from .config import WebConfig
from .db import Database
from .migrate import check_current
from .problems import Unauthenticated, WebError
from .service import Service

__all__ = ["create_app"]

STATIC = Path(__file__).resolve().parent / "static"

# No inline script or style, nothing from another origin, no framing (ASVS 3.4.3, 3.4.6).
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def create_app(config: WebConfig | None = None, *, database: Database | None = None) -> FastAPI:
    """The app on ``config.db_url`` (or on ``database``); refuses a database whose migrations
    are not all applied."""
    config = config or WebConfig()
    database = database or Database(config.db_url)
    check_current(database)
    app = FastAPI(title="accord", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.service = Service(database, config)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(WebError)
    async def _refused(request: Request, exc: WebError) -> Response:
        if isinstance(exc, Unauthenticated) and pages.wants_html(request):
            return pages.to_login(request)
        if pages.wants_html(request):
            return pages.error_page(request, exc.status, str(exc))
        headers = {"Retry-After": str(exc.retry_after)} if hasattr(exc, "retry_after") else None
        return JSONResponse({"error": str(exc)}, status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"] if p != "body") or "body"
        return JSONResponse({"error": f"{where}: {err['msg']}"}, status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        message = "not found" if exc.status_code == 404 else str(exc.detail)
        if pages.wants_html(request):
            return pages.error_page(request, exc.status_code, message)
        return JSONResponse({"error": message}, status_code=exc.status_code)

    @app.middleware("http")
    async def _headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        if request.url.scheme == "https" or config.secure_cookies:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        return response

    return app
