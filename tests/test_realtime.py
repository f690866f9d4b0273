"""The WebSocket channel against a really served app: auth, live events, typing,
receipts, resume, several processes, and bad frames."""

import json
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest
from websockets.sync.client import connect

from graph.events import Event
from realtime.connection import stream_id_key
from realtime.presence import presence_key
from server.tokens import issue_token
from tests.served import REALTIME_TEST_SETTINGS, ServedApp
from tests.sockets import close_code, next_frame, no_frame, open_socket, token, wait_offline


def test_live_message_reaches_every_participant_and_the_senders_other_socket(
    app, api, served, people
):
    """A sent message arrives at the recipient and at the sender's other tab, not at others."""
    maya, theo, eve = people
    dm = api.start(maya, theo)
    with (
        open_socket(app, served, theo) as theo_ws,
        open_socket(app, served, maya) as maya_tab,
        open_socket(app, served, eve) as eve_ws,
    ):
        status, sent = served.request(
            "POST",
            f"/api/v1/conversations/{dm['id']}/messages",
            token(app, maya),
            {"client_id": "c1", "body": "hey"},
        )
        assert status == 201
        for ws in (theo_ws, maya_tab):
            created = next_frame(ws, "message.created")
            assert created["data"]["id"] == sent["id"] and created["data"]["body"] == "hey"
            assert created["id"]
        badge = next_frame(theo_ws, "unread.badge")
        assert badge["data"] == {"conversations": 1, "messages": 1}
        no_frame(eve_ws, "message.created", within=0.5)


def test_a_retried_send_produces_no_second_event(app, api, served, people):
    """Failed-send retry with the same client_id never shows the message twice live."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    with open_socket(app, served, theo) as theo_ws:
        for _ in range(2):
            served.request(
                "POST",
                f"/api/v1/conversations/{dm['id']}/messages",
                token(app, maya),
                {"client_id": "retry-me", "body": "once"},
            )
        next_frame(theo_ws, "message.created")
        no_frame(theo_ws, "message.created", within=0.7)


def test_eight_concurrent_senders_into_one_group_give_gapless_seqs_and_one_event_each(
    app, api, served
):
    """8 logins of a 6-member group's members send at once (as in the throughput bench):
    every send is acknowledged 201, the seqs are 1..N with no gap, and every member's
    socket gets exactly one message.created per message — batched commits included."""
    members = [api.create_user(f"crowd{n}") for n in range(6)]
    group = api.start(members[0], *members[1:])
    senders, each = 8, 15
    with ExitStack() as stack:
        sockets = [stack.enter_context(open_socket(app, served, m)) for m in members]
        for ws in sockets:
            next_frame(ws, "ping")  # the socket is registered: it hears what follows

        def send_all(k):
            sender = token(app, members[k % len(members)])
            return [
                served.request(
                    "POST",
                    f"/api/v1/conversations/{group['id']}/messages",
                    sender,
                    {"client_id": f"s{k}-{n}", "body": f"{k}:{n}"},
                )
                for n in range(each)
            ]

        with ThreadPoolExecutor(max_workers=senders) as pool:
            replies = [reply for batch in pool.map(send_all, range(senders)) for reply in batch]
        assert [status for status, _ in replies] == [201] * senders * each
        acknowledged = {body["id"]: body["seq"] for _, body in replies}
        assert sorted(acknowledged.values()) == list(range(1, senders * each + 1))
        for ws in sockets:
            seen = [next_frame(ws, "message.created")["data"] for _ in acknowledged]
            assert {m["id"]: m["seq"] for m in seen} == acknowledged
            no_frame(ws, "message.created", within=0.5)


def test_auth_by_first_frame(app, api, served, people):
    """A client may send its token as a first `auth` frame instead of in the URL."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    with connect(served.ws_base, open_timeout=5) as ws:
        ws.send(json.dumps({"type": "auth", "token": token(app, theo)}))
        next_frame(ws, "ping")  # signed in and live: only then is "hello" relayed to it
        api.send(maya, dm, "hello")
        assert next_frame(ws, "message.created")["data"]["body"] == "hello"


