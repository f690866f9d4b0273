"""Live events that outlive the process that committed them.

A message's events are written onto the message in the transaction that stores it
(`hold`), handed to Redis after the commit (`relay`), then forgotten (`release`, in the
transaction of the process's next send, so it costs no transaction of its own). If the
process dies
between the commit and the publish, nothing else would ever send them: the notification
worker (`relay_due_events`) relays every batch still held `HOLD_SECONDS` after its
commit. The relay adds a batch to Redis at most once per message id, so the worker
relaying a batch that did get out (the process died after the publish, or was slow)
adds no duplicate.

`publish_committed` is the one after-commit step every unit of work ends with (a request,
a socket frame, a worker step): it hands the events its domain functions recorded on the
`UnitOfWork` to the publisher, and relays its held batches.
"""

import json
import logging
import os
import threading
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

from cypher import Q
from graph.conversations import get_unread_badge
from graph.db import Graph, Transaction
from graph.events import Event, Publisher, UnitOfWork

log = logging.getLogger(__name__)

# How long a committed batch waits for its own process before the worker relays it.
HOLD_SECONDS = 5


def hold_and_release(
    tx: Transaction,
    events_by_message: Mapping[str, Sequence[Event]],
    relayed: Sequence[str],
) -> None:
    """Inside the transaction that stores new messages: keep each one's events on it, and
    forget the held events of the `relayed` messages, whose events Redis has."""
    held = [
        {
            "message_id": message_id,
            "events": json.dumps(
                [{"type": e.type, "user_ids": list(e.user_ids), "data": e.data} for e in events]
            ),
        }
        for message_id, events in events_by_message.items()
    ]
    if held or relayed:
        tx.single(
            Q.messaging.hold_and_release_events,
            held=held,
            hold_seconds=HOLD_SECONDS,
            released=list(relayed),
        )


class RelayedMessages:
    """The messages of this process whose held events Redis now has, still to be forgotten.
    They are forgotten by the next send's transaction (`take`, then `release`) rather than
    by one of their own; whatever is still held when sends stop, the worker forgets after
    HOLD_SECONDS, adding nothing to Redis twice."""

    BATCH = 500

    def __init__(self) -> None:
        self._ids: list[str] = []
        self._lock = threading.Lock()  # gevent patches it to a greenlet lock

    def add(self, message_id: str) -> None:
        with self._lock:
            self._ids.append(message_id)

    def take(self) -> list[str]:
        with self._lock:
            taken, self._ids = self._ids[: self.BATCH], self._ids[self.BATCH :]
        return taken


_relayed_of: "weakref.WeakKeyDictionary[Graph, RelayedMessages]" = weakref.WeakKeyDictionary()
_relayed_lock = threading.Lock()


def relayed_messages(graph: Graph) -> RelayedMessages:
    """This process's relayed messages still held (one per Graph)."""
    with _relayed_lock:
        relayed = _relayed_of.get(graph)
        if relayed is None:
            relayed = _relayed_of[graph] = RelayedMessages()
        return relayed


def publish_committed(graph: Graph, work: UnitOfWork, publisher: Publisher | None) -> None:
    """After the unit's transactions committed: publish what its domain functions recorded,
    once. Never fails the caller, whose data is already stored: a lost plain event is
    told to its clients as a gap (`resync.required`, the relay's part), a held batch
    stays held for the worker."""
    done = work.take()
    if not done:
        return
    if graph.crash_after_commit:  # the fault tests' process death before the publish
        log.critical("BEATGRAPH_TEST_CRASH_AFTER_COMMIT: exiting after a commit")
        os._exit(70)
    if done.events and publisher is not None:
        try:
            publisher.publish(done.events)
        except Exception:  # the relay logs and drops; Neo4j already holds the truth
            log.exception("could not publish %d event(s)", len(done.events))
    for batch in done.held:
        relay(graph, publisher, batch.key, batch.events)


def _publish_once(publisher: Publisher | None, key: str, events: Sequence[Event]) -> bool:
    """The batch on its way at most once per `key`; False when it could not be (no
    realtime, Redis away): the caller keeps it and tries again."""
    if publisher is None:
        return False
    try:
        return publisher.publish_once(key, events)
    except Exception:  # kept by the caller; the worker's relay tries again
        log.exception("could not publish %d event(s) for %s", len(events), key)
        return False


def relay(
    graph: Graph, publisher: Publisher | None, message_id: str, events: Sequence[Event]
) -> None:
    """After the commit: publish the held events; once Redis has them they are forgotten
    by a later transaction (`RelayedMessages`). Any failure leaves them held for the
    worker; the caller's message is stored either way."""
    if _publish_once(publisher, message_id, events):
        relayed_messages(graph).add(message_id)


def relay_due_events(
    graph: Graph, publisher: Publisher | None, limit: int, lease_seconds: int
) -> int:
    """The worker's step: relay held batches whose process did not; how many were claimed."""
    rows = graph.run(Q.worker.claim_held_message_events, limit=limit, lease_seconds=lease_seconds)
    relayed = [
        row["message_id"]
        for row in rows
        if _publish_once(publisher, row["message_id"], _fresh(graph, row["events"]))
    ]
    if relayed:
        graph.run(
            Q.messaging.hold_and_release_events,
            held=[],
            hold_seconds=HOLD_SECONDS,
            released=relayed,
        )
        log.info("relayed the held events of %d message(s)", len(relayed))
    return len(rows)


def _fresh(graph: Graph, text: str) -> list[Event]:
    """The held batch, with each badge counted now: a badge from seconds ago may be stale
    (the recipient may have read since), and would overwrite a newer one."""
    events: list[dict[str, Any]] = json.loads(text)
    return [
        Event(
            e["type"],
            tuple(e["user_ids"]),
            get_unread_badge(graph, e["user_ids"][0]) if e["type"] == "unread.badge" else e["data"],
        )
        for e in events
    ]
