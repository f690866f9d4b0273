"""Redis going away mid-conversation: nothing acknowledged is lost, sockets are told to
retry, and the relay comes back by itself."""

import time

from websockets.exceptions import ConnectionClosed

from tests.served import ServedApp
from tests.test_ops import _restart_redis, _stop_redis
from tests.test_realtime import close_code, next_frame, open_socket, token


def _send(app, served, sender, conversation, client_id, body):
    return served.request(
        "POST",
        f"/api/v1/conversations/{conversation['id']}/messages",
        token(app, sender),
        {"client_id": client_id, "body": body},
    )


def test_redis_outage_keeps_messages_and_the_relay_recovers(app, app_config, api, people):
    """While Redis is down: sockets close with 1013, new ones are refused with 1013, REST
    keeps storing messages (201, readable after). When it returns, live delivery resumes."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    served = ServedApp(app_config)
    try:
        with open_socket(app, served, theo) as theo_ws:
            _stop_redis()
            try:
                assert close_code(theo_ws, timeout=10) == 1013
                with open_socket(app, served, theo) as refused:
                    assert close_code(refused, timeout=5) == 1013
                status, sent = _send(app, served, maya, dm, "during", "still stored?")
                assert status == 201
            finally:
                _restart_redis()
        page = api.get(f"/api/v1/conversations/{dm['id']}/messages", theo)
        assert [m["id"] for m in page["items"]] == [sent["id"]]
        deadline = time.monotonic() + 15
        while not app.extensions["beatgraph.relay"].healthy.is_set():
            assert time.monotonic() < deadline, "the in-process relay did not recover"
            time.sleep(0.1)
        while True:
            assert time.monotonic() < deadline, "the served relay did not accept sockets again"
            with open_socket(app, served, theo) as ws:
                try:
                    ws.recv(timeout=1.0)  # a ping: accepted (a refusal closes at once)
                except ConnectionClosed:
                    time.sleep(0.3)
                    continue
                _send(app, served, maya, dm, "after", "back")
                assert next_frame(ws, "message.created")["data"]["body"] == "back"
                break
    finally:
        served.stop()