def test_an_event_between_the_handshake_and_the_auth_frame_is_not_lost(app, api, served, people):
    """The socket is open before it is signed in; what was sent to its user in between
    arrives once it is, exactly once (a client loads state over REST, then opens the socket:
    nothing may fall between the two)."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    stream = app.extensions["beatgraph.relay"].stream_key(theo["id"])
    redis = app.extensions["beatgraph.relay"].redis
    with connect(served.ws_base, open_timeout=5) as ws:
        before = redis.xlen(stream)
        api.send(maya, dm, "while you signed in")
        deadline = time.monotonic() + 5
        while redis.xlen(stream) == before:  # relayed to theo's stream, heard by no socket
            assert time.monotonic() < deadline, "the message was never relayed"
            time.sleep(0.02)
        ws.send(json.dumps({"type": "auth", "token": token(app, theo)}))
        assert next_frame(ws, "message.created")["data"]["body"] == "while you signed in"
        no_frame(ws, "message.created", within=0.5)
        api.send(maya, dm, "live")
        assert next_frame(ws, "message.created")["data"]["body"] == "live"


@pytest.mark.parametrize("how", ["garbage", "expired", "wrong_key", "frame_garbage", "silent"])
def test_bad_or_missing_token_closes_with_4401(app, served, people, how):
    """A bad, expired or missing token closes the socket with 4401."""
    maya = people[0]
    secret = app.config["BEATGRAPH_JWT_SECRET"]
    url = served.ws_base
    if how == "garbage":
        url += "?token=not-a-jwt"
    elif how == "expired":
        url += "?token=" + issue_token(secret, maya["id"], -10)
    elif how == "wrong_key":
        url += "?token=" + issue_token(
            "another-secret-of-sufficient-length-0123456789", maya["id"], 60
        )
    with connect(url, open_timeout=5) as ws:
        if how == "frame_garbage":
            ws.send(json.dumps({"type": "auth", "token": "nope"}))
        assert close_code(ws) == 4401


def test_bad_frames_get_error_frames_and_the_socket_stays_open(app, api, served, people):
    """Malformed JSON, unknown types and bad fields answer an error frame; the socket lives on."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    with open_socket(app, served, maya) as ws:
        ws.send("{not json")
        assert next_frame(ws, "error")["data"]["status"] == 400
        ws.send(json.dumps({"type": "dance"}))
        assert next_frame(ws, "error")["data"]["field"] == "type"
        ws.send(json.dumps({"type": "delivered", "data": {"conversation_id": dm["id"]}}))
        assert next_frame(ws, "error")["data"]["field"] == "up_to_seq"
        ws.send(
            json.dumps({"type": "typing", "data": {"conversation_id": "nope", "state": "start"}})
        )
        assert next_frame(ws, "error")["data"]["status"] == 404
        api.send(theo, dm, "still here")
        assert next_frame(ws, "message.created")["data"]["body"] == "still here"


def test_a_frame_over_16_kb_closes_with_1009(app, served, people):
    """Oversized frames close the socket with 1009 (message too big)."""
    with open_socket(app, served, people[0]) as ws:
        ws.send(json.dumps({"type": "typing", "data": {"pad": "x" * 17_000}}))
        assert close_code(ws) == 1009


def test_typing_is_relayed_renewed_and_expires(app, api, served, people):
    """`typing start` reaches the others; renewed it stays on; left alone it turns into a
    stop after the TTL (1.5 s in tests, 6 s by default)."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    typing = json.dumps({"type": "typing", "data": {"conversation_id": dm["id"], "state": "start"}})
    with open_socket(app, served, maya) as maya_ws, open_socket(app, served, theo) as theo_ws:
        maya_ws.send(typing)
        started = next_frame(theo_ws, "typing")
        assert started["data"]["state"] == "start" and started["data"]["user"]["id"] == maya["id"]
        time.sleep(1.0)
        maya_ws.send(typing)  # renewal before the TTL runs out
        next_frame(theo_ws, "typing")
        no_frame(theo_ws, "typing", within=1.0)  # 2 s after the first start: still typing
        stopped = next_frame(theo_ws, "typing", timeout=3)
        assert stopped["data"]["state"] == "stop"
        no_frame(maya_ws, "typing", within=0.3)


def test_delivered_and_read_over_the_socket_reach_the_sender(app, api, served, people):
    """Receipts sent as frames move the markers and the sender hears message.status."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    message = api.send(maya, dm, "did you get it?")
    with open_socket(app, served, maya) as maya_ws, open_socket(app, served, theo) as theo_ws:
        theo_ws.send(
            json.dumps(
                {
                    "type": "delivered",
                    "data": {"conversation_id": dm["id"], "up_to_seq": message["seq"]},
                }
            )
        )
        delivered = next_frame(maya_ws, "message.status")
        assert delivered["data"]["delivered_seq"] == 1 and delivered["data"]["read_seq"] == 0
        theo_ws.send(json.dumps({"type": "read", "data": {"conversation_id": dm["id"]}}))
        assert next_frame(maya_ws, "message.status")["data"]["read_seq"] == 1
        assert next_frame(theo_ws, "unread.badge")["data"] == {"conversations": 0, "messages": 0}
    page = api.get(f"/api/v1/conversations/{dm['id']}/messages", maya)
    assert page["items"][0]["status"] == "seen"


