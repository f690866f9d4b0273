"""Blocks and reports."""

from typing import Any

from cypher import Q
from graph.db import Graph
from graph.errors import InvalidInput, NotFound
from graph.values import iso, new_id


def block_user(graph: Graph, blocker_id: str, blocked_id: str) -> dict[str, Any]:
    """Block someone: follows, likes of each other's claimed pages and the notifications
    between you are removed, both ways; after it, none of them again, no DMs, no typing in
    your DM and no new group together (docs/safety.md)."""
    if blocker_id == blocked_id:
        raise InvalidInput("you cannot block yourself", field="id")
    # Two identical blocks at once: the one that loses the key's constraint finds the edge.
    record = graph.single_merging(Q.safety.block_user, blocker_id=blocker_id, blocked_id=blocked_id)
    if record is None:
        raise NotFound("no such user", field="id")
    return {"blocking": True}


def unblock_user(graph: Graph, blocker_id: str, blocked_id: str) -> dict[str, Any]:
    """Lift a block; nothing the block removed is restored."""
    if blocker_id == blocked_id:
        raise InvalidInput("you cannot unblock yourself", field="id")
    if graph.single(Q.safety.unblock_user, blocker_id=blocker_id, blocked_id=blocked_id) is None:
        raise NotFound("no such user", field="id")
    return {"blocking": False}


def is_blocked(graph: Graph, user_id: str, other_id: str) -> bool:
    """Whether either of the two users blocks the other."""
    record = graph.single(Q.safety.find_block, user_id=user_id, other_id=other_id)
    assert record is not None
    return bool(record["blocked"])


def report_user(
    graph: Graph, reporter_id: str, reported_id: str, reason: str, details: str | None
) -> dict[str, Any]:
    """File a report for staff; you cannot report yourself."""
    if reporter_id == reported_id:
        raise InvalidInput("you cannot report yourself", field="id")
    record = graph.single(
        Q.safety.report_user,
        reporter_id=reporter_id,
        reported_id=reported_id,
        report_id=new_id(),
        reason=reason,
        details=details,
    )
    if record is None:
        raise NotFound("no such user", field="id")
    report = dict(record["report"])
    report["created_at"] = iso(report["created_at"])
    return report
