"""What an upload's fan-out does to the graph: ranges of likers cut off the job and told.

A job's likers are handed out as leased ranges (`FanoutRange`): cutting one takes the
job's lock for a short seek, telling one is a transaction of its own, so any number of
workers share one upload and a worker that dies mid-range leaves it to the next once
the lease runs out. The worker that cuts a job's first range first tells the likers
who are online now (`tell_online_likers`). Every `new_upload` notification carries a
unique `upload_key`, so whoever reaches a liker second passes them over: each liker is
told once, and nothing on the job grows with the likers.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cypher import Q
from graph.db import Graph, Transaction, once_more_on_conflict
from graph.events import Event, PresenceCheck, UnitOfWork
from graph.notifications import PREFERENCE_OF_TYPE, created_event, queue_outbox, shape

PREFERENCE = PREFERENCE_OF_TYPE["new_upload"]


@dataclass
class FanoutRange:
    """A range of one job's likers leased to this worker."""

    id: str
    job_id: str
    likers: int
    online_first: bool = False  # this worker is to tell the online likers first
    producer_id: str = ""
    upload_at: str = ""
    beat_id: str = ""


@dataclass
class Told:
    """Who one transaction told, and the bell notifications it made for them."""

    user_ids: list[str] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)


# How long the other workers leave a job to the worker telling its online likers (the
# step ends it sooner; this is for a worker that dies in it).
ONLINE_SECONDS = 10


def claim_fanout_range(
    graph: Graph, claim: str, batch_size: int, lease_seconds: int
) -> FanoutRange | None:
    """A range whose worker let its lease run out, else a new one cut off the oldest due
    job; None when no upload has likers left to hand out."""
    record = graph.single(Q.fanout.reclaim_fanout_range, claim=claim, lease_seconds=lease_seconds)
    if record is not None:
        return FanoutRange(**record["range"])
    return graph.write(lambda tx: _cut(tx, claim, batch_size, lease_seconds))


def end_online_step(graph: Graph, claimed: FanoutRange) -> None:
    """The online likers are told: the job's other ranges are everyone's again."""
    graph.single(Q.fanout.end_online_step, job_id=claimed.job_id)


def _cut(tx: Transaction, claim: str, batch_size: int, lease_seconds: int) -> FanoutRange | None:
    while True:  # ends: each empty job is cut to its end ("cut" or "done") and not due again
        locked = tx.single(Q.fanout.lock_due_fanout_job)
        if locked is None:
            return None
        job = locked["job"]
        record = tx.single(
            Q.fanout.cut_fanout_range,
            job_id=job["id"],
            claim=claim,
            producer_id=job["producer_id"],
            upload_at=job["upload_at"],
            after_since=job["after_since"],
            after_user_id=job["after_user_id"],
            batch_size=batch_size,
            lease_seconds=lease_seconds,
            online_seconds=ONLINE_SECONDS,
        )
        assert record is not None  # the job is locked: it is there
        if record["range"] is not None:
            return FanoutRange(
                **record["range"],
                online_first=record["online_first"],
                producer_id=job["producer_id"],
                beat_id=job["beat_id"],
                upload_at=job["upload_at"],
            )


def tell_range(
    graph: Graph, work: UnitOfWork, claimed: FanoutRange, claim: str, *, online: PresenceCheck
) -> Told | None:
    """Tell the range's likers and settle it, in one transaction (None: the claim was
    lost to a worker that took over after the lease ran out)."""

    def attempt() -> Told | None:
        return graph.write(lambda tx: _tell_range(tx, claimed, claim))

    told = once_more_on_conflict(attempt)
    if told is not None:
        work.record(_events(told, online))
    return told


def _tell_range(tx: Transaction, claimed: FanoutRange, claim: str) -> Told | None:
    locked = tx.single(Q.fanout.lock_fanout_range, range_id=claimed.id, claim=claim)
    if locked is None:
        return None
    bounds = locked["range"]
    likers = tx.single(Q.fanout.list_range_likers, **bounds)  # (beat_id goes unused)
    assert likers is not None  # collect() always returns a row
    told = _tell(tx, bounds["producer_id"], bounds["beat_id"], likers["user_ids"])
    tx.single(Q.fanout.count_fanout_told, job_id=claimed.job_id, told=len(told.user_ids))
    tx.single(Q.fanout.finish_fanout_range, range_id=claimed.id, job_id=claimed.job_id)
    return told


def tell_online_likers(
    graph: Graph,
    work: UnitOfWork,
    claimed: FanoutRange,
    online_ids: Sequence[str],
    *,
    online: PresenceCheck,
) -> Told:
    """Tell those of `online_ids` who like the producer (and see New Uploads in the bell)
    now, before any range: they hear within a second however many likers there are."""

    def attempt() -> Told:
        return graph.write(lambda tx: _tell_online(tx, claimed, online_ids))

    told = once_more_on_conflict(attempt)
    work.record(_events(told, online))
    return told


def _tell_online(tx: Transaction, claimed: FanoutRange, online_ids: Sequence[str]) -> Told:
    likers = tx.single(
        Q.fanout.find_online_likers,
        online_ids=list(online_ids),
        producer_id=claimed.producer_id,
        upload_at=claimed.upload_at,
        preference=PREFERENCE,
    )
    assert likers is not None  # collect() always returns a row
    told = _tell(tx, claimed.producer_id, claimed.beat_id, likers["user_ids"])
    if told.user_ids:
        tx.single(Q.fanout.count_fanout_told, job_id=claimed.job_id, told=len(told.user_ids))
    return told


def _tell(tx: Transaction, producer_id: str, beat_id: str, user_ids: list[str]) -> Told:
    """The bell notifications and the outbox entries of `user_ids`, in this transaction."""
    if not user_ids:
        return Told()
    record = tx.single(
        Q.fanout.notify_upload_likers,
        producer_id=producer_id,
        beat_id=beat_id,
        user_ids=user_ids,
        preference=PREFERENCE,
    )
    if record is None:  # the beat is gone: nobody to tell about it
        return Told()
    queue_outbox(tx, "new_upload", record["outbox"])
    return Told(
        user_ids=[entry["recipient_id"] for entry in record["outbox"]],
        created=[
            {
                **row,
                "created_at": record["created_at"],
                "beat": record["beat"],
                "producer": record["producer"],
            }
            for row in record["created"]
        ],
    )


def _events(told: Told, online: PresenceCheck) -> list[Event]:
    """`notification.created` for the told who have a live socket: the others see it in
    the bell, and publishing a million frames nobody reads costs Redis more than the
    graph write."""
    live = online([row["user_id"] for row in told.created]) if told.created else set()
    return [
        created_event(
            row["user_id"],
            shape(
                {
                    "id": row["id"],
                    "type": "new_upload",
                    "read": False,
                    "created_at": row["created_at"],
                    "producer": row["producer"],
                    "beat": row["beat"],
                }
            ),
            row["unread_count"],
        )
        for row in told.created
        if row["user_id"] in live
    ]
