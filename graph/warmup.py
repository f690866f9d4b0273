"""Warm query plans: after Neo4j (re)starts, plan every hot statement once before /readyz
says ready.

A freshly started Neo4j has an empty plan cache: the first send after a restart spent
seconds planning send_messages while /readyz already said 200. `PlanWarmer` notices a
server it has not warmed (by the server's start time) and EXPLAINs each statement in a
background thread; readiness stays "warming" until that is done. Neo4j caches a plan per
statement text and per parameter shape (type, and size within a power of ten), so the
placeholders below have the shape of real calls: 32-character ids (uuid hex), short
texts, one-element lists, the first page's keyset cursor, and for a message body and
its recipients the few shapes common calls take. EXPLAIN plans and caches
without running anything, so writes are safe to warm.
"""

import logging
import re
import threading
import time
from typing import Any

from neo4j.exceptions import Neo4jError

from cypher import Q, Query
from graph.db import Graph
from graph.errors import Unavailable

log = logging.getLogger(__name__)

_ID = "0" * 32
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# Statements that serve no request: the test helpers, and the schema (planned by the
# migration that runs it).
_COLD_AREAS = ("testing", "schema")
# The request paths first: a client that finds the API ready uses these at once.
_FIRST_AREAS = ("messaging", "profiles", "users", "follows", "notifications")

_PLACEHOLDERS: dict[str, Any] = {
    # counts, caps and sequence numbers
    "limit": 21,
    "hop_cap": 200,
    "fan_cap": 50,
    "candidate_cap": 200,
    "batch_size": 2000,
    "batch": 5000,
    "up_to_seq": 1,
    "before_seq": 2**62,
    "lease_seconds": 60,
    "online_seconds": 10,
    "told": 1,
    "hold_seconds": 5,
    # switches
    "read": True,
    "set_owner": False,
    "hidden": True,
    "marked_unread": True,
    # lists
    "ids": [_ID],
    "message_ids": [_ID],
    "released": [_ID],
    "notify_ids": [_ID],
    "participant_ids": [_ID],
    "online_ids": [_ID],
    "user_ids": [_ID],
    "sent": [_ID],
    "off": ["new_follower.email"],
    "touched": ["new_follower.email"],
    "entries": [
        {"recipient_id": _ID, "actor_name": "Maya", "subject_id": _ID, "subject_name": "a"}
    ],
    "channels": ["email", "push"],
    "type": "new_follower",
    "preference": "new_follower",
    "failed": [{"id": _ID, "error": "refused", "retry_in_seconds": 30.0, "dead": False}],
    # keyset cursors of a first page (graph.paging.FIRST_PAGE_AFTER)
    "after_since": "9999-12-31T23:59:59Z",
    "after_activity": "9999-12-31T23:59:59Z",
    "after_id": "",
    "after_user_id": "",
    "from_user_id": "",
    "to_user_id": _ID,
    "from_since": "2025-01-01T00:00:00Z",
    "to_since": "2025-06-01T00:00:00Z",
    "upload_at": "2026-01-01T00:00:00Z",
    # short texts
    "body": "a message of a few words",
    "prefix": "ma",
    "events": "[]",
}
# A batch of one send (graph.messages), each of its fields as above.
_PLACEHOLDERS["sends"] = [
    {
        name: _PLACEHOLDERS.get(name, _ID)
        for name in ("user_id", "conversation_id", "message_id", "client_id", "body", "notify_ids")
    }
]


# Parameters whose common calls fall in different size buckets get one plan per shape:
# one-word and sentence-long messages; recipients online (nobody to notify) or not; a
# held event batch under or over a thousand characters; a batch of sends of one to nine
# or of ten and more.
_SHAPES: dict[str, list[Any]] = {
    "sends": [_PLACEHOLDERS["sends"], _PLACEHOLDERS["sends"] * 10],
    "body": ["ok", "a message of a few words", "a longer message " * 8],
    "notify_ids": [[], [_ID]],
    "events": ["[" + " " * 600 + "]", "[" + " " * 1200 + "]"],  # with a notification or not
}


def placeholders(query: Query) -> list[dict[str, Any]]:
    """Parameter sets for planning `query` as real calls run it (any other name is an id):
    one per combination of the common shapes of its parameters."""
    names = sorted(set(_PARAMETER.findall(query.text)))
    base = {name: _PLACEHOLDERS.get(name, _ID) for name in names}
    sets = [base]
    for name in names:
        if name in _SHAPES:
            sets = [{**params, name: shape} for params in sets for shape in _SHAPES[name]]
    return sets


def hot_queries() -> list[Query]:
    """Every statement a request or the worker runs, request paths first."""
    queries = [q for q in Q.all() if q.name.split(".")[0] not in _COLD_AREAS]
    first = {area: rank for rank, area in enumerate(_FIRST_AREAS)}
    return sorted(queries, key=lambda q: first.get(q.name.split(".")[0], len(first)))


class PlanWarmer:
    """Knows which Neo4j server starts this process has warmed, and warms a new one."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._warmed: set[int | None] = set()
        self._lock = threading.Lock()
        self._warming: threading.Thread | None = None

    def check(self) -> str | None:
        """None when the running server's plans are warm; else why not, with a warm-up
        started in the background. Raises Unavailable when Neo4j does not answer."""
        started = self._server_started()
        if started in self._warmed:
            return None
        with self._lock:
            if self._warming is None:
                self._warming = threading.Thread(
                    target=self._warm, args=(started,), name="plan-warmer", daemon=True
                )
                self._warming.start()
        return "warming query plans after Neo4j (re)started"

    def _server_started(self) -> int | None:
        """The server's JVM start (epoch ms); None where the procedure is not allowed, so
        the plans are warmed once per process."""
        try:
            record = self.graph.single(Q.ops.get_server_start)
        except Neo4jError as exc:
            log.warning("cannot read Neo4j's start time (%s); warming once", exc)
            return None
        return record["started"] if record else None

    def _warm(self, started: int | None) -> None:
        began, planned = time.monotonic(), 0
        try:
            for query in hot_queries():
                try:
                    for params in placeholders(query):
                        self.graph.explain(query, params)
                        planned += 1
                except Neo4jError as exc:  # one statement that cannot plan must not block all
                    log.warning("could not plan %s: %s", query.name, exc)
            self._warmed.add(started)
            log.info("planned %d statement shapes in %.1f s", planned, time.monotonic() - began)
        except Unavailable as exc:
            log.warning("Neo4j went away while warming plans (%s)", exc)
        except Exception:  # the next readiness probe starts again
            log.exception("warming query plans failed")
        finally:
            with self._lock:
                self._warming = None
