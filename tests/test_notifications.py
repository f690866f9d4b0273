"""The bell over HTTP: preferences, new followers, direct messages, playlist invites,
listing, paging, marking read and counts."""

import pytest

from graph.notifications import mark_notifications_read
from tests.conftest import Api

TYPES = ("new_follower", "new_uploads", "direct_messages", "playlist_invites")


def bell(api: Api, user, **params):
    return api.get("/api/v1/me/notifications", user, **params)


def set_preferences(api: Api, user, body):
    response = api.client.put(
        "/api/v1/me/notification-preferences", json=body, headers=api.headers_for(user)
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


# -- preferences -------------------------------------------------------------------------


def test_every_preference_is_on_until_changed(api, people):
    """A new account gets every type on every channel."""
    preferences = api.get("/api/v1/me/notification-preferences", people[0])
    assert preferences == {kind: {"in_app": True, "email": True, "push": True} for kind in TYPES}


def test_changing_one_switch_keeps_the_others(api, people):
    """PUT switches only what it names; a later PUT of another switch keeps the first."""
    maya = people[0]
    set_preferences(api, maya, {"new_uploads": {"email": False}})
    after = set_preferences(api, maya, {"direct_messages": {"push": False}})
    assert after["new_uploads"] == {"in_app": True, "email": False, "push": True}
    assert after["direct_messages"] == {"in_app": True, "email": True, "push": False}
    assert api.get("/api/v1/me/notification-preferences", maya) == after
    assert set_preferences(api, maya, {"new_uploads": {"email": True}})["new_uploads"]["email"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"new_likes": {"email": False}}, "new_likes"),
        ({"new_uploads": {"sms": False}}, "new_uploads.sms"),
        ({"new_uploads": {"email": "no"}}, "new_uploads.email"),
        ({"new_uploads": False}, "new_uploads"),
    ],
)
def test_unknown_types_channels_and_values_are_refused(api, people, body, field):
    """An unknown type or channel, or a non-boolean, is a 400 naming it; nothing changes."""
    maya = people[0]
    response = api.client.put(
        "/api/v1/me/notification-preferences", json=body, headers=api.headers_for(maya)
    )
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    assert field in [error["field"] for error in response.get_json()["errors"]]
    assert api.get("/api/v1/me/notification-preferences", maya)["new_uploads"]["email"]


# -- new followers -----------------------------------------------------------------------


def test_a_new_follower_is_in_the_bell_with_who_it_was(api, people):
    """Following someone puts one new_follower notification, with the follower, in their bell."""
    maya, theo, _ = people
    api.follow(theo, maya)
    page = bell(api, maya)
    assert page["unread_count"] == 1
    [item] = page["items"]
    assert item["type"] == "new_follower" and item["read"] is False
    assert item["actor"] == {
        "id": theo["id"],
        "username": "theo",
        "display_name": "Theo",
        "avatar_url": None,
    }
    assert api.get("/api/v1/me", maya)["unread"]["notifications"] == 1
    assert bell(api, theo)["items"] == []


def test_unfollow_and_refollow_within_a_day_does_not_notify_again(api, people):
    """Toggling follow does not spam the followee: one notification per follower per 24 h."""
    maya, theo, _ = people
    api.follow(theo, maya)
    for _ in range(3):
        api.client.delete(f"/api/v1/users/{maya['id']}/follow", headers=api.headers_for(theo))
        api.follow(theo, maya)
    page = bell(api, maya)
    assert [item["type"] for item in page["items"]] == ["new_follower"]
    assert page["unread_count"] == 1


def test_a_refollow_after_a_day_notifies_again(api, graph, people):
    """Once the 24-hour window has passed, a refollow is news again."""
    maya, theo, _ = people
    api.follow(theo, maya)
    api.client.delete(f"/api/v1/users/{maya['id']}/follow", headers=api.headers_for(theo))
    graph.driver.execute_query(  # age the dedupe marker instead of waiting a day
        "MATCH (m:FollowNotice {key: $key}) SET m.at = m.at - duration('PT25H')",
        key=theo["id"] + ">" + maya["id"],
    )
    api.follow(theo, maya)
    assert [item["type"] for item in bell(api, maya)["items"]] == ["new_follower"] * 2


