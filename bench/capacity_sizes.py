"""bench-capacity's deterministic half: db hits per operation (every statement PROFILEd),
bytes per Redis key (MEMORY USAGE on the bench Redis) and Neo4j store bytes per user,
follow, conversation and message (the store folder's growth over bulk fixtures shaped like
the app's own writes, after a checkpoint). See bench/capacity_bench.py.
"""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import neo4j

from cypher import Query
from graph.db import Graph, Transaction

# -- db hits ---------------------------------------------------------------------------


def _total_hits(plan: dict) -> int:
    return plan.get("dbHits", 0) + sum(_total_hits(child) for child in plan.get("children", []))


class Notes:
    """What the profiled statements cost: (name, mode, db hits) each, and the mode of each
    transaction (a `write` unit of work runs several statements in one)."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, str, int]] = []
        self.transactions: list[str] = []


class _ProfilingTransaction(Transaction):
    def single(self, query: Query, **params: Any) -> neo4j.Record | None:
        result = self._tx.run("PROFILE " + query.text, params)
        records = list(result)
        hits = _total_hits(result.consume().profile)
        self._graph.notes.statements.append((query.name, "write", hits))  # type: ignore[attr-defined]
        return records[0] if records else None


class _ProfilingGraph(Graph):
    """The app's Graph with every statement run under PROFILE, its db hits noted in
    `notes`. Bench only: swapped onto the app's own instance for the duration of
    `profiling`, so the domain code, caches and relay are the app's. (Its transactions are
    not causally chained: one server needs no bookmarks.)"""

    notes: Notes

    def run(self, query: Query, **params: Any) -> list[neo4j.Record]:
        def work(tx: neo4j.ManagedTransaction) -> tuple[list[neo4j.Record], int]:
            result = tx.run("PROFILE " + query.text, params)
            records = list(result)
            return records, _total_hits(result.consume().profile)

        with self.driver.session(database=self.database) as session:
            if query.mode == "read":
                records, hits = session.execute_read(work)
            else:
                records, hits = session.execute_write(work)
        self.notes.statements.append((query.name, query.mode, hits))
        self.notes.transactions.append(query.mode)
        return records

    def write(self, work: Callable[[Transaction], Any]) -> Any:
        self.notes.transactions.append("write")
        with self.driver.session(database=self.database) as session:
            return session.execute_write(lambda tx: work(_ProfilingTransaction(self, tx)))


@contextmanager
def profiling(graph: Graph) -> Iterator[Notes]:
    """Inside the block, every statement `graph` runs is PROFILEd; yields the notes."""
    original = graph.__class__
    graph.__class__ = _ProfilingGraph
    graph.notes = Notes()  # type: ignore[attr-defined]
    try:
        yield graph.notes  # type: ignore[attr-defined]
    finally:
        graph.__class__ = original


# -- Redis bytes per key ---------------------------------------------------------------


def redis_bytes(redis, prefix: str, stream_user: str, presence_user: str) -> dict[str, Any]:
    """MEMORY USAGE (every element sampled) of the keys the app keeps per user and event."""

    def usage(key: str) -> int:
        return int(redis.execute_command("MEMORY", "USAGE", key, "SAMPLES", "0") or 0)

    def first(pattern: str) -> str | None:
        for key in redis.scan_iter(match=prefix + pattern, count=1000):
            return key.decode()
        return None

    stream = f"{prefix}events:{{{stream_user}}}"
    figures: dict[str, Any] = {
        "stream_entries": redis.xlen(stream),
        "stream_bytes": usage(stream),
        "presence_one_socket_bytes": usage(f"{prefix}presence:{{{presence_user}}}"),
    }
    figures["stream_bytes_per_entry"] = round(figures["stream_bytes"] / figures["stream_entries"])
    for name, pattern in (
        ("rate_limit_key_bytes", "ratelimit*"),
        ("relayed_once_key_bytes", "relayed:*"),
    ):
        key = first(pattern)
        figures[name] = usage(key) if key else None
    # A typing key as the tracker sets it (SET ... PX), and the everyone-set at scale: a
    # sorted set of 10,000 user ids is a skiplist, as a real one would be (not a listpack).
    typing = f"{prefix}typing:{uuid.uuid4().hex}:{uuid.uuid4().hex}"
    redis.set(typing, "1", px=6000)
    figures["typing_key_bytes"] = usage(typing)
    everyone = f"{prefix}scratch-presence-all"
    members = {uuid.uuid4().hex: 1.7e9 + n for n in range(10_000)}
    redis.zadd(everyone, members)
    figures["presence_all_bytes_per_user"] = round(usage(everyone) / len(members))
    redis.delete(typing, everyone)
    return figures


# -- Neo4j store bytes per thing -------------------------------------------------------

_USERS = """
UNWIND range($offset, $offset + $count - 1) AS n
WITH $prefix + n AS key
CREATE (:User {id: key + '-' + randomUUID(), username: key, username_key: key,
               display_name: 'Display ' + key, display_name_key: 'display ' + key,
               avatar_url: null, email: key + '@example.com', created_at: datetime(),
               unread_conversations: 0, unread_messages: 0})"""

# What follow_user writes for a new pair: the edge, the 24-hour FollowNotice, the
# in-app notification with its three relationships (the outbox entries are deleted once
# sent, so they do not stay in the store).
_FOLLOWS = """
MATCH (u:User) WHERE u.username STARTS WITH $prefix
WITH collect(u) AS users
UNWIND range($offset, $offset + $count - 1) AS n
WITH users[n % size(users)] AS a, users[(n * 7 + 1 + n / size(users)) % size(users)] AS b
WHERE a <> b
CREATE (a)-[:FOLLOWS {key: a.id + '>' + b.id, since: datetime(), follower_id: a.id,
                      followee_id: b.id}]->(b)
