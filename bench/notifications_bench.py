"""Notifications benchmark on the bench stack with a real gunicorn and a real worker:

1. `POST /producers/{id}/uploads` latency for producers with 10, 10,000 and 1,000,000
   likers (the worker is not running, so only the request is timed); the figure is the
   ratio of the largest producer's p50 to the smallest's.
2. Fan-out to 100,000 likers with 1,000 of them online, by one worker and by the workers
   `make run` starts: the time until the last online liker's socket has
   `notification.created`, until all 100,000 are notified, and until the outbox has
   handed all 100,000 push entries to the (logging) sender. Then the 1,000,000-liker
   upload with the workers `make run` starts: until every liker has the bell item and
   the push entry (each exactly once, counted), and the online ones heard.
3. The bell (`GET /me/notifications`) for a user who likes 500 producers with 4 uploads
   each (2,000 notifications): p50/p99 of page 1 and of a deep page, beside the same
   query through the bare driver.

Run with `make bench-notifications` (`FANOUT_1M_ONLY=1`: only the 1,000,000-liker
fan-out, about six minutes once the graph is built). The graph (1,000,000 users, ~1.1
million likes) is built once in the bench database and reused; each run removes what it
added.
"""

import json
import os
import random
import sys
import threading
import time

import neo4j
from websockets.sync.client import connect

from api.pagination import decode_time_cursor
from bench.common import (
    TABLE_HEADER,
    bench_app,
    load_in_batches,
    percentiles,
    raise_open_file_limit,
    raw_read,
    report,
    time_calls,
)
from cypher import Q
from graph.paging import keyset_params
from server.tokens import issue_token
from tests.served import ServedApp, ServedWorker

USERS = 1_000_000
PRODUCERS = {"nb-p10": 10, "nb-p10k": 10_000, "nb-p1m": 1_000_000, "nb-p100k": 100_000}
BELL_PRODUCERS, BELL_UPLOADS = 500, 4
UPLOADS, WARMUP = 100, 20
ONLINE = 1_000
RUN_WORKERS = 2  # the notification workers scripts/run.sh starts
SETTINGS = {"BEATGRAPH_WS_IDLE_SECONDS": "900", "BEATGRAPH_WS_PING_SECONDS": "300"}


def count(graph, statement, **params):
    records, _, _ = graph.driver.execute_query(statement, params, database_=graph.database)
    return records[0][0]


