"""Realtime benchmark on the bench stack with a real gunicorn (server/gunicorn_conf.py):

Both gunicorn worker models are measured in the same run: gevent (configured) and gthread.

1. End-to-end latency from `POST …/messages` to the recipient's socket receiving
   `message.created`, at 50 and 200 messages/s (open-loop pacing, 10 s each), beside a raw
   redis-py publish → subscribe round trip at the same rate in the same run.
2. Idle sockets: open sockets in steps; at each step the p99 of an event's publish →
   arrival at sampled idle sockets, and the worker's RSS per socket.

Run with `make bench-realtime`.
"""

import contextlib
import json
import os
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from redis import Redis
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from bench.common import bench_app, percentiles, raise_open_file_limit
from graph import conversations
from graph.events import Event
from graph.users import create_user
from server.tokens import issue_token
from tests.served import ServedApp

RATES = (50, 200)
SECONDS = 10
WARMUP_MESSAGES = 1500  # lets the JVM compile the send path before anything is timed
WARMUP_RATE = 100
PAIRS = 20
IDLE_STEPS = (500, 1000, 2000, 3000)
SAMPLES = 100
SETTINGS = {"BEATGRAPH_WS_IDLE_SECONDS": "900", "BEATGRAPH_WS_PING_SECONDS": "300"}
# The configured model first, then the alternative it was chosen over, in the same run.
WORKER_MODELS = (("gevent", ""), ("gthread", "--worker-class gthread --threads 4000"))


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))


def worker_pid(master: int) -> int:
    with open(f"/proc/{master}/task/{master}/children") as children:
        return int(children.read().split()[0])


def make_pairs(graph, secret):
    run = uuid.uuid4().hex[:6]
    pairs = []
    for n in range(PAIRS):
        sender = create_user(graph, username=f"rt{run}s{n}", display_name="S")["id"]
        recipient = create_user(graph, username=f"rt{run}r{n}", display_name="R")["id"]
        conversation, _ = conversations.open_direct_conversation(graph, sender, recipient)
        pairs.append(
            (issue_token(secret, sender, 3600), issue_token(secret, recipient, 3600), conversation)
        )
    return pairs


def end_to_end(served, pairs, rate):
    arrivals, sent_at = {}, {}
    stop = threading.Event()

    def listen(recipient_token):
        with connect(f"{served.ws_base}?token={recipient_token}", open_timeout=10) as ws:
            while not stop.is_set():
                try:
                    payload = json.loads(ws.recv(timeout=0.5))
                except TimeoutError:
                    continue
                except ConnectionClosed:
                    return
                if payload["type"] == "message.created":
                    arrivals[payload["data"]["client_id"]] = time.perf_counter()

    listeners = [threading.Thread(target=listen, args=(r,), daemon=True) for _, r, _ in pairs]
    for thread in listeners:
        thread.start()
    time.sleep(2)

    def send(n):
        sender_token, _, conversation = pairs[n % len(pairs)]
        client_id = f"{rate}-{n}-{uuid.uuid4().hex[:6]}"
        sent_at[client_id] = time.perf_counter()
        served.request(
            "POST",
            f"/api/v1/conversations/{conversation}/messages",
            sender_token,
            {"client_id": client_id, "body": "bench"},
        )

    total = rate * SECONDS
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=32) as pool:
        for n in range(total):
            delay = started + n / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(send, n)
    achieved = total / (time.perf_counter() - started)  # after every POST has returned
    time.sleep(2)
    stop.set()
    latencies = [arrivals[c] - sent_at[c] for c in sent_at if c in arrivals]
    return latencies, total, achieved


def raw_redis(redis_url, rate):
    client = Redis.from_url(redis_url)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    channel = f"bench-raw-{uuid.uuid4().hex}"
    pubsub.subscribe(channel)
    latencies = []

    def listen():
        while len(latencies) < rate * SECONDS:
            message = pubsub.get_message(timeout=1.0)
            if message:
                latencies.append(time.perf_counter() - float(message["data"]))

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    started = time.perf_counter()
    for n in range(rate * SECONDS):
        delay = started + n / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        client.publish(channel, repr(time.perf_counter()))
    thread.join(timeout=10)
    pubsub.close()
    client.close()
    return latencies


