"""What the notification worker does to the graph for the email/push outbox (the upload
fan-out is `notifications.fanout`).

Every step is one transaction that either claims entries under a lease or settles them,
so a worker that dies mid-step leaves nothing half done: the lease runs out and the next
worker sends the entries again.
"""

from typing import Any

from cypher import Q
from graph.db import Graph
from graph.values import iso


def claim_outbox_entries(
    graph: Graph, claim: str, limit: int, lease_seconds: int
) -> list[dict[str, Any]]:
    """Take up to `limit` due email/push entries for this worker (each claim is an attempt)."""
    records = graph.run(
        Q.worker.claim_outbox_entries, claim=claim, limit=limit, lease_seconds=lease_seconds
    )
    return [dict(record["entry"]) for record in records]


def finish_outbox_entries(
    graph: Graph, claim: str, sent: list[str], failed: list[dict[str, Any]]
) -> dict[str, int]:
    """Delete the sent entries; reschedule or dead-letter the failed ones."""
    record = graph.single(Q.worker.finish_outbox_entries, claim=claim, sent=sent, failed=failed)
    assert record is not None
    return {"sent": record["sent"], "retried": record["retried"], "dead": record["dead"]}


def list_dead_letters(graph: Graph, limit: int = 50) -> list[dict[str, Any]]:
    """The newest outbox entries that used up their attempts, for staff."""
    entries = [
        dict(record["entry"]) for record in graph.run(Q.worker.list_dead_letters, limit=limit)
    ]
    for entry in entries:
        entry["created_at"] = iso(entry["created_at"])
        entry["next_attempt_at"] = iso(entry["next_attempt_at"])
    return entries
