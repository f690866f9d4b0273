"""Conversations: opening DMs, creating groups, the recent list, hiding, marking unread."""

import functools
from collections.abc import Callable, Sequence
from typing import Any

from cypher import Q
from graph.db import Graph
from graph.errors import Forbidden, InvalidInput, NotFound
from graph.events import Event, UnitOfWork
from graph.paging import FIRST_PAGE_AFTER, Page
from graph.values import iso, new_id

# Whether a block stands between two users, either way.
BlockCheck = Callable[[str, str], bool]

MAX_PARTICIPANTS = 50
NOT_FOUND = "no such conversation"


def _dated(conversation: dict[str, Any]) -> dict[str, Any]:
    shaped = dict(conversation)
    for key in ("created_at", "updated_at"):
        if key in shaped:
            shaped[key] = iso(shaped[key])
    if shaped.get("last_message"):
        shaped["last_message"] = {
            **shaped["last_message"],
            "created_at": iso(shaped["last_message"]["created_at"]),
        }
    return shaped


def open_direct_conversation(graph: Graph, user_id: str, other_id: str) -> tuple[str, bool]:
    """The DM between two users, created once: (conversation id, created now)."""
    pair_key = ":".join(sorted((user_id, other_id)))
    params = {
        "user_id": user_id,
        "other_id": other_id,
        "pair_key": pair_key,
        "conversation_id": new_id(),
    }
    # The other user opening it at the same instant: reuse theirs.
    record = graph.single_merging(Q.messaging.open_direct_conversation, **params)
    if record is None:
        raise NotFound("your account does not exist")
    if not record["other_exists"]:
        raise NotFound("no such user", field="participant_ids")
    if record["blocked"]:
        raise Forbidden("you cannot message this user")
    return record["conversation_id"], record["created"]


def create_group_conversation(
    graph: Graph, user_id: str, other_ids: Sequence[str], title: str | None
) -> str:
    """A new group of the caller and `other_ids` (all existing, none blocked)."""
    record = graph.single(
        Q.messaging.create_group_conversation,
        user_id=user_id,
        participant_ids=list(other_ids),
        conversation_id=new_id(),
        title=title,
    )
    if record is None:
        raise NotFound("your account does not exist")
    if record["found"] != len(other_ids):
        raise NotFound("some participants do not exist", field="participant_ids")
    if record["blocked_ids"]:
        raise Forbidden("a block stands between you and a participant")
    conversation_id: str = record["conversation_id"]
    return conversation_id


def start_conversation(
    graph: Graph, user_id: str, participant_ids: Sequence[str], title: str | None
) -> tuple[dict[str, Any], bool]:
    """One other user → their DM (reused); two or more → a new group. Returns (detail, created)."""
    others = list(dict.fromkeys(pid for pid in participant_ids if pid != user_id))
    if not others:
        raise InvalidInput("name at least one other participant", field="participant_ids")
    if len(others) + 1 > MAX_PARTICIPANTS:
        raise InvalidInput(
            f"a conversation has at most {MAX_PARTICIPANTS} participants", field="participant_ids"
        )
    if len(others) == 1:
        if title is not None:
            raise InvalidInput("a direct conversation has no title", field="title")
        conversation_id, created = open_direct_conversation(graph, user_id, others[0])
    else:
        conversation_id, created = create_group_conversation(graph, user_id, others, title), True
    return get_conversation(graph, user_id, conversation_id), created


def get_conversation(graph: Graph, user_id: str, conversation_id: str) -> dict[str, Any]:
    """A conversation the caller is in, with everyone's markers; 404 for anyone else."""
    record = graph.single(
        Q.messaging.get_conversation, user_id=user_id, conversation_id=conversation_id
    )
    if record is None:
        raise NotFound(NOT_FOUND)
    return _dated(record["conversation"])


