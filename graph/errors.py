"""Domain errors. `api.errors` maps each to an HTTP status and a problem document."""


class DomainError(Exception):
    """Base of every error a domain function raises on purpose."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class InvalidInput(DomainError):
    """The request is well-formed but breaks a rule (following yourself)."""

    status = 400
    title = "Invalid input"


class Unauthorized(DomainError):
    """No valid credentials were presented."""

    status = 401
    title = "Unauthorized"


class Forbidden(DomainError):
    """The caller is known but may not do this (a block, a missing service scope)."""

    status = 403
    title = "Forbidden"


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know that it does."""

    status = 404
    title = "Not found"


class Conflict(DomainError):
    """The change clashes with existing data (a taken username)."""

    status = 409
    title = "Conflict"


class Unavailable(DomainError):
    """A backing service does not answer; the client should retry later."""

    status = 503
    title = "Service unavailable"
