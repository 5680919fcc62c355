"""Accounts, server-side sessions and the login rate limit.

A session id is 256 random bits (``secrets.token_urlsafe(32)``) sent in an HttpOnly cookie and
stored only as its SHA-256 digest; each login makes a new one (ASVS 7.2.4), idle sessions and
old ones expire (7.3.1, 7.3.2), and logout or the removal of a party revokes them at once
(7.4.1, 7.4.2), which a signed client-side cookie could not do.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session as DbSession

from . import audit
from .config import WebConfig
from .models import LoginFailure, Session, User
from .passwords import Passwords
from .problems import Conflict, Invalid, TooManyAttempts, Unauthenticated

__all__ = ["TOUCH_INTERVAL", "Actor", "Auth", "digest", "new_id", "new_secret"]

TOUCH_INTERVAL = 60.0
"""Seconds between updates of a session's last use (the idle timeout is this precise)."""


def new_secret() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def new_id() -> str:
    return uuid.uuid4().hex


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normal_email(email: str) -> str:
    email = email.strip().lower()
    if "@" not in email or len(email) > 320 or any(c.isspace() for c in email):
        raise Invalid("email: not an e-mail address; write it as name@example.org")
    return email


@dataclass(frozen=True)
class Actor:
    """The logged-in user of a request."""

    user_id: str
    email: str
    role: str
    session_hash: str
    csrf_token: str

    @property
    def is_facilitator(self) -> bool:
        return self.role == "facilitator"


@dataclass(frozen=True)
class LoggedIn:
    session_id: str
    csrf_token: str
    actor: Actor


class Auth:
    """Logins, sessions and accounts, under one configuration."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.passwords = Passwords(config.passwords)

    # -- accounts ---------------------------------------------------------------------------
    def create_user(self, db: DbSession, email: str, password: str, role: str) -> User:
        email = normal_email(email)
        if db.execute(select(User).where(User.email == email)).scalar_one_or_none() is not None:
            raise Conflict(f"email: an account for {email} exists already")
        user = User(
            id=new_id(),
            email=email,
            password_hash=self.passwords.hash(password),
            role=role,
            created_at=time.time(),
        )
        db.add(user)
        db.flush()
        return user

    # -- login and logout ---------------------------------------------------------------------
    def login(
        self, db: DbSession, email: str, password: str, client: str, *, replaces: str | None
    ) -> LoggedIn | None:
        """Check the password and open a new session (closing ``replaces``, the session id the
        browser had, if any). None on a wrong address or password (the failure is recorded:
        commit, then answer 401); 429 when rate-limited."""
        email = email.strip().lower()
        keys = (f"email:{email}", f"client:{client}")
        self._check_rate(db, keys)
        user = db.execute(select(User).where(User.email == email)).scalar_one_or_none()
        if not self.passwords.verify(user.password_hash if user else None, password) or user is None:
            now = time.time()
            db.add_all([LoginFailure(key=k, at=now) for k in keys])
            audit.record(db, "login_failed", actor=email[:320])
            return None
        db.execute(delete(LoginFailure).where(LoginFailure.key == keys[0]))
        if replaces:
            self.revoke(db, replaces)
        return self.open_session(db, user)

    def open_session(self, db: DbSession, user: User) -> LoggedIn:
        session_id, csrf = new_secret(), new_secret()
        now = time.time()
        db.add(
            Session(
                id_hash=digest(session_id), user_id=user.id, csrf_token=csrf, created_at=now, last_seen_at=now
            )
        )
        audit.record(db, "login", actor=user.email)
        return LoggedIn(session_id, csrf, Actor(user.id, user.email, user.role, digest(session_id), csrf))

    def _check_rate(self, db: DbSession, keys: tuple[str, ...]) -> None:
        since = time.time() - self.config.login_window
        for key in keys:
            failures, oldest = db.execute(
                select(func.count(), func.min(LoginFailure.at)).where(
                    LoginFailure.key == key, LoginFailure.at > since
                )
            ).one()
            if failures >= self.config.login_failures:
                wait = max(1, int(oldest - since) + 1)
                raise TooManyAttempts(f"too many failed logins: try again in {wait} seconds", wait)

    def revoke(self, db: DbSession, session_id: str) -> None:
        db.execute(
            update(Session)
            .where(Session.id_hash == digest(session_id), Session.revoked_at.is_(None))
            .values(revoked_at=time.time())
        )

    def revoke_user(self, db: DbSession, user_id: str) -> None:
        """End every session of a user at once (a removed party)."""
        db.execute(
            update(Session)
            .where(Session.user_id == user_id, Session.revoked_at.is_(None))
            .values(revoked_at=time.time())
        )

    # -- each request ---------------------------------------------------------------------------
    def actor(self, db: DbSession, session_id: str | None) -> tuple[Actor, bool]:
        """The user of a live session (401 otherwise), and whether its last use should be
        moved to now (at most once a minute: most requests then only read)."""
        if not session_id:
            raise Unauthenticated()
        row = db.get(Session, digest(session_id))
        now = time.time()
        if (
            row is None
            or row.revoked_at is not None
            or now - row.last_seen_at > self.config.session_idle
            or now - row.created_at > self.config.session_lifetime
        ):
            raise Unauthenticated("your session has ended: log in again")
        user = db.get(User, row.user_id)
        if user is None:
            raise Unauthenticated()
        stale = now - row.last_seen_at > TOUCH_INTERVAL
        return Actor(user.id, user.email, user.role, row.id_hash, row.csrf_token), stale

    def touch(self, db: DbSession, session_hash: str) -> None:
        db.execute(
            update(Session)
            .where(Session.id_hash == session_hash, Session.revoked_at.is_(None))
            .values(last_seen_at=time.time())
        )