CREATE (:FollowNotice {key: a.id + '>' + b.id, at: datetime()})
CREATE (b)-[:HAS_NOTIFICATION]->(x:Notification {id: randomUUID(), type: 'new_follower',
        recipient_id: b.id, actor_id: a.id, created_at: datetime(), read: false})-[:ABOUT]->(a)
CREATE (b)-[:UNREAD]->(x)"""

_CONVERSATIONS = """
MATCH (u:User) WHERE u.username STARTS WITH $prefix
WITH collect(u) AS users
UNWIND range($offset, $offset + $count - 1) AS n
WITH users[(2 * n) % size(users)] AS a, users[(2 * n + 1) % size(users)] AS b, n
CREATE (c:Conversation {id: randomUUID(), kind: 'direct', pair_key: a.id + ':' + b.id + n,
                        title: null, created_at: datetime(), last_seq: 0,
                        last_message_at: datetime()})
CREATE (a)-[:PARTICIPATES {user_id: a.id, joined_at: datetime(), read_seq: 0,
        delivered_seq: 0, marked_unread: false, hidden: false, listed_at: datetime()}]->(c)
CREATE (b)-[:PARTICIPATES {user_id: b.id, joined_at: datetime(), read_seq: 0,
        delivered_seq: 0, marked_unread: false, hidden: false, listed_at: datetime()}]->(c)"""

# A message as send_message stores it (its held relay events are removed after publishing).
_MESSAGES = """
MATCH (c:Conversation)<-[:PARTICIPATES]-(u:User) WHERE u.username STARTS WITH $prefix
WITH c, collect(u)[0] AS sender
WITH collect([c, sender]) AS pairs
UNWIND range($offset, $offset + $count - 1) AS n
WITH pairs[n % size(pairs)] AS pair, n
WITH pair[0] AS c, pair[1] AS me, n
CREATE (me)-[:SENT]->(:Message {id: randomUUID(), conversation_id: c.id, seq: n,
        sender_id: me.id, client_id: randomUUID(), body: $body,
        created_at: datetime()})-[:IN]->(c)"""

BATCH = 1_000  # rows per fixture transaction: well inside the 30 s transaction timeout
BODY = "sounds good, send me the stems tonight and I'll have a mix by friday"  # 68 chars


def _flushed_store_bytes(folder: str) -> int:
    """The database's store files on disk (transaction logs apart), once Neo4j has
    flushed them: Community has no `db.checkpoint()`, so the bench stack is restarted (a
    clean shutdown checkpoints) and the folder measured while it is down."""
    subprocess.run(["scripts/stack.sh", "down", "bench"], check=True, stdout=subprocess.DEVNULL)
    used = subprocess.run(["du", "-sb", folder], capture_output=True, text=True, check=True)
    subprocess.run(["scripts/stack.sh", "up", "bench"], check=True, stdout=subprocess.DEVNULL)
    return int(used.stdout.split()[0])


def store_bytes(var: str, sizes: dict[str, int]) -> dict[str, Any]:
    """Bytes the store grows by per user, follow (with its notice and notification),
    conversation (with its two memberships) and message, from bulk fixtures. Restarts
    the bench stack once per step."""
    folder = os.path.join(var, "neo4j", "data", "databases", "neo4j")
    prefix = f"cap{uuid.uuid4().hex[:6]}u"
    steps = (
        ("user", _USERS, sizes["users"]),
        ("follow", _FOLLOWS, sizes["follows"]),
        ("conversation", _CONVERSATIONS, sizes["conversations"]),
        ("message", _MESSAGES, sizes["messages"]),
    )
    figures: dict[str, Any] = {"body_chars": len(BODY)}
    before = _flushed_store_bytes(folder)
    for name, text, count in steps:
        auth = (os.environ["NEO4J_USER"], os.environ["NEO4J_PASSWORD"])
        driver = neo4j.GraphDatabase.driver(os.environ["NEO4J_URI"], auth=auth)
        with driver, driver.session(database="neo4j") as session:
            started = time.monotonic()
            for start in range(0, count, BATCH):
                n = min(BATCH, count - start)
                session.execute_write(
                    lambda tx, text=text, n=n, start=start: tx.run(
                        text, count=n, prefix=prefix, body=BODY, offset=start
                    ).consume()
                )
        print(f"store: {count} {name}s in {time.monotonic() - started:.1f} s", file=sys.stderr)
        after = _flushed_store_bytes(folder)
        figures[name] = {
            "count": count,
            "store_bytes": after - before,
            "per_item": round((after - before) / count),
        }
        before = after
    figures["total_store_bytes"] = before
    return figures
