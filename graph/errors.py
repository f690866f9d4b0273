"""Domain errors: what went wrong, in the domain's words, with the field it concerns.

They carry no HTTP status: `api.errors.status_of` gives each its status and problem title,
for REST responses and socket `error` frames alike.
"""


class DomainError(Exception):
    """Base of every error a domain function raises on purpose."""

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class InvalidInput(DomainError):
    """The request is well-formed but breaks a rule (following yourself)."""


class Unauthorized(DomainError):
    """No valid credentials were presented."""


class Forbidden(DomainError):
    """The caller is known but may not do this (a block, a missing service scope)."""


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know that it does."""


class Conflict(DomainError):
    """The change clashes with existing data (a taken username)."""


class Unavailable(DomainError):
    """A backing service does not answer; the client should retry later."""
