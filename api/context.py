"""The process-wide clients a handler needs, made by the app factory."""

from flask import current_app
from redis import Redis

from graph.db import Graph
from graph.warmup import PlanWarmer


def get_graph() -> Graph:
    """The process's query runner."""
    graph: Graph = current_app.extensions["beatgraph.graph"]
    return graph


def get_redis() -> Redis:
    """The process's Redis client."""
    redis: Redis = current_app.extensions["beatgraph.redis"]
    return redis


def get_warmer() -> PlanWarmer:
    """The process's query-plan warmer (readiness waits for it)."""
    warmer: PlanWarmer = current_app.extensions["beatgraph.warmer"]
    return warmer
