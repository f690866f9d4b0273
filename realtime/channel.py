"""`GET /api/v1/ws`: one WebSocket per client, relaying events and taking typing and
receipts. The route calls domain functions; it never holds a session itself."""

import contextlib
import json
import time
from typing import Any

from flask import Blueprint, current_app, request
from flask_sock import Sock
from redis.exceptions import RedisError

from graph import conversations, messages
from graph.errors import DomainError, InvalidInput, Unauthorized
from realtime.budget import FrameBudget, Verdict
from realtime.connection import Connection, frame
from realtime.presence import Presence
from realtime.relay import TRY_AGAIN_LATER, Relay
from realtime.typing import TypingTracker
from server.subjects import KnownUsers
from server.tokens import Caller, TokenRules

UNAUTHORIZED = 4401
POLICY_VIOLATION = 1008
sock = Sock()
bp = Blueprint("realtime", __name__)


def _authenticate(ws: Any) -> Caller | None:
    """The caller of a valid token naming an existing user, from `?token=` or from an
    `auth` frame within the auth timeout; None otherwise."""
    rules: TokenRules = current_app.extensions["beatgraph.tokens"]
    token = request.args.get("token")
    if token is None:
        raw = ws.receive(timeout=current_app.config["BEATGRAPH_WS_AUTH_SECONDS"])
        try:
            first = json.loads(raw) if raw is not None else None
        except ValueError:
            first = None
        if not isinstance(first, dict) or first.get("type") != "auth":
            return None
        token = first.get("token") or (first.get("data") or {}).get("token")
    try:
        caller = rules.decode(str(token))
    except Unauthorized:
        return None
    known: KnownUsers = current_app.extensions["beatgraph.known_users"]
    return caller if known.exists(caller.user_id) else None


def _error_frame(error: DomainError) -> dict[str, Any]:
    data = {"status": error.status, "title": error.title, "detail": error.detail}
    if error.field:
        data["field"] = error.field
    return frame("error", data)


def _conversation_and_seq(data: dict[str, Any], seq_required: bool) -> tuple[str, int | None]:
    conversation_id = data.get("conversation_id")
    if not isinstance(conversation_id, str) or not conversation_id:
        raise InvalidInput("conversation_id is required", field="conversation_id")
    up_to_seq = data.get("up_to_seq")
    if (up_to_seq is None and seq_required) or (
        up_to_seq is not None and (not isinstance(up_to_seq, int) or up_to_seq < 0)
    ):
        raise InvalidInput("up_to_seq must be a non-negative integer", field="up_to_seq")
    return conversation_id, up_to_seq


def _handle(connection: Connection, raw: str) -> None:
    """One client frame: typing, delivered, read or pong; anything else is an error frame."""
    graph = current_app.extensions["beatgraph.graph"]
    try:
        message = json.loads(raw)
    except ValueError:
        raise InvalidInput("frames must be JSON objects", field="frame") from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise InvalidInput("frames need a string 'type'", field="type")
    kind, data = message["type"], message.get("data") or {}
    if not isinstance(data, dict):
        raise InvalidInput("'data' must be an object", field="data")
    if kind in ("pong", "auth"):
        return
    if kind == "typing":
        conversation_id, _ = _conversation_and_seq(data, seq_required=False)
        if data.get("state") not in ("start", "stop"):
            raise InvalidInput("state must be 'start' or 'stop'", field="state")
        others = conversations.typing_recipients(graph, connection.user_id, conversation_id)
        tracker: TypingTracker = current_app.extensions["beatgraph.typing"]
        tracker.typing({"id": connection.user_id}, conversation_id, data["state"], others)
    elif kind in ("delivered", "read"):
        conversation_id, up_to_seq = _conversation_and_seq(data, seq_required=kind == "delivered")
        if kind == "delivered":
            messages.mark_delivered(graph, connection.user_id, conversation_id, up_to_seq or 0)
        else:
            messages.mark_read(graph, connection.user_id, conversation_id, up_to_seq)
    else:
        raise InvalidInput(f"unknown frame type {kind!r}", field="type")


def _renew_presence(connection: Connection) -> None:
    """Count this socket as live for another while (presence is a hint: Redis may be away)."""
    presence: Presence = current_app.extensions["beatgraph.presence"]
    with contextlib.suppress(RedisError):
        presence.renew(connection.user_id, connection.id)


def _frame_budget() -> FrameBudget:
    config = current_app.config
    return FrameBudget(config["BEATGRAPH_WS_FRAME_RATE"], config["BEATGRAPH_WS_FRAME_BURST"],
                       config["BEATGRAPH_WS_FRAME_STRIKES"])


def _spend(connection: Connection, budget: FrameBudget) -> Verdict:
    """One frame of the socket's budget: a refused frame is answered with an error frame
    (429) and not acted on; a flood past the strikes closes the socket (1008)."""
    verdict = budget.take()
    if verdict is Verdict.REFUSE:
        connection.send(frame("error", {
            "status": 429, "title": "Too many frames",
            "detail": f"over {budget.rate:g} frames per second; this frame was not acted on"}))
    elif verdict is Verdict.CLOSE:
        connection.close(POLICY_VIOLATION, "too many frames")
    return verdict


def _serve(ws: Any, connection: Connection) -> None:
    """Read client frames until the socket closes, floods, or the client goes silent."""
    ping_every = current_app.config["BEATGRAPH_WS_PING_SECONDS"]
    idle_limit = current_app.config["BEATGRAPH_WS_IDLE_SECONDS"]
    budget = _frame_budget()
    last_heard = time.monotonic()
    next_ping = last_heard + ping_every
    while True:
        raw = ws.receive(timeout=min(1.0, ping_every))
        now = time.monotonic()
        if raw is None:
            if now - last_heard > idle_limit:
                connection.close(1001, "no frames from the client; closing")
                return
            if now >= next_ping:
                connection.send(frame("ping", {}))
                _renew_presence(connection)
                next_ping = now + ping_every
            continue
        last_heard = now
        verdict = _spend(connection, budget)
        if verdict is Verdict.CLOSE:
            return
        if verdict is Verdict.REFUSE:
            continue
        try:
            _handle(connection, raw if isinstance(raw, str) else raw.decode("utf-8", "replace"))
        except DomainError as error:
            connection.send(_error_frame(error))


@sock.route("/api/v1/ws", bp=bp)
def channel(ws: Any) -> None:
    """Authenticate, replay what a resuming client missed, then relay live events."""
    relay: Relay = current_app.extensions["beatgraph.relay"]
    if not relay.healthy.is_set():
        ws.close(reason=TRY_AGAIN_LATER, message="realtime unavailable, retry later")
        return
    caller = _authenticate(ws)
    if caller is None:
        ws.close(reason=UNAUTHORIZED, message="unauthorized")
        return
    connection = Connection(ws, caller.user_id)
    relay.register(connection)
    _renew_presence(connection)
    try:
        since = request.args.get("since")
        replayed = relay.replay(caller.user_id, since) if since else []
        if replayed is None:
            connection.send(frame("resync.required", {"since": since}))
            replayed = []
        for _, text in replayed:
            connection.deliver_now(text)
        connection.go_live(replayed[-1][0] if replayed else None)
        _serve(ws, connection)
    finally:
        relay.unregister(connection)
        with contextlib.suppress(RedisError):
            current_app.extensions["beatgraph.presence"].leave(caller.user_id, connection.id)
