"""What a block does (DESIGN §3, docs/safety.md): in either direction it removes follows
and likes of each other's claimed producer pages and stops new ones; stops DMs, typing in
their DM, putting the other in a new group, and every notification between the two;
removes the notifications already exchanged. In a group both share, messages flow but
no notification crosses."""

import json
import time
from typing import Any

import pytest
from redis import Redis
from websockets.exceptions import ConnectionClosed

from cypher import Q, Query
from graph import safety
from notifications.worker import NotificationWorker
from tests.plans import db_hits, forget_plans, plan_operators, sample_indexes_now
from tests.served import REALTIME_TEST_SETTINGS, ServedApp
from tests.sockets import next_frame, no_frame, open_socket


@pytest.fixture
def pair(api):
    """The blocker (ana) and the blocked (bob), each with a claimed producer page, and cyd."""
    ana, bo, cy = (api.create_user(name) for name in ("ana", "bob", "cyd"))
    ana_page = api.create_producer("ana-beats", user_id=ana["id"])
    bo_page = api.create_producer("bo-beats", user_id=bo["id"])
    return ana, bo, cy, ana_page, bo_page


def _producer(api, producer: dict, viewer: dict) -> dict[str, Any]:
    return api.get(f"/api/v1/producers/{producer['id']}", viewer)


def _bell(api, user: dict) -> list[tuple[str, str | None]]:
    """(type, actor id or producer id) of every notification in the user's bell."""
    items = api.get("/api/v1/me/notifications", user, limit=100)["items"]
    return [(item["type"], (item["actor"] or item["producer"] or {}).get("id")) for item in items]


def _upload(api, producer: dict) -> None:
    response = api.client.post(
        f"/api/v1/producers/{producer['id']}/uploads",
        json={"title": "New one"},
        headers=api.service_headers(),
    )
    assert response.status_code == 201


def _run_fan_out(app, graph) -> None:
    worker = NotificationWorker(graph, {}, app.config)
    for _ in range(20):
        if not worker.fan_out_step():
            return
    raise AssertionError("the fan-out never finished")


def _outbox_for(graph, user: dict) -> list[str]:
    records = graph.run(
        Query(
            "test.outbox", "MATCH (e:OutboxEntry {recipient_id: $id}) RETURN e.type AS type", "read"
        ),
        id=user["id"],
    )
    return [record["type"] for record in records]


# -- producer likes ----------------------------------------------------------------------


def test_a_block_removes_likes_of_each_others_pages_and_unblock_restores_none(api, pair):
    """Blocking drops the blocked user's like of the blocker's page and the blocker's like
    of theirs; likes of other pages stay; unblocking brings nothing back."""
    ana, bo, cy, ana_page, bo_page = pair
    cy_page = api.create_producer("cy-beats", user_id=cy["id"])
    for user, page in ((bo, ana_page), (ana, bo_page), (ana, cy_page), (bo, cy_page)):
        api.like(user, page)
    api.block(ana, bo)
    assert _producer(api, ana_page, bo)["liked"] is False
    assert _producer(api, bo_page, ana)["liked"] is False
    assert _producer(api, ana_page, ana)["followers_count"] == 0
    assert _producer(api, cy_page, cy)["followers_count"] == 2
    api.client.delete(f"/api/v1/users/{bo['id']}/block", headers=api.headers_for(ana))
    assert _producer(api, ana_page, bo)["liked"] is False
    assert _producer(api, bo_page, ana)["liked"] is False


def test_a_blocked_pair_cannot_like_each_others_pages(client, api, pair):
    """Across a block, liking the other's claimed page is a 403 either way, and stores
    nothing."""
    ana, bo, _, ana_page, bo_page = pair
    api.block(ana, bo)
    for user, page in ((bo, ana_page), (ana, bo_page)):
        response = client.put(f"/api/v1/producers/{page['id']}/like", headers=api.headers_for(user))
        assert response.status_code == 403, response.get_json()
        assert response.mimetype == "application/problem+json"
        assert _producer(api, page, user)["liked"] is False


