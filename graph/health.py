"""Readiness of the graph: it answers, and its schema is in place."""

from cypher import Q
from graph.db import Graph
from graph.errors import Unavailable
from graph.schema import schema_is_applied


def check_graph(graph: Graph) -> str | None:
    """None when the graph is ready, else the reason it is not."""
    try:
        graph.run(Q.ops.ping)
    except Unavailable as exc:
        return exc.detail
    if not schema_is_applied(graph):
        return "the schema has not been applied (run the migrate command)"
    return None
