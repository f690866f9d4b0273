"""Social graph benchmark: builds 200,000 users, ~1,050,000 follows and a producer with
200,000 likes in the bench Neo4j, then times profile, followers pages (first and deep),
search and recommendations through the HTTP API (the WSGI app called as gunicorn calls
it: the whole request path) and the same Cypher through the bare driver, in turns, and
prints p50/p99 and the ratio.

Run with `make bench-social` (starts and stops the bench stack). Bounded: one build
(skipped when the graph is already there) and REPEAT timed calls per operation.
"""

import sys
import time

from bench.common import (
    TABLE_HEADER,
    load_in_batches,
    report_reads,
)
from cypher import Q, Query
from graph import discovery
from graph.paging import keyset_params
from graph.schema import apply_schema
from server.factory import create_app
from server.heap import settle_loaded_app
from server.tokens import issue_token

USERS = 200_000
FOLLOWERS_WITH_FOLLOWS = 100_000
FOLLOWS_EACH = 10
STAR_FOLLOWERS = 50_000
REPEAT = 200
STRIDE = 7919  # user i follows (i + k*STRIDE + 1) mod USERS: distinct, never itself


def build(graph) -> None:
    started = time.perf_counter()
    users = [{"id": f"u{i}", "username": f"user{i}", "name": f"User {i}"} for i in range(USERS)]
    load_in_batches(
        graph,
        """
        UNWIND $rows AS row
        CREATE (:User {id: row.id, username: row.username, username_key: row.username,
                       display_name: row.name, display_name_key: toLower(row.name),
                       created_at: datetime()})""",
        users,
    )
    print(f"  {USERS} users in {time.perf_counter() - started:.0f} s", flush=True)
    pairs = [
        (i, (i + k * STRIDE + 1) % USERS)
        for i in range(FOLLOWERS_WITH_FOLLOWS)
        for k in range(1, FOLLOWS_EACH + 1)
    ]
    already = {a for a, b in pairs if b == 0}
    pairs += [(i, 0) for i in range(1, STAR_FOLLOWERS + 1) if i not in already]
    rows = [{"a": f"u{a}", "b": f"u{b}", "age": n} for n, (a, b) in enumerate(pairs)]
    load_in_batches(
        graph,
        """
        UNWIND $rows AS row
        MATCH (a:User {id: row.a}), (b:User {id: row.b})
        CREATE (a)-[:FOLLOWS {key: row.a + '>' + row.b, follower_id: row.a, followee_id: row.b,
                since: datetime() - duration({seconds: row.age})}]->(b)""",
        rows,
    )
    print(f"  {len(rows)} follows in {time.perf_counter() - started:.0f} s", flush=True)
    load_in_batches(
        graph,
        "CREATE (:Producer {id: 'p-star', slug: 'star', name: 'Star', created_at: datetime()})",
        [{}],
        batch=1,
    )
    likes = [{"u": f"u{i}", "age": i} for i in range(USERS)]
    load_in_batches(
        graph,
        """
        UNWIND $rows AS row
        MATCH (u:User {id: row.u}), (p:Producer {id: 'p-star'})
        CREATE (u)-[:LIKES {key: row.u + '>p-star', user_id: row.u, producer_id: 'p-star',
                since: datetime() - duration({seconds: row.age})}]->(p)""",
        likes,
    )
    print(f"  {USERS} likes in {time.perf_counter() - started:.0f} s", flush=True)


def deep_cursor(graph, offset: int) -> list:
    """The keyset position `offset` followers into the star's list (what page 2,500 holds)."""
    record = graph.single(
        Query(
            "bench.deep",
            """
        MATCH (o:User)-[f:FOLLOWS]->() WHERE f.followee_id = 'u0'
        WITH o, f ORDER BY f.since DESC, o.id DESC SKIP $offset LIMIT 1
        RETURN toString(f.since) AS since, o.id AS id""",
            "read",
        ),
        offset=offset,
    )
    return [record["since"], record["id"]]


VIEWER = "u12345"


def ensure_graph(graph) -> None:
    """Build the social bench graph unless it is already there: its last step, the star
    producer's likes, is done (other benches' users share the bench database, so a count
    of users says nothing)."""
    existing = graph.single(
        Query(
            "bench.built",
            "OPTIONAL MATCH (p:Producer {id: 'p-star'}) RETURN COUNT { ()-[:LIKES]->(p) } AS n",
            "read",
        )
    )
    if existing["n"] < USERS:
        print("building the bench graph ...", flush=True)
        build(graph)


def read_cases(graph) -> list[tuple[str, str, str, Query, dict]]:
    """(name, URL, viewer, statement, parameters) of each timed read."""
    from api.pagination import encode_cursor

    viewer = VIEWER
    deep = deep_cursor(graph, 50_000 - 100)
    cases = [
        (
            "profile (star: 50k followers)",
            "/api/v1/users/u0",
            Q.profiles.get_profile,
            {"user_id": "u0", "username_key": None, "viewer_id": viewer},
        ),
        (
            "followers page 1 (star)",
            "/api/v1/users/u0/followers",
            Q.follows.list_followers,
            {"user_id": "u0", "viewer_id": viewer, **keyset_params(None, 20)},
        ),
        (
            "followers deep page (~2,500th)",
            f"/api/v1/users/u0/followers?cursor={encode_cursor(deep)}",
            Q.follows.list_followers,
            {"user_id": "u0", "viewer_id": viewer, **keyset_params(deep, 20)},
        ),
        (
            "producer followers page 1 (200k likes)",
            "/api/v1/producers/p-star/followers",
            Q.producers.list_producer_followers,
            {"producer_id": "p-star", "viewer_id": viewer, **keyset_params(None, 20)},
        ),
        (
            "producer page (200k likes)",
            "/api/v1/producers/p-star",
            Q.producers.get_producer,
            {"producer_id": "p-star", "viewer_id": viewer},
        ),
        (
            "search q=user12",
            "/api/v1/users/search?q=user12",
            Q.discovery.search_users,
            discovery.search_params(viewer, "user12", 20),
        ),
        (
            "recommendations (users)",
            "/api/v1/me/recommendations/users",
            Q.discovery.recommend_users,
            {"viewer_id": viewer, "hop_cap": 100, "fan_cap": 200, "limit": 20},
        ),
        (
            "recommendations (producers)",
            "/api/v1/me/recommendations/producers",
            Q.discovery.recommend_producers,
            {"viewer_id": viewer, "hop_cap": 100, "fan_cap": 200, "limit": 20},
        ),
    ]
    return [(name, url, viewer, query, params) for name, url, query, params in cases]


def main() -> None:
    app = create_app({"BEATGRAPH_RATE_LIMIT": "1000000 per minute"})
    graph = app.extensions["beatgraph.graph"]
    apply_schema(graph)
    ensure_graph(graph)
    settle_loaded_app()  # the collector as gunicorn's worker sets it (server.heap)
    headers = {
        "Authorization": "Bearer " + issue_token(app.config["BEATGRAPH_JWT_SECRET"], VIEWER, 3600)
    }
    print(f"\n{REPEAT} calls each, API and raw in turns, after 5 warm-up calls\n")
    print(TABLE_HEADER)
    report_reads(app, graph, headers, read_cases(graph), REPEAT)
    graph.close()


if __name__ == "__main__":
    sys.exit(main())
