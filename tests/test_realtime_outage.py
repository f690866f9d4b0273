"""Redis going away mid-conversation: nothing acknowledged is lost, sockets are told to
retry, and the relay comes back by itself."""

import json
import os
import signal
import time

from websockets.exceptions import ConnectionClosed

from tests.served import ServedApp
from tests.test_ops import _redis_pid, _restart_redis, _stop_redis
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


def _kill_redis() -> None:
    """`kill -9` the test stack's Redis: it keeps nothing (no persistence), so it comes
    back empty."""
    pid = _redis_pid()
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                if handle.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return
        except FileNotFoundError:
            return
        time.sleep(0.05)
    raise AssertionError("Redis did not die within 10 s of SIGKILL")


def _first_event_frame(app, served, user, since, within=5.0):
    """Open a resuming socket as soon as the served relay accepts again (it refuses with
    1013 until it is back on Redis); the first frame that is not a ping within `within`
    seconds of being accepted, or None."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with open_socket(app, served, user, since=since) as ws:
            try:
                payload = json.loads(ws.recv(timeout=3))  # a ping at least: accepted
                quiet_until = time.monotonic() + within
                while payload["type"] == "ping":
                    ws.send(json.dumps({"type": "pong", "data": {}}))
                    payload = json.loads(ws.recv(timeout=quiet_until - time.monotonic()))
                return payload
            except ConnectionClosed:
                time.sleep(0.3)  # refused: the relay is not back yet
            except TimeoutError:
                return None
    raise AssertionError("the served relay did not accept sockets again within 20 s")


def test_resume_across_a_redis_crash_asks_for_resync(app, app_config, api, people):
    """A client resuming with a `since` from before Redis was killed (`kill -9`, restarted
    empty) missed the messages sent meanwhile, which no stream holds: its first frame is
    resync.required naming that `since`, and REST has every message."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    served = ServedApp(app_config)
    try:
        with open_socket(app, served, theo) as theo_ws:
            _send(app, served, maya, dm, "before", "before the crash")
            since = next_frame(theo_ws, "message.created")["id"]
            _kill_redis()
            try:
                assert close_code(theo_ws, timeout=10) == 1013
                for n in range(3):
                    status, _ = _send(app, served, maya, dm, f"meanwhile-{n}", f"meanwhile {n}")
                    assert status == 201
            finally:
                _restart_redis()
        first = _first_event_frame(app, served, theo, since)
        assert first is not None, "no frame at all: neither the missed events nor a resync"
        assert (first["type"], first["data"]) == ("resync.required", {"since": since})
        page = api.get(f"/api/v1/conversations/{dm['id']}/messages", theo)
        assert [m["body"] for m in page["items"]] == [
            "meanwhile 2",
            "meanwhile 1",
            "meanwhile 0",
            "before the crash",
        ]
    finally:
        served.stop()


def test_resume_across_refused_writes_asks_for_resync(app, app_config, api, people, served):
    """While Redis refuses writes (out of memory) but keeps its streams, a message's events
    reach no stream; a client resuming from before that gets resync.required, not a replay
    of the later events that silently skips the lost one."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    redis = app.extensions["beatgraph.redis"]
    with open_socket(app, served, theo) as theo_ws:
        _send(app, served, maya, dm, "before", "before")
        since = next_frame(theo_ws, "message.created")["id"]
    limit = redis.config_get("maxmemory")["maxmemory"]
    redis.config_set("maxmemory", 1)  # under what is used: every write is refused (OOM)
    try:
        status, _ = _send(app, served, maya, dm, "lost", "its events reach no stream")
        assert status == 201
    finally:
        redis.config_set("maxmemory", limit)
    status, _ = _send(app, served, maya, dm, "after", "kept again")
    assert status == 201
    first = _first_event_frame(app, served, theo, since)
    assert first is not None and (first["type"], first["data"]) == (
        "resync.required",
        {"since": since},
    )
