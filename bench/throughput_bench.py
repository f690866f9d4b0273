"""Throughput benchmark (issue 13): the workload of bench/throughput_workload.py against the
served app (real gunicorn with server/gunicorn_conf.py, real WebSockets), beatgraph's
floors (the same sends as plain driver transactions; the API's overhead on reads), then,
when the peer is installed (or PEER=synapse), the same workload against Matrix Synapse on
PostgreSQL, one after the other in the same run.

Prints ONE JSON object on stdout (progress and a side-by-side table go to stderr) and
writes docs/img/bench-throughput.png. Run with `make bench-throughput` (PEER=synapse to
install and include the peer, PEER=none to leave it out). Loopback only; every server it
starts is stopped by PID; every phase is bounded in count or time.
"""

import contextlib
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import time
import uuid
from collections import Counter
from typing import Any

from bench.common import bench_app, raise_open_file_limit
from bench.peer import synapse
from bench.throughput_beatgraph import BeatgraphSide
from bench.throughput_floors import raw_floor, read_overhead
from bench.throughput_report import plot, ratios, table
from bench.throughput_workload import measure
from tests.served import ServedApp

SETTINGS = {"BEATGRAPH_WS_IDLE_SECONDS": "900", "BEATGRAPH_WS_PING_SECONDS": "300"}


def log(line: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)


def server_errors(served: ServedApp) -> dict[str, int]:
    """The served app's logged failures: each failed route and each exception type, counted."""
    with open(served.log.name, errors="replace") as handle:
        lines = handle.read().splitlines()
    found: Counter[str] = Counter()
    for line in lines:
        route = re.search(r"Exception on (\S+) \[(\w+)\]", line)
        if route:
            found[f"{route[2]} {route[1]}"] += 1
        elif re.match(r"^[\w.]+(Error|Exception)\b", line):
            found[line.split(":", 1)[0]] += 1
    return dict(found)


def run_beatgraph() -> dict[str, Any]:
    """The workload against the served app, the reads, then the raw driver floor."""
    app, graph, config = bench_app("bench")
    try:
        served = ServedApp(config, settings=SETTINGS)
        side = BeatgraphSide(served, graph, config["BEATGRAPH_JWT_SECRET"])
        try:
            results = measure(side, log)
            log("beatgraph: API ÷ raw driver on six reads")
            results["reads"] = read_overhead(side)
            results["server_errors"] = server_errors(served)
        finally:
            served.stop()
        log("beatgraph: raw driver floor")
        results["raw_floor"] = raw_floor(side, uuid.uuid4().hex[:6])
        return results
    finally:
        forget_keys(app.extensions["beatgraph.redis"], config["REDIS_PREFIX"])
        app.extensions["beatgraph.typing"].stop()
        app.extensions["beatgraph.relay"].stop()
        graph.close()


def forget_keys(redis: Any, prefix: str) -> None:
    """Delete the run's Redis keys (its streams, once-keys, presence: ~100,000): runs on a
    kept stack would otherwise fill the bench Redis's 512 MB within the hour, and the
    relay's writes then fail with OOM."""
    batch = []
    for key in redis.scan_iter(match=prefix + "*", count=1000):
        batch.append(key)
        if len(batch) == 1000:
            redis.unlink(*batch)
            batch.clear()
    if batch:
        redis.unlink(*batch)


def peer_wanted() -> bool:
    """PEER=synapse: install if needed and run; PEER=none: skip; unset: run if installed."""
    choice = os.environ.get("PEER", "")
    if choice == "none":
        return False
    if choice == "synapse" and not synapse.installed():
        subprocess.run(
            [str(synapse.ROOT / "bench" / "peer" / "install.sh")], check=True, stdout=sys.stderr
        )
    if choice not in ("", "synapse"):
        raise SystemExit(f"PEER must be synapse or none, not {choice!r}")
    return synapse.installed()


def run_peer() -> dict[str, Any]:
    """The same workload through the Matrix client-server API of a fresh Synapse process."""
    from bench.peer.matrix import MatrixSide

    peer = synapse.SynapsePeer()
    log(f"synapse {synapse.version()}: starting on {peer.base}")
    peer.start()
    try:
        results = measure(MatrixSide(peer), log)
        results["server_errors"] = peer.errors()
        return results
    finally:
        peer.stop()


def machine() -> dict[str, Any]:
    return {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def collect() -> dict[str, Any]:
    """Both sides, one after the other; the JSON object with every figure."""
    run = machine()
    ours = run_beatgraph()
    peer = None
    if peer_wanted():
        run["synapse"] = synapse.version()
        peer = run_peer()
    run["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(table(ours, peer, "Synapse"))
    load = f"{run['load_average_at_start'][0]}→{run['load_average_at_end'][0]}"
    path = plot(
        ours,
        peer,
        "Synapse",
        f"bench-throughput {run['when']}, {run['cores']} cores "
        f"shared by the servers and the load generator (load average {load})",
    )
    log(f"plot written to {path}")
    return {
        "run": run,
        "beatgraph": ours,
        "synapse": peer,
        "ratios_beatgraph_over_synapse": ratios(ours, peer),
    }


def main() -> None:
    raise_open_file_limit()
    # Graph builds and the table print on stdout; only the JSON object goes there.
    with contextlib.redirect_stdout(sys.stderr):
        output = collect()
    print(json.dumps(output, indent=1))


if __name__ == "__main__":
    sys.exit(main())
