"""Capacity figures per operation, for docs/scaling.md (`make bench-capacity`).

A real gunicorn (server/gunicorn_conf.py, one gevent worker) on the bench stack; every
operation of BeatPass's mix is done OPS times, one at a time (so the run uses about one core
and is bounded: ~2,500 operations in all), over keep-alive HTTP or the users' WebSockets,
each waited for until its last event reached the last socket it was for. For each kind the
script reads, as deltas less the idle rate measured just before:

- CPU seconds of the app worker, Neo4j and Redis (/proc/<pid>/stat), per 1,000 operations;
- Redis commands per operation (INFO commandstats);

then, in-process and without timing, the db hits of every statement each kind runs
(PROFILE) and its read and write transactions, the bytes of each Redis key the app keeps
(MEMORY USAGE) and the Neo4j store bytes per user, follow, conversation and message
(bench/capacity_sizes.py). CPU figures follow the box's load (the load average is
printed); hits, commands, transactions and bytes do not. stdout is one JSON object;
stderr the progress.
"""

import http.client
import json
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from redis import Redis
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from bench.capacity_sizes import BODY, profiling, redis_bytes, store_bytes
from bench.common import bench_app
from bench.realtime_bench import worker_pid
from bench.relay_bench import cpu_seconds
from graph import conversations, messages
from graph.events import UnitOfWork
from graph.follows import follow_user
from graph.users import create_user
from server.tokens import issue_token
from tests.served import ServedApp

OPS = int(os.environ.get("CAPACITY_OPS", "150"))
WARMUP = 20
# Whole rounds of every phase before the measured one: a Neo4j just (re)started spends
# cores compiling the send path for its first thousand or so sends (docs/benchmarks.md).
ROUNDS = int(os.environ.get("CAPACITY_WARMUP_ROUNDS", "2"))
IDLE_SECONDS = 4
PING_SECONDS = 2  # fast pings, so the ping phase measures many in a few seconds
PING_SOCKETS = 100
PING_WINDOW = 10
GROUP = 6
TARGETS = OPS + WARMUP
# Bulk fixtures for store bytes per thing; CAPACITY_STORE_SCALE shrinks them for a quick try.
_SCALE = float(os.environ.get("CAPACITY_STORE_SCALE", "1"))
STORE_SIZES = {
    name: int(count * _SCALE)
    for name, count in {
        "users": 20_000,
        "follows": 30_000,
        "conversations": 10_000,
        "messages": 30_000,
    }.items()
}


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class Socket:
    """One user's WebSocket: collects server frames, answers pings like the web client."""

    def __init__(self, url: str) -> None:
        self.ws = connect(url, open_timeout=15, close_timeout=2)
        self.counts: dict[str, int] = {}
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for raw in self.ws:
                kind = json.loads(raw)["type"]
                if kind == "ping":
                    self.ws.send('{"type": "pong", "data": {}}')
                with self.changed:
                    self.counts[kind] = self.counts.get(kind, 0) + 1
                    self.changed.notify_all()
        except ConnectionClosed:
            return

    def count(self, kind: str) -> int:
        with self.changed:
            return self.counts.get(kind, 0)

    def wait(self, kind: str, at_least: int, seconds: float = 15) -> None:
        with self.changed:
            if not self.changed.wait_for(lambda: self.counts.get(kind, 0) >= at_least, seconds):
                raise RuntimeError(f"no {kind} frame #{at_least} within {seconds} s")

    def send(self, kind: str, data: dict[str, Any]) -> None:
        self.ws.send(json.dumps({"type": kind, "data": data}))

    def close(self) -> None:
        self.ws.close()


