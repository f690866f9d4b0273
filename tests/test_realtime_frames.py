"""Every client frame shape gets an answer on a served app: a bad frame after sign-in is an
`error` frame naming the field and the socket lives on; a malformed handshake closes with
4400 (never an HTTP 500 written onto the upgraded socket)."""

import json

from websockets.sync.client import connect

from tests.served import REALTIME_TEST_SETTINGS, ServedApp
from tests.sockets import close_code, next_frame, open_socket, token

HUGE = 2**63  # one past the largest integer Neo4j stores


def _bad_frames(conversation_id):
    """(frame text, the field its error frame names)."""
    frames = [
        ("{not json", "frame"),
        ("[" * 3000 + "]" * 3000, "frame"),
        ("[1, 2]", "frame"),
        ("5", "frame"),
        ("null", "frame"),
        ('"typing"', "frame"),
        (json.dumps({"data": {}}), "type"),
        (json.dumps({"type": 5}), "type"),
        (json.dumps({"type": None}), "type"),
        (json.dumps({"type": "dance"}), "type"),
        (json.dumps({"type": "auth", "data": "x"}), "data"),
        (json.dumps({"type": "pong", "data": [1]}), "data"),
    ]
    for kind in ("typing", "delivered", "read"):
        frames += [
            (json.dumps({"type": kind, "data": "x"}), "data"),
            (json.dumps({"type": kind, "data": ["x"]}), "data"),
            (
                json.dumps(
                    {"type": kind, "data": {"conversation_id": 5, "state": "start", "up_to_seq": 1}}
                ),
                "conversation_id",
            ),
        ]
    for seq in (HUGE, 10**30, -1, 1.5, "3", True, [1], {"n": 1}):
        for kind in ("delivered", "read"):
            frames.append(
                (
                    json.dumps(
                        {
                            "type": kind,
                            "data": {"conversation_id": conversation_id, "up_to_seq": seq},
                        }
                    ),
                    "up_to_seq",
                )
            )
    for state in ("go", 1, None, ["start"]):
        frames.append(
            (
                json.dumps(
                    {"type": "typing", "data": {"conversation_id": conversation_id, "state": state}}
                ),
                "state",
            )
        )
    return frames


def test_every_malformed_frame_gets_an_error_frame_and_the_socket_lives(
    app, app_config, api, people
):
    """Wrong JSON, wrong shapes, wrong types and integers past 64 bits in any field each
    answer an `error` frame with status 400 naming the field; the socket keeps relaying.
    (The frame budget is raised here: this test sends more frames than its default burst.)"""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    served = ServedApp(app_config, dict(REALTIME_TEST_SETTINGS, BEATGRAPH_WS_FRAME_BURST="1000"))
    try:
        _every_bad_frame_answers(app, api, served, maya, theo, dm)
    finally:
        served.stop()


def _every_bad_frame_answers(app, api, served, maya, theo, dm):
    with open_socket(app, served, maya) as ws:
        for text, field in _bad_frames(dm["id"]):
            ws.send(text)
            error = next_frame(ws, "error")["data"]
            assert (error["status"], error["field"]) == (400, field), text[:80]
        api.send(theo, dm, "still here")
        assert next_frame(ws, "message.created")["data"]["body"] == "still here"


def test_a_binary_frame_that_is_not_utf8_gets_an_error_frame(app, api, served, people):
    """Bytes that are not text are a bad frame, not a dead socket."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    with open_socket(app, served, maya) as ws:
        ws.send(b"\xff\xfe{")
        assert next_frame(ws, "error")["data"]["field"] == "frame"
        ws.send(
            json.dumps({"type": "delivered", "data": {"conversation_id": dm["id"], "up_to_seq": 0}})
        )
        ws.send(json.dumps({"type": "pong"}))
        api.send(theo, dm, "alive")
        assert next_frame(ws, "message.created")["data"]["body"] == "alive"


MALFORMED_HANDSHAKES = [
    json.dumps({"type": "auth", "data": "x"}),
    json.dumps({"type": "auth", "data": ["token"]}),
    json.dumps({"type": "auth", "token": 5}),
    json.dumps({"type": "auth", "data": {"token": ["x"]}}),
    json.dumps({"type": "auth", "token": "t" * 5000}),
    "{not json",
    "[" * 3000,
    "[]",
]
UNAUTHORISED_HANDSHAKES = [
    json.dumps({"type": "auth", "token": "not-a-jwt"}),
    json.dumps({"type": "auth", "data": {"token": "not-a-jwt"}}),
    json.dumps({"type": "auth"}),
    json.dumps({"type": "typing", "data": {"conversation_id": "c", "state": "start"}}),
]


def test_a_malformed_auth_frame_closes_with_4400(served):
    """A first frame that is not a well-formed auth frame is a bad handshake: close 4400."""
    for first in MALFORMED_HANDSHAKES:
        with connect(served.ws_base, open_timeout=5) as ws:
            ws.send(first)
            assert close_code(ws) == 4400, first[:80]


def test_a_well_formed_handshake_without_a_valid_token_closes_with_4401(served):
    """An auth frame whose token is bad or missing, or a first frame that is no auth frame,
    is unauthorised: 4401."""
    for first in UNAUTHORISED_HANDSHAKES:
        with connect(served.ws_base, open_timeout=5) as ws:
            ws.send(first)
            assert close_code(ws) == 4401, first


def test_an_auth_frame_may_carry_the_token_in_data(app, api, served, people):
    """`{"type": "auth", "data": {"token": ...}}` signs in like a top-level token."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    with connect(served.ws_base, open_timeout=5) as ws:
        ws.send(json.dumps({"type": "auth", "data": {"token": token(app, theo)}}))
        next_frame(ws, "ping")  # signed in and live: only then is "hello" relayed to it
        api.send(maya, dm, "hello")
        assert next_frame(ws, "message.created")["data"]["body"] == "hello"
