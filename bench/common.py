"""Shared benchmark plumbing: a served app over the bench stack, timers, bulk loading."""

import statistics
import time
from collections.abc import Callable
from typing import Any

import neo4j

from cypher import Query
from graph.db import Graph


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