def test_claiming_a_page_drops_likes_from_users_in_a_block_with_the_owner(client, api, pair):
    """A page claimed by the blocker after the block loses the blocked user's like."""
    ana, bo, cy, _, _ = pair
    page = api.create_producer("unclaimed")
    api.like(bo, page)
    api.like(cy, page)
    api.block(ana, bo)
    response = client.patch(
        f"/api/v1/producers/{page['id']}",
        json={"user_id": ana["id"]},
        headers=api.service_headers(),
    )
    assert response.status_code == 200, response.get_json()
    assert _producer(api, page, bo)["liked"] is False
    assert _producer(api, page, cy)["liked"] is True


# -- notifications -----------------------------------------------------------------------


def test_no_new_upload_of_a_page_reaches_a_blocked_user(app, api, graph, pair):
    """The blocked user who liked the blocker's page hears nothing of its next upload;
    other likers do."""
    ana, bo, cy, ana_page, _ = pair
    api.like(bo, ana_page)
    api.like(cy, ana_page)
    api.block(ana, bo)
    _upload(api, ana_page)
    _run_fan_out(app, graph)
    assert _bell(api, bo) == []
    assert _bell(api, cy) == [("new_upload", ana_page["id"])]


def test_a_like_left_from_before_the_block_rule_gets_no_upload(app, api, graph, pair):
    """A like that outlived a block (written before this rule, or racing the block) still
    brings the blocked user no new_upload, in the bell or by email or push."""
    ana, bo, cy, ana_page, _ = pair
    api.like(cy, ana_page)
    api.block(bo, ana)
    graph.run(
        Query(
            "test.stale_like",
            """
        MATCH (u:User {id: $user_id}), (p:Producer {id: $producer_id})
        CREATE (u)-[:LIKES {key: u.id + '>' + p.id, since: datetime.statement(),
                            user_id: u.id, producer_id: p.id}]->(p)""",
            "write",
        ),
        user_id=bo["id"],
        producer_id=ana_page["id"],
    )
    _upload(api, ana_page)
    _run_fan_out(app, graph)
    assert _bell(api, bo) == [] and _outbox_for(graph, bo) == []
    assert _bell(api, cy) == [("new_upload", ana_page["id"])]


def test_a_block_removes_the_notifications_between_the_two(api, pair):
    """Blocking deletes every notification either one got from the other (follows, messages,
    uploads of their page, playlist invites); notifications from others stay."""
    ana, bo, cy, ana_page, bo_page = pair
    api.follow(bo, ana)
    api.follow(ana, bo)
    api.follow(cy, ana)
    api.send(bo, api.start(bo, ana), "hi ana")
    response = api.client.post(
        "/api/v1/notifications/playlist-invites",
        json={
            "to_user_id": ana["id"],
            "from_user_id": bo["id"],
            "playlist_id": "pl",
            "playlist_name": "Mix",
        },
        headers=api.service_headers(),
    )
    assert response.status_code == 201
    assert len(_bell(api, ana)) == 4 and len(_bell(api, bo)) == 1
    api.block(ana, bo)
    assert _bell(api, ana) == [("new_follower", cy["id"])]
    assert _bell(api, bo) == []
    assert api.get("/api/v1/me", ana)["unread"]["notifications"] == 1


def test_a_block_removes_upload_notifications_of_the_others_page(app, api, graph, pair):
    """The blocker's new_upload notifications about the blocked user's page go too."""
    ana, bo, _, _, bo_page = pair
    api.like(ana, bo_page)
    _upload(api, bo_page)
    _run_fan_out(app, graph)
    assert _bell(api, ana) == [("new_upload", bo_page["id"])]
    api.block(ana, bo)
    assert _bell(api, ana) == []


def test_in_a_shared_group_messages_flow_but_no_notification_crosses(api, graph, pair):
    """In a group both were already in, the blocked user's message reaches the blocker
    (unread count, list) without a bell item, email or push; the others are notified as
    usual; and the same holds the other way."""
    ana, bo, cy, _, _ = pair
    group = api.start(cy, ana, bo, title="crew")
    api.block(ana, bo)
    api.send(bo, group, "from bo")
    assert _bell(api, ana) == [] and _outbox_for(graph, ana) == []
    assert _bell(api, cy) == [("direct_message", bo["id"])]
    assert api.get(f"/api/v1/conversations/{group['id']}", ana)["unread_count"] == 1
    api.send(ana, group, "from ana")
    assert _bell(api, bo) == [] and _outbox_for(graph, bo) == []


