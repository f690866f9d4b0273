"""A real WebSocket client's view of a served app: open, wait for a frame, see it close."""

import json
import time

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from server.tokens import issue_token


def token(app, user):
    return issue_token(app.config["BEATGRAPH_JWT_SECRET"], user["id"], 600)


def open_socket(app, served, user, **params):
    query = "&".join(
        f"{key}={value}" for key, value in {"token": token(app, user), **params}.items()
    )
    return connect(f"{served.ws_base}?{query}", open_timeout=5, close_timeout=2)


def next_frame(ws, kind, timeout=5.0):
    """The next frame of `kind`, skipping other kinds; fails after `timeout`. A skipped ping
    is answered, as a real client does, so a wait longer than the server's idle limit (5 s
    in tests, easily reached on a loaded machine) does not get the socket closed."""
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"no {kind} frame within {timeout} s")
        payload = json.loads(ws.recv(timeout=remaining))
        if payload["type"] == kind:
            return payload
        if payload["type"] == "ping":
            ws.send(json.dumps({"type": "pong", "data": {}}))


def no_frame(ws, kind, within):
    """Assert that no frame of `kind` arrives within `within` seconds."""
    with pytest.raises((TimeoutError, AssertionError)):
        next_frame(ws, kind, timeout=within)


def close_code(ws, timeout=5.0):
    """Wait for the server to close the socket; its close code."""
    with pytest.raises(ConnectionClosed) as closed:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ws.recv(timeout=deadline - time.monotonic())
    return closed.value.rcvd.code if closed.value.rcvd else None


def wait_offline(app, user, timeout=5.0):
    """Wait until the served app has seen every socket of `user` close (presence holds
    none): a client's close reaches the server a moment after its `with` block ends."""
    presence = app.extensions["beatgraph.presence"]  # same Redis and prefix as the served app
    key = presence.key(user["id"])
    deadline = time.monotonic() + timeout
    while presence.redis.zcount(key, time.time(), "+inf"):
        if time.monotonic() > deadline:
            raise AssertionError(f"{user['display_name']} still online after {timeout} s")
        time.sleep(0.02)
