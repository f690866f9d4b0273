"""The bell: notification preferences, the paged list, marking read, and playlist invites.
Follows notify in `graph.follows`, messages in `graph.messages`, uploads through the
worker's fan-out (`notifications.delivery`); each shapes its notifications with `shape`."""

from collections.abc import Iterable, Sequence
from typing import Any

from cypher import Q
from graph.db import Graph, Transaction
from graph.errors import Forbidden, NotFound
from graph.events import Event, UnitOfWork
from graph.paging import Page, keyset_params, split_page
from graph.values import iso

# The one table of notification types × channels. Each type is switched by one preference
# (a row of the settings page, a field of the preferences API), per channel; a switch is
# stored as "<preference>.<channel>" in the user's `notifications_off` when off.
PREFERENCE_OF_TYPE = {
    "new_follower": "new_follower",
    "new_upload": "new_uploads",
    "direct_message": "direct_messages",
    "playlist_invite": "playlist_invites",
}
PREFERENCES = tuple(PREFERENCE_OF_TYPE.values())
CHANNELS = ("in_app", "email", "push")
# What the worker sends after commit (in_app is the notification itself).
OUTBOX_CHANNELS = ("email", "push")
_FIELDS = (
    "actor",
    "producer",
    "beat",
    "conversation",
    "message_count",
    "playlist_id",
    "playlist_name",
)


def shape(raw: dict[str, Any]) -> dict[str, Any]:
    """A notification as clients see it: every field present, times in ISO (its web link
    is added where responses are shaped, api.links)."""
    notification = {key: raw.get(key) for key in ("id", "type", "read", *_FIELDS)}
    notification["created_at"] = iso(raw["created_at"])
    return notification


def queue_outbox(tx: Transaction, kind: str, entries: Sequence[dict[str, Any]]) -> None:
    """Queue email and push for notifications of type `kind` just made, in their own
    transaction (queue_outbox_entries holds the channel rule; the worker sends them)."""
    if entries:
        tx.single(
            Q.notifications.queue_outbox_entries,
            type=kind,
            preference=PREFERENCE_OF_TYPE[kind],
            channels=list(OUTBOX_CHANNELS),
            entries=list(entries),
        )


def created_event(user_id: str, notification: dict[str, Any], unread_count: int) -> Event:
    """`notification.created` for one recipient, with their new unread count."""
    return Event(
        "notification.created",
        (user_id,),
        {"notification": notification, "unread_count": unread_count},
    )


# -- preferences -------------------------------------------------------------------------


def _as_preferences(off: Iterable[str]) -> dict[str, dict[str, bool]]:
    switched_off = set(off)
    return {
        preference: {channel: f"{preference}.{channel}" not in switched_off for channel in CHANNELS}
        for preference in PREFERENCES
    }


def get_preferences(graph: Graph, user_id: str) -> dict[str, dict[str, bool]]:
    """Every type's switch per channel; a switch never set is on."""
    record = graph.single(Q.notifications.get_preferences, user_id=user_id)
    if record is None:
        raise NotFound("your account does not exist")
    return _as_preferences(record["off"])


def update_preferences(
    graph: Graph, user_id: str, changes: dict[str, dict[str, bool]]
) -> dict[str, dict[str, bool]]:
    """Set the switches named in `changes` (type → channel → on); the rest keep their value."""
    touched = [
        f"{preference}.{channel}"
        for preference, channels in changes.items()
        for channel in channels
    ]
    off = [
        f"{preference}.{channel}"
        for preference, channels in changes.items()
        for channel, on in channels.items()
        if not on
    ]
    record = graph.single(
        Q.notifications.set_preferences, user_id=user_id, touched=touched, off=off
    )
    if record is None:
        raise NotFound("your account does not exist")
    return _as_preferences(record["off"])


# -- the bell ----------------------------------------------------------------------------


def list_notifications(
    graph: Graph, user_id: str, limit: int, after: Sequence[Any] | None = None
) -> tuple[int, Page]:
    """The unread count and a page of notifications, newest first, in one round trip."""
    record = graph.single(
        Q.notifications.list_notifications, user_id=user_id, **keyset_params(after, limit)
    )
    if record is None:
        raise NotFound("your account does not exist")
    page = split_page(
        record["items"], limit, lambda row: shape(row["notification"]), "notification"
    )
    return record["unread_count"], page


MARK_ALL_BATCH = 5_000


def mark_notifications_read(
    graph: Graph, user_id: str, ids: Sequence[str] | None, batch: int = MARK_ALL_BATCH
) -> dict[str, int]:
    """Mark the given notifications (or, with None, all of them, `batch` per transaction)
    read; others' ids are ignored."""
    if ids is not None:
        record = graph.single(
            Q.notifications.mark_notifications_read, user_id=user_id, ids=list(ids)
        )
        if record is None:
            raise NotFound("your account does not exist")
        return {"marked": record["marked"], "unread_count": record["unread_count"]}
    marked = 0
    while True:  # ends: each full batch removes `batch` UNREAD edges, a short one is the last
        record = graph.single(
            Q.notifications.mark_all_notifications_read, user_id=user_id, batch=batch
        )
        if record is None:
            raise NotFound("your account does not exist")
        marked += record["marked"]
        if record["marked"] < batch:
            return {"marked": marked, "unread_count": record["unread_count"]}


# -- notifications made here ---------------------------------------------------------------


def send_playlist_invite(
    graph: Graph,
    work: UnitOfWork,
    *,
    to_user_id: str,
    from_user_id: str,
    playlist_id: str,
    playlist_name: str,
) -> dict[str, Any] | None:
    """Invite a user to a playlist (the BeatPass back end); None when every channel
    the invitee could see it on is off."""
    params = {
        "to_user_id": to_user_id,
        "from_user_id": from_user_id,
        "playlist_id": playlist_id,
        "playlist_name": playlist_name,
    }

    def invite(tx: Transaction) -> Any:
        record = tx.single(Q.notifications.notify_playlist_invite, **params)
        assert record is not None
        queue_outbox(tx, "playlist_invite", record["outbox"])
        return record

    record = graph.write(invite)
    if not record["to_exists"]:
        raise NotFound("no such user", field="to_user_id")
    if not record["from_exists"]:
        raise NotFound("no such user", field="from_user_id")
    if record["blocked"]:
        raise Forbidden("these users block each other", field="to_user_id")
    if record["notification"] is None:
        return None
    notification = shape(record["notification"])
    work.record([created_event(to_user_id, notification, record["unread_count"])])
    return notification
