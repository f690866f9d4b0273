"""One rate-limit budget per caller across every API route (flask-limiter's application
limits), `X-RateLimit-Limit/-Remaining/-Reset` on every limited response, and `Retry-After`
only where it means something: 429 (when the window resets) and 503 (the app's retry hint)."""

from typing import Any

from flask import Flask, Response, request
from flask_limiter import Limiter

from api.auth import current_caller
from api.errors import RETRY_AFTER_SECONDS
from api.limit_storage import storage_uri
from graph.errors import DomainError


def rate_limit_key() -> str:
    """Signed-in callers (users and the service) are limited by subject, others by address."""
    try:
        return "user:" + current_caller().user_id
    except DomainError:
        return "addr:" + (request.remote_addr or "unknown")


def _retry_after_only_when_due(response: Response) -> Response:
    # flask-limiter sets Retry-After on every response it counts, and on a 503 replaces
    # the app's hint by the end of its window when that is later.
    if response.status_code == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    elif response.status_code != 429:
        response.headers.pop("Retry-After", None)
    return response


def init_rate_limits(app: Flask, settings: dict[str, Any]) -> Limiter:
    """One Limiter per app (flask-limiter keeps the first app's settings on the instance,
    so a module-level one would leak them between apps and tests)."""
    app.config.update(
        # One round trip per request for the count and its headers (api/limit_storage.py).
        RATELIMIT_STORAGE_URI=storage_uri(settings["REDIS_URL"]),
        # Every key under REDIS_PREFIX (limits would start them with "LIMITS:"), so an ACL
        # user limited to the prefix can count, and tests clean up their own.
        RATELIMIT_STORAGE_OPTIONS={"key_prefix": settings["REDIS_PREFIX"] + "ratelimit"},
        RATELIMIT_HEADERS_ENABLED=True,
        RATELIMIT_SWALLOW_ERRORS=True,  # Redis down must not take the API down
    )
    # after_request hooks run in reverse order: registered before the Limiter's own, this
    # one sees the headers the Limiter added.
    app.after_request(_retry_after_only_when_due)
    return Limiter(
        key_func=rate_limit_key, application_limits=[settings["BEATGRAPH_RATE_LIMIT"]], app=app
    )
