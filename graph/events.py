"""Domain events: what changed, for whom. Published only after the transaction commits.

A domain function records its events on the caller's `UnitOfWork` instead of sending
them anywhere; once the unit (an HTTP request, a socket frame, a worker step) is done,
one after-commit step (`graph.relaying.publish_committed`) hands them to a `Publisher` —
as zulip's actions queue their events with `on_commit`. The domain so never knows who
listens (the realtime relay, a test's list, nobody).
"""

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """One change that connected clients should hear about.

    `type` is a realtime frame type (`message.created`, `unread.badge`, ...),
    `user_ids` the recipients, `data` the frame's payload.
    """

    type: str
    user_ids: tuple[str, ...]
    data: dict[str, Any] = field(default_factory=dict)


class Publisher(Protocol):
    """Where committed events go (the realtime relay implements it)."""

    def publish(self, events: Sequence[Event]) -> None:
        """Hand the events on (best effort: Neo4j already holds the truth)."""

    def publish_once(self, key: str, events: Sequence[Event]) -> bool:
        """Hand the batch on at most once per `key`; True when it is on its way (now or
        from an earlier call), False when it could not be (the caller keeps it)."""


# Which of these users have a live socket: asked by the caller (realtime presence) and
# passed to the domain functions that make notifications only for those offline.
PresenceCheck = Callable[[Sequence[str]], set[str]]


def nobody_online(_user_ids: Sequence[str]) -> set[str]:
    """The presence answer where there is no realtime (the demo loader, domain tests):
    everyone is offline, so every notification is made."""
    return set()


@dataclass(frozen=True)
class HeldBatch:
    """Events also held on a message in the graph (`graph.relaying.hold_and_release`):
    published at most once per `key` and then released; if that fails the worker relays
    them."""

    key: str
    events: tuple[Event, ...]


@dataclass
class UnitOfWork:
    """The events one unit of work made, kept until its transactions have committed."""

    events: list[Event] = field(default_factory=list)
    held: list[HeldBatch] = field(default_factory=list)

    def record(self, events: Iterable[Event]) -> None:
        """Publish these after commit."""
        self.events.extend(events)

    def record_held(self, key: str, events: Iterable[Event]) -> None:
        """Publish this held batch after commit, once, then release it."""
        self.held.append(HeldBatch(key, tuple(events)))

    def __bool__(self) -> bool:
        return bool(self.events or self.held)

    def take(self) -> "UnitOfWork":
        """Everything recorded so far, leaving this unit empty (so nothing goes out twice)."""
        taken = UnitOfWork(self.events, self.held)
        self.events, self.held = [], []
        return taken


def asking_safely(check: PresenceCheck | None) -> PresenceCheck:
    """`check`, answering "nobody" when it cannot tell (no realtime, Redis down): presence
    is a hint, and a notification made for someone online is better than one lost."""

    def online(user_ids: Sequence[str]) -> set[str]:
        if not user_ids or check is None:
            return set()
        try:
            return check(user_ids)
        except Exception:  # presence is a hint; the notification path must go on
            log.exception("could not read presence")
            return set()

    return online
