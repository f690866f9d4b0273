"""Scale benchmark (issue 12 §7): import a BeatPass-sized export, then time the hot paths
on it beside the same operations on a 10k-user graph.

For each size (SMALL: 10k users, then BIG: 1M users, 20M follows, 2M likes over 50k
producers, 500k conversations, 5M messages) it generates the export (bench/scale_export.py,
cached in var/scale/), stops Neo4j, runs `flask import --full` (neo4j-admin), starts Neo4j,
applies the schema and waits for every index, and prints the import time and store size.
Then each operation runs REPEAT times through the served API (gunicorn, real HTTP) and
the same statement through the bare driver; p50/p99 go to a table with the BIG/SMALL
ratio, to var/scale/results.json, and a plot of cost against size to docs/img/scale.png.

Run with `make bench-scale` (its own stack folder, var/scale/stack, so the other benches'
graphs are kept). `SCALE_SIZES=small` runs only the small graph (a quick check). Bounded:
two imports, REPEAT timed calls per operation and path.
"""

import itertools
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api.pagination import encode_cursor
from bench.common import percentiles, raw_read, time_calls
from bench.scale_export import BIG, ROOT, SMALL, Scale, generate
from bulk.progress import make_progress
from bulk.run import AdminTarget, import_folder
from cypher import Q, Query
from graph import discovery
from graph.db import Graph
from graph.paging import FIRST_PAGE_AFTER, keyset_params
from graph.schema import apply_schema
from server.factory import create_app
from server.tokens import issue_token
from tests.served import ServedApp

REPEAT = 200
VIEWER = "u0"  # the largest account and the busiest chatter of both exports
IMPORT_TARGET_S = 600
RATIO_TARGET = 1.5
FOLLOWERS_RAW_P99_TARGET_MS = 15.0
DEEP = Query(
    "bench.deep_cursor",
    """
    MATCH (o:User)-[f:FOLLOWS]->() WHERE f.followee_id = $user_id
    WITH o, f ORDER BY f.since DESC, o.id DESC SKIP $offset LIMIT 1
    RETURN toString(f.since) AS since, o.id AS id""",
    "read",
)
SIZE = Query(
    "bench.size",
    """
    MATCH (u:User {id: $user_id})
    RETURN COUNT { (u)<-[:FOLLOWS]-() } AS followers,
           COUNT { (u)-[:PARTICIPATES]->() } AS conversations""",
    "read",
)
AWAIT_INDEXES = Query("bench.await", "CALL db.awaitIndexes(3600)", "read")


def stack(action: str) -> None:
    subprocess.run([str(ROOT / "scripts/stack.sh"), action, "bench"], check=True, stdout=sys.stderr)


def store_bytes() -> int:
    data = Path(os.environ["BEATGRAPH_VAR"]) / "neo4j" / "data"
    folders = [data / "databases" / "neo4j", data / "transactions" / "neo4j"]
    return sum(f.stat().st_size for folder in folders for f in folder.rglob("*") if f.is_file())


