"""Shared benchmark plumbing: a served app over the bench stack, timers, bulk loading."""

import io
import random
import resource
import statistics
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import neo4j
from werkzeug.test import EnvironBuilder

from cypher import Query
from graph.db import Graph
from graph.schema import apply_schema
from server.application import BeatgraphApp
from server.factory import create_app


def bench_app(prefix: str, **settings: str) -> tuple[BeatgraphApp, Graph, dict[str, str]]:
    """The app a bench builds its graph and mints tokens with: its own Redis prefix (so its
    keys can be told apart and forgotten), a rate limit no bench reaches, the schema applied.
    The settings it answers also carry the app's JWT secret, for a served copy
    (`tests.served.ServedApp`) that must accept the tokens this app mints."""
    config = {
        "REDIS_PREFIX": f"{prefix}{uuid.uuid4().hex[:6]}:",
        "BEATGRAPH_RATE_LIMIT": "1000000 per minute",
        **settings,
    }
    app = create_app(config)
    graph: Graph = app.extensions["beatgraph.graph"]
    apply_schema(graph)
    config.setdefault("BEATGRAPH_JWT_SECRET", app.config["BEATGRAPH_JWT_SECRET"])
    return app, graph, config


def raise_open_file_limit() -> None:
    """A bench with many sockets open at once: the soft limit on open files up to the hard."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds."""
    ordered = sorted(samples)
    p99_index = min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))
    return statistics.median(ordered) * 1000, ordered[p99_index] * 1000


def time_calls(call: Callable[[], Any], repeat: int, warmup: int = 5) -> list[float]:
    """Wall time of each call, after a few warm-up calls."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def time_in_turns(
    calls: Mapping[str, Callable[[], Any]], repeat: int, warmup: int = 5, shuffled: bool = False
) -> dict[str, list[float]]:
    """Wall times of each named call, the calls taken in turns: on a box whose speed drifts
    (this one's does by 20-40 % from minute to minute), a block of one then a block of the
    other would compare two different machines. `shuffled` draws a new order each round:
    near-equal variants in a fixed order differ by a position effect of up to ~30 µs here
    (docs/benchmarks.md, "Four small cuts to the request path")."""
    for _ in range(warmup):
        for call in calls.values():
            call()
    samples: dict[str, list[float]] = {name: [] for name in calls}
    order = list(calls.items())
    turns = random.Random(0)
    for _ in range(repeat):
        if shuffled:
            turns.shuffle(order)
        for name, call in order:
            started = time.perf_counter()
            call()
            samples[name].append(time.perf_counter() - started)
    return samples


def time_interleaved(
    api_call: Callable[[], Any], raw_call: Callable[[], Any], repeat: int, warmup: int = 5
) -> tuple[list[float], list[float]]:
    """Wall times of `api_call` and `raw_call`, taken in turns (`time_in_turns`)."""
    samples = time_in_turns({"api": api_call, "raw": raw_call}, repeat, warmup)
    return samples["api"], samples["raw"]


def wsgi_get(app: Any, url: str, headers: Mapping[str, str]) -> Callable[[], int]:
    """A GET handed straight to the WSGI app, the way gunicorn hands it one, answering the
    status after reading the whole body. The environ is built once, outside the timing:
    parsing HTTP into it is the server's work (or, in Flask's test client, 0.1-0.2 ms of
    building and wrapping that no production request pays), not the API's."""
    base = EnvironBuilder(path=url, headers=dict(headers)).get_environ()

    def call() -> int:
        environ = dict(base, **{"wsgi.input": io.BytesIO()})
        status: list[str] = []
        body = app(environ, lambda line, _headers, _exc_info=None: status.append(line))
        try:
            b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()
        return int(status[0][:3])

    return call


def raw_read(graph: Graph, query: Query, params: dict[str, Any]) -> Callable[[], Any]:
    """The same statement through the bare driver, with the driver call the app makes
    (`graph.db.Graph.run`): one managed read transaction, BEGIN sent with the statement."""

    def call() -> list[neo4j.Record]:
        records, _, _ = graph.driver.execute_query(
            query.text,
            params,
            routing_=neo4j.RoutingControl.READ,
            database_=graph.database,
            bookmark_manager_=None,
        )
        return records

    return call


def report_reads(
    app: Any,
    graph: Graph,
    headers: Mapping[str, str],
    cases: list[tuple[str, str, str, Query, dict[str, Any]]],
    repeat: int,
) -> None:
    """Print one `report` line per read case (name, URL, viewer, statement, parameters):
    the URL through the WSGI app and the statement through the bare driver, in turns."""
    for name, url, _, query, params in cases:
        get = wsgi_get(app, url, headers)
        assert get() == 200, url

        def via_api(get: Callable[[], int] = get) -> None:
            assert get() == 200

        app_samples, raw_samples = time_interleaved(via_api, raw_read(graph, query, params), repeat)
        print(report(name, app_samples, raw_samples), flush=True)


def load_in_batches(
    graph: Graph, statement: str, rows: list[dict[str, Any]], batch: int = 10_000
) -> None:
    """Write `rows` with `UNWIND $rows AS row ...`, one transaction per batch."""
    with graph.driver.session(database=graph.database) as session:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            session.execute_write(lambda tx, chunk=chunk: tx.run(statement, rows=chunk).consume())


def report(name: str, app_samples: list[float], raw_samples: list[float]) -> str:
    """One line: p50/p99 through the API and through the raw driver, and their ratio."""
    app50, app99 = percentiles(app_samples)
    raw50, raw99 = percentiles(raw_samples)
    return (
        f"| {name} | {app50:.2f} | {app99:.2f} | {raw50:.2f} | {raw99:.2f} | {app50 / raw50:.2f} |"
    )


TABLE_HEADER = (
    "| operation | API p50 ms | API p99 ms | raw driver p50 ms | raw p99 ms | "
    "API/raw (p50) |\n|---|---|---|---|---|---|"
)
