"""Password hashing with argon2id (argon2-cffi), as ASVS 11.4.2 and RFC 9106 recommend."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import AccordError
from .config import PasswordProfile

__all__ = ["MIN_LENGTH", "Passwords"]

MIN_LENGTH = 12
MAX_LENGTH = 128


class Passwords:
    """Hashes and checks passwords with one cost profile."""

    def __init__(self, profile: PasswordProfile) -> None:
        self._hasher = PasswordHasher(
            time_cost=profile.time_cost, memory_cost=profile.memory_cost, parallelism=profile.parallelism
        )
        self._dummy: str | None = None

    def hash(self, password: str) -> str:
        check_strength(password)
        return self._hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        if stored is None and self._dummy is None:
            # Checked against when the e-mail is unknown, so that a wrong address costs as long
            # as a wrong password (no account enumeration by timing, ASVS 6.3.8).
            self._dummy = self._hasher.hash("not a password of anyone's")
        try:
            return self._hasher.verify(stored or self._dummy or "", password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False


def check_strength(password: str) -> None:
    """ASVS 6.2.1/6.2.9: at least 12 characters, at most 128, any characters allowed."""
    if len(password) < MIN_LENGTH:
        raise AccordError(f"the password is too short: use at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise AccordError(f"the password is too long: use at most {MAX_LENGTH} characters")
