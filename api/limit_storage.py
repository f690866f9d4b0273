"""flask-limiter's Redis storage with one round trip per request instead of three.

flask-limiter counts a request (the fixed window's INCRBY) before the view, then, for the
`X-RateLimit-*` headers, reads the same window back (GET, then TTL). Here the counting
script also returns the window's TTL, and the two reads that follow in the same request
for the same key are answered from what it returned. Outside a request, or for a key the
request did not count, they go to Redis as before.

The storages register their own URL schemes with `limits`: `beatgraph+redis://…` and
`beatgraph+rediss://…` and `beatgraph+redis+cluster://…` are the library's own URLs
with a prefix.
"""

import time
from typing import Any

from flask import g, has_request_context
from limits.storage import RedisClusterStorage, RedisStorage

SCHEME_PREFIX = "beatgraph+"

# INCRBY, the window's expiry when this hit opened it (as limits' own incr_expire.lua), and
# the TTL left: everything the headers need.
_COUNT_AND_TTL = """
local amount = tonumber(ARGV[2])
local current = redis.call("incrby", KEYS[1], amount)
if current == amount then
    redis.call("expire", KEYS[1], ARGV[1])
end
return {current, redis.call("ttl", KEYS[1])}
"""


def _windows() -> dict[str, tuple[int, float]] | None:
    """This request's counted windows: key → (count, when the window ends)."""
    if not has_request_context():
        return None
    if "rate_windows" not in g:
        g.rate_windows = {}
    windows: dict[str, tuple[int, float]] = g.rate_windows
    return windows


class _CountsOnce:
    """Mixed into limits' Redis storages (which provide `get_connection` and the rest)."""

    def initialize_storage(self, uri: str) -> None:
        super().initialize_storage(uri)  # type: ignore[misc]
        self._count_and_ttl = self.get_connection().register_script(_COUNT_AND_TTL)  # type: ignore[attr-defined]

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        count, ttl = self._count_and_ttl([self.prefixed_key(key)], [expiry, amount])  # type: ignore[attr-defined]
        windows = _windows()
        if windows is not None:
            windows[key] = (int(count), time.time() + max(int(ttl), 0))
        return int(count)

    def get(self, key: str) -> int:
        windows = _windows()
        if windows and key in windows:
            return windows[key][0]
        return int(super().get(key))  # type: ignore[misc]

    def get_expiry(self, key: str) -> float:
        windows = _windows()
        if windows and key in windows:
            return windows[key][1]
        return float(super().get_expiry(key))  # type: ignore[misc]


class OneTripRedisStorage(_CountsOnce, RedisStorage):
    STORAGE_SCHEME = [SCHEME_PREFIX + "redis", SCHEME_PREFIX + "rediss"]

    def __init__(self, uri: str, **options: Any) -> None:
        super().__init__(uri.removeprefix(SCHEME_PREFIX), **options)


class OneTripRedisClusterStorage(_CountsOnce, RedisClusterStorage):
    STORAGE_SCHEME = [SCHEME_PREFIX + "redis+cluster"]

    def __init__(self, uri: str, **options: Any) -> None:
        super().__init__(uri.removeprefix(SCHEME_PREFIX), **options)


def storage_uri(redis_url: str) -> str:
    """The storage URL for flask-limiter that picks these storages for `redis_url`."""
    return SCHEME_PREFIX + redis_url
