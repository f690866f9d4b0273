"""Load-generator plumbing for bench-throughput: one persistent HTTP connection per sender,
closed-loop senders for a fixed time, paced (open-loop) sends, and CPU accounting of the
generator itself and of each server's process tree."""

import http.client
import json
import os
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bench.common import percentiles

TICKS = os.sysconf("SC_CLK_TCK")


class KeepAlive:
    """One HTTP/1.1 keep-alive connection to a loopback server, Nagle off; not thread-safe
    (each sender thread owns one)."""

    def __init__(
        self, base: str, headers: dict[str, str] | None = None, timeout: float = 60
    ) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.headers = {"Content-Type": "application/json", **(headers or {})}
        self.timeout = timeout
        self.connection: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        connection.connect()
        assert connection.sock is not None
        connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """(status, JSON body); a connection the server closed is reopened once (every
        request the benchmark repeats this way is idempotent: client_id / txnId)."""
        data = json.dumps(body).encode() if body is not None else None
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = self._connect()
            try:
                self.connection.request(method, path, body=data, headers=self.headers)
                response = self.connection.getresponse()
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
            except (http.client.HTTPException, ConnectionError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


@dataclass
class LoadResult:
    """What closed-loop senders achieved: acknowledged ids, their latencies, errors."""

    seconds: float
    acknowledged: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    def summary(self) -> dict[str, Any]:
        p50, p99 = percentiles(self.latencies) if self.latencies else (None, None)
        return {
            "msgs_per_s": round(len(self.acknowledged) / self.seconds, 1),
            "send_p50_ms": _round(p50),
            "send_p99_ms": _round(p99),
            "acknowledged": len(self.acknowledged),
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
        }


Send = Callable[[str], bool]  # one send with this message id; True when acknowledged


def closed_loop(senders: list[tuple[Send, str]], seconds: float) -> LoadResult:
    """Each (send, label) in its own thread, sending back to back until `seconds` have
    passed; a send in flight at the deadline is waited for and counted."""
    result = LoadResult(seconds=seconds)
    lock = threading.Lock()
    go = threading.Event()
    deadline = 0.0

    def run(send: Send, label: str) -> None:
        go.wait()
        n = 0
        while time.perf_counter() < deadline:
            message_id = f"{label}-{n}"
            n += 1
            started = time.perf_counter()
            try:
                ok = send(message_id)
            except OSError:
                ok = False
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    result.acknowledged.append(message_id)
                    result.latencies.append(elapsed)
                else:
                    result.errors += 1

    threads = [threading.Thread(target=run, args=pair, daemon=True) for pair in senders]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    deadline = started + seconds
    go.set()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    result.seconds = time.perf_counter() - started
    return result


def paced(send: Callable[[int], None], count: int, rate: float, workers: int = 8) -> float:
    """Start send(0..count-1) at `rate` per second (open loop) on a pool; the achieved rate
    once every send has returned."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for n in range(count):
            delay = started + n / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(send, n)
    return count / (time.perf_counter() - started)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def latency_summary(samples: list[float]) -> dict[str, Any]:
    """p50/p99 in ms and the sample count."""
    if not samples:
        return {"p50": None, "p99": None, "n": 0}
    p50, p99 = percentiles(samples)
    return {"p50": round(p50, 2), "p99": round(p99, 2), "n": len(samples)}


def _tree(pid: int) -> list[int]:
    """The pid and its living descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(child) for child in children.read().split())
        except OSError:
            continue
    return found


def _cpu_seconds(pid: int) -> float:
    total = 0
    for member in _tree(pid):
        try:
            with open(f"/proc/{member}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


class CpuMeter:
    """CPU used during a phase, in cores (CPU seconds ÷ wall seconds): this generator
    process (all its threads) and each named server process tree."""

    def __init__(self, servers: dict[str, int]) -> None:
        self.servers = servers

    def __enter__(self) -> "CpuMeter":
        self.wall = time.perf_counter()
        self.own = time.process_time()
        self.before = {name: _cpu_seconds(pid) for name, pid in self.servers.items()}
        return self

    def __exit__(self, *exc: object) -> None:
        wall = time.perf_counter() - self.wall
        self.cores = {"generator": round((time.process_time() - self.own) / wall, 2)}
        for name, pid in self.servers.items():
            self.cores[name] = round((_cpu_seconds(pid) - self.before[name]) / wall, 2)