def list_conversations(
    graph: Graph, user_id: str, limit: int, after: Sequence[Any] | None = None
) -> Page:
    """The caller's recent conversations, newest activity first, hidden ones left out."""
    activity, last_id = after if after else FIRST_PAGE_AFTER
    records = graph.run(
        Q.messaging.list_conversations,
        user_id=user_id,
        after_activity=activity,
        after_id=last_id,
        limit=limit + 1,
    )
    items = [_dated(record["conversation"]) for record in records[:limit]]
    if len(records) <= limit:
        return items, None
    return items, [records[limit - 1]["activity_key"], items[-1]["id"]]


def _set_flags(
    graph: Graph, work: UnitOfWork, user_id: str, conversation_id: str, **flags: bool | None
) -> dict[str, Any]:
    record = graph.single(
        Q.messaging.set_membership_flags,
        user_id=user_id,
        conversation_id=conversation_id,
        marked_unread=flags.get("marked_unread"),
        hidden=flags.get("hidden"),
    )
    if record is None:
        raise NotFound(NOT_FOUND)
    state = {
        "conversation_id": conversation_id,
        "unread_count": record["unread_count"],
        "marked_unread": record["marked_unread"],
        "hidden": record["hidden"],
    }
    badge = dict(record["unread"])
    work.record(
        [Event("conversation.updated", (user_id,), state), Event("unread.badge", (user_id,), badge)]
    )
    return state


def mark_conversation_unread(
    graph: Graph, work: UnitOfWork, user_id: str, conversation_id: str
) -> dict[str, Any]:
    """The conversation counts as unread for the caller until they read it again."""
    return _set_flags(graph, work, user_id, conversation_id, marked_unread=True)


def hide_conversation(
    graph: Graph, work: UnitOfWork, user_id: str, conversation_id: str
) -> dict[str, Any]:
    """Remove the conversation from the caller's list only; a new message brings it back."""
    return _set_flags(graph, work, user_id, conversation_id, hidden=True)


def get_unread_badge(graph: Graph, user_id: str) -> dict[str, int]:
    """The message icon's badge: the counters the writes keep on the user (one node read)."""
    record = graph.single(Q.messaging.get_unread_badge, user_id=user_id)
    assert record is not None
    return {"conversations": record["conversations"], "messages": record["messages"]}


@functools.lru_cache(maxsize=20_000)
def member_ids(graph: Graph, user_id: str, conversation_id: str) -> tuple[str, ...]:
    """The members of a conversation the caller is in, remembered per process: nobody
    joins or leaves a conversation once it exists (hiding it is not leaving), so the
    answer never goes stale. A caller who is not a member is never remembered."""
    return tuple(list_participant_ids(graph, user_id, conversation_id))


def typing_recipients(
    graph: Graph, user_id: str, conversation_id: str, blocked: BlockCheck
) -> list[str]:
    """Who hears the caller typing: the other members. Typing into a DM across a block is
    Forbidden; in a group it flows, as the group's messages do. `blocked(a, b)` answers
    whether a block stands between two users (the realtime layer remembers it per
    process and forgets it when a block changes: realtime/block_watch.py)."""
    others = [member for member in member_ids(graph, user_id, conversation_id) if member != user_id]
    # Two members make a DM: a group starts with three and nobody leaves.
    if len(others) == 1 and blocked(user_id, others[0]):
        raise Forbidden("you cannot message this user")
    return others


def list_participant_ids(graph: Graph, user_id: str, conversation_id: str) -> list[str]:
    """The members of a conversation the caller is in, read from the graph."""
    record = graph.single(
        Q.messaging.list_participant_ids, user_id=user_id, conversation_id=conversation_id
    )
    if record is None:
        raise NotFound(NOT_FOUND)
    return list(record["ids"])


def list_suggestions(graph: Graph, user_id: str, limit: int) -> list[dict[str, Any]]:
    """Blank-search suggestions: followed users (newest follow first), then chat partners."""
    records = graph.run(Q.messaging.list_suggestions, user_id=user_id, limit=limit)
    return [record["user"] for record in records]


def is_participant(graph: Graph, user_id: str, conversation_id: str) -> bool:
    """Whether the user is in the conversation (no detail leaks either way)."""
    try:
        list_participant_ids(graph, user_id, conversation_id)
    except NotFound:
        return False
    return True
