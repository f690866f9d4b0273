"""Does a token's subject exist? Asked on every authenticated request and socket, so
positive answers are remembered per process.

The memory is a bounded LRU with a TTL (BEATGRAPH_USER_CACHE_SIZE ids, for
BEATGRAPH_USER_CACHE_SECONDS). Only existing users are remembered, so a token for a user
created a moment ago works at once. Users are never deleted through this API today; when
they are, a deleted user's token still passes on a process that remembers them until the
entry expires (at most the TTL), unless the deletion also drops the entry on every
process (e.g. announced over the Redis relay).
"""

import threading

from cachetools import TTLCache

from graph.db import Graph
from graph.users import find_user_id


class KnownUsers:
    """Answers whether a user id names a user, remembering the ones that do."""

    def __init__(self, graph: Graph, ttl_seconds: float, size: int) -> None:
        self.graph = graph
        self._known: TTLCache[str, bool] = TTLCache(maxsize=size, ttl=ttl_seconds)
        self._lock = threading.Lock()  # TTLCache is not safe across threads or greenlets

    def exists(self, user_id: str) -> bool:
        """True if the user exists (from memory, or from one index seek in Neo4j)."""
        with self._lock:
            if self._known.get(user_id):
                return True
        found = find_user_id(self.graph, user_id=user_id) is not None
        if found:
            with self._lock:
                self._known[user_id] = True
        return found
