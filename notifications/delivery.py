"""What the notification worker does to the graph: upload fan-out batches and the outbox.

Every step is one transaction that either claims work under a lease or settles it, so a
worker that dies mid-step leaves nothing half done: the lease runs out and the next
worker takes the step again from the last committed cursor.
"""

from dataclasses import dataclass, field
from typing import Any

from cypher import Q
from graph.db import Graph
from graph.events import PresenceCheck, UnitOfWork
from graph.notifications import created_event, shape
from graph.values import iso


@dataclass
class FanoutBatch:
    """One batch of an upload's fan-out: who got a notification, and whether it is done."""

    done: bool
    notified: list[dict[str, Any]] = field(default_factory=list)


def claim_fanout_job(graph: Graph, claim: str, lease_seconds: int) -> dict[str, Any] | None:
    """Take the oldest due upload fan-out for this worker, or None."""
    record = graph.single(Q.worker.claim_fanout_job, claim=claim, lease_seconds=lease_seconds)
    return dict(record["job"]) if record else None


def fan_out_upload_batch(
    graph: Graph,
    work: UnitOfWork,
    job: dict[str, Any],
    claim: str,
    batch_size: int,
    lease_seconds: int,
    online_ids: list[str] | None = None,
    early_done: bool = True,
    *,
    online: PresenceCheck,
) -> FanoutBatch | None:
    """Notify the job's next batch of likers and move its cursor (None: claim lost).

    A job's first batches are given chunks of `online_ids` (who has a socket now), the
    last one with `early_done`: those of them who like the producer are told first, so
    online likers hear within a second even when the producer has a million likers;
    later batches walk the rest.

    `notification.created` goes only to the likers with a live socket: the others see the
    notification in the bell, and publishing a million frames nobody reads costs Redis
    more than the graph write.
    """
    record = graph.single(
        Q.worker.fan_out_upload_batch,
        job_id=job["id"],
        claim=claim,
        producer_id=job["producer_id"],
        beat_id=job["beat_id"],
        upload_at=job["upload_at"],
        after_since=job["after_since"],
        after_user_id=job["after_user_id"],
        batch_size=batch_size,
        lease_seconds=lease_seconds,
        online_ids=online_ids,
        early_done=early_done,
        early=job["early"] or [],
    )
    if record is None:
        return None
    job["after_since"], job["after_user_id"] = record["after_since"], record["after_user_id"]
    job["early"], job["early_done"] = record["early"], record["early_done"]
    created = record["created"]
    live = online([row["user_id"] for row in created]) if created else set()
    events = []
    for row in created:
        if row["user_id"] in live:
            notification = shape(
                {
                    "id": row["id"],
                    "type": "new_upload",
                    "read": False,
                    "created_at": row["created_at"],
                    "producer": record["producer"],
                    "beat": record["beat"],
                }
            )
            events.append(created_event(row["user_id"], notification, row["unread_count"]))
    work.record(events)
    return FanoutBatch(done=record["done"], notified=created)


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
