"""What the service layer refuses, each with the HTTP status the API answers with."""

from __future__ import annotations

from ..errors import AccordError

__all__ = ["Conflict", "Forbidden", "Invalid", "NotFound", "TooManyAttempts", "Unauthenticated", "WebError"]


class WebError(AccordError):
    """A refusal with an HTTP status; the message is safe to show to the user."""

    status = 400


class Unauthenticated(WebError):
    status = 401

    def __init__(self, message: str = "log in first") -> None:
        super().__init__(message)


class Forbidden(WebError):
    status = 403


class NotFound(WebError):
    """Also what a user is told about another case's or another party's objects: that they
    exist is not revealed (ASVS 8.2.2)."""

    status = 404

    def __init__(self, message: str = "not found") -> None:
        super().__init__(message)


class Conflict(WebError):
    status = 409


class Invalid(WebError):
    status = 422


class TooManyAttempts(WebError):
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