def test_neither_can_put_the_other_in_a_new_group(client, api, pair):
    """The blocker cannot add the blocked user to a new group, nor the blocked the blocker."""
    ana, bo, cy, _, _ = pair
    api.block(ana, bo)
    for creator, other in ((ana, bo), (bo, ana)):
        response = client.post(
            "/api/v1/conversations",
            json={"participant_ids": [other["id"], cy["id"]]},
            headers=api.headers_for(creator),
        )
        assert response.status_code == 403


# -- typing ------------------------------------------------------------------------------


def _typing(conversation: dict) -> str:
    return json.dumps(
        {"type": "typing", "data": {"conversation_id": conversation["id"], "state": "start"}}
    )


def _hears_typing_start(ws, conversation: dict) -> None:
    """The next `start` into the conversation arrives (an expiry's `stop` is skipped)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        data = next_frame(ws, "typing", timeout=deadline - time.monotonic())["data"]
        if data["state"] == "start":
            assert data["conversation_id"] == conversation["id"]
            return
    raise AssertionError("no typing start within 5 s")


def test_typing_into_a_dm_across_a_block_is_refused(app, api, served, pair):
    """Typing into the DM with someone in a block answers an error frame 403 and reaches
    nobody; typing in a group they share still reaches the group."""
    ana, bo, cy, _, _ = pair
    dm = api.start(bo, ana)
    group = api.start(cy, ana, bo, title="crew")
    api.block(ana, bo)

    with open_socket(app, served, bo) as bo_ws, open_socket(app, served, ana) as ana_ws:
        next_frame(ana_ws, "ping")  # live
        bo_ws.send(_typing(dm))
        assert next_frame(bo_ws, "error")["data"]["status"] == 403
        no_frame(ana_ws, "typing", within=0.5)
        bo_ws.send(_typing(group))
        _hears_typing_start(ana_ws, group)


# The other process hears of a block over Redis pub/sub: a hop of well under 100 ms.
BROADCAST_HOP = 0.1


def test_a_block_made_through_another_process_stops_typing_that_flowed(app, api, served, pair):
    """The served process let bob type into the DM and remembers that no block stands;
    ana blocks him through another process (the test's app): his next typing frame is
    refused, and once she unblocks him it reaches her again."""
    ana, bo, *_ = pair
    dm = api.start(bo, ana)
    with open_socket(app, served, bo) as bo_ws, open_socket(app, served, ana) as ana_ws:
        next_frame(ana_ws, "ping")  # live: a typing frame before that reaches nobody
        bo_ws.send(_typing(dm))
        _hears_typing_start(ana_ws, dm)
        api.block(ana, bo)
        time.sleep(BROADCAST_HOP)
        bo_ws.send(_typing(dm))
        assert next_frame(bo_ws, "error")["data"]["status"] == 403
        unblocked = api.client.delete(
            f"/api/v1/users/{bo['id']}/block", headers=api.headers_for(ana)
        )
        assert unblocked.status_code == 200
        time.sleep(BROADCAST_HOP)
        bo_ws.send(_typing(dm))
        _hears_typing_start(ana_ws, dm)


def test_a_block_no_process_was_told_of_stops_typing_within_the_memory_bound(
    app, app_config, api, graph, pair
):
    """A block whose broadcast was lost (its writer died between commit and broadcast;
    here the domain function writes it with nobody told) still stops typing once the
    remembered answer is older than BEATGRAPH_BLOCK_MEMORY_SECONDS."""
    ana, bo, *_ = pair
    dm = api.start(bo, ana)
    server = ServedApp(
        app_config, settings={**REALTIME_TEST_SETTINGS, "BEATGRAPH_BLOCK_MEMORY_SECONDS": "1"}
    )
    try:
        with open_socket(app, server, bo) as bo_ws, open_socket(app, server, ana) as ana_ws:
            next_frame(ana_ws, "ping")  # live
            bo_ws.send(_typing(dm))
            _hears_typing_start(ana_ws, dm)
            safety.block_user(graph, ana["id"], bo["id"])
            time.sleep(1.2)
            bo_ws.send(_typing(dm))
            assert next_frame(bo_ws, "error")["data"]["status"] == 403
    finally:
        server.stop()


def test_a_listener_that_lost_redis_forgets_every_remembered_block(
    app, app_config, api, graph, served, pair
):
    """Broadcasts sent while a process's listener was away are lost to it, so when it
    subscribes again it forgets every answer: a block nobody told it of applies as soon as
    its sockets are back."""
    ana, bo, *_ = pair
    dm = api.start(bo, ana)
    with open_socket(app, served, bo) as bo_ws, open_socket(app, served, ana) as ana_ws:
        next_frame(ana_ws, "ping")  # live: a typing frame before that reaches nobody
        bo_ws.send(_typing(dm))
        _hears_typing_start(ana_ws, dm)
    safety.block_user(graph, ana["id"], bo["id"])
    redis: Redis = app.extensions["beatgraph.redis"]
    assert redis.client_kill_filter(_type="pubsub") >= 1  # the served listener among them
    deadline = time.monotonic() + 10
    while True:  # the served process takes sockets again once its listener is back
        try:
            with open_socket(app, served, bo) as bo_ws:
                bo_ws.send(_typing(dm))
                assert next_frame(bo_ws, "error")["data"]["status"] == 403
                return
        except ConnectionClosed:  # refused (1013) until the listener is back on Redis
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


# -- the send path stays O(participants) -------------------------------------------------


def _crowd_of_blocks(graph, user_id: str, count: int) -> None:
    """`count` more users, each in a block with the given user (half each way)."""
    graph.run(
        Query(
            "test.blocks",
            """
        MATCH (me:User {id: $user_id})
        UNWIND range(1, $count) AS n
        CREATE (u:User {id: randomUUID(), username: 'b' + randomUUID(), display_name: 'B'})
        WITH me, u, n
        CALL (me, u, n) {
          WITH me, u WHERE n % 2 = 0
          CREATE (me)-[:BLOCKS {key: me.id + '>' + u.id, since: datetime.statement()}]->(u)
        }
        CALL (me, u, n) {
          WITH me, u WHERE n % 2 = 1
          CREATE (u)-[:BLOCKS {key: u.id + '>' + me.id, since: datetime.statement()}]->(me)
        }""",
            "write",
        ),
        user_id=user_id,
        count=count,
    )


def _send_hits(api, graph, sender: dict, group: dict, offline: list[dict], n: int) -> int:
    return db_hits(
        graph,
        Q.messaging.send_messages.text,
        sends=[
            {
                "user_id": sender["id"],
                "conversation_id": group["id"],
                "message_id": f"m{n}",
                "client_id": f"c{n}",
                "body": "hello",
                "notify_ids": [user["id"] for user in offline],
            }
        ],
    )


def test_the_block_checks_in_a_group_send_do_not_grow_with_blocks(api, graph, pair):
    """A group message's block checks cost the participants: the same db hits whether the
    sender and the recipients are in 2 blocks each or in 400."""
    ana, bo, cy, _, _ = pair
    group = api.start(cy, ana, bo, title="crew")
    api.block(ana, bo)
    _send_hits(api, graph, bo, group, [ana, cy], 0)  # plans and warms the statement
    before = _send_hits(api, graph, bo, group, [ana, cy], 1)
    for user in (ana, bo, cy):
        _crowd_of_blocks(graph, user["id"], 400)
    after = _send_hits(api, graph, bo, group, [ana, cy], 2)
    assert after <= before * 1.2, (before, after)


@pytest.mark.parametrize(
    "name",
    [
        "messaging.send_messages",
        "safety.find_block",
        "producers.like_producer",
        "fanout.notify_upload_likers",
    ],
)
def test_block_checks_seek_the_pair_even_after_an_empty_sample(api, graph, pair, name):
    """Every block check seeks the pair's BLOCKS key, never scans every block, even with
    the worst statistics: indexes sampled while the graph was empty, then blocks written
    (a send's plan made then scanned them all: 154 → 4,722 db hits at 1,200 blocks)."""
    sample_indexes_now(graph)
    ana, bo, *_ = pair
    for n in range(8):
        api.block(api.create_user(f"blocker{n}"), bo)
    api.block(ana, bo)
    forget_plans(graph)
    area, query = name.split(".")
    operators = plan_operators(graph, getattr(getattr(Q, area), query).text)
    assert "DirectedRelationshipIndexScan" not in operators, operators