def test_in_app_off_means_no_follower_notification(api, people):
    """With New Follower in-app off, a follow produces nothing in the bell."""
    maya, theo, _ = people
    set_preferences(api, maya, {"new_follower": {"in_app": False}})
    api.follow(theo, maya)
    assert bell(api, maya) == {"unread_count": 0, "items": [], "next_cursor": None}


# -- direct messages ---------------------------------------------------------------------


def test_messages_to_someone_offline_make_one_notification_that_counts(api, people):
    """Several messages while away: one unread notification for the conversation, counting."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    for text in ("hi", "are you there?", "ping"):
        api.send(maya, dm, text)
    page = bell(api, theo)
    [item] = page["items"]
    assert item["type"] == "direct_message" and item["message_count"] == 3
    assert item["conversation"]["id"] == dm["id"]
    assert item["actor"]["id"] == maya["id"]
    assert item["url"] == f"/messages?conversation={dm['id']}"
    assert page["unread_count"] == 1
    assert bell(api, maya)["items"] == []


def test_reading_the_conversation_reads_its_notification(api, people):
    """Once the messages are read, the notification is read; the next message starts anew."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    api.send(maya, dm, "one")
    api.post(f"/api/v1/conversations/{dm['id']}/read", theo, {})
    assert bell(api, theo)["unread_count"] == 0
    api.send(maya, dm, "two")
    items = bell(api, theo)["items"]
    assert [(item["read"], item["message_count"]) for item in items] == [(False, 1), (True, 1)]


def test_a_live_socket_means_no_message_notification(app, api, people):
    """Someone with a live socket sees the message arrive; the bell stays quiet."""
    maya, theo, eve = people
    group = api.start(maya, theo, eve, title="crew")
    app.extensions["beatgraph.presence"].renew(theo["id"], "a-socket")
    api.send(maya, group, "hello both")
    assert bell(api, theo)["items"] == []
    [item] = bell(api, eve)["items"]
    assert item["conversation"] == {"id": group["id"], "kind": "group", "title": "crew"}


def test_direct_messages_in_app_off_means_no_notification(api, people):
    """With Direct Messages in-app off, messages still arrive but the bell stays empty."""
    maya, theo, _ = people
    set_preferences(api, theo, {"direct_messages": {"in_app": False}})
    dm = api.start(maya, theo)
    api.send(maya, dm, "hi")
    assert bell(api, theo)["items"] == []
    assert api.get("/api/v1/me/unread", theo)["messages"] == 1


# -- playlist invites --------------------------------------------------------------------


def invite(api: Api, to, sender, headers=None, **extra):
    body = {
        "to_user_id": to["id"],
        "from_user_id": sender["id"],
        "playlist_id": "pl-1",
        "playlist_name": "Late night drill",
        **extra,
    }
    return api.client.post(
        "/api/v1/notifications/playlist-invites",
        json=body,
        headers=headers or api.service_headers(),
    )


def test_the_service_invites_a_user_to_a_playlist(api, people):
    """A playlist invite lands in the invitee's bell with the inviter and the playlist."""
    maya, theo, _ = people
    response = invite(api, maya, theo)
    assert response.status_code == 201
    [item] = bell(api, maya)["items"]
    assert item["type"] == "playlist_invite"
    assert (item["playlist_id"], item["playlist_name"]) == ("pl-1", "Late night drill")
    assert item["actor"]["id"] == theo["id"]
    assert response.get_json()["notification"]["id"] == item["id"]


def test_playlist_invites_need_the_service_and_real_users(api, people):
    """Users cannot send invites (403); unknown users are a 404 naming the field; a block
    stops the invite (403); a missing playlist name is a 400."""
    maya, theo, _ = people
    assert invite(api, maya, theo, headers=api.headers_for(theo)).status_code == 403
    ghost = {"id": "nobody"}
    missing = invite(api, ghost, theo)
    assert missing.status_code == 404 and missing.get_json()["errors"][0]["field"] == "to_user_id"
    assert invite(api, maya, ghost).get_json()["errors"][0]["field"] == "from_user_id"
    assert invite(api, maya, theo, playlist_name="").status_code == 400
    api.block(maya, theo)
    assert invite(api, maya, theo).status_code == 403
    assert bell(api, maya)["items"] == []


