"""The app process dying between a message's commit and its Redis publish: the stored
message still reaches every participant's socket, once."""

import urllib.error
import uuid

from tests.served import REALTIME_TEST_SETTINGS, ServedApp, ServedWorker
from tests.sockets import next_frame, no_frame, open_socket, token

CRASH_AFTER_COMMIT = {
    **REALTIME_TEST_SETTINGS,
    "BEATGRAPH_ENV": "test",
    "BEATGRAPH_TEST_CRASH_AFTER_COMMIT": "1",
}


def _send(app, served, sender, conversation, body):
    """POST the message; None when the process died before answering."""
    try:
        return served.request(
            "POST", f"/api/v1/conversations/{conversation['id']}/messages", token(app, sender), body
        )
    except (urllib.error.URLError, ConnectionError):
        return None


def test_a_message_committed_before_a_crash_reaches_every_socket_once(app, app_config, api, people):
    """The process exits right after send_message commits, before it publishes: the
    recipient's and the sender's sockets on a fresh process still get `message.created`
    (from the notification worker's relay), exactly once — the client's retry with the
    same client_id returns the stored message and sends no second event."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    fresh = ServedApp(app_config)
    crashing = ServedApp(app_config, settings=CRASH_AFTER_COMMIT)
    worker = None
    try:
        with open_socket(app, fresh, theo) as theo_ws, open_socket(app, fresh, maya) as maya_ws:
            body = {"client_id": uuid.uuid4().hex, "body": "sent as the process died"}
            assert _send(app, crashing, maya, dm, body) is None, "the process did not die"
            stored = api.get(f"/api/v1/conversations/{dm['id']}/messages", theo)["items"]
            assert [m["body"] for m in stored] == [body["body"]], "the commit was lost"
            worker = ServedWorker(app_config)
            for ws in (theo_ws, maya_ws):
                created = next_frame(ws, "message.created", timeout=20)
                assert created["data"]["id"] == stored[0]["id"]
                assert created["data"]["body"] == body["body"]
            status, retried = _send(app, fresh, maya, dm, body) or (None, None)
            assert status == 200 and retried["id"] == stored[0]["id"]
            for ws in (theo_ws, maya_ws):  # longer than the relay delay and a worker poll
                no_frame(ws, "message.created", within=7)
    finally:
        if worker is not None:
            worker.stop()
        crashing.stop()
        fresh.stop()