def idle_step(served, relay, secret, users, sockets, stack, step):
    """Open sockets up to `step`, then time 100 events to sampled ones."""
    while len(sockets) < step:
        user = users[len(sockets)]
        url = f"{served.ws_base}?token={issue_token(secret, user, 3600)}"
        sockets.append((user, stack.enter_context(connect(url, open_timeout=30))))
    time.sleep(2)
    latencies = []
    for n in range(SAMPLES):
        user, ws = sockets[(n * 37) % len(sockets)]
        started = time.perf_counter()
        relay.publish([Event("unread.badge", (user,), {"probe": n})])
        while True:
            payload = json.loads(ws.recv(timeout=5))
            if payload["data"].get("probe") == n:
                break
        latencies.append(time.perf_counter() - started)
    return latencies


def idle_sockets(served, app, graph, secret):
    worker = worker_pid(served.process.pid)
    baseline = rss_kib(worker)
    users = [
        create_user(graph, username=f"idle{uuid.uuid4().hex[:10]}", display_name="I")["id"]
        for _ in range(max(IDLE_STEPS))
    ]
    sockets = []
    stack = contextlib.ExitStack()
    print("| idle sockets | publish→socket p50 ms | p99 ms | worker RSS MiB | KiB per socket |")
    print("|---|---|---|---|---|")
    for step in IDLE_STEPS:
        try:
            latencies = idle_step(
                served, app.extensions["beatgraph.relay"], secret, users, sockets, stack, step
            )
        except (TimeoutError, OSError, ConnectionClosed) as exc:
            print(f"| {step} | failed: {type(exc).__name__}: {exc} | | | |", flush=True)
            break
        p50, p99 = percentiles(latencies)
        rss = rss_kib(worker)
        print(
            f"| {step} | {p50:.2f} | {p99:.2f} | {rss / 1024:.0f} | "
            f"{(rss - baseline) / step:.0f} |",
            flush=True,
        )
    with contextlib.suppress(TimeoutError, OSError, ConnectionClosed):
        stack.close()  # sockets a failed step broke may not close cleanly


def main() -> None:
    raise_open_file_limit()
    app, graph, config = bench_app("bench")
    secret = config["BEATGRAPH_JWT_SECRET"]  # bench_app's, also the served copy's
    pairs = make_pairs(graph, secret)
    try:
        for name, gunicorn_args in WORKER_MODELS:
            print(f"\n### {name} worker (`server/gunicorn_conf.py` {gunicorn_args or 'as is'})\n")
            served = ServedApp(config, settings={**SETTINGS, "GUNICORN_CMD_ARGS": gunicorn_args})
            try:
                measure(served, app, graph, secret, pairs)
            finally:
                served.stop()
    finally:
        app.extensions["beatgraph.typing"].stop()
        app.extensions["beatgraph.relay"].stop()
        graph.close()


def measure(served, app, graph, secret, pairs) -> None:
    """Warm up, then the end-to-end rates and the idle-socket steps against one server."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(
            pool.map(
                lambda n: served.request(
                    "POST",
                    f"/api/v1/conversations/{pairs[n % PAIRS][2]}/messages",
                    pairs[n % PAIRS][0],
                    {"client_id": f"warm-{uuid.uuid4().hex}", "body": "w"},
                ),
                range(WARMUP_MESSAGES),
            )
        )
    # Then 10 s of paced sends, untimed: on a freshly started Neo4j the JVM is still
    # compiling the send path, and the first paced phase's p99 was 1.3-2.9 s because of it
    # (the same phase on a warm JVM: 17 ms).
    end_to_end(served, pairs, WARMUP_RATE)
    print(
        "| offered msg/s | achieved msg/s | delivered | POST→socket p50 ms | p99 ms | "
        "raw Redis pub→sub p50 ms | p99 ms | p50 ratio |\n|---|---|---|---|---|---|---|---|"
    )
    for rate in RATES:
        latencies, total, achieved = end_to_end(served, pairs, rate)
        raw = raw_redis(os.environ["REDIS_URL"], rate)
        p50, p99 = percentiles(latencies)
        r50, r99 = percentiles(raw)
        print(
            f"| {rate} | {achieved:.0f} | {len(latencies)}/{total} | {p50:.1f} | {p99:.1f} | "
            f"{r50:.3f} | {r99:.3f} | {p50 / r50:.0f} |",
            flush=True,
        )
    print()
    idle_sockets(served, app, graph, secret)


if __name__ == "__main__":
    sys.exit(main())
