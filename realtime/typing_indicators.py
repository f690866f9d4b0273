"""Typing indicators: relayed, never stored in Neo4j, and stopped on the typist's behalf
when a `start` is not renewed within the TTL (6 s by default).

A start sets a Redis key with that TTL (a renewal from any process extends it) and this
process schedules a check; when the check finds the key gone, it sends the `stop`.
"""

import logging
import threading
import time
from collections.abc import Sequence
from typing import Any

from redis.exceptions import RedisError

from realtime.relay import Relay

log = logging.getLogger(__name__)


class TypingTracker:
    """Relays typing start/stop and expires unrenewed starts."""

    def __init__(self, relay: Relay, ttl_ms: int = 6000) -> None:
        self.relay = relay
        self.ttl_ms = ttl_ms
        self._due: dict[tuple[str, str], tuple[float, tuple[str, ...]]] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._sweeper = threading.Thread(target=self._sweep, name="typing-sweeper", daemon=True)

    def start(self) -> None:
        self._sweeper.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._sweeper.is_alive():
            self._sweeper.join(timeout=5)

    def _key(self, conversation_id: str, user_id: str) -> str:
        return f"{self.relay.prefix}typing:{conversation_id}:{user_id}"

    def typing(
        self, user: dict[str, Any], conversation_id: str, state: str, recipients: Sequence[str]
    ) -> None:
        """Relay `state` ("start" or "stop") of `user` to the other participants: told
        first, then the TTL key is set or dropped, so the other member waits for one
        round trip to Redis, not two."""
        self._announce(user, conversation_id, state, recipients)
        key = self._key(conversation_id, user["id"])
        if state == "start":
            self.relay.redis.set(key, "1", px=self.ttl_ms)
            with self._lock:
                self._due[(conversation_id, user["id"])] = (
                    time.monotonic() + self.ttl_ms / 1000,
                    tuple(recipients),
                )
        else:
            self.relay.redis.delete(key)
            with self._lock:
                self._due.pop((conversation_id, user["id"]), None)

    def _announce(
        self, user: dict[str, Any], conversation_id: str, state: str, recipients: Sequence[str]
    ) -> None:
        self.relay.publish_ephemeral(
            recipients, "typing", {"conversation_id": conversation_id, "user": user, "state": state}
        )

    def _sweep(self) -> None:
        while not self._stopping.wait(0.1):
            now = time.monotonic()
            with self._lock:
                due = [(k, v) for k, v in self._due.items() if v[0] <= now]
            for (conversation_id, user_id), (_, recipients) in due:
                try:
                    self._expire(conversation_id, user_id, recipients)
                except RedisError:
                    log.warning("typing expiry skipped: Redis unavailable")

    def _expire(self, conversation_id: str, user_id: str, recipients: tuple[str, ...]) -> None:
        remaining = self.relay.redis.pttl(self._key(conversation_id, user_id))
        with self._lock:
            if remaining > 0:  # renewed (perhaps through another process): look again later
                self._due[(conversation_id, user_id)] = (
                    time.monotonic() + remaining / 1000,
                    recipients,
                )
                return
            self._due.pop((conversation_id, user_id), None)
        self._announce({"id": user_id}, conversation_id, "stop", recipients)
