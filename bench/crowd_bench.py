"""Crowd benchmark (issue 12): what used to grow with a popular user's edges.

Search: a viewer with 100,000 followers who follows 200 users following 2,000 each, beside
a viewer with 10 followers who follows 200 users following 10 each; for a prefix nobody
matches, one matching 111 of the viewer's follows and one matching 2,000 two-hop users,
it prints the statement's db hits (PROFILE) and the raw driver p50/p99.
Follows: 200 new followers follow one user at once through the graph layer
(`graph.follows.follow_user`, 50 threads), three times, each on a fresh user; it prints
the wall time (after one untimed round) and checks the count and the notifications.

Run with `make bench-crowd` (starts and stops the bench stack; the graph is built once,
with cypher/testing/create_follow_crowd.cypher, and kept). Bounded: one build, REPEAT
timed calls per search, four follow rounds.
"""

import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from bench.common import percentiles, raw_read, time_calls
from cypher import Q, Query
from graph import discovery, follows
from graph.db import Graph
from graph.schema import apply_schema
from server.factory import create_app
from tests.plans import db_hits

REPEAT = 100
FOLLOWERS_AT_ONCE = 200
THREADS = 50
# (viewer id, followers, follows, follows of each follow, name prefix)
VIEWERS = (("sc-big", 100_000, 200, 2_000, "b"), ("sc-small", 10, 200, 10, "s"))


def _user(graph: Graph, user_id: str) -> None:
    graph.run(
        Q.users.create_user,
        id=user_id,
        username=user_id.replace("-", "_"),
        username_key=user_id.replace("-", "_"),
        display_name=user_id,
        display_name_key=user_id,
        avatar_url=None,
        email=None,
    )


def _crowd(graph: Graph, user_id: str, count: int, prefix: str, inbound: bool) -> None:
    for start in range(0, count, 20_000):  # keeps each transaction small for a 1 GB heap
        graph.run(
            Q.testing.create_follow_crowd,
            user_id=user_id,
            count=min(20_000, count - start),
            username_prefix=f"{prefix}{start}_",
            inbound=inbound,
        )


def build(graph: Graph) -> None:
    """Each viewer, its followers, its follows and their follows."""
    started = time.perf_counter()
    for viewer, followers, following, fan_out, tag in VIEWERS:
        _user(graph, viewer)
        _crowd(graph, viewer, followers, f"scfan_{tag}", inbound=True)
        for n in range(following):
            pal = f"sc-pal-{tag}{n}"
            _user(graph, pal)
            graph.driver.execute_query(
                "MATCH (v:User {id: $v}), (p:User {id: $p}) CREATE (v)-[:FOLLOWS {key: v.id + "
                "'>' + p.id, since: datetime(), follower_id: v.id, followee_id: p.id}]->(p)",
                v=viewer,
                p=pal,
                database_=graph.database,
            )
            _crowd(graph, pal, fan_out, f"scfar_{tag}{n}x", inbound=False)
        print(f"  {viewer} in {time.perf_counter() - started:.0f} s", flush=True)


def search_rows(graph: Graph) -> None:
    print("| viewer | q | results | db hits | raw p50 ms | raw p99 ms |\n|---|---|---|---|---|---|")
    for viewer, followers, following, fan_out, tag in VIEWERS:
        for q in ("zq", f"sc_pal_{tag}1", f"scfar_{tag}1x"):
            params = discovery.search_params(viewer, q, 20)
            found = len(graph.run(Q.discovery.search_users, **params))
            hits = db_hits(graph, Q.discovery.search_users.text, **params)
            p50, p99 = percentiles(
                time_calls(raw_read(graph, Q.discovery.search_users, params), REPEAT)
            )
            print(
                f"| {followers:,} followers, {following} follows of {fan_out:,} | {q} | "
                f"{found} | {hits:,} | {p50:.2f} | {p99:.2f} |",
                flush=True,
            )


def follow_round(graph: Graph) -> float:
    """Wall seconds for FOLLOWERS_AT_ONCE new followers to follow one fresh user at once."""
    star = f"sc-star-{uuid.uuid4().hex[:8]}"
    _user(graph, star)
    host = star + "-host"
    _user(graph, host)
    _crowd(graph, host, FOLLOWERS_AT_ONCE, f"{star}_fan", inbound=False)
    fans = [
        record["id"]
        for record in graph.run(
            Query(
                "bench.fans",
                """
        MATCH (:User {id: $host})-[:FOLLOWS]->(u:User) RETURN u.id AS id""",
                "read",
            ),
            host=host,
        )
    ]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        counts = list(pool.map(lambda fan: follows.follow_user(graph, fan, star), fans))
    wall = time.perf_counter() - started
    record = graph.single(
        Query(
            "bench.star",
            """
        MATCH (s:User {id: $star})
        RETURN COUNT { (s)<-[:FOLLOWS]-() } AS followers,
               COUNT { (s)-[:HAS_NOTIFICATION]->(:Notification {type: 'new_follower'}) }
                 AS notices""",
            "read",
        ),
        star=star,
    )
    assert record["followers"] == record["notices"] == FOLLOWERS_AT_ONCE, dict(record)
    assert all(count["following"] for count in counts)
    return wall


def main() -> None:
    app = create_app({"BEATGRAPH_RATE_LIMIT": "1000000 per minute"})
    graph = app.extensions["beatgraph.graph"]
    apply_schema(graph)
    if (
        graph.single(
            Query(
                "bench.built",
                "OPTIONAL MATCH (u:User {id: 'sc-small'}) RETURN u IS NOT NULL AS built",
                "read",
            )
        )["built"]
        is False
    ):
        print("building the scale graph ...", flush=True)
        build(graph)
    search_rows(graph)
    try:  # warm-up: the first round after a Neo4j start may run past the 30 s timeout
        follow_round(graph)
    except Exception as exc:  # noqa: BLE001 - reported, then the timed rounds run
        print(f"(warm-up round failed: {type(exc).__name__})", flush=True)
    walls = [follow_round(graph) for _ in range(3)]
    print(
        f"\n{FOLLOWERS_AT_ONCE} concurrent follows of one user ({THREADS} threads): "
        + ", ".join(f"{wall:.2f} s" for wall in walls)
        + " wall",
        flush=True,
    )
    graph.close()


if __name__ == "__main__":
    sys.exit(main())
