"""Relay cost per event at 1, 2 and 4 app processes (issue: scale-out), on the bench stack.

Each process is a gunicorn instance of its own (as separate hosts would be). 64 users hold
one socket each, spread round-robin over the processes; this script publishes 10,000 events
through the relay (one recipient each, like a DM's `message.created`) and waits until every
socket has its share. For each process it reads the CPU the worker used meanwhile
(/proc/<pid>/stat), less what it uses idle over as long (measured just before), and how
many relay messages its listener decoded (`/metrics`).

Each event is announced only on the channel of the process holding its recipient's
socket, so the processes together decode each event once and the CPU per event stays
flat as processes are added. (With the earlier single relay channel every process decoded
every event: N processes decoded N × 10,000.)

Run with `make bench-relay`.
"""

import contextlib
import os
import threading
import time
import uuid

from websockets.sync.client import connect

from bench.common import bench_app
from bench.realtime_bench import worker_pid
from graph.events import Event
from graph.users import create_user
from server.tokens import issue_token
from tests.served import ServedApp

PROCESS_COUNTS = (1, 2, 4)
USERS = 64
EVENTS = 10_000
IDLE_SECONDS = 3
WARMUP_EVENTS = 400
BATCH = 20
SETTINGS = {"BEATGRAPH_WS_IDLE_SECONDS": "900", "BEATGRAPH_WS_PING_SECONDS": "300"}
TICKS = os.sysconf("SC_CLK_TCK")
DECODED = "beatgraph_relay_messages_total"


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def decoded(server: ServedApp) -> int:
    return int(server.metric(DECODED))


class Receiver(threading.Thread):
    """One user's socket, counting the bench frames it receives."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self._stack = contextlib.ExitStack()
        self.ws = self._stack.enter_context(connect(url, open_timeout=10, close_timeout=2))
        self.count = 0
        self.done = threading.Event()

    def run(self) -> None:
        try:
            while not self.done.is_set():
                try:
                    raw = self.ws.recv(timeout=0.5)
                except TimeoutError:
                    continue
                if '"unread.badge"' in raw:
                    self.count += 1
        except Exception:  # the socket closed: the bench reports the missing frames
            return

    def close(self) -> None:
        self.done.set()
        self._stack.close()


def publish(relay, users: list[dict], count: int) -> None:
    for start in range(0, count, BATCH):
        relay.publish(
            [
                Event(
                    "unread.badge",
                    (users[n % len(users)]["id"],),
                    {"conversations": n, "messages": n},
                )
                for n in range(start, min(start + BATCH, count))
            ]
        )


def wait_for(receivers: list[Receiver], expected: int, seconds: float = 120) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        got = sum(receiver.count for receiver in receivers)
        if got >= expected:
            return got
        time.sleep(0.05)
    return sum(receiver.count for receiver in receivers)


def measure(app, config, users: list[dict], processes: int) -> dict:
    secret = config["BEATGRAPH_JWT_SECRET"]
    servers = [ServedApp(config, settings=SETTINGS) for _ in range(processes)]
    receivers: list[Receiver] = []
    try:
        for n, user in enumerate(users):
            server = servers[n % processes]
            receiver = Receiver(f"{server.ws_base}?token={issue_token(secret, user['id'], 3600)}")
            receiver.start()
            receivers.append(receiver)
        relay = app.extensions["beatgraph.relay"]
        time.sleep(1)  # every socket registered its presence
        publish(relay, users, WARMUP_EVENTS)
        wait_for(receivers, WARMUP_EVENTS)
        for receiver in receivers:
            receiver.count = 0
        pids = [worker_pid(server.process.pid) for server in servers]
        # What the workers spend with no events (pings, sweepers), to take off below.
        idle_before = [cpu_seconds(pid) for pid in pids]
        time.sleep(IDLE_SECONDS)
        idle_rate = [
            (cpu_seconds(pid) - before) / IDLE_SECONDS
            for pid, before in zip(pids, idle_before, strict=True)
        ]
        cpu_before = [cpu_seconds(pid) for pid in pids]
        decoded_before = [decoded(server) for server in servers]
        started = time.perf_counter()
        publish(relay, users, EVENTS)
        received = wait_for(receivers, EVENTS)
        elapsed = time.perf_counter() - started
        cpu = [
            cpu_seconds(pid) - before - rate * elapsed
            for pid, before, rate in zip(pids, cpu_before, idle_rate, strict=True)
        ]
        decodes = [
            decoded(server) - before for server, before in zip(servers, decoded_before, strict=True)
        ]
        return {
            "processes": processes,
            "received": received,
            "elapsed": elapsed,
            "cpu": cpu,
            "decoded": decodes,
        }
    finally:
        for receiver in receivers:
            receiver.close()
        for server in servers:
            server.stop()


def main() -> None:
    app, graph, config = bench_app(
        "bench-relay:", BEATGRAPH_JWT_SECRET="bench-secret-" + "0123456789abcdef" * 4
    )
    run = uuid.uuid4().hex[:6]
    users = [
        create_user(graph, username=f"relay{run}{n}", display_name=f"Relay {n}")
        for n in range(USERS)
    ]
    print(
        f"{USERS} sockets (one per user) spread over the processes; {EVENTS} events, "
        f"one recipient each, published in batches of {BATCH}; load average "
        f"{os.getloadavg()[0]:.1f}\n"
    )
    print(
        "| processes | frames received | relay messages decoded, per process | total decoded "
        "| worker CPU beyond idle, all processes (ms) | per 1,000 events (ms) | seconds |"
    )
    print("|---|---|---|---|---|---|---|")
    for processes in PROCESS_COUNTS:
        result = measure(app, config, users, processes)
        total_cpu = sum(result["cpu"]) * 1000
        print(
            f"| {processes} | {result['received']} / {EVENTS} | "
            f"{' + '.join(str(n) for n in result['decoded'])} | {sum(result['decoded'])} | "
            f"{total_cpu:.0f} | {total_cpu / EVENTS * 1000:.0f} | {result['elapsed']:.2f} |"
        )
    app.extensions["beatgraph.relay"].stop()


if __name__ == "__main__":
    main()
