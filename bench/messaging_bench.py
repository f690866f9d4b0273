"""Messaging benchmark: a user in 1,000 conversations, one conversation with 100 messages
and one with 100,000. Times send, the recent list, a message page at both history sizes
(and a deep page of the long one) and the badge, through the HTTP API (sends in Flask's
test client; reads as gunicorn calls the WSGI app) and the same Cypher through the bare
driver, in turns, printing p50/p99 and the ratio.

Run with `make bench-messaging` (starts and stops the bench stack; the graph is reused).
"""

import itertools
import sys
import time
import uuid
from typing import Any

from bench.common import (
    TABLE_HEADER,
    load_in_batches,
    report,
    report_reads,
    time_interleaved,
)
from cypher import Q, Query
from graph import conversations
from graph.schema import apply_schema, backfill_messaging_counters
from server.factory import create_app
from server.heap import settle_loaded_app
from server.tokens import issue_token

CONVERSATIONS = 1_000
LONG_HISTORY = 100_000
SHORT_HISTORY = 100
REPEAT = 200
HEAVY = "m-heavy"


def build(graph) -> None:
    started = time.perf_counter()
    users = [{"id": f"m-u{i}", "username": f"muser{i}"} for i in range(CONVERSATIONS)]
    users += [{"id": HEAVY, "username": "mheavy"}]
    load_in_batches(
        graph,
        """
        UNWIND $rows AS row
        CREATE (:User {id: row.id, username: row.username, username_key: row.username,
                       display_name: row.username, display_name_key: row.username,
                       created_at: datetime()})""",
        users,
    )
    convs = [
        {
            "c": f"m-c{i}",
            "other": f"m-u{i}",
            "age": CONVERSATIONS - i,
            "heavy": HEAVY,
            "pair": ":".join(sorted((HEAVY, f"m-u{i}"))),
        }
        for i in range(CONVERSATIONS)
    ]
    load_in_batches(
        graph,
        """
        UNWIND $rows AS row
        MATCH (h:User {id: row.heavy}), (o:User {id: row.other})
        CREATE (c:Conversation {id: row.c, kind: 'direct', pair_key: row.pair, last_seq: 1,
                created_at: datetime() - duration({minutes: row.age}),
                last_message_at: datetime() - duration({minutes: row.age})})
        CREATE (h)-[:PARTICIPATES {joined_at: datetime(), read_seq: 0, delivered_seq: 0,
                marked_unread: false, hidden: false}]->(c)
        CREATE (o)-[:PARTICIPATES {joined_at: datetime(), read_seq: 1, delivered_seq: 1,
                marked_unread: false, hidden: false}]->(c)
        CREATE (o)-[:SENT]->(:Message {id: row.c + '-1', conversation_id: row.c, seq: 1,
                sender_id: row.other, client_id: row.c + '-1', body: 'hello',
                created_at: datetime()})-[:IN]->(c)""",
        convs,
    )
    for number, size in ((0, LONG_HISTORY), (1, SHORT_HISTORY)):
        rows = [
            {"c": f"m-c{number}", "o": f"m-u{number}", "seq": seq} for seq in range(2, size + 1)
        ]
        load_in_batches(
            graph,
            """
            UNWIND $rows AS row
            MATCH (c:Conversation {id: row.c}), (o:User {id: row.o})
            CREATE (o)-[:SENT]->(:Message {id: row.c + '-' + row.seq, conversation_id: row.c,
                    seq: row.seq, sender_id: row.o, client_id: row.c + '-' + row.seq,
                    body: 'message ' + row.seq, created_at: datetime()})-[:IN]->(c)
            WITH c, max(row.seq) AS last SET c.last_seq = last""",
            rows,
        )
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)


def raw_send(graph):
    """send_message through the bare driver, a fresh client_id each call; the recipient has
    no socket, so each send also updates their direct-message notification, as via the API."""
    counter = itertools.count()
    offline = [m for m in conversations.member_ids(graph, HEAVY, "m-c2") if m != HEAVY]

    def call():
        params = {
            "user_id": HEAVY,
            "conversation_id": "m-c2",
            "body": "raw",
            "client_id": f"raw-{uuid.uuid4().hex}",
            "message_id": uuid.uuid4().hex,
            "notify_ids": offline,
        }
        next(counter)
        with graph.driver.session(database=graph.database) as session:
            return session.execute_write(
                lambda tx: list(tx.run(Q.messaging.send_messages.text, {"sends": [params]}))
            )

    return call


def ensure_graph(graph) -> None:
    """Build the messaging bench graph unless it is already there."""
    exists = graph.single(
        Query("bench.m", "MATCH (u:User {id: $id}) RETURN u.id AS id", "read"), id=HEAVY
    )
    if exists is None:
        print("building the messaging bench graph ...", flush=True)
        build(graph)


def read_cases() -> list[tuple[str, str, str, Query, dict]]:
    """(name, URL, viewer, statement, parameters) of each timed read."""
    page: dict[str, Any] = {"user_id": HEAVY, "limit": 20}
    cases: list[tuple[str, str, Query, dict[str, Any]]] = [
        (
            "list conversations (user in 1,000)",
            "/api/v1/conversations",
            Q.messaging.list_conversations,
            {
                "user_id": HEAVY,
                "after_activity": "9999-12-31T23:59:59Z",
                "after_id": "",
                "limit": 21,
            },
        ),
        (
            "message page, history 100",
            "/api/v1/conversations/m-c1/messages",
            Q.messaging.list_messages,
            {**page, "conversation_id": "m-c1", "before_seq": 2**62},
        ),
        (
            "message page, history 100,000",
            "/api/v1/conversations/m-c0/messages",
            Q.messaging.list_messages,
            {**page, "conversation_id": "m-c0", "before_seq": 2**62},
        ),
        (
            "message page, history 100,000, before_seq 50,000",
            "/api/v1/conversations/m-c0/messages?before_seq=50000",
            Q.messaging.list_messages,
            {**page, "conversation_id": "m-c0", "before_seq": 50_000},
        ),
        (
            "badge (user in 1,000)",
            "/api/v1/me/unread",
            Q.messaging.get_unread_badge,
            {"user_id": HEAVY},
        ),
    ]
    return [(name, url, HEAVY, query, params) for name, url, query, params in cases]


def main() -> None:
    app = create_app({"BEATGRAPH_RATE_LIMIT": "1000000 per minute"})
    graph = app.extensions["beatgraph.graph"]
    apply_schema(graph)
    ensure_graph(graph)
    backfill_messaging_counters(graph)  # the graph is built raw, without the counters
    settle_loaded_app()  # the collector as gunicorn's worker sets it (server.heap)
    client = app.test_client()
    headers = {
        "Authorization": "Bearer " + issue_token(app.config["BEATGRAPH_JWT_SECRET"], HEAVY, 3600)
    }

    def api_send():
        response = client.post(
            "/api/v1/conversations/m-c2/messages",
            headers=headers,
            json={"client_id": uuid.uuid4().hex, "body": "via api"},
        )
        assert response.status_code == 201, response.get_json()

    print(f"\n{REPEAT} calls each, API and raw in turns, after 5 warm-up calls\n")
    print(TABLE_HEADER)
    print(report("send message", *time_interleaved(api_send, raw_send(graph), REPEAT)), flush=True)
    report_reads(app, graph, headers, read_cases(), REPEAT)
    graph.close()


if __name__ == "__main__":
    sys.exit(main())
