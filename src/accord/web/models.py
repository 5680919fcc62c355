"""The database tables (SQLAlchemy 2 declarative). The Alembic migrations create the same schema;
a test compares the two.

Secrets are stored as SHA-256 digests (session ids, invitation tokens): a copy of the database
lets no one log in. Times are seconds since the epoch (UTC), the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AuditEvent",
    "Base",
    "Case",
    "LoginFailure",
    "Member",
    "PreferenceRecord",
    "Response",
    "Session",
    "Suggestion",
    "SuggestionUtility",
    "User",
]


class Base(DeclarativeBase):
    pass


class User(Base):
    """A person who logs in: a facilitator (created by an administrator) or a party (created by
    accepting an invitation)."""

    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # "facilitator" or "party"
    created_at: Mapped[float] = mapped_column(Float)


class Session(Base):
    """A server-side login session: revoked by setting ``revoked_at``."""

    __tablename__ = "sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[float] = mapped_column(Float)
    last_seen_at: Mapped[float] = mapped_column(Float)
    revoked_at: Mapped[float | None] = mapped_column(Float, nullable=True)


class LoginFailure(Base):
    """One failed login, kept for the rate limit (the key is an e-mail or a client address)."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(400))
    at: Mapped[float] = mapped_column(Float)
    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)


class Case(Base):
    """A negotiation: the scenario's parties and issues (never preferences), its phase and round."""

    __tablename__ = "cases"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    facilitator_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(400))
    setup: Mapped[dict[str, Any]] = mapped_column(JSON)
    phase: Mapped[str] = mapped_column(String(20))
    round: Mapped[int] = mapped_column(Integer, default=0)
    baseline_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    agreement_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[float] = mapped_column(Float)


class Member(Base):
    """A party's seat at a case: invited (token digest), then joined (user)."""

    __tablename__ = "members"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    party: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    token_expires_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    removed_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)


class PreferenceRecord(Base):
    """A party's private preferences, in the scenario format's shape."""

    __tablename__ = "preferences"
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[float] = mapped_column(Float)


class Suggestion(Base):
    """A package the engine proposed in a round: a suggestion or an improvement."""

    __tablename__ = "suggestions"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # "suggestion" or "improvement"
    rank: Mapped[int] = mapped_column(Integer)
    package: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[float] = mapped_column(Float)


class SuggestionUtility(Base):
    """A party's utility of a suggestion, shown to that party only."""

    __tablename__ = "suggestion_utilities"
    suggestion_id: Mapped[str] = mapped_column(ForeignKey("suggestions.id"), primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"), primary_key=True)
    utility: Mapped[float] = mapped_column(Float)


class Response(Base):
    """A party's secret answer to a suggestion."""

    __tablename__ = "responses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    suggestion_id: Mapped[str] = mapped_column(ForeignKey("suggestions.id"), index=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"))
    accept: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[float] = mapped_column(Float)
    __table_args__ = (UniqueConstraint("suggestion_id", "member_id", name="uq_responses_suggestion_member"),)


class AuditEvent(Base):
    """Who did what and when; never a preference value or an answer. The database refuses to
    change or delete a row (triggers created by the migration)."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[float] = mapped_column(Float)
    actor: Mapped[str | None] = mapped_column(String(320), nullable=True)
    case_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(Text, default="")