def build(graph) -> None:
    """1,000,000 users, four producers liked by the first 10 / 10k / 100k / 1M of them, and
    the bell user with 500 liked producers and their 2,000 upload notifications."""
    if count(graph, "MATCH (p:Producer {id: 'nb-bell-done'}) RETURN count(p)"):
        return
    started = time.perf_counter()
    for start in range(0, USERS, 100_000):
        rows = [{"id": f"nb{i}"} for i in range(start, start + 100_000)]
        load_in_batches(
            graph,
            """
            UNWIND $rows AS row
            CREATE (:User {id: row.id, username: row.id, username_key: row.id,
                           display_name: 'Fan ' + row.id, display_name_key: 'fan ' + row.id,
                           created_at: datetime()})""",
            rows,
        )
    print(f"  {USERS} users in {time.perf_counter() - started:.0f} s", flush=True)
    for producer, likers in PRODUCERS.items():
        load_in_batches(
            graph,
            "UNWIND $rows AS row CREATE (:Producer {id: row.id, "
            "slug: row.id, name: row.id, created_at: datetime()})",
            [{"id": producer}],
        )
        for start in range(0, likers, 100_000):
            rows = [
                {"u": f"nb{i}", "p": producer, "age": likers - i}
                for i in range(start, min(likers, start + 100_000))
            ]
            load_in_batches(
                graph,
                """
                UNWIND $rows AS row
                MATCH (u:User {id: row.u}), (p:Producer {id: row.p})
                CREATE (u)-[:LIKES {key: row.u + '>' + row.p, user_id: row.u, producer_id: row.p,
                        since: datetime() - duration({seconds: row.age + 3600})}]->(p)""",
                rows,
            )
        print(f"  {producer}: {likers} likers at {time.perf_counter() - started:.0f} s", flush=True)
    rows = [
        {"p": f"nb-b{j}", "b": f"nb-b{j}-{k}", "age": j * BELL_UPLOADS + k}
        for j in range(BELL_PRODUCERS)
        for k in range(BELL_UPLOADS)
    ]
    load_in_batches(
        graph,
        """
        CREATE (bell:User {id: 'nb-bell', username: 'nbbell', username_key: 'nbbell',
                           display_name: 'Bell', display_name_key: 'bell', created_at: datetime()})
        WITH bell
        UNWIND $rows AS row
        MERGE (p:Producer {id: row.p})
          ON CREATE SET p.slug = row.p, p.name = row.p, p.created_at = datetime()
        MERGE (bell)-[:LIKES {key: 'nb-bell>' + row.p, user_id: 'nb-bell', producer_id: row.p,
                              since: datetime() - duration('P30D')}]->(p)
        CREATE (p)-[:UPLOADED]->(b:Beat {id: row.b, title: 'Beat ' + row.b,
                                         created_at: datetime() - duration({minutes: row.age})})
        CREATE (bell)-[:HAS_NOTIFICATION]->(n:Notification {id: randomUUID(), type: 'new_upload',
                 recipient_id: 'nb-bell', actor_id: p.id, read: row.age % 2 = 0,
                 created_at: b.created_at})-[:ABOUT]->(b)
        FOREACH (_ IN CASE WHEN NOT n.read THEN [1] ELSE [] END | CREATE (bell)-[:UNREAD]->(n))
        """,
        rows,
    )
    load_in_batches(
        graph,
        "UNWIND $rows AS row CREATE (:Producer {id: 'nb-bell-done', "
        "slug: 'nb-bell-done', name: 'marker', created_at: datetime()})",
        [{}],
    )
    print(
        f"  bell user: {len(rows)} notifications at {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def upload_latency(served, secret) -> None:
    """Uploads interleaved across the producers; no worker runs, so jobs just queue."""
    service = issue_token(secret, "bench", 3600, service=True)
    samples: dict[str, list[float]] = {p: [] for p in ("nb-p10", "nb-p10k", "nb-p1m")}
    for n in range(WARMUP + UPLOADS):
        for producer, timings in samples.items():
            started = time.perf_counter()
            status, _ = served.request(
                "POST", f"/api/v1/producers/{producer}/uploads", service, {"title": "latency probe"}
            )
            elapsed = time.perf_counter() - started
            assert status == 201, status
            if n >= WARMUP:
                timings.append(elapsed)
    print("| producer likers | upload p50 ms | p99 ms |\n|---|---|---|")
    for producer, timings in samples.items():
        p50, p99 = percentiles(timings)
        print(f"| {PRODUCERS[producer]:,} | {p50:.2f} | {p99:.2f} |")
    small, large = percentiles(samples["nb-p10"])[0], percentiles(samples["nb-p1m"])[0]
    print(
        f"\nratio 1,000,000 : 10 likers (p50) = {large / small:.2f}  (target ≤ 1.2)\n", flush=True
    )


def clean_up(graph) -> None:
    """Remove the run's beats, jobs, notifications and outbox entries (auto-commit batches)."""
    with graph.driver.session(database=graph.database) as session:
        for statement in (
            "MATCH (j:FanoutJob) CALL (j) { DETACH DELETE j } IN TRANSACTIONS OF 10000 ROWS",
            "MATCH (r:FanoutRange) CALL (r) { DETACH DELETE r } IN TRANSACTIONS OF 10000 ROWS",
            "MATCH (e:OutboxEntry) CALL (e) { DETACH DELETE e } IN TRANSACTIONS OF 10000 ROWS",
            "MATCH (n:Notification) WHERE n.type = 'new_upload' AND n.recipient_id <> 'nb-bell'"
            " CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
            "MATCH (b:Beat) WHERE b.title IN ['latency probe', 'fan-out probe', 'warm-up']"
            " CALL (b) { DETACH DELETE b } IN TRANSACTIONS OF 10000 ROWS",
        ):
            # The driving transaction of CALL … IN TRANSACTIONS lasts the whole clean-up
            # (a million notifications: minutes), past the server's 30 s default.
            session.run(neo4j.Query(statement, timeout=1800)).consume()


def wait_until_idle(graph, outbox: bool = True, limit: float = 600) -> float:
    """Wait (at most `limit` seconds) until every fan-out is done (and, with `outbox`, no
    outbox entry is pending); the time it happened."""
    deadline = time.perf_counter() + limit
    jobs = "MATCH (j:FanoutJob) WHERE j.state <> 'done' RETURN count(j)"
    entries = "MATCH (e:OutboxEntry {state: 'pending'}) RETURN count(e)"
    while count(graph, jobs) or (outbox and count(graph, entries)):
        if time.perf_counter() > deadline:
            raise RuntimeError(f"the workers did not finish in {limit:.0f} s")
        time.sleep(0.2)
    return time.perf_counter()


def exactly_once(graph, producer: str, logs: list[str]) -> str:
    """Whether every liker of the producer got one bell item and one push of the probe
    upload: the bell counted in the graph, the pushes as those the workers sent (their
    logging sender's lines) and those still queued, each recipient once."""
    likers = PRODUCERS[producer]
    told = count(
        graph,
        "MATCH (:Beat {title: 'fan-out probe'})<-[:ABOUT]-(n:Notification) "
        "RETURN [count(DISTINCT n.recipient_id), count(n)]",
    )
    assert told == [likers, likers], f"bell items (recipients, items): {told} for {likers}"
    sent = []
    for log in logs:
        with open(log, encoding="utf-8") as lines:
            sent += [
                line.split("push to ", 1)[1].split(" ", 1)[0]
                for line in lines
                if "push to " in line and "New from" in line and "fan-out probe" in line
            ]
    queued = count(
        graph,
        "MATCH (e:OutboxEntry {subject_name: 'fan-out probe', channel: 'push'}) "
        "RETURN collect(e.recipient_id)",
    )
    pushes = sent + queued
    assert len(pushes) == len(set(pushes)) == likers, (len(pushes), len(set(pushes)), likers)
    return (
        f"{likers:,} bell items and {likers:,} pushes ({len(sent):,} sent, "
        f"{len(queued):,} still queued), one per liker"
    )


def fan_out(
    served, config, graph, secret, run: str, producer: str, workers: int, drain: bool
) -> None:
    """1,000 online likers among the producer's: when does the last socket hear of the
    upload, and when is everyone told? `drain`: also wait for every push to be sent."""
    online = random.Random(7).sample(range(PRODUCERS[producer]), ONLINE)
    arrivals: list[float] = []
    lock = threading.Lock()
    sockets = [
        connect(
            f"{served.ws_base}?token={issue_token(secret, f'nb{i}', 3600)}",
            open_timeout=30,
            legacy=True,
        )
        for i in online
    ]

    def listen(ws) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            frame = json.loads(ws.recv(timeout=deadline - time.monotonic()))
            if (
                frame["type"] == "notification.created"
                and frame["data"]["notification"]["beat"]["title"] == "fan-out probe"
            ):
                with lock:
                    arrivals.append(time.perf_counter())
                return

    threads = [threading.Thread(target=listen, args=(ws,), daemon=True) for ws in sockets]
    for thread in threads:
        thread.start()
    running = [ServedWorker(config, SETTINGS) for _ in range(workers)]
    service = issue_token(secret, "bench", 3600, service=True)
    try:
        # Warm-up, as a server that has been up for a while is: a whole fan-out to the
        # 10,000 likers of another producer and its outbox drained, so the JVM has compiled
        # every step (a fresh Neo4j runs the first ones several times slower), and one pass
        # over users and likes, so the page cache holds them.
        served.request("POST", "/api/v1/producers/nb-p10k/uploads", service, {"title": "warm-up"})
        count(graph, "MATCH (u:User) RETURN count(u.notifications_off)")
        count(graph, "MATCH ()-[l:LIKES]->() RETURN count(l.key)")
        wait_until_idle(graph)
        started = time.perf_counter()
        status, _ = served.request(
            "POST", f"/api/v1/producers/{producer}/uploads", service, {"title": "fan-out probe"}
        )
        assert status == 201
        for thread in threads:
            thread.join(timeout=120)
        all_done = wait_until_idle(graph, outbox=False)
        pushed = wait_until_idle(graph) if drain else None
        for worker in running:  # no more sends: the count of pushes below holds still
            worker.process.terminate()
            worker.process.wait(timeout=30)
        checked = exactly_once(graph, producer, [worker.log.name for worker in running])
    finally:
        for worker in running:
            worker.stop()
        for ws in sockets:
            ws.close()
    delays = sorted(arrival - started for arrival in arrivals)
    print(
        f"| {run} | {workers} | {PRODUCERS[producer]:,} | {ONLINE} | {len(delays)} | "
        f"{delays[0]:.2f} | {delays[len(delays) // 2]:.2f} | {delays[-1]:.2f} | "
        f"{all_done - started:.1f} | {PRODUCERS[producer] / (all_done - started):,.0f} | "
        f"{f'{pushed - started:.1f}' if pushed else 'not waited'} |",
        flush=True,
    )
    print(f"  checked: {checked}", flush=True)


def bell(served, graph, secret) -> None:
    token = issue_token(secret, "nb-bell", 3600)
    first = served.request("GET", "/api/v1/me/notifications?limit=20", token)[1]
    assert len(first["items"]) == 20, first
    deep = first
    for _ in range(50):  # page 51: 1,000 notifications in
        deep = served.request(
            "GET", f"/api/v1/me/notifications?limit=20&cursor={deep['next_cursor']}", token
        )[1]
    deep_cursor = deep["next_cursor"]
    print(
        f"bell user: {BELL_PRODUCERS} liked producers, "
        f"{BELL_PRODUCERS * BELL_UPLOADS} notifications, {first['unread_count']} unread\n"
    )
    print(TABLE_HEADER)
    for name, path, after in (
        ("bell page 1 (20)", "/api/v1/me/notifications?limit=20", None),
        (
            "bell page 52 (20)",
            f"/api/v1/me/notifications?limit=20&cursor={deep_cursor}",
            decode_time_cursor(deep_cursor),
        ),
    ):
        app_samples = time_calls(lambda path=path: served.request("GET", path, token), 200)
        params = {"user_id": "nb-bell", **keyset_params(after, 20)}
        raw = time_calls(raw_read(graph, Q.notifications.list_notifications, params), 200)
        print(report(name, app_samples, raw), flush=True)


def main() -> None:
    raise_open_file_limit()
    app, graph, config = bench_app("bench")
    build(graph)
    clean_up(graph)
    secret = config["BEATGRAPH_JWT_SECRET"]  # bench_app's, also the served copy's
    served = ServedApp(config, settings=SETTINGS)
    only_1m = os.environ.get("FANOUT_1M_ONLY") == "1"
    runs = [
        ("warm", "nb-p100k", 1, True),
        ("warm", "nb-p100k", RUN_WORKERS, True),
        ("1M, warm", "nb-p1m", RUN_WORKERS, False),
    ]
    try:
        if not only_1m:
            upload_latency(served, secret)
            clean_up(graph)
        print(
            "| run | workers | likers | online | online received | first s | p50 s | "
            "last online s | all notified s | notifications/s | all pushes sent s |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|"
        )
        # Each run starts with a warm-up fan-out (see fan_out): the steady state of a server
        # that has been up, not the JVM's first minutes after a start.
        for run, producer, workers, drain in runs[-1:] if only_1m else runs:
            fan_out(served, config, graph, secret, run, producer, workers, drain)
            clean_up(graph)
        if not only_1m:
            print()
            bell(served, graph, secret)
    finally:
        served.stop()
        clean_up(graph)
        app.extensions["beatgraph.typing"].stop()
        app.extensions["beatgraph.relay"].stop()
        graph.close()


if __name__ == "__main__":
    sys.exit(main())
