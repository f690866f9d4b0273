"""The process-wide clients a handler needs, made by the app factory, and the request's
unit of work."""

from flask import Response, current_app, g
from redis import Redis

from graph.db import Graph
from graph.events import PresenceCheck, Publisher, UnitOfWork, asking_safely
from graph.relaying import publish_committed
from graph.warmup import PlanWarmer

# Where the factory puts the event publisher and the presence check (the realtime relay
# and presence registry; api/ only knows them by these names and graph.events' types).
PUBLISHER = "beatgraph.publisher"
PRESENCE_CHECK = "beatgraph.presence_check"
# Called with the two users after a block or unblock between them commits (the realtime
# layer forgets what it remembered about the pair, in every process).
BLOCK_CHANGED = "beatgraph.block_changed"


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


def get_work() -> UnitOfWork:
    """This request's unit of work: domain functions record their events on it, and
    `publish_after_request` hands them on once the handler has returned."""
    if "work" not in g:
        g.work = UnitOfWork()
    work: UnitOfWork = g.work
    return work


def get_presence() -> PresenceCheck:
    """Who of some users has a live socket (nobody, when that cannot be told)."""
    return asking_safely(current_app.extensions.get(PRESENCE_CHECK))


def tell_block_changed(user_id: str, other_id: str) -> None:
    """A block or unblock between the two has committed."""
    changed = current_app.extensions.get(BLOCK_CHANGED)
    if changed is not None:
        changed(user_id, other_id)


def publish_after_request(response: Response) -> Response:
    """The request's after-commit step: its domain functions have returned, so every
    transaction they ran is committed; publish what they recorded."""
    work: UnitOfWork | None = g.pop("work", None)
    if work:
        publisher: Publisher | None = current_app.extensions.get(PUBLISHER)
        publish_committed(get_graph(), work, publisher)
    return response