def test_resume_replays_missed_events_once_in_order(app, api, served, people):
    """Reconnecting with ?since= delivers exactly what was missed, in order, then goes live
    (while away, each message also updated the conversation's one notification)."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    with open_socket(app, served, theo) as ws:
        next_frame(ws, "ping")  # live (and counted online) before "before" is sent
        ws.send(json.dumps({"type": "pong", "data": {}}))
        api.send(maya, dm, "before")
        last_seen = next_frame(ws, "unread.badge")["id"]
    wait_offline(app, theo)  # away: each missed message notifies
    api.send(maya, dm, "missed 1")
    api.send(maya, dm, "missed 2")
    with open_socket(app, served, theo, since=last_seen) as ws:
        replayed = [json.loads(ws.recv(timeout=5)) for _ in range(6)]
        assert [f["type"] for f in replayed] == [
            "message.created",
            "unread.badge",
            "notification.created",
        ] * 2
        assert [f["data"].get("body") for f in replayed[::3]] == ["missed 1", "missed 2"]
        # "before" was delivered but never read, so it counts as unread too.
        assert [f["data"]["notification"]["message_count"] for f in replayed[2::3]] == [2, 3]
        ids = [f["id"] for f in replayed]
        assert len(set(ids)) == 6 and ids == sorted(
            ids, key=lambda i: tuple(map(int, i.split("-")))
        )
        api.send(maya, dm, "live again")
        assert next_frame(ws, "message.created")["data"]["body"] == "live again"
        no_frame(ws, "message.created", within=0.5)


def test_a_live_socket_that_missed_an_announcement_gets_the_event_from_the_stream(
    app, api, served, people
):
    """Pub/sub keeps nothing: when an event reaches the stream but its announcement reaches
    no process (as after a failover, on a new master that had not yet received the
    recipient's presence), the next announcement shows the socket what it missed, and the
    socket is sent it from the stream first: every message once, in order, no silent gap."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    redis = app.extensions["beatgraph.redis"]
    theo_presence = presence_key(app.config["REDIS_PREFIX"], theo["id"])
    with open_socket(app, served, theo) as ws:
        next_frame(ws, "ping")  # counted online
        api.send(maya, dm, "one")
        next_frame(ws, "unread.badge")
        sockets = redis.zrange(theo_presence, 0, -1, withscores=True)
        redis.delete(theo_presence)
        api.send(maya, dm, "two")  # in Theo's stream, announced to nobody
        redis.zadd(theo_presence, dict(sockets))
        api.send(maya, dm, "three")
        frames = []
        while not any(f["data"].get("body") == "three" for f in frames):
            frames.append(json.loads(ws.recv(timeout=5)))
    assert [f["data"]["body"] for f in frames if f["type"] == "message.created"] == [
        "two",
        "three",
    ]
    assert "resync.required" not in [f["type"] for f in frames]
    ids = [f["id"] for f in frames if f["id"]]
    assert len(set(ids)) == len(ids) and ids == sorted(ids, key=stream_id_key)


def test_a_publish_is_one_redis_round_trip_and_survives_redis_forgetting_its_scripts(app, people):
    """Publishing sends its script calls at once, without asking Redis first whether it
    knows the script (SCRIPT EXISTS before every publish); after Redis forgot its scripts
    (a restart, SCRIPT FLUSH) the next publish loads it and still lands, once."""
    maya, theo, _ = people
    relay = app.extensions["beatgraph.relay"]
    assert relay.healthy.wait(5)
    redis = relay.redis
    nodes = {"target_nodes": redis.ALL_NODES} if relay.cluster else {}  # type: ignore[attr-defined]
    relay.publish([Event("test.count", (theo["id"],), {"n": 0})])
    redis.config_resetstat(**nodes)
    for n in (1, 2, 3):
        relay.publish([Event("test.count", (theo["id"], maya["id"]), {"n": n})])
    stats = redis.info("commandstats", **nodes)
    per_node = list(stats.values()) if relay.cluster else [stats]

    def calls(command: str) -> int:
        return sum(node.get(f"cmdstat_{command}", {}).get("calls", 0) for node in per_node)

    assert calls("script|exists") == 0
    assert calls("evalsha") == 6  # one per recipient per publish
    redis.script_flush()  # on a cluster, every primary's
    relay.publish([Event("test.count", (theo["id"],), {"n": 4})])
    stream = redis.xrange(relay.stream_key(theo["id"]))
    assert [json.loads(fields[b"frame"])["data"]["n"] for _, fields in stream] == [0, 1, 2, 3, 4]


@pytest.fixture
def short_streams(app_config):
    app_config["BEATGRAPH_EVENTS_MAXLEN"] = 100
    return app_config


def test_resume_from_a_trimmed_position_asks_for_resync(short_streams, app, graph, served, people):
    """When the missed events are no longer kept, the client gets one resync.required."""
    theo = people[1]
    relay = app.extensions["beatgraph.relay"]
    relay.publish([Event("unread.badge", (theo["id"],), {"n": 0})])
    first_id = relay.redis.xrange(relay.stream_key(theo["id"]))[0][0].decode()
    relay.publish([Event("unread.badge", (theo["id"],), {"n": n}) for n in range(1, 400)])
    with open_socket(app, served, theo, since=first_id) as ws:
        first = json.loads(ws.recv(timeout=5))
        assert first["type"] == "resync.required"


@pytest.mark.parametrize(
    "since",
    [
        "99999999999999999999-0",
        "18446744073709551616-0",
        "0-99999999999999999999",
        "１２-0",
        "12-",
        "-1",
    ],
)
def test_a_since_redis_cannot_read_asks_for_resync_and_the_socket_lives(
    app, api, served, people, since
):
    """A `since` past Redis's 64-bit stream ids (or not an id at all) is answered
    resync.required — not a dead socket — and live events still arrive after it."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    with open_socket(app, served, theo, since=since) as ws:
        first = json.loads(ws.recv(timeout=5))
        assert first["type"] == "resync.required"
        api.send(maya, dm, "still live")
        assert next_frame(ws, "message.created")["data"]["body"] == "still live"


def test_two_processes_relay_to_each_others_sockets(app, app_config, api, served, people):
    """A message sent through one app process reaches a socket held by another."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    other = ServedApp(app_config)
    try:
        with open_socket(app, other, theo) as theo_ws:
            next_frame(theo_ws, "ping")  # live: its presence names its process
            status, _ = served.request(
                "POST",
                f"/api/v1/conversations/{dm['id']}/messages",
                token(app, maya),
                {"client_id": "x", "body": "across"},
            )
            assert status == 201
            assert next_frame(theo_ws, "message.created")["data"]["body"] == "across"
    finally:
        other.stop()


def test_three_processes_each_socket_gets_each_event_once_and_only_its_holders_decode_it(
    app, app_config, api, served, people
):
    """Theo has two tabs on one process and a phone on another; a third process holds only
    Eve's socket. A message to Theo reaches each of his three sockets exactly once, and the
    third process never decodes it: events go only to the processes holding a recipient."""
    maya, theo, eve = people
    dm = api.start(maya, theo)
    second, third = ServedApp(app_config), ServedApp(app_config)
    try:
        with (
            open_socket(app, served, theo) as tab_one,
            open_socket(app, served, theo) as tab_two,
            open_socket(app, second, theo) as phone,
            open_socket(app, third, eve) as eve_ws,
        ):
            for ws in (tab_one, tab_two, phone, eve_ws):
                next_frame(ws, "ping")  # live: its presence names its process
            before = third.metric("beatgraph_relay_messages_total")
            for n in range(3):
                api.send(maya, dm, f"hello {n}")
            for ws in (tab_one, tab_two, phone):
                bodies = [next_frame(ws, "message.created")["data"]["body"] for _ in range(3)]
                assert bodies == ["hello 0", "hello 1", "hello 2"]
                no_frame(ws, "message.created", within=0.5)
            no_frame(eve_ws, "message.created", within=0.2)
            assert third.metric("beatgraph_relay_messages_total") == before
            assert second.metric("beatgraph_relay_messages_total") >= 3
    finally:
        second.stop()
        third.stop()


@pytest.fixture
def served_idle_5s(app, app_config):
    """The app served with a 5 s idle limit (the suite's default is longer)."""
    server = ServedApp(app_config, dict(REALTIME_TEST_SETTINGS, BEATGRAPH_WS_IDLE_SECONDS="5"))
    yield server
    server.stop()


def test_pings_arrive_and_a_silent_client_is_dropped(app, served_idle_5s, people):
    """The server pings; a client that sends nothing for the idle limit is closed (1001)."""
    with open_socket(app, served_idle_5s, people[0]) as ws:
        assert next_frame(ws, "ping", timeout=2)["type"] == "ping"
        assert close_code(ws, timeout=8) == 1001


def test_a_client_that_answers_pings_stays(app, served_idle_5s, people):
    """Answering pings with pong frames keeps the socket open past the idle limit."""
    with open_socket(app, served_idle_5s, people[0]) as ws:
        deadline = time.monotonic() + 6
        while time.monotonic() < deadline:
            next_frame(ws, "ping", timeout=2)
            ws.send(json.dumps({"type": "pong"}))
        ws.send(json.dumps({"type": "pong"}))
        assert next_frame(ws, "ping", timeout=2)
