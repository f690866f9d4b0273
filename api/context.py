"""The process-wide clients a handler needs, made by the app factory."""

from flask import current_app
from redis import Redis

from graph.db import Graph


def get_graph() -> Graph:
    """The process's query runner."""
    graph: Graph = current_app.extensions["beatgraph.graph"]
    return graph


def get_redis() -> Redis:
    """The process's Redis client."""
    redis: Redis = current_app.extensions["beatgraph.redis"]
    return redis
