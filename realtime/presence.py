"""Who has a live socket, and on which app process: one Redis sorted set per user whose
members are that user's connections as `<node id>:<connection id>`, scored by when each
stops counting unless renewed. The relay reads it to announce an event only to the
processes that hold a socket of its recipient.

A socket registers when it opens, renews with every server ping and leaves when it
closes; a process that dies without closing its sockets stops counting by itself once
the scores run out.
"""

import threading
import time
from collections.abc import Sequence

from redis import Redis


def presence_key(prefix: str, user_id: str) -> str:
    """The sorted set of one user's live connections."""
    return f"{prefix}presence:{{{user_id}}}"  # tagged like the stream: one cluster slot


class Presence:
    """Register, renew and ask about live sockets of this process (node)."""

    def __init__(
        self,
        redis: Redis,
        prefix: str,
        ttl_seconds: float,
        available: threading.Event,
        node_id: str,
    ) -> None:
        self.redis = redis
        self.available = available
        self.prefix = prefix
        self.ttl_seconds = ttl_seconds
        self.node_id = node_id

    def key(self, user_id: str) -> str:
        """The sorted set of one user's live connections."""
        return presence_key(self.prefix, user_id)

    def member(self, connection_id: str) -> str:
        """A connection of this node as the presence set holds it."""
        return f"{self.node_id}:{connection_id}"

    @property
    def everyone_key(self) -> str:
        """Every user with a live socket, scored by when that stops counting."""
        return f"{self.prefix}presence-all"

    def renew(self, user_id: str, connection_id: str) -> None:
        """This connection is live for another `ttl_seconds` (on open and on each ping)."""
        key = self.key(user_id)
        now = time.time()
        pipe = self.redis.pipeline(transaction=False)
        pipe.zadd(key, {self.member(connection_id): now + self.ttl_seconds})
        pipe.zremrangebyscore(key, "-inf", now)
        pipe.expire(key, int(self.ttl_seconds) + 1)
        pipe.zadd(self.everyone_key, {user_id: now + self.ttl_seconds})
        pipe.zremrangebyscore(self.everyone_key, "-inf", now)
        pipe.execute()

    def leave(self, user_id: str, connection_id: str) -> None:
        """This connection closed. The user stays in the everyone-set until it expires:
        another process may still hold a socket of theirs, and the set is only a hint."""
        self.redis.zrem(self.key(user_id), self.member(connection_id))

    def everyone(self, limit: int) -> list[str]:
        """Up to `limit` users who have (or just had) a live socket, for upload fan-out to
        reach them first."""
        if not self.available.is_set():
            return []
        users = self.redis.zrangebyscore(self.everyone_key, time.time(), "+inf", 0, limit)
        return [user.decode() for user in users]  # type: ignore[union-attr]

    def online(self, user_ids: Sequence[str]) -> set[str]:
        """The users among these with at least one live socket (one round trip). While the
        relay has lost Redis every socket has been closed, so nobody is online."""
        if not self.available.is_set():
            return set()
        now = time.time()
        pipe = self.redis.pipeline(transaction=False)
        for user_id in user_ids:
            pipe.zcount(self.key(user_id), now, "+inf")
        counts = pipe.execute()
        return {user_id for user_id, count in zip(user_ids, counts, strict=True) if count}
