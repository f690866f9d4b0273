"""Conversations: DMs are reused, groups are new, the recent list, hiding and privacy."""

from concurrent.futures import ThreadPoolExecutor

import pytest


def test_dm_is_created_once_then_reused(client, api):
    """Starting a DM creates it (201); starting it again from either side reuses it (200)."""
    maya, theo = api.create_user("maya"), api.create_user("theo")
    first = client.post(
        "/api/v1/conversations",
        json={"participant_ids": [theo["id"]]},
        headers=api.headers_for(maya),
    )
    assert first.status_code == 201
    assert first.get_json()["kind"] == "direct"
    again = client.post(
        "/api/v1/conversations",
        json={"participant_ids": [maya["id"]]},
        headers=api.headers_for(theo),
    )
    assert again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]


def test_two_users_opening_the_same_dm_at_once_get_one(app, api):
    """When both people press Message at the same instant there is still one conversation."""
    maya, theo = api.create_user("maya"), api.create_user("theo")

    def open_dm(pair):
        me, other = pair
        return app.test_client().post(
            "/api/v1/conversations",
            json={"participant_ids": [other["id"]]},
            headers=api.headers_for(me),
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(open_dm, [(maya, theo), (theo, maya)] * 4))
    assert {response.get_json()["id"] for response in responses} == {responses[0].get_json()["id"]}
    assert sorted(response.status_code for response in responses).count(201) == 1


def test_group_is_always_new_with_a_title(client, api):
    """Two or more others make a new group each time, with its title."""
    maya, theo, lena = (api.create_user(name) for name in ("maya", "theo", "lena"))
    first = api.start(maya, theo, lena, title="Collab")
    second = api.start(maya, theo, lena)
    assert first["kind"] == "group" and first["title"] == "Collab"
    assert first["id"] != second["id"]
    assert {p["username"] for p in first["participants"]} == {"maya", "theo", "lena"}


@pytest.mark.parametrize("case", ["self", "unknown", "too_many", "dm_title", "empty"])
def test_invalid_new_conversations_are_clear_4xx(client, api, case):
    """Self-only, unknown users, over 50 people, a titled DM or nobody: a clear 4xx."""
    maya, theo = api.create_user("maya"), api.create_user("theo")
    body, status = {
        "self": ({"participant_ids": [maya["id"]]}, 400),
        "unknown": ({"participant_ids": [theo["id"], "ghost"]}, 404),
        "too_many": ({"participant_ids": [f"u{n}" for n in range(50)]}, 400),
        "dm_title": ({"participant_ids": [theo["id"]], "title": "Hi"}, 400),
        "empty": ({"participant_ids": []}, 400),
    }[case]
    response = client.post("/api/v1/conversations", json=body, headers=api.headers_for(maya))
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"][0]["field"] in ("participant_ids", "title")


def test_no_dm_or_group_across_a_block(client, api):
    """A blocked pair cannot open a DM or be put in a group together (403)."""
    maya, theo, lena = (api.create_user(name) for name in ("maya", "theo", "lena"))
    api.block(theo, maya)
    for ids in ([theo["id"]], [theo["id"], lena["id"]]):
        response = client.post(
            "/api/v1/conversations", json={"participant_ids": ids}, headers=api.headers_for(maya)
        )
        assert response.status_code == 403


def test_recent_list_newest_activity_first_with_last_message_and_unread(client, api):
    """The list shows the most recently active conversation first, with its last message,
    unread count and whether you follow each participant."""
    maya, theo, lena = (api.create_user(name) for name in ("maya", "theo", "lena"))
    api.follow(maya, theo)
    with_theo, with_lena = api.start(maya, theo), api.start(maya, lena)
    api.send(theo, with_theo, "first")
    api.send(lena, with_lena, "second")
    api.send(theo, with_theo, "third")
    items = api.get("/api/v1/conversations", maya)["items"]
    assert [item["id"] for item in items] == [with_theo["id"], with_lena["id"]]
    assert items[0]["last_message"]["body"] == "third"
    assert items[0]["unread_count"] == 2 and items[1]["unread_count"] == 1
    following = {p["username"]: p["following"] for p in items[0]["participants"]}
    assert following == {"maya": False, "theo": True}


def test_recent_list_pages_and_is_one_round_trip(client, api, graph):
    """Pages of the list walk every conversation once, each page in one statement."""
    maya = api.create_user("maya")
    for n in range(5):
        api.send(maya, api.start(maya, api.create_user(f"friend{n}")), f"hello {n}")
    seen, cursor = [], None
    while True:
        with graph.count_round_trips() as trips:
            body = api.get(
                "/api/v1/conversations", maya, limit=2, **({"cursor": cursor} if cursor else {})
            )
        assert trips.count == 1
        seen += [item["last_message"]["body"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"hello {n}" for n in range(4, -1, -1)]


def test_hide_leaves_only_your_list_and_a_new_message_brings_it_back(client, api):
    """Deleting a conversation hides it for you alone, until someone writes in it."""
    maya, theo = api.create_user("maya"), api.create_user("theo")
    dm = api.start(maya, theo)
    api.send(theo, dm, "hi")
    response = client.delete(f"/api/v1/conversations/{dm['id']}", headers=api.headers_for(maya))
    assert response.status_code == 200 and response.get_json()["hidden"] is True
    assert api.get("/api/v1/conversations", maya)["items"] == []
    assert api.get("/api/v1/me/unread", maya) == {"conversations": 0, "messages": 0}
    assert len(api.get("/api/v1/conversations", theo)["items"]) == 1
    api.send(theo, dm, "still there?")
    assert [item["id"] for item in api.get("/api/v1/conversations", maya)["items"]] == [dm["id"]]


def test_non_participants_get_the_same_404_as_for_nothing(client, api):
    """Everything under a conversation you are not in looks exactly like one that does not exist."""
    maya, theo, eve = (api.create_user(name) for name in ("maya", "theo", "eve"))
    dm = api.start(maya, theo)
    headers = api.headers_for(eve)
    for conversation_id in (dm["id"], "does-not-exist"):
        base = f"/api/v1/conversations/{conversation_id}"
        answers = [
            client.get(base, headers=headers),
            client.get(f"{base}/messages", headers=headers),
            client.post(
                f"{base}/messages", json={"client_id": "c1", "body": "hi"}, headers=headers
            ),
            client.post(f"{base}/read", json={}, headers=headers),
            client.post(f"{base}/unread", headers=headers),
            client.post(f"{base}/delivered", json={"up_to_seq": 1}, headers=headers),
            client.delete(base, headers=headers),
        ]
        assert [answer.status_code for answer in answers] == [404] * 7
        assert {answer.get_json()["detail"] for answer in answers} == {"no such conversation"}


def test_suggestions_blank_then_search(client, api):
    """Blank: followed users (newest follow first), then chat partners; 1 char is 400;
    2+ characters is the ranked search."""
    maya = api.create_user("maya")
    old, new = api.create_user("oldfriend"), api.create_user("newfriend")
    partner = api.create_user("partner")
    api.follow(maya, old)
    api.follow(maya, new)
    api.send(partner, api.start(partner, maya), "yo")
    names = [u["username"] for u in api.get("/api/v1/messaging/suggestions", maya)["items"]]
    assert names == ["newfriend", "oldfriend", "partner"]
    one = client.get("/api/v1/messaging/suggestions?q=n", headers=api.headers_for(maya))
    assert one.status_code == 400 and one.get_json()["errors"][0]["field"] == "q"
    found = api.get("/api/v1/messaging/suggestions", maya, q="PA")["items"]
    assert [u["username"] for u in found] == ["partner"]