def import_store(scale: Scale, folder: Path) -> dict[str, float]:
    """Stop Neo4j, neo4j-admin the export in, start Neo4j, build the schema; the timings."""
    stack("down")
    started = time.perf_counter()
    target = AdminTarget(
        Path(os.environ.get("BEATGRAPH_NEO4J_HOME", ROOT / ".neo4j/home")),
        Path(os.environ["BEATGRAPH_VAR"]) / "neo4j" / "conf",
        "neo4j",
        replace=True,
        heap=os.environ.get("IMPORT_HEAP", "2g"),
    )
    with make_progress(sys.stderr.isatty()) as progress:
        _, timings = import_folder(folder, progress, None, target)
    timings = dict(timings)
    mark = time.perf_counter()
    stack("up")
    app = create_app({"BEATGRAPH_RATE_LIMIT": "100000000 per minute"})
    graph: Graph = app.extensions["beatgraph.graph"]
    timings["start Neo4j"] = time.perf_counter() - mark
    mark = time.perf_counter()
    apply_schema(graph)
    graph.run(AWAIT_INDEXES)
    timings["schema and indexes"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    timings["store_gib"] = store_bytes() / 2**30
    graph.close()
    return timings


def operations(
    graph: Graph, scale: Scale
) -> list[tuple[str, str, str, Any, Query, dict[str, Any]]]:
    """(name, method, URL, body, statement, parameters) of each timed operation."""
    followers = graph.single(SIZE, user_id=VIEWER)["followers"]
    deep = graph.single(DEEP, user_id=VIEWER, offset=int(followers * 0.9))
    deep_after = [deep["since"], deep["id"]]
    list_params = {"user_id": VIEWER, "viewer_id": VIEWER}
    return [
        (
            "profile",
            "GET",
            f"/api/v1/users/{VIEWER}",
            None,
            Q.profiles.get_profile,
            {"user_id": VIEWER, "username_key": None, "viewer_id": VIEWER},
        ),
        (
            "followers page 1",
            "GET",
            f"/api/v1/users/{VIEWER}/followers",
            None,
            Q.follows.list_followers,
            {**list_params, **keyset_params(None, 20)},
        ),
        (
            "followers deep page (90%)",
            "GET",
            f"/api/v1/users/{VIEWER}/followers?cursor={encode_cursor(deep_after)}",
            None,
            Q.follows.list_followers,
            {**list_params, **keyset_params(deep_after, 20)},
        ),
        (
            "producer followers (p0)",
            "GET",
            "/api/v1/producers/p0/followers",
            None,
            Q.producers.list_producer_followers,
            {"producer_id": "p0", "viewer_id": VIEWER, **keyset_params(None, 20)},
        ),
        (
            "search q=user12",
            "GET",
            "/api/v1/users/search?q=user12",
            None,
            Q.discovery.search_users,
            discovery.search_params(VIEWER, "user12", 20),
        ),
        (
            "recommend users",
            "GET",
            "/api/v1/me/recommendations/users",
            None,
            Q.discovery.recommend_users,
            {
                "viewer_id": VIEWER,
                "limit": 20,
                "hop_cap": discovery.RECOMMEND_HOP_CAP,
                "fan_cap": discovery.RECOMMEND_FAN_CAP,
            },
        ),
        (
            "recommend producers",
            "GET",
            "/api/v1/me/recommendations/producers",
            None,
            Q.discovery.recommend_producers,
            {
                "viewer_id": VIEWER,
                "limit": 20,
                "hop_cap": discovery.RECOMMEND_HOP_CAP,
                "fan_cap": discovery.RECOMMEND_FAN_CAP,
            },
        ),
        (
            "conversation list",
            "GET",
            "/api/v1/conversations",
            None,
            Q.messaging.list_conversations,
            {
                "user_id": VIEWER,
                "after_activity": FIRST_PAGE_AFTER[0],
                "after_id": FIRST_PAGE_AFTER[1],
                "limit": 21,
            },
        ),
        (
            "badge",
            "GET",
            "/api/v1/me/unread",
            None,
            Q.messaging.get_unread_badge,
            {"user_id": VIEWER},
        ),
        ("send into a DM", "POST", "/api/v1/conversations/c0/messages", "c0", None, {}),
        (
            "send into a 50-member group",
            "POST",
            f"/api/v1/conversations/c{scale.conversations - scale.conversations // 10}/messages",
            f"c{scale.conversations - scale.conversations // 10}",
            None,
            {},
        ),
    ]


def raw_send(graph: Graph, conversation_id: str) -> Callable[[], Any]:
    """send_message through the bare driver; nobody has a socket, so everyone else is
    notified, as through the served API."""
    record = graph.single(
        Q.messaging.list_participant_ids, user_id=VIEWER, conversation_id=conversation_id
    )
    others = [m for m in record["ids"] if m != VIEWER]
    counter = itertools.count()

    def call() -> Any:
        params = {
            "user_id": VIEWER,
            "conversation_id": conversation_id,
            "body": "raw",
            "client_id": f"raw-{next(counter)}-{uuid.uuid4().hex[:8]}",
            "message_id": uuid.uuid4().hex,
            "notify_ids": others,
        }
        with graph.driver.session(database=graph.database) as session:
            return session.execute_write(
                lambda tx: list(tx.run(Q.messaging.send_messages.text, {"sends": [params]}))
            )

    return call


def measure(scale: Scale) -> dict[str, dict[str, float]]:
    """p50/p99 of every operation, served API and raw driver."""
    config = {
        "REDIS_PREFIX": f"scale:{uuid.uuid4().hex[:8]}:",
        "BEATGRAPH_JWT_SECRET": "scale-bench-" + "0123456789abcdef" * 4,
        "BEATGRAPH_RATE_LIMIT": "100000000 per minute",
    }
    app = create_app(config)
    graph: Graph = app.extensions["beatgraph.graph"]
    token = issue_token(config["BEATGRAPH_JWT_SECRET"], VIEWER, 3600)
    served = ServedApp(config, settings={})
    results: dict[str, dict[str, float]] = {}
    try:
        for name, method, url, body, query, params in operations(graph, scale):

            def via_api(method=method, url=url, body=body) -> None:  # noqa: E306
                payload = {"client_id": uuid.uuid4().hex, "body": "api"} if body else None
                status, answer = served.request(method, url, token, payload)
                assert status in (200, 201), (url, status, answer)

            raw = raw_send(graph, body) if query is None else raw_read(graph, query, params)
            api50, api99 = percentiles(time_calls(via_api, REPEAT))
            raw50, raw99 = percentiles(time_calls(raw, REPEAT))
            results[name] = {"api_p50": api50, "api_p99": api99, "raw_p50": raw50, "raw_p99": raw99}
            print(
                f"  {scale.name}: {name}: API {api50:.1f}/{api99:.1f} ms, "
                f"raw {raw50:.1f}/{raw99:.1f} ms",
                file=sys.stderr,
                flush=True,
            )
        results["_sizes"] = dict(graph.single(SIZE, user_id=VIEWER))
    finally:
        served.stop()
        graph.close()
    return results


def table(results: dict[str, Any]) -> str:
    """The human table: each operation at both sizes and the BIG/SMALL ratio."""
    small, big = results["small"]["ops"], results.get("big", {}).get("ops", {})
    lines = [
        "| operation | path | 10k p50 | 10k p99 | 1M p50 | 1M p99 | ratio p50 | ratio p99 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in (n for n in small if not n.startswith("_")):
        for path in ("api", "raw"):
            s50, s99 = small[name][f"{path}_p50"], small[name][f"{path}_p99"]
            if name in big:
                b50, b99 = big[name][f"{path}_p50"], big[name][f"{path}_p99"]
                tail = f"{b50:.2f} | {b99:.2f} | {b50 / s50:.2f} | {b99 / s99:.2f}"
            else:
                tail = "– | – | – | –"
            lines.append(f"| {name} | {path} | {s50:.2f} | {s99:.2f} | {tail} |")
    return "\n".join(lines)


def verdicts(results: dict[str, Any]) -> list[str]:
    """What stayed above its target."""
    out = []
    for size, result in results.items():
        if result["import"]["total"] > IMPORT_TARGET_S:
            out.append(
                f"{size} import took {result['import']['total']:.0f} s > {IMPORT_TARGET_S} s"
            )
    if "big" in results:
        small, big = results["small"]["ops"], results["big"]["ops"]
        for name in (n for n in big if not n.startswith("_")):
            for key in ("api_p50", "raw_p50", "api_p99", "raw_p99"):
                ratio = big[name][key] / small[name][key]
                if ratio > RATIO_TARGET:
                    out.append(f"{name} {key}: ratio {ratio:.2f} > {RATIO_TARGET}")
        p99 = big["followers page 1"]["raw_p99"]
        if p99 > FOLLOWERS_RAW_P99_TARGET_MS:
            out.append(f"followers page 1 raw p99 {p99:.1f} ms > {FOLLOWERS_RAW_P99_TARGET_MS}")
    return out


def plot(results: dict[str, Any], path: Path) -> None:
    """Raw p50 of each operation against the graph's size (log x): flat lines are the goal."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = {"small": SMALL.users, "big": BIG.users}
    done = [size for size in ("small", "big") if size in results]
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 5), sharex=True)
    for name in (n for n in results["small"]["ops"] if not n.startswith("_")):
        xs = [sizes[size] for size in done]
        left.plot(xs, [results[s]["ops"][name]["raw_p50"] for s in done], marker="o", label=name)
        right.plot(xs, [results[s]["ops"][name]["api_p50"] for s in done], marker="o", label=name)
    for axis, title in ((left, "raw driver p50 (ms)"), (right, "served API p50 (ms)")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("users in the graph")
        axis.set_title(title)
        axis.grid(True, which="both", alpha=0.3)
    right.legend(fontsize=7, loc="upper left")
    figure.suptitle("beatgraph: cost of each hot path against graph size (make bench-scale)")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)


def main() -> None:
    chosen = [s for s in (SMALL, BIG) if s.name in os.environ.get("SCALE_SIZES", "small,big")]
    results: dict[str, Any] = {}
    for scale in chosen:
        started = time.perf_counter()
        folder = generate(scale)
        print(
            f"{scale.name}: export ready in {time.perf_counter() - started:.0f} s ({folder})",
            file=sys.stderr,
            flush=True,
        )
        imported = import_store(scale, folder)
        print(
            f"{scale.name}: " + ", ".join(f"{k} {v:.1f}" for k, v in imported.items()),
            file=sys.stderr,
            flush=True,
        )
        results[scale.name] = {"import": imported, "ops": measure(scale)}
    out = ROOT / "var" / "scale" / "results.json"
    out.write_text(json.dumps(results, indent=1))
    print(json.dumps(results))
    print()
    for size, result in results.items():
        imp = result["import"]
        print(
            f"{size}: import {imp['total']:.0f} s "
            f"(check and stage {imp['check and stage']:.0f} s, "
            f"neo4j-admin {imp['neo4j-admin import']:.0f} s, start {imp['start Neo4j']:.0f} s, "
            f"schema and indexes {imp['schema and indexes']:.0f} s), "
            f"store {imp['store_gib']:.2f} GiB; u0: {result['ops']['_sizes']}"
        )
    print(f"\n{REPEAT} calls each (after 5 warm-up calls), milliseconds\n")
    print(table(results))
    print("\nabove target:" if verdicts(results) else "\nevery target met")
    for line in verdicts(results):
        print(f"- {line}")
    plot(results, ROOT / "docs" / "img" / "scale.png")
    print(f"\nplot: docs/img/scale.png, figures: {out}")


if __name__ == "__main__":
    sys.exit(main())
