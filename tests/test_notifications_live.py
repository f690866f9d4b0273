"""Notifications over the WebSocket of a served app, with the worker running as its own
process: new followers, uploads to online likers, and the no-live-socket rule for messages."""

import contextlib

import pytest

from tests.served import ServedWorker
from tests.sockets import next_frame, no_frame, open_socket, wait_offline


@pytest.fixture
def worker(app, app_config):
    process = ServedWorker(app_config)
    yield process
    assert process.stop() == 0, "the worker did not stop cleanly on SIGTERM"


def test_a_new_follower_arrives_on_the_socket_with_the_count(app, api, served, people):
    """The followee's open socket gets notification.created and the new unread count."""
    maya, theo, _ = people
    with open_socket(app, served, maya) as ws:
        api.follow(theo, maya)
        event = next_frame(ws, "notification.created")
    assert event["data"]["notification"]["type"] == "new_follower"
    assert event["data"]["notification"]["actor"]["id"] == theo["id"]
    assert event["data"]["unread_count"] == 1


def test_online_likers_hear_of_an_upload_on_their_socket(app, api, served, worker):
    """The worker process fans the upload out; each online liker's socket gets it with
    their unread count (how fast is bench/notifications_bench.py's job)."""
    kofi = api.create_producer("kofi")
    fans = [api.create_user(f"fan{n}") for n in range(3)]
    for fan in fans:
        api.like(fan, kofi)
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(open_socket(app, served, fan)) for fan in fans]
        response = api.client.post(
            f"/api/v1/producers/{kofi['id']}/uploads",
            json={"title": "Sunrise"},
            headers=api.service_headers(),
        )
        assert response.status_code == 201
        for ws in sockets:
            event = next_frame(ws, "notification.created", timeout=10.0)
            assert event["data"]["notification"]["beat"]["title"] == "Sunrise"
            assert event["data"]["unread_count"] == 1


def test_messages_notify_only_while_no_socket_is_open(app, api, served, people):
    """With a socket open the message arrives live and the bell stays quiet; after the
    socket closes, the next message becomes a notification."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    with open_socket(app, served, theo) as ws:
        next_frame(ws, "ping")  # the socket is registered and live
        api.send(maya, dm, "you there?")
        assert next_frame(ws, "message.created")["data"]["body"] == "you there?"
        no_frame(ws, "notification.created", within=0.5)
    assert api.get("/api/v1/me/notifications", theo)["items"] == []
    wait_offline(app, theo)  # the server notices the close
    api.send(maya, dm, "guess not")
    [item] = api.get("/api/v1/me/notifications", theo)["items"]
    assert item["type"] == "direct_message" and item["message_count"] == 2
