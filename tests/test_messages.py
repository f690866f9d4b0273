"""Messages: safe retries, gapless order, pages, sent/delivered/seen, read/unread, badge."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from api.context import PUBLISHER
from cypher import Query
from tests.plans import plan_operators


@pytest.fixture
def dm(api):
    maya, theo = api.create_user("maya"), api.create_user("theo")
    return maya, theo, api.start(maya, theo)


def _post(app, api, user, conversation, client_id, body):
    return app.test_client().post(
        f"/api/v1/conversations/{conversation['id']}/messages",
        json={"client_id": client_id, "body": body},
        headers=api.headers_for(user),
    )


def test_send_then_retry_returns_the_same_message(app, api, dm):
    """A retry with the same client_id answers 200 with the stored message; nothing new."""
    maya, theo, conversation = dm
    first = _post(app, api, maya, conversation, "c-1", "  hello  ")
    retry = _post(app, api, maya, conversation, "c-1", "hello")
    assert (first.status_code, retry.status_code) == (201, 200)
    assert first.get_json()["id"] == retry.get_json()["id"]
    assert first.get_json()["body"] == "hello" and first.get_json()["seq"] == 1
    assert len(api.get(f"/api/v1/conversations/{conversation['id']}/messages", theo)["items"]) == 1


def test_ten_racing_retries_store_one_message(app, api, dm):
    """Ten simultaneous sends with one client_id store exactly one message."""
    maya, _, conversation = dm
    with ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(
            pool.map(lambda _: _post(app, api, maya, conversation, "same", "only once"), range(10))
        )
    assert sorted(r.status_code for r in responses) == [200] * 9 + [201]
    assert len({r.get_json()["id"] for r in responses}) == 1
    items = api.get(f"/api/v1/conversations/{conversation['id']}/messages", maya)["items"]
    assert [m["body"] for m in items] == ["only once"]


def test_client_id_reused_for_different_text_is_409(app, api, dm):
    """Reusing a client_id for another message is a conflict, not a silent overwrite."""
    maya, _, conversation = dm
    _post(app, api, maya, conversation, "c-1", "hello")
    clash = _post(app, api, maya, conversation, "c-1", "something else")
    assert clash.status_code == 409 and clash.get_json()["errors"][0]["field"] == "client_id"


def test_four_concurrent_senders_get_gapless_seqs(app, api):
    """4 senders × 50 messages at once get seqs 1..200, no gap, no duplicate."""
    users = [api.create_user(f"sender{n}") for n in range(4)]
    group = api.start(users[0], *users[1:])

    def send_fifty(user):
        return [
            _post(app, api, user, group, f"{user['id']}-{n}", f"m{n}").status_code
            for n in range(50)
        ]

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = [status for batch in pool.map(send_fifty, users) for status in batch]
    assert statuses == [201] * 200
    seqs, before = [], None
    while True:
        body = api.get(
            f"/api/v1/conversations/{group['id']}/messages",
            users[0],
            limit=100,
            **({"before_seq": before} if before else {}),
        )
        seqs += [m["seq"] for m in body["items"]]
        before = body["next_before_seq"]
        if before is None:
            break
    assert seqs == list(range(200, 0, -1))


@pytest.mark.parametrize("body", ["", "   ", "x" * 4001])
def test_body_must_be_1_to_4000_characters_after_trimming(client, api, dm, body):
    """Empty, blank or over-long messages are a 400 naming body, and nothing is stored."""
    maya, _, conversation = dm
    response = client.post(
        f"/api/v1/conversations/{conversation['id']}/messages",
        json={"client_id": "c", "body": body},
        headers=api.headers_for(maya),
    )
    assert response.status_code == 400 and response.get_json()["errors"][0]["field"] == "body"
    assert api.get(f"/api/v1/conversations/{conversation['id']}", maya)["last_seq"] == 0


def test_a_4000_character_message_is_accepted(api, dm):
    """The longest allowed message goes through whole."""
    maya, _, conversation = dm
    assert len(api.send(maya, conversation, "y" * 4000)["body"]) == 4000


def test_pages_go_back_in_time_with_before_seq(api, dm):
    """Messages come newest first; before_seq walks back without overlap."""
    maya, theo, conversation = dm
    for n in range(5):
        api.send(maya if n % 2 else theo, conversation, f"m{n}")
    url = f"/api/v1/conversations/{conversation['id']}/messages"
    first = api.get(url, maya, limit=2)
    assert [m["body"] for m in first["items"]] == ["m4", "m3"]
    second = api.get(url, maya, limit=2, before_seq=first["next_before_seq"])
    assert [m["body"] for m in second["items"]] == ["m2", "m1"]
    last = api.get(url, maya, limit=2, before_seq=second["next_before_seq"])
    assert [m["body"] for m in last["items"]] == ["m0"] and last["next_before_seq"] is None


def test_message_page_reads_the_index_not_the_history(graph):
    """A page is an index range seek on (conversation_id, seq), so its cost is the page."""
    from cypher import Q

    found = plan_operators(graph, Q.messaging.list_messages.text)
    assert "NodeIndexSeekByRange" in found or "NodeIndexSeek" in found, found
    assert "Sort" not in found and "Top" not in found, found


def test_sent_delivered_seen(api, dm):
    """Your message reads sent, then delivered when their client has it, then seen."""
    maya, theo, conversation = dm
    message = api.send(maya, conversation, "hi")
    assert message["status"] == "sent"
    url = f"/api/v1/conversations/{conversation['id']}"
    api.post(f"{url}/delivered", theo, {"up_to_seq": message["seq"]})
    assert api.get(f"{url}/messages", maya)["items"][0]["status"] == "delivered"
    api.post(f"{url}/read", theo, {})
    mine = api.get(f"{url}/messages", maya)["items"][0]
    assert (mine["status"], mine["seen_by"]) == ("seen", [theo["id"]])
    assert api.get(f"{url}/messages", theo)["items"][0]["status"] is None


def test_group_seen_by_lists_who_read(api):
    """In a group a message is seen only once everyone read it; seen_by names who did."""
    maya, theo, lena = (api.create_user(name) for name in ("maya", "theo", "lena"))
    group = api.start(maya, theo, lena)
    api.send(maya, group, "hello all")
    url = f"/api/v1/conversations/{group['id']}"
    api.post(f"{url}/read", theo, {})
    mine = api.get(f"{url}/messages", maya)["items"][0]
    assert mine["status"] == "sent" and mine["seen_by"] == [theo["id"]]
    api.post(f"{url}/read", lena, {})
    assert api.get(f"{url}/messages", maya)["items"][0]["status"] == "seen"


def test_markers_only_move_forward(api, dm):
    """Reading up to an older message never moves the read or delivery marker back."""
    maya, theo, conversation = dm
    for n in range(3):
        api.send(maya, conversation, f"m{n}")
    url = f"/api/v1/conversations/{conversation['id']}"
    assert api.post(f"{url}/read", theo, {"up_to_seq": 3})["read_seq"] == 3
    assert api.post(f"{url}/read", theo, {"up_to_seq": 1})["read_seq"] == 3
    assert api.post(f"{url}/delivered", theo, {"up_to_seq": 2})["delivered_seq"] == 3
    assert api.post(f"{url}/read", theo, {"up_to_seq": 99})["read_seq"] == 3


def test_badge_follows_send_read_unread_hide_and_unhide(client, api, dm):
    """/me/unread is exact after each send, read, mark-unread, hide and un-hide."""
    maya, theo, conversation = dm
    url = f"/api/v1/conversations/{conversation['id']}"
    assert api.get("/api/v1/me/unread", theo) == {"conversations": 0, "messages": 0}
    api.send(maya, conversation, "one")
    api.send(maya, conversation, "two")
    assert api.get("/api/v1/me/unread", theo) == {"conversations": 1, "messages": 2}
    assert api.get("/api/v1/me/unread", maya) == {"conversations": 0, "messages": 0}
    api.post(f"{url}/read", theo, {"up_to_seq": 1})
    assert api.get("/api/v1/me/unread", theo) == {"conversations": 1, "messages": 1}
    api.post(f"{url}/read", theo, {})
    assert api.get("/api/v1/me/unread", theo) == {"conversations": 0, "messages": 0}
    marked = api.post(f"{url}/unread", theo)
    assert marked["marked_unread"] is True
    assert api.get("/api/v1/me/unread", theo) == {"conversations": 1, "messages": 0}
    assert api.get("/api/v1/conversations", theo)["items"][0]["marked_unread"] is True
    api.post(f"{url}/read", theo, {})
    assert api.get("/api/v1/me/unread", theo) == {"conversations": 0, "messages": 0}
    api.send(maya, conversation, "three")
    client.delete(url, headers=api.headers_for(theo))
    assert api.get("/api/v1/me/unread", theo) == {"conversations": 0, "messages": 0}
    api.send(maya, conversation, "four")
    assert api.get("/api/v1/me/unread", theo) == {"conversations": 1, "messages": 2}
    assert api.get("/api/v1/me", theo)["unread"]["messages"] == 2


def test_badge_reads_no_message(graph):
    """The badge query touches memberships only: it never matches a Message."""
    from cypher import Q

    assert ":Message" not in Q.messaging.get_unread_badge.text


def test_acknowledged_message_is_in_neo4j_before_the_answer(api, dm, graph):
    """Once the API answered 201, the message is committed in the graph."""
    maya, _, conversation = dm
    sent = api.send(maya, conversation, "durable")
    stored = graph.single(
        Query("test.message", "MATCH (m:Message {id: $id}) RETURN m.body AS b", "read"),
        id=sent["id"],
    )
    assert stored is not None and stored["b"] == "durable"


def test_deep_link_signed_out_goes_to_login_with_next(client, api, dm):
    """Without a valid token the deep link sends you to sign in, then back here."""
    _, _, conversation = dm
    response = client.get(f"/messages?conversation={conversation['id']}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("http://127.0.0.1:8000/login?next=")
    assert f"conversation%3D{conversation['id']}" in response.headers["Location"]
    bad = client.get("/messages", headers={"Authorization": "Bearer nonsense"})
    assert "/login?next=" in bad.headers["Location"]


def test_deep_link_signed_in_opens_the_panel(client, api, dm):
    """Signed in (header or bp_session cookie), it opens the messaging panel on the
    conversation, or just the panel when the conversation is not yours."""
    maya, _, conversation = dm
    eve = api.create_user("eve")
    mine = client.get(f"/messages?conversation={conversation['id']}", headers=api.headers_for(maya))
    assert mine.status_code == 302
    assert mine.headers["Location"] == (
        f"http://127.0.0.1:8000/?messages=open&conversation={conversation['id']}"
    )
    token = api.headers_for(eve)["Authorization"].split()[1]
    client.set_cookie("bp_session", token)
    theirs = client.get(f"/messages?conversation={conversation['id']}")
    assert theirs.headers["Location"] == "http://127.0.0.1:8000/?messages=open"


def test_events_after_commit_and_none_for_a_retry(app, api, dm, graph):
    """A new message hands message.created to every participant and each one's new badge
    to the publisher; a retried send hands over nothing."""
    maya, theo, conversation = dm
    published = []

    class Recording:
        def publish(self, events):
            published.extend(events)

        def publish_once(self, _key, events):
            published.extend(events)
            return True

    app.extensions[PUBLISHER] = Recording()
    _post(app, api, maya, conversation, "c-9", "hey")
    kinds = {(event.type, event.user_ids) for event in published}
    assert ("message.created", tuple(sorted((maya["id"], theo["id"])))) in {
        (kind, tuple(sorted(ids))) for kind, ids in kinds
    }
    badges = {event.user_ids[0]: event.data for event in published if event.type == "unread.badge"}
    assert badges[theo["id"]] == {"conversations": 1, "messages": 1}
    published.clear()
    _post(app, api, maya, conversation, "c-9", "hey")
    assert published == []
    api.post(f"/api/v1/conversations/{conversation['id']}/read", theo, {})
    assert {event.type for event in published} == {
        "message.status",
        "conversation.updated",
        "unread.badge",
    }


def test_a_block_stops_messages_in_an_existing_dm(client, api, dm):
    """After a block, neither side can send into their existing direct conversation (403),
    and nothing is stored."""
    maya, theo, conversation = dm
    api.send(maya, conversation, "before the block")
    api.block(theo, maya)
    for sender in (maya, theo):
        response = client.post(
            f"/api/v1/conversations/{conversation['id']}/messages",
            json={"client_id": f"after-{sender['id']}", "body": "hello?"},
            headers=api.headers_for(sender),
        )
        assert response.status_code == 403
    assert api.get(f"/api/v1/conversations/{conversation['id']}", maya)["last_seq"] == 1
