"""The rate limiter's counters in Redis: one round trip counts requests (a process's share,
`api.limit_leases`) and says when their window ends.

limits' own Redis storages (single node, TLS, cluster: they pick the client and parse the
URL) with one more script: INCRBY, the window's expiry when this hit opened it (as limits'
incr_expire.lua), and the TTL left, which the `X-RateLimit-Reset` header needs.
"""

import time
from typing import Any

from limits.storage import RedisClusterStorage, RedisStorage, storage_from_string

SCHEME_PREFIX = "beatgraph+"

_COUNT_AND_TTL = """
local amount = tonumber(ARGV[2])
local current = redis.call("incrby", KEYS[1], amount)
if current == amount then
    redis.call("expire", KEYS[1], ARGV[1])
end
return {current, redis.call("ttl", KEYS[1])}
"""


class _CountsWithReset:
    """Mixed into limits' Redis storages (which provide `get_connection` and the rest)."""

    def initialize_storage(self, uri: str) -> None:
        super().initialize_storage(uri)  # type: ignore[misc]
        self._count_and_ttl = self.get_connection().register_script(_COUNT_AND_TTL)  # type: ignore[attr-defined]

    def count(self, key: str, expiry: int, amount: int = 1) -> tuple[int, float]:
        """Count `amount` requests in `key`'s window; (requests in it so far, when it ends)."""
        count, ttl = self._count_and_ttl([self.prefixed_key(key)], [expiry, amount])  # type: ignore[attr-defined]
        return int(count), time.time() + max(int(ttl), 0)


class CountingRedisStorage(_CountsWithReset, RedisStorage):
    STORAGE_SCHEME = [SCHEME_PREFIX + "redis", SCHEME_PREFIX + "rediss"]

    def __init__(self, uri: str, **options: Any) -> None:
        super().__init__(uri.removeprefix(SCHEME_PREFIX), **options)


class CountingRedisClusterStorage(_CountsWithReset, RedisClusterStorage):
    STORAGE_SCHEME = [SCHEME_PREFIX + "redis+cluster"]

    def __init__(self, uri: str, **options: Any) -> None:
        super().__init__(uri.removeprefix(SCHEME_PREFIX), **options)


def counting_storage(redis_url: str, key_prefix: str) -> CountingRedisStorage:
    """The counters' storage for `redis_url` (a single node or, `redis+cluster://`, a
    cluster), its keys under `key_prefix`."""
    storage = storage_from_string(SCHEME_PREFIX + redis_url, key_prefix=key_prefix)
    assert isinstance(storage, _CountsWithReset)
    return storage  # type: ignore[return-value]
