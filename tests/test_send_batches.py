"""A group commit's batch (graph/messages.py): sends into several conversations stored by
one statement in one transaction, each as if it had been sent alone."""

from typing import Any

from cypher import Q, Query
from graph import messages, relaying
from graph.values import new_id


def _send(sender: dict[str, Any], conversation: dict[str, Any], body: str, offline: list) -> Any:
    """A batch entry as send_message makes it: `offline` get a notification."""
    params = {
        "user_id": sender["id"],
        "conversation_id": conversation["id"],
        "client_id": new_id(),
        "body": body,
        "message_id": new_id(),
        "notify_ids": [user["id"] for user in offline],
    }
    return params, None


def _bell(api, user: dict[str, Any]) -> tuple[int, list[tuple[str, int]]]:
    """The bell's unread count and its (conversation, message_count) items."""
    page = api.get("/api/v1/me/notifications", user)
    items = sorted((item["conversation"]["id"], item["message_count"]) for item in page["items"])
    return page["unread_count"], items


def test_a_batch_into_three_conversations_stores_each_send_in_order(api, graph):
    """Two DMs and a group in one batch: every message lands in its own conversation with
    the next seq, the members' badges count them, and each offline member has one
    notification per conversation counting its unread messages, even when two sends of
    the batch tell the same member."""
    maya, theo, eve = (api.create_user(name) for name in ("maya", "theo", "eve"))
    with_theo, with_eve = api.start(maya, theo), api.start(maya, eve)
    group = api.start(maya, theo, eve, title="crew")
    api.send(maya, with_eve, "before the batch")

    stored = messages._store_sends(
        graph,
        [
            _send(maya, with_theo, "one", [theo]),
            _send(maya, group, "two", [theo, eve]),
            _send(maya, with_eve, "three", [eve]),
            _send(maya, group, "four", [theo, eve]),
            _send(theo, with_theo, "five", [maya]),
        ],
    )

    assert [(record["message"]["body"], record["message"]["seq"]) for record, _ in stored] == [
        ("one", 1),
        ("two", 1),
        ("three", 2),
        ("four", 2),
        ("five", 2),
    ]
    assert all(record["created"] and events for record, events in stored)
    page = api.get(f"/api/v1/conversations/{with_eve['id']}/messages", eve)["items"]
    assert [m["body"] for m in page] == ["three", "before the batch"]
    # theo read his DM by answering in it; the group's two messages are unread
    assert api.get("/api/v1/me", theo)["unread"]["messages"] == 2
    assert api.get("/api/v1/me", eve)["unread"]["messages"] == 4
    assert _bell(api, eve) == (2, sorted([(group["id"], 2), (with_eve["id"], 2)]))
    assert _bell(api, theo)[1] == sorted([(group["id"], 2), (with_theo["id"], 1)])
    assert _bell(api, maya) == (1, [(with_theo["id"], 1)])


def _held_events(graph, message_id: str) -> str | None:
    record = graph.single(
        Query("test.held", "MATCH (m:Message {id: $id}) RETURN m.relay_events AS held", "read"),
        id=message_id,
    )
    assert record is not None
    return record["held"]


def test_a_batch_costs_the_same_statements_for_two_sends_as_for_twelve(api, graph):
    """The batch's statements do not grow with its sends, nor with the relayed messages
    whose held events it forgets: one for the messages, one for their email and push, one
    to hold their events and forget those Redis already has."""
    maya = api.create_user("maya")

    def statements(count: int) -> list[str]:
        others = [api.create_user(f"to{count}x{n}") for n in range(6)]  # first messages
        dms = [api.start(maya, other) for other in others]
        elsewhere = api.start(maya, api.create_user(f"elsewhere{count}"))
        relayed = relaying.relayed_messages(graph)
        for n in range(count):  # relayed earlier, still held
            relayed.add(api.send(maya, elsewhere, f"earlier {n}")["id"])
        batch = [_send(maya, dms[n % 6], f"m{n}", [others[n % 6]]) for n in range(count)]
        with graph.count_round_trips() as counter:
            messages._store_sends(graph, batch)
        return counter.names

    assert (
        statements(2)
        == statements(12)
        == [
            Q.messaging.send_messages.name,
            Q.notifications.queue_outbox_entries.name,
            Q.messaging.hold_and_release_events.name,
        ]
    )


def test_the_next_batch_forgets_the_held_events_of_relayed_messages(api, graph):
    """A sent message's events stay on it until Redis has them; the next batch, in the
    statement that holds its own messages' events, forgets them (the worker would
    otherwise relay them again once they are due)."""
    maya, theo = api.create_user("maya"), api.create_user("theo")
    dm = api.start(maya, theo)
    ((first, _),) = messages._store_sends(graph, [_send(maya, dm, "first", [theo])])
    first_id = first["message"]["id"]
    assert _held_events(graph, first_id) is not None
    relaying.relayed_messages(graph).add(first_id)  # Redis took its events

    ((second, _),) = messages._store_sends(graph, [_send(maya, dm, "second", [theo])])

    assert _held_events(graph, first_id) is None
    assert _held_events(graph, second["message"]["id"]) is not None


def test_a_retry_in_the_same_batch_as_its_first_attempt_stores_one_message(api, graph):
    """A client that retried before its first attempt was answered may land in the same
    batch: the retry finds the message the first row stored and adds nothing."""
    maya, theo = api.create_user("maya"), api.create_user("theo")
    dm = api.start(maya, theo)
    first = _send(maya, dm, "hello", [theo])
    retry = ({**first[0], "message_id": new_id()}, None)

    (record, events), (again, none) = messages._store_sends(graph, [first, retry])

    assert record["created"] and events
    assert not again["created"] and none == []
    assert again["message"]["id"] == record["message"]["id"]
    page = api.get(f"/api/v1/conversations/{dm['id']}/messages", theo)["items"]
    assert [m["body"] for m in page] == ["hello"]
    assert _bell(api, theo) == (1, [(dm["id"], 1)])
