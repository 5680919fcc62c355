"""What the API and the pages share about HTTP: cookies, the request's actor, CSRF checks."""

from __future__ import annotations

import hmac

from fastapi import Request, Response

from .auth import Actor, LoggedIn
from .problems import Forbidden
from .service import Service

__all__ = ["CSRF_COOKIE", "CSRF_HEADER", "SESSION_COOKIE", "actor_of", "clear_login", "set_login"]

SESSION_COOKIE = "accord_session"
CSRF_COOKIE = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def service_of(request: Request) -> Service:
    found: Service = request.app.state.service
    return found


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or service_of(request).config.secure_cookies


def set_login(request: Request, response: Response, login: LoggedIn) -> None:
    """The session cookie (HttpOnly) and the CSRF cookie (readable by the page's script), both
    SameSite=Strict and Secure over TLS (ASVS 3.3.1, 3.3.2, 3.3.4)."""
    secure = _secure(request)
    lifetime = service_of(request).config.session_lifetime
    response.set_cookie(
        SESSION_COOKIE,
        login.session_id,
        max_age=lifetime,
        httponly=True,
        samesite="strict",
        secure=secure,
        path="/",
    )
    response.set_cookie(
        CSRF_COOKIE,
        login.csrf_token,
        max_age=lifetime,
        httponly=False,
        samesite="strict",
        secure=secure,
        path="/",
    )


def clear_login(request: Request, response: Response) -> None:
    secure = _secure(request)
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        response.delete_cookie(
            name, path="/", samesite="strict", secure=secure, httponly=name == SESSION_COOKIE
        )


def actor_of(request: Request) -> Actor:
    """The logged-in user (401 otherwise). A state-changing request must also carry the session's
    CSRF token in the ``X-CSRF-Token`` header, equal to the ``csrf_token`` cookie (double
    submit, checked against the value stored with the session too)."""
    actor = service_of(request).actor(request.cookies.get(SESSION_COOKIE))
    if request.method in _UNSAFE:
        header = request.headers.get(CSRF_HEADER, "")
        cookie = request.cookies.get(CSRF_COOKIE, "")
        if not (
            header
            and hmac.compare_digest(header.encode(), cookie.encode())
            and hmac.compare_digest(header.encode(), actor.csrf_token.encode())
        ):
            raise Forbidden(
                f"missing or wrong CSRF token: send the {CSRF_COOKIE} cookie's value in {CSRF_HEADER}"
            )
    return actor


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"
