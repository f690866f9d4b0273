"""Whether a block stands between two users, remembered per process for typing frames.

A typist sends a `typing` frame every few seconds, and each one into a DM must respect a
block. Reading the block from Neo4j per frame was half of the typing hop (3.4 ms of
6.3 ms p50, docs/benchmarks.md), so each process remembers the answer per pair and
forgets it
- at once, when this process writes a block or an unblock between the pair;
- when another process does: after its commit it broadcasts the pair on the relay, and
  every listener forgets it (a pub/sub hop, well under a millisecond on one box);
- all at once, when the relay's listener (re)subscribes: it may have missed broadcasts;
- when the answer is older than `max_age`: the bound on a broadcast lost with a process
  that died between its commit and the broadcast.

An answer read while a pair was being forgotten is not kept (the generation check): it
may predate the commit that caused the forgetting.
"""

import logging
import threading
from typing import Any

from cachetools import TTLCache
from redis.exceptions import RedisError

from graph import safety
from graph.db import Graph
from realtime.relay import Relay

log = logging.getLogger(__name__)

BLOCKS_CHANGED = "blocks.changed"


def _pair(user_id: str, other_id: str) -> tuple[str, str]:
    return (user_id, other_id) if user_id < other_id else (other_id, user_id)


class BlockWatch:
    """`blocked(a, b)` from memory when known, else from Neo4j; `changed(a, b)` after a
    committed block or unblock."""

    def __init__(
        self, relay: Relay, graph: Graph, max_age: float = 30.0, max_pairs: int = 100_000
    ) -> None:
        self.relay = relay
        self.graph = graph
        self._answers: TTLCache[tuple[str, str], bool] = TTLCache(maxsize=max_pairs, ttl=max_age)
        self._generation = 0
        self._lock = threading.Lock()  # TTLCache is not safe across threads
        relay.on_broadcast(BLOCKS_CHANGED, self._heard, on_resubscribe=self.forget_all)

    def blocked(self, user_id: str, other_id: str) -> bool:
        """Whether either of the two blocks the other."""
        pair = _pair(user_id, other_id)
        with self._lock:
            known: bool | None = self._answers.get(pair)
            generation = self._generation
        if known is not None:
            return known
        answer = safety.is_blocked(self.graph, user_id, other_id)
        with self._lock:
            if self._generation == generation:
                self._answers[pair] = answer
        return answer

    def changed(self, user_id: str, other_id: str) -> None:
        """A block or unblock between the two has committed: forget the pair here, then
        tell every process. If Redis does not answer, the others' listeners have lost it
        too and forget everything when they resubscribe."""
        self._forget(_pair(user_id, other_id))
        try:
            self.relay.broadcast(BLOCKS_CHANGED, {"users": [user_id, other_id]})
        except RedisError as exc:
            log.warning("block change between %s and %s not broadcast: %s", user_id, other_id, exc)

    def forget_all(self) -> None:
        with self._lock:
            self._generation += 1
            self._answers.clear()

    def _forget(self, pair: tuple[str, str]) -> None:
        with self._lock:
            self._generation += 1
            self._answers.pop(pair, None)

    def _heard(self, message: dict[str, Any]) -> None:
        users = message.get("users")
        if isinstance(users, list) and len(users) == 2 and all(isinstance(u, str) for u in users):
            self._forget(_pair(users[0], users[1]))
        else:
            log.warning("skipping a malformed %s broadcast: %r", BLOCKS_CHANGED, message)
