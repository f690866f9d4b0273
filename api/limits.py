"""One rate-limit budget per caller across every API route: fixed windows counted in Redis
(the `limits` library's items and storages; each process leases a share of a window at a
time, `api.limit_leases`), `X-RateLimit-Limit/-Remaining/-Reset` on
every counted response, `Retry-After` on a 429.

A before-request hook rather than flask-limiter: for one application-wide budget that
extension resolved every route's decorated, blueprint and default limits on each request,
12 % of the app's CPU when 40 senders fill it (docs/benchmarks.md, "The rate limiter").
"""

import logging
import math
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, g, request
from limits import RateLimitItem, parse_many
from werkzeug.exceptions import TooManyRequests

from api.auth import current_caller
from api.errors import problem_response
from api.limit_leases import LeasedCounts
from api.limit_storage import counting_storage
from graph.errors import DomainError

log = logging.getLogger(__name__)


class RateLimited(TooManyRequests):
    """The caller spent a budget; `limit` names it."""

    def __init__(self, limit: RateLimitItem) -> None:
        super().__init__(f"rate limit exceeded ({limit}); retry later")
        self.limit = limit


@dataclass(frozen=True)
class Window:
    """Where a caller stands in one budget's current window."""

    limit: RateLimitItem
    used: int
    resets_at: float

    @property
    def remaining(self) -> int:
        return max(0, self.limit.amount - self.used)


def _too_many_requests(error: RateLimited) -> Response:
    return problem_response(429, "Too many requests", error.description or "")


def rate_limit_key() -> str:
    """Signed-in callers (users and the service) are limited by subject, others by address."""
    try:
        return "user:" + current_caller().user_id
    except DomainError:
        return "addr:" + (request.remote_addr or "unknown")


class RateLimits:
    """The app's budgets (BEATGRAPH_RATE_LIMIT, e.g. "600 per minute", or several separated
    by ";"), counted before each request of every blueprint not exempted."""

    def __init__(self, app: Flask, settings: dict[str, Any]) -> None:
        self.limits = parse_many(settings["BEATGRAPH_RATE_LIMIT"])
        # Every key under REDIS_PREFIX, so an ACL user limited to the prefix can count,
        # and tests clean up their own.
        self.counts = LeasedCounts(
            counting_storage(
                settings["REDIS_URL"], key_prefix=settings["REDIS_PREFIX"] + "ratelimit"
            )
        )
        self._exempt: set[str] = set()
        app.before_request(self.count_request)
        app.after_request(self.add_headers)
        app.register_error_handler(RateLimited, _too_many_requests)

    def exempt(self, blueprint_name: str) -> None:
        """The routes of this blueprint spend no budget (probes, the web client's files)."""
        self._exempt.add(blueprint_name)

    def count_request(self) -> None:
        """Count the request in each budget; a 429 once one is spent. With Redis down the
        request goes on uncounted: the limiter must not take the API down."""
        if request.endpoint is None or request.blueprint in self._exempt:
            return
        key = rate_limit_key()
        windows = []
        try:
            for limit in self.limits:
                used, resets_at = self.counts.count(limit, key)
                windows.append(Window(limit, used, resets_at))
                if used > limit.amount:
                    break
        except Exception as exc:  # the storage's client errors, whichever its kind
            log.warning("rate limit not counted (%s): %s", type(exc).__name__, exc)
            return
        last = windows[-1]  # the counting stopped at the first budget spent
        if last.used > last.limit.amount:
            g.rate_window = last
            raise RateLimited(last.limit)
        # The headers speak of the budget closest to running out.
        g.rate_window = min(windows, key=lambda window: window.remaining)

    def add_headers(self, response: Response) -> Response:
        window: Window | None = g.get("rate_window")
        if window is None:
            return response
        response.headers["X-RateLimit-Limit"] = str(window.limit.amount)
        response.headers["X-RateLimit-Remaining"] = str(window.remaining)
        response.headers["X-RateLimit-Reset"] = str(math.ceil(window.resets_at))
        if response.status_code == 429:
            response.headers["Retry-After"] = str(max(1, math.ceil(window.resets_at - time.time())))
        return response
