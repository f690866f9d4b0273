"""Readiness of the graph: it answers, its schema is in place, and its plans are warm."""

from cypher import Q
from graph.db import Graph
from graph.errors import Unavailable
from graph.schema import schema_is_applied
from graph.warmup import PlanWarmer


def check_graph(graph: Graph, warmer: PlanWarmer) -> str | None:
    """None when the graph is ready, else the reason it is not."""
    try:
        graph.run(Q.ops.ping)
        if not schema_is_applied(graph):
            return "the schema has not been applied (run the migrate command)"
        return warmer.check()
    except Unavailable as exc:
        return exc.detail
