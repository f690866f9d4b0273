"""Messaging db hits by size: the hot statements PROFILEd for a user in 10, 1,000, 10,000
and 50,000 conversations, and a send into conversations of 2 and 50 members whose members
are in 0 or 200 other conversations each. Prints db hits (deterministic: no timing), the
figures behind the growth tests in tests/test_messaging_growth.py. Each statement is
planned afresh for the size it is measured at.

Run with `make bench-messaging_hits` (starts and stops the bench stack). Its users carry a
fresh prefix per run and are deleted at the end.
"""

import uuid
from typing import Any

from cypher import Q, Query
from graph.paging import FIRST_PAGE_AFTER
from graph.schema import apply_schema, backfill_messaging_counters
from server.factory import create_app

SIZES = (10, 1_000, 10_000, 50_000)
CHUNK = 5_000  # conversations per fixture statement (transaction memory on a small heap)

_CREATE_USERS = Query(
    "bench.hits_users",
    """
    UNWIND $ids AS id
    CREATE (:User {id: id, username: id, username_key: id, display_name: id,
                   display_name_key: id, created_at: datetime(),
                   unread_conversations: 0, unread_messages: 0})""",
    "write",
)
_CREATE_CONVERSATION = Query(
    "bench.hits_conversation",
    """
    CREATE (c:Conversation {id: $id, kind: $kind, title: null, created_at: datetime(),
                            last_seq: 0})
    WITH c UNWIND $members AS member_id
    MATCH (u:User {id: member_id})
    CREATE (u)-[:PARTICIPATES {user_id: u.id, joined_at: datetime(), read_seq: 0,
                               delivered_seq: 0, marked_unread: false, hidden: false,
                               listed_at: c.created_at}]->(c)""",
    "write",
)
_CLEAN = """
    MATCH (n:{label}) WHERE n.{key} STARTS WITH $prefix
    WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS deleted"""
_MADE = (
    ("Message", "id"),
    ("Notification", "recipient_id"),
    ("OutboxEntry", "recipient_id"),
    ("Conversation", "id"),
    ("User", "id"),
)


def clean(graph, prefix: str) -> None:
    """Delete what the run made, a batch per transaction (labels and keys are constants)."""
    with graph.driver.session(database=graph.database) as session:
        for label, key in _MADE:
            text = _CLEAN.format(label=label, key=key)
            while session.execute_write(
                lambda tx, text=text: tx.run(text, prefix=prefix).single()["deleted"]
            ):
                pass


def _hits(graph, query: Query, **params: Any) -> int:
    def work(tx):
        return tx.run("PROFILE " + query.text, params).consume().profile

    def total(node: dict) -> int:
        return node.get("dbHits", 0) + sum(total(child) for child in node.get("children", []))

    with graph.driver.session(database=graph.database) as session:
        session.run("CALL db.clearQueryCaches()").consume()  # a plan made for this size
        return total(session.execute_write(work))


class Run:
    def __init__(self, graph) -> None:
        self.graph = graph
        self.prefix = f"hits{uuid.uuid4().hex[:8]}"
        self.sent = 0

    def users(self, names: list[str]) -> list[str]:
        ids = [f"{self.prefix}{name}" for name in names]
        self.graph.run(_CREATE_USERS, ids=ids)
        return ids

    def conversation(self, name: str, members: list[str]) -> str:
        conversation_id = f"{self.prefix}{name}"
        self.graph.run(
            _CREATE_CONVERSATION,
            id=conversation_id,
            members=members,
            kind="direct" if len(members) == 2 else "group",
        )
        return conversation_id

    def grow(self, user_ids: list[str], count: int, tag: str) -> None:
        for start in range(0, count, CHUNK):
            self.graph.run(
                Q.testing.add_direct_conversations,
                user_ids=user_ids,
                count=min(CHUNK, count - start),
                prefix=f"{self.prefix}{tag}{start}",
            )

    def send(self, sender: str, conversation_id: str, members: list[str]) -> int:
        self.sent += 1
        return _hits(
            self.graph,
            Q.messaging.send_messages,
            sends=[
                {
                    "user_id": sender,
                    "conversation_id": conversation_id,
                    "message_id": f"{self.prefix}m{self.sent}",
                    "client_id": f"{self.prefix}c{self.sent}",
                    "body": "hello",
                    "notify_ids": [m for m in members if m != sender],
                }
            ],
        )


def by_conversations(run: Run) -> None:
    sender, recipient = run.users(["s", "r"])
    dm = run.conversation("dm", [sender, recipient])
    activity, after_id = FIRST_PAGE_AFTER
    print("| recipient's conversations | send (DM) | badge | /me | list page 1 |")
    print("|---|---|---|---|---|")
    have = 1
    for size in SIZES:
        run.grow([recipient], size - have, f"g{size}")
        have = size
        run.send(sender, dm, [sender, recipient])  # plans, makes the notification
        figures = [
            run.send(sender, dm, [sender, recipient]),
            _hits(run.graph, Q.messaging.get_unread_badge, user_id=recipient),
            _hits(run.graph, Q.profiles.get_me, user_id=recipient),
            _hits(
                run.graph,
                Q.messaging.list_conversations,
                user_id=recipient,
                after_activity=activity,
                after_id=after_id,
                limit=21,
            ),
        ]
        print(f"| {size:,} | " + " | ".join(f"{f:,}" for f in figures) + " |", flush=True)


def by_members(run: Run) -> None:
    print("\n| members | others' conversations | send | send per member |")
    print("|---|---|---|---|")
    for size in (2, 50):
        members = run.users([f"x{size}-{n}" for n in range(size)])
        conversation_id = run.conversation(f"x{size}", members)
        for others in (0, 200):
            if others:
                run.grow(members, others, f"x{size}")
            run.send(members[0], conversation_id, members)
            hits = run.send(members[0], conversation_id, members)
            print(f"| {size} | {others} each | {hits:,} | {hits / size:,.1f} |", flush=True)


def main() -> None:
    app = create_app()
    graph = app.extensions["beatgraph.graph"]
    apply_schema(graph)
    backfill_messaging_counters(graph)
    run = Run(graph)
    try:
        by_conversations(run)
        by_members(run)
    finally:
        clean(graph, run.prefix)


if __name__ == "__main__":
    main()
