"""Web paths in what clients receive: the deep link of a notification about a conversation
(DESIGN §3), added where responses are shaped — REST replies, the live
`notification.created` events (through `LinkingPublisher`) and the worker's emails.
The domain says which conversation; how the web client opens it is said here."""

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from graph.events import Event, Publisher


def conversation_link(conversation_id: str) -> str:
    """The deep link that opens the messaging panel on a conversation (DESIGN §3)."""
    return "/messages?conversation=" + quote(conversation_id, safe="")


def with_link(notification: dict[str, Any]) -> dict[str, Any]:
    """A notification with its `url`: the conversation's deep link, or None."""
    conversation = notification.get("conversation")
    return {**notification, "url": conversation_link(conversation["id"]) if conversation else None}


def _linked(event: Event) -> Event:
    if event.type != "notification.created":
        return event
    return Event(
        event.type,
        event.user_ids,
        {**event.data, "notification": with_link(event.data["notification"])},
    )


class LinkingPublisher:
    """The process's publisher (the realtime relay) with a link on every notification, so
    a live notification reads as the bell's (the app factory installs it)."""

    def __init__(self, publisher: Publisher) -> None:
        self.publisher = publisher

    def publish(self, events: Sequence[Event]) -> None:
        self.publisher.publish([_linked(event) for event in events])

    def publish_once(self, key: str, events: Sequence[Event]) -> bool:
        return self.publisher.publish_once(key, [_linked(event) for event in events])