class Client:
    """Keep-alive HTTP to the served app, as a browser behind a proxy would hold it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.http = http.client.HTTPConnection("127.0.0.1", port, timeout=15)

    def call(self, method: str, path: str, token: str, body: Any = None) -> Any:
        """One request; once more on a fresh connection if gunicorn closed an idle one (safe:
        sends carry a client_id, follows are idempotent)."""
        try:
            return self._call(method, path, token, body)
        except (http.client.RemoteDisconnected, ConnectionError):
            self.http.close()
            self.http = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
            return self._call(method, path, token, body)

    def _call(self, method: str, path: str, token: str, body: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.http.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = self.http.getresponse()
        payload = response.read()
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: {response.status} {payload[:200]!r}")
        return json.loads(payload or b"null")


class Meters:
    """Counters read before and after a phase: CPU of the three processes and Redis
    commands; `rates` is their idle drift per second, taken off each phase."""

    def __init__(self, pids: dict[str, int], redis: Redis, graph) -> None:
        self.pids, self.redis, self.graph = pids, redis, graph
        self.rates = {name: 0.0 for name in self.read()}

    def read(self) -> dict[str, float]:
        values = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        # Redis counts its own CPU in microseconds (/proc's ticks are 10 ms).
        cpu = self.redis.info("cpu")
        values["redis"] = cpu["used_cpu_sys"] + cpu["used_cpu_user"]
        stats = self.redis.info("commandstats")
        values["redis_commands"] = sum(
            entry["calls"] for name, entry in stats.items() if name != "cmdstat_info"
        )
        values["wall"] = time.perf_counter()
        return values

    def idle(self, seconds: float) -> None:
        before = self.read()
        time.sleep(seconds)
        after = self.read()
        span = after["wall"] - before["wall"]
        self.rates = {name: (after[name] - before[name]) / span for name in after}
        self.rates["wall"] = 0.0

    def phase(self, name: str, ops: int, one: Callable[[int], None]) -> dict[str, Any]:
        for n in range(WARMUP):
            one(n)
        before = self.read()
        for n in range(WARMUP, WARMUP + ops):
            one(n)
        after = self.read()
        span = after["wall"] - before["wall"]
        delta = {k: after[k] - before[k] - self.rates[k] * span for k in after if k != "wall"}
        result = {
            "ops": ops,
            "seconds": round(span, 2),
            "app_cpu_ms_per_op": round(delta["app"] / ops * 1000, 3),
            "neo4j_cpu_ms_per_op": round(delta["neo4j"] / ops * 1000, 3),
            "redis_cpu_ms_per_op": round(delta["redis"] / ops * 1000, 3),
            # INFO itself is excluded; the two reads around the phase add nothing else.
            "redis_commands_per_op": round(delta["redis_commands"] / ops, 2),
        }
        log(f"{name}: {result}")
        return result


def make_users(graph, run: str, names: list[str]) -> dict[str, str]:
    return {
        name: create_user(graph, username=f"cap{run}{name}", display_name=f"Cap {name}")["id"]
        for name in names
    }


def main() -> None:
    secret = "bench-secret-" + "0123456789abcdef" * 4
    app, graph, config = bench_app("bench-capacity:", BEATGRAPH_JWT_SECRET=secret)
    run = uuid.uuid4().hex[:6]
    group_names = [f"g{n}" for n in range(1, GROUP)]
    people = make_users(graph, run, ["a", "b", "c", "d", *group_names])
    targets = [
        create_user(graph, username=f"cap{run}t{n}", display_name=f"Target {n}")["id"]
        for n in range(TARGETS * (ROUNDS + 1))
    ]
    token = {name: issue_token(secret, uid, 7200) for name, uid in people.items()}
    dm_ab, _ = conversations.open_direct_conversation(graph, people["a"], people["b"])
    dm_ac, _ = conversations.open_direct_conversation(graph, people["a"], people["c"])
    group = conversations.create_group_conversation(
        graph, people["a"], [people[n] for n in group_names], "capacity"
    )
    for target in targets[:40]:  # b has followers to list
        follow_user(graph, UnitOfWork(), target, people["b"])  # set-up: nobody listens

    var = os.path.dirname(os.environ["BEATGRAPH_REDIS_PIDFILE"])
    redis = Redis.from_url(os.environ["REDIS_URL"])
    served = ServedApp(
        config,
        settings={
            "BEATGRAPH_WS_PING_SECONDS": str(PING_SECONDS),
            "BEATGRAPH_WS_IDLE_SECONDS": "900",
            # One user's frames come faster than a person's here: lift the frame budget.
            "BEATGRAPH_WS_FRAME_RATE": "10000",
            "BEATGRAPH_WS_FRAME_BURST": "10000",
        },
    )
    results: dict[str, Any] = {
        "run": {"load_average_start": os.getloadavg(), "cores": os.cpu_count(), "ops": OPS}
    }
    sockets: dict[str, Socket] = {}
    try:
        pids = {"app": worker_pid(served.process.pid)}
        with open(os.path.join(var, "neo4j.pid")) as pidfile:
            pids["neo4j"] = int(pidfile.read())
        meters = Meters(pids, redis, graph)
        ws = served.ws_base + "?token="
        for name in ("a", "b", *group_names):  # c and d stay offline
            sockets[name] = Socket(ws + token[name])
        time.sleep(1)
        client = Client(served.port)
        state = {"dm_ab": dm_ab, "dm_ac": dm_ac, "group": group, "group_names": group_names}
        state["markers"] = {"delivered": 0, "read": 0}  # shared by the rounds
        for n in range(ROUNDS):  # the JVM compiles the hot paths in these; not measured
            log(f"warm-up round {n + 1} of {ROUNDS}")
            phases(meters, client, sockets, token, people, targets, ws, {**state, "round": n})
        results["ops"] = phases(
            meters, client, sockets, token, people, targets, ws, {**state, "round": ROUNDS}
        )
        results["ping"] = ping_phase(meters, people, secret, graph, run, ws)
        results["db_hits"] = db_hits(app, graph, token, people, targets, dm_ab, dm_ac, group)
        results["redis_bytes"] = redis_bytes(
            redis, config["REDIS_PREFIX"], people["b"], people["a"]
        )
    finally:
        for socket in sockets.values():
            socket.close()
        served.stop()
    log("store bytes: building bulk fixtures")
    app.extensions["beatgraph.relay"].stop()
    # Kept before the store step (which restarts the stack) so a failure there loses nothing.
    with open(os.path.join(var, "capacity-partial.json"), "w") as partial:
        json.dump(results, partial, indent=1)
    results["store_bytes"] = store_bytes(var, STORE_SIZES)
    results["run"]["load_average_end"] = os.getloadavg()
    print(json.dumps(results, indent=1))


def phases(meters, client, sockets, token, people, targets, ws, c) -> dict[str, Any]:
    """Each kind of operation in turn, OPS times after WARMUP, waited for end to end. Each
    call uses targets of its own (a follow of a pair followed before announces nothing)
    and moves b's markers on from where the last call left them."""
    a, b = sockets["a"], sockets["b"]
    targets = targets[c["round"] * TARGETS : (c["round"] + 1) * TARGETS]
    last = sockets[c["group_names"][-1]]
    out: dict[str, Any] = {}
    meters.idle(IDLE_SECONDS)

    def send(conversation: str, wait: Callable[[], None]) -> Callable[[int], None]:
        def one(n: int) -> None:
            body = {"client_id": uuid.uuid4().hex, "body": BODY}
            client.call("POST", f"/api/v1/conversations/{conversation}/messages", token["a"], body)
            wait()

        return one

    def counted(socket: Socket, kind: str) -> Callable[[], None]:
        expected = [socket.count(kind)]

        def wait() -> None:
            expected[0] += 1
            socket.wait(kind, expected[0])

        return wait

    out["send_dm_recipient_online"] = meters.phase(
        "send DM, online", OPS, send(c["dm_ab"], counted(b, "message.created"))
    )
    out["send_dm_recipient_offline"] = meters.phase(
        "send DM, offline", OPS, send(c["dm_ac"], counted(a, "message.created"))
    )
    out[f"send_group_{GROUP}_online"] = meters.phase(
        "send group", OPS, send(c["group"], counted(last, "message.created"))
    )
    status = counted(a, "message.status")

    def marker(kind: str) -> Callable[[int], None]:
        def one(n: int) -> None:  # b's markers move one message per frame
            c["markers"][kind] += 1
            seq = c["markers"][kind]
            b.send(kind, {"conversation_id": c["dm_ab"], "up_to_seq": seq})
            status()

        return one

    out["delivered_frame"] = meters.phase("delivered frame", OPS, marker("delivered"))
    out["read_frame"] = meters.phase("read frame", OPS, marker("read"))
    typing = counted(a, "typing")

    def type_once(n: int) -> None:
        state = "start" if n % 2 == 0 else "stop"
        b.send("typing", {"conversation_id": c["dm_ab"], "state": state})
        typing()

    out["typing_frame"] = meters.phase("typing frame", OPS, type_once)

    def get(path: str, who: str = "a") -> Callable[[int], None]:
        return lambda n: client.call("GET", path, token[who])

    reads = {
        "list_conversations": "/api/v1/conversations?limit=20",
        "message_page": f"/api/v1/conversations/{c['dm_ab']}/messages?limit=20",
        "unread_badge": "/api/v1/me/unread",
        "me": "/api/v1/me",
        "profile": f"/api/v1/users/{people['b']}",
        "followers_page": f"/api/v1/users/{people['b']}/followers?limit=20",
        "search": "/api/v1/users/search?q=cap",
    }
    for name, path in reads.items():
        out[name] = meters.phase(name, OPS, get(path))
    out["notifications_page"] = meters.phase(
        "notifications", OPS, get("/api/v1/me/notifications?limit=20", "c")
    )
    out["follow"] = meters.phase(
        "follow",
        OPS,
        lambda n: client.call("PUT", f"/api/v1/users/{targets[n]}/follow", token["d"]),
    )
    out["unfollow"] = meters.phase(
        "unfollow",
        OPS,
        lambda n: client.call("DELETE", f"/api/v1/users/{targets[n]}/follow", token["d"]),
    )

    def reconnect(n: int) -> None:  # a resume with a `since` the stream no longer holds
        socket = Socket(ws + token["d"] + "&since=1-0")
        socket.wait("resync.required", 1)
        socket.close()

    out["socket_connect_resume"] = meters.phase("socket connect", OPS // 3, reconnect)
    return out


def ping_phase(meters, people, secret, graph, run, ws) -> dict[str, Any]:
    """Idle sockets: CPU and Redis commands per server ping (each renews presence)."""
    idle = make_users(graph, run, [f"p{n}" for n in range(PING_SOCKETS)])
    meters.idle(IDLE_SECONDS)
    base = dict(meters.rates)
    sockets = [Socket(ws + issue_token(secret, uid, 3600)) for uid in idle.values()]
    try:
        time.sleep(PING_SECONDS + 1)
        meters.idle(PING_WINDOW)
        pings = PING_SOCKETS / PING_SECONDS  # per second
        per_ping = {k: (meters.rates[k] - base[k]) / pings for k in base if k != "wall"}
    finally:
        for socket in sockets:
            socket.close()
    result = {
        "sockets": PING_SOCKETS,
        "ping_seconds": PING_SECONDS,
        "app_cpu_ms_per_ping": round(per_ping["app"] * 1000, 3),
        "redis_cpu_ms_per_ping": round(per_ping["redis"] * 1000, 4),
        "redis_commands_per_ping": round(per_ping["redis_commands"], 2),
    }
    log(f"ping: {result}")
    return result


def db_hits(app, graph, token, people, targets, dm_ab, dm_ac, group) -> dict[str, Any]:
    """One of each operation in-process under PROFILE: [statement, mode, db hits] each."""
    client = app.test_client()
    newest_seq = [0]  # of the DM a-b, read before each marker frame is profiled

    def api(method: str, path: str, who: str = "a", body: Any = None) -> Callable[[], Any]:
        headers = {"Authorization": f"Bearer {token[who]}"}
        return lambda: client.open(path, method=method, headers=headers, json=body)

    def newest(conversation: str) -> int:
        page = client.get(
            f"/api/v1/conversations/{conversation}/messages?limit=1",
            headers={"Authorization": f"Bearer {token['b']}"},
        ).get_json()
        return page["items"][0]["seq"]

    def body() -> dict[str, str]:
        return {"client_id": uuid.uuid4().hex, "body": BODY}

    cases: dict[str, Callable[[], Any]] = {
        "send_dm_recipient_online": lambda: api(
            "POST", f"/api/v1/conversations/{dm_ab}/messages", body=body()
        )(),
        "send_dm_recipient_offline": lambda: api(
            "POST", f"/api/v1/conversations/{dm_ac}/messages", body=body()
        )(),
        f"send_group_{GROUP}_online": lambda: api(
            "POST", f"/api/v1/conversations/{group}/messages", body=body()
        )(),
        "delivered_frame": lambda: messages.mark_delivered(
            graph, UnitOfWork(), people["b"], dm_ab, newest_seq[0]
        ),
        "read_frame": lambda: messages.mark_read(
            graph, UnitOfWork(), people["b"], dm_ab, newest_seq[0]
        ),
        "typing_frame": lambda: conversations.typing_recipients(graph, people["b"], dm_ab),
        "list_conversations": api("GET", "/api/v1/conversations?limit=20"),
        "message_page": api("GET", f"/api/v1/conversations/{dm_ab}/messages?limit=20"),
        "unread_badge": api("GET", "/api/v1/me/unread"),
        "me": api("GET", "/api/v1/me"),
        "profile": api("GET", f"/api/v1/users/{people['b']}"),
        "followers_page": api("GET", f"/api/v1/users/{people['b']}/followers?limit=20"),
        "search": api("GET", "/api/v1/users/search?q=cap"),
        "notifications_page": api("GET", "/api/v1/me/notifications?limit=20", "c"),
        "follow": api("PUT", f"/api/v1/users/{targets[-1]}/follow", "c"),
        "unfollow": api("DELETE", f"/api/v1/users/{targets[-1]}/follow", "c"),
    }
    out: dict[str, Any] = {}
    for name, case in cases.items():
        if name.startswith("send"):  # a new message first, so the markers have one to move
            case()
        if name in ("delivered_frame", "read_frame"):
            api("POST", f"/api/v1/conversations/{dm_ab}/messages", body=body())()
            newest_seq[0] = newest(dm_ab)
        with profiling(graph) as notes:
            case()
        out[name] = {
            "statements": [list(note) for note in notes.statements],
            "db_hits": sum(note[2] for note in notes.statements),
            "read_transactions": notes.transactions.count("read"),
            "write_transactions": notes.transactions.count("write"),
        }
        log(f"db hits {name}: {out[name]}")
    return out


if __name__ == "__main__":
    main()