def test_playlist_invites_in_app_off(api, people):
    """With Playlist Invites in-app off, the invite is accepted but nothing shows."""
    maya, theo, _ = people
    set_preferences(api, maya, {"playlist_invites": {"in_app": False}})
    response = invite(api, maya, theo)
    assert response.status_code == 201 and response.get_json()["notification"] is None
    assert bell(api, maya)["items"] == []


# -- the bell ----------------------------------------------------------------------------


def test_the_bell_is_newest_first_and_pages_without_gaps_or_repeats(api, people):
    """Keyset pages walk every notification once, newest first."""
    maya = people[0]
    followers = [api.create_user(f"fan{n}") for n in range(7)]
    for fan in followers:
        api.follow(fan, maya)
    seen, cursor = [], None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = bell(api, maya, **params)
        seen += [item["actor"]["username"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"fan{n}" for n in reversed(range(7))]


def test_the_bell_costs_one_round_trip(api, graph, people):
    """A page with actors, beats and conversations resolved is one query, not N+1."""
    maya, theo, eve = people
    api.follow(theo, maya)
    api.follow(eve, maya)
    api.send(theo, api.start(theo, maya), "yo")
    invite(api, maya, eve)
    api.get("/api/v1/me/unread", maya)  # a first request checks the viewer exists (remembered)
    with graph.count_round_trips() as trips:
        page = bell(api, maya)
    assert len(page["items"]) == 4
    assert trips.count == 1


def test_marking_read_by_ids_and_all(api, people):
    """Read by ids touches only those (others' ids are ignored); all reads the rest."""
    maya, theo, eve = people
    api.follow(theo, maya)
    api.follow(eve, maya)
    api.follow(maya, theo)
    newest, older = bell(api, maya)["items"]
    theirs = bell(api, theo)["items"][0]["id"]
    result = api.post("/api/v1/me/notifications/read", maya, {"ids": [newest["id"], theirs]})
    assert result == {"marked": 1, "unread_count": 1}
    assert [item["read"] for item in bell(api, maya)["items"]] == [True, False]
    assert bell(api, theo)["unread_count"] == 1
    assert api.post("/api/v1/me/notifications/read", maya, {"all": True}) == {
        "marked": 1,
        "unread_count": 0,
    }
    assert api.get("/api/v1/me", maya)["unread"]["notifications"] == 0


def test_mark_all_read_goes_in_bounded_batches(app, api, graph, people):
    """Mark all read with 7 unread and batches of 3: three transactions of at most three
    each (a user with a million unread never holds one huge transaction), all read."""
    maya = people[0]
    for n in range(7):
        api.follow(api.create_user(f"follower{n}"), maya)
    assert bell(api, maya)["unread_count"] == 7
    with graph.count_round_trips() as trips:
        result = mark_notifications_read(graph, maya["id"], None, batch=3)
    assert result == {"marked": 7, "unread_count": 0}
    assert trips.names == ["notifications.mark_all_notifications_read"] * 3
    assert bell(api, maya)["unread_count"] == 0
    assert all(item["read"] for item in bell(api, maya)["items"])


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"ids": []},
        {"all": False},
        {"ids": ["a"], "all": True},
        {"ids": "abc"},
        {"everything": True},
    ],
)
def test_mark_read_needs_ids_or_all(api, people, body):
    """Mark read takes either a non-empty `ids` list or `"all": true`; anything else is 400."""
    response = api.client.post(
        "/api/v1/me/notifications/read", json=body, headers=api.headers_for(people[0])
    )
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"


def test_a_garbled_cursor_is_a_400(api, people):
    """A cursor the API did not issue is refused, naming the cursor."""
    response = api.client.get(
        "/api/v1/me/notifications?cursor=zzz", headers=api.headers_for(people[0])
    )
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "cursor"
