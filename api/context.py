"""The process-wide clients a handler needs, made by the app factory."""

from flask import current_app
from redis import Redis

from graph.db import Graph


def get_graph() -> Graph:
    """The process's query runner."""
    return current_app.extensions["beatgraph.graph"]


def get_redis() -> Redis:
    """The process's Redis client."""
    return current_app.extensions["beatgraph.redis"]
