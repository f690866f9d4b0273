"""Messages: sending with safe retries, pages with sent/delivered/seen, read and delivery."""

import threading
import weakref
from collections.abc import Sequence
from typing import Any

from neo4j.api import BookmarkManager
from neo4j.exceptions import ConstraintError

from cypher import Q
from graph import relaying
from graph.conversations import NOT_FOUND, member_ids
from graph.db import Graph, Transaction, once_more_on_conflict
from graph.errors import Conflict, Forbidden, NotFound
from graph.events import Event, PresenceCheck, UnitOfWork
from graph.group_commit import GroupCommit
from graph.notifications import created_event, queue_outbox, shape
from graph.values import iso, new_id

NEWEST = 2**62  # before_seq of the newest page


def message_status(seq: int, others: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """A sender's view of one message: seen by all others, delivered to all, or sent."""
    seen_by = [other["id"] for other in others if other["read_seq"] >= seq]
    if others and len(seen_by) == len(others):
        return "seen", seen_by
    if others and all(other["delivered_seq"] >= seq for other in others):
        return "delivered", seen_by
    return "sent", seen_by


def _shape(message: dict[str, Any], viewer_id: str, others: list[dict[str, Any]]) -> dict[str, Any]:
    shaped = {key: message[key] for key in ("id", "seq", "sender", "body", "client_id")}
    shaped["conversation_id"] = message.get("conversation_id")
    shaped["created_at"] = iso(message["created_at"])
    if message["sender"]["id"] == viewer_id:
        shaped["status"], shaped["seen_by"] = message_status(message["seq"], others)
    else:
        shaped["status"], shaped["seen_by"] = None, None
    return shaped


def send_message(
    graph: Graph,
    work: UnitOfWork,
    user_id: str,
    conversation_id: str,
    client_id: str,
    body: str,
    *,
    online: PresenceCheck,
) -> tuple[dict[str, Any], bool]:
    """Store a message, or return the one this client_id already stored: (message, created).
    Durable in Neo4j before it returns; a retry records no event. Participants `online`
    does not name get a direct-message notification in the same transaction. The live
    events are held on the message in that transaction too, so they reach every
    participant even if this process dies before publishing them (graph.relaying). Sends
    that arrive while this process's send transaction runs are committed together in the
    next one (graph.group_commit), each still answered after that commit."""
    members = member_ids(graph, user_id, conversation_id)
    others = [member for member in members if member != user_id]
    online_ids = online(others) if others else set()
    message_id = new_id()
    params = {
        "user_id": user_id,
        "conversation_id": conversation_id,
        "client_id": client_id,
        "body": body,
        "message_id": message_id,
        "notify_ids": [member for member in others if member not in online_ids],
    }

    record, events = _sends(graph).submit(ALL_SENDS, (params, graph.bookmark_manager()))
    if record is None:
        raise NotFound(NOT_FOUND)
    if record["message"] is None:
        raise Forbidden("you cannot message this user")
    if not (record["same_conversation"] and record["same_body"]):
        raise Conflict("this client_id was already used for another message", field="client_id")
    if events:
        work.record_held(message_id, events)
    others_markers = [p for p in record["participants"] if p["id"] != user_id]
    message = _shape(
        {**record["message"], "conversation_id": conversation_id}, user_id, others_markers
    )
    return message, record["created"]


# The group commit's one key: sends into different conversations share batches too. Two
# direct messages rarely queue behind each other's transaction, so batches by conversation
# stay one send each; one queue per process lets forty senders in twenty DMs share one
# statement and one commit (the statement locks each send's conversation and members, in
# the batch's order, as separate transactions would).
ALL_SENDS = "sends"

_Send = tuple[dict[str, Any], BookmarkManager | None]  # parameters, the sender's causal chain
_Stored = tuple[Any, list[Event]]  # the statement's record, the events it made


def _store_sends(graph: Graph, batch: Sequence[_Send]) -> list[_Stored]:
    """Store a batch of sends, into any conversations, in one transaction and in order
    (the group commit's step): one send_messages statement for the whole batch, one
    queue_outbox_entries for its email and push, then one statement that holds its events
    and forgets those of messages already relayed. A retry racing its first attempt (a
    uniqueness constraint fails) makes each send run alone, where running it once more
    finds that message."""
    relayed = relaying.relayed_messages(graph).take()

    def store(tx: Transaction) -> list[_Stored]:
        records = tx.run(Q.messaging.send_messages, sends=[params for params, _ in batch])
        stored = [
            _stored(record, params) for (params, _), record in zip(batch, records, strict=True)
        ]
        queue_outbox(
            tx,
            "direct_message",
            [
                entry
                for record, _ in stored
                if record and record["created"]
                for entry in record["outbox"]
            ],
        )
        relaying.hold_and_release(
            tx,
            {
                params["message_id"]: events
                for (params, _), (_, events) in zip(batch, stored, strict=True)
                if events
            },
            relayed,
        )
        return stored

    chains = [chain for _, chain in batch]
    if len(batch) == 1:
        return once_more_on_conflict(lambda: graph.write_joined(store, chains))
    try:
        return graph.write_joined(store, chains)
    except ConstraintError:  # the worker forgets `relayed`
        return [_store_sends(graph, [send])[0] for send in batch]


def _stored(record: Any, params: dict[str, Any]) -> _Stored:
    """One send's row of the batch statement (None if its sender is not a member) and
    the events of a new message."""
    if not record["found"]:
        return None, []
    if not record["created"]:
        return record, []
    return record, _created_events(record, params["user_id"], params["conversation_id"])


_sends_of: "weakref.WeakKeyDictionary[Graph, GroupCommit[_Send, _Stored]]" = (
    weakref.WeakKeyDictionary()
)
_sends_lock = threading.Lock()


def _sends(graph: Graph) -> GroupCommit[_Send, _Stored]:
    """This process's group commit of sends (one per Graph, one queue for every
    conversation: see ALL_SENDS)."""
    with _sends_lock:
        sends = _sends_of.get(graph)
        if sends is None:
            sends = _sends_of[graph] = GroupCommit(lambda batch: _store_sends(graph, batch))
        return sends


def _created_events(record: Any, user_id: str, conversation_id: str) -> list[Event]:
    """What a new message tells: message.created to every participant, each one's badge,
    and the notifications it made."""
    participants = record["participants"]
    public = {
        **_shape({**record["message"], "conversation_id": conversation_id}, user_id, []),
        "status": None,
        "seen_by": None,
    }
    return (
        [Event("message.created", tuple(p["id"] for p in participants), public)]
        + [Event("unread.badge", (p["id"],), p["unread"]) for p in participants]
        + [
            created_event(row["user_id"], shape(row["notification"]), row["unread_count"])
            for row in record["notified"]
        ]
    )


def list_messages(
    graph: Graph, user_id: str, conversation_id: str, limit: int, before_seq: int | None = None
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of messages, newest first, strictly before `before_seq`; (items, next before_seq)."""
    record = graph.single(
        Q.messaging.list_messages,
        user_id=user_id,
        conversation_id=conversation_id,
        limit=limit,
        before_seq=before_seq or NEWEST,
    )
    if record is None:
        raise NotFound(NOT_FOUND)
    items = [
        _shape({**m, "conversation_id": conversation_id}, user_id, record["others"])
        for m in record["messages"]
    ]
    next_before = items[-1]["seq"] if len(items) == limit and items[-1]["seq"] > 1 else None
    return items, next_before


def _move_markers(
    graph: Graph,
    work: UnitOfWork,
    user_id: str,
    conversation_id: str,
    up_to_seq: int | None,
    read: bool,
) -> dict[str, Any]:
    record = graph.single(
        Q.messaging.move_markers,
        user_id=user_id,
        conversation_id=conversation_id,
        up_to_seq=up_to_seq,
        read=read,
    )
    if record is None:
        raise NotFound(NOT_FOUND)
    before, after = record["before"], record["after"]
    state = {
        "conversation_id": conversation_id,
        **after,
        "unread_count": record["last_seq"] - after["read_seq"],
    }
    events = []
    if (before["read_seq"], before["delivered_seq"]) != (after["read_seq"], after["delivered_seq"]):
        others = tuple(other["id"] for other in record["others"])
        events.append(
            Event(
                "message.status",
                others,
                {"conversation_id": conversation_id, "user_id": user_id, **after},
            )
        )
    if before != after:
        events.append(Event("conversation.updated", (user_id,), state))
        if read:
            events.append(Event("unread.badge", (user_id,), dict(record["unread"])))
    work.record(events)
    return state


def mark_read(
    graph: Graph,
    work: UnitOfWork,
    user_id: str,
    conversation_id: str,
    up_to_seq: int | None = None,
) -> dict[str, Any]:
    """Move the read marker forward (to the latest by default); clears "marked unread"."""
    return _move_markers(graph, work, user_id, conversation_id, up_to_seq, read=True)


def mark_delivered(
    graph: Graph, work: UnitOfWork, user_id: str, conversation_id: str, up_to_seq: int
) -> dict[str, Any]:
    """Record that the caller's client has the messages up to `up_to_seq` (forward only)."""
    return _move_markers(graph, work, user_id, conversation_id, up_to_seq, read=False)
