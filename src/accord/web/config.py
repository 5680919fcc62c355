"""The web app's settings: one typed object, passed to :func:`accord.web.create_app`."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["PasswordProfile", "WebConfig"]


@dataclass(frozen=True, kw_only=True)
class PasswordProfile:
    """argon2id cost parameters (memory in KiB). The default is RFC 9106's second recommended
    option scaled to a small server (64 MiB, 3 passes); tests use :meth:`cheap`."""

    time_cost: int = 3
    memory_cost: int = 65_536
    parallelism: int = 4

    @classmethod
    def cheap(cls) -> PasswordProfile:
        """For tests only: fast and weak."""
        return cls(time_cost=1, memory_cost=8, parallelism=1)


@dataclass(frozen=True, kw_only=True)
class WebConfig:
    """Where the data lives and how long sessions last.

    ``session_idle`` and ``session_lifetime``: seconds a session may stay unused, and seconds it
    lives at most (ASVS 7.3.1, 7.3.2). ``login_failures``: failed logins allowed per e-mail
    address and per client address within ``login_window`` seconds before logins answer 429.
    ``suggestions_per_round``: packages the engine proposes in one round.
    ``secure_cookies``: mark cookies Secure even on plain HTTP (set it behind a TLS proxy).
    """

    db_url: str = "sqlite:///accord.db"
    session_idle: int = 30 * 60
    session_lifetime: int = 12 * 60 * 60
    login_failures: int = 5
    login_window: int = 15 * 60
    invitation_lifetime: int = 14 * 24 * 60 * 60
    suggestions_per_round: int = 3
    secure_cookies: bool = False
    passwords: PasswordProfile = field(default_factory=PasswordProfile)
