"""`GET /api/v1/ws`: one WebSocket per client, relaying events and taking typing and
receipts. The route calls domain functions; it never holds a session itself."""

import contextlib
import logging
import time
from typing import Any

from flask import Blueprint, current_app, g, request
from flask_sock import Sock
from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError
from redis.exceptions import RedisError

from api.errors import status_of
from graph import conversations, messages
from graph.db import Graph
from graph.errors import DomainError, InvalidInput, Unauthorized, Unavailable
from graph.events import UnitOfWork
from graph.relaying import publish_committed
from realtime.block_watch import BlockWatch
from realtime.budget import FrameBudget, Verdict
from realtime.connection import Connection, frame
from realtime.frames import AuthFrame, DeliveredFrame, ReadFrame, TypingFrame, parse_frame
from realtime.presence import Presence
from realtime.relay import TRY_AGAIN_LATER, Relay
from realtime.typing_indicators import TypingTracker
from server.subjects import KnownUsers
from server.tokens import VERIFIED_TOKENS, Caller, VerifiedTokens

BAD_HANDSHAKE = 4400
UNAUTHORIZED = 4401
POLICY_VIOLATION = 1008
PATH = "/api/v1/ws"
CLOSE_CODES = {
    1001: "the client sent no frame for BEATGRAPH_WS_IDLE_SECONDS (60 s); reconnect",
    POLICY_VIOLATION: "frames kept coming past the frame budget (docs/realtime.md)",
    1009: "a client frame over BEATGRAPH_WS_MAX_FRAME_BYTES (16 KB)",
    TRY_AGAIN_LATER: "the realtime relay lost Redis; reconnect with backoff and `since`",
    BAD_HANDSHAKE: "the first frame is not a well-formed frame (a bad handshake)",
    UNAUTHORIZED: "no valid token (missing, malformed, expired, foreign, or for no user)",
}
log = logging.getLogger(__name__)
sock = Sock()
bp = Blueprint("realtime", __name__)


class _Refused(Exception):
    """The handshake failed: close with `code`."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


def _authenticate(ws: Any) -> Caller:
    """The caller of a valid token naming an existing user, from `?token=` or from an
    `auth` frame within the auth timeout; a first frame that is not a well-formed frame is
    a bad handshake (4400), no valid token or no such user 4401."""
    tokens: VerifiedTokens = current_app.extensions[VERIFIED_TOKENS]
    token = request.args.get("token")
    if token is None:
        raw = ws.receive(timeout=current_app.config["BEATGRAPH_WS_AUTH_SECONDS"])
        if raw is None:
            raise _Refused(UNAUTHORIZED, "unauthorized")
        try:
            first = parse_frame(raw)
        except InvalidInput as exc:
            raise _Refused(BAD_HANDSHAKE, f"bad auth frame: {exc.detail}"[:120]) from None
        token = first.bearer if isinstance(first, AuthFrame) else None
    try:
        caller = tokens.decode(token or "")
    except Unauthorized:
        raise _Refused(UNAUTHORIZED, "unauthorized") from None
    known: KnownUsers = current_app.extensions["beatgraph.known_users"]
    if not known.exists(caller.user_id):
        raise _Refused(UNAUTHORIZED, "unauthorized")
    return caller


def _error_frame(error: DomainError) -> dict[str, Any]:
    status, title = status_of(error)
    data = {"status": status, "title": title, "detail": error.detail}
    if error.field:
        data["field"] = error.field
    return frame("error", data)


def _handle(connection: Connection, raw: str | bytes) -> None:
    """One client frame: typing, delivered, read, pong (or a repeated auth); anything else
    raises `InvalidInput` naming the field."""
    graph = current_app.extensions["beatgraph.graph"]
    message = parse_frame(raw)
    work = UnitOfWork()
    with graph.causal_chain():  # one frame, one unit of work (the socket's life is not)
        try:
            _act(graph, work, connection, message)
        finally:  # what committed before a failure is still told
            publish_committed(graph, work, current_app.extensions["beatgraph.publisher"])


def _act(graph: Graph, work: UnitOfWork, connection: Connection, message: Any) -> None:
    """Do what a parsed client frame asks."""
    if isinstance(message, TypingFrame):
        conversation_id = message.data.conversation_id
        blocks: BlockWatch = current_app.extensions["beatgraph.blocks"]
        others = conversations.typing_recipients(
            graph, connection.user_id, conversation_id, blocks.blocked
        )
        tracker: TypingTracker = current_app.extensions["beatgraph.typing"]
        tracker.typing({"id": connection.user_id}, conversation_id, message.data.state, others)
    elif isinstance(message, DeliveredFrame):
        messages.mark_delivered(
            graph, work, connection.user_id, message.data.conversation_id, message.data.up_to_seq
        )
    elif isinstance(message, ReadFrame):
        messages.mark_read(
            graph, work, connection.user_id, message.data.conversation_id, message.data.up_to_seq
        )


def _answer(connection: Connection, raw: str | bytes) -> None:
    """Handle a frame; whatever goes wrong is an `error` frame and the socket goes on."""
    try:
        _handle(connection, raw)
    except DomainError as error:
        connection.send(_error_frame(error))
    except (RedisError, ServiceUnavailable, SessionExpired, TransientError) as exc:
        log.warning("socket frame of %s not handled: %s", connection.user_id, exc)
        connection.send(_error_frame(Unavailable("a backing service does not answer; retry")))
    except Exception:
        log.exception("socket frame of %s failed", connection.user_id)
        connection.send(
            frame(
                "error",
                {
                    "status": 500,
                    "title": "Internal server error",
                    "detail": "the frame could not be handled",
                },
            )
        )


def _renew_presence(connection: Connection) -> None:
    """Count this socket as live for another while (a missed renewal is retried at the next
    ping, well within the presence TTL of two pings)."""
    presence: Presence = current_app.extensions["beatgraph.presence"]
    with contextlib.suppress(RedisError):
        presence.renew(connection.user_id, connection.id)


def _frame_budget() -> FrameBudget:
    config = current_app.config
    return FrameBudget(
        config["BEATGRAPH_WS_FRAME_RATE"],
        config["BEATGRAPH_WS_FRAME_BURST"],
        config["BEATGRAPH_WS_FRAME_STRIKES"],
    )


def _spend(connection: Connection, budget: FrameBudget) -> Verdict:
    """One frame of the socket's budget: a refused frame is answered with an error frame
    (429) and not acted on; a flood past the strikes closes the socket (1008)."""
    verdict = budget.take()
    if verdict is Verdict.REFUSE:
        connection.send(
            frame(
                "error",
                {
                    "status": 429,
                    "title": "Too many frames",
                    "detail": (
                        f"over {budget.rate:g} frames per second; this frame was not acted on"
                    ),
                },
            )
        )
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
        _answer(connection, raw)


@bp.before_request
def _note_where_streams_stand() -> None:
    """Before the handshake: the stream position of this moment. Events published between
    the handshake and the socket counting as live (presence) reach only the user's stream;
    a fresh socket gets them from there (None when Redis does not answer: then it is refused
    like any socket while Redis is away)."""
    relay: Relay = current_app.extensions["beatgraph.relay"]
    try:
        g.opened_at = relay.position_now()
    except RedisError:
        g.opened_at = None


def _catch_up(relay: Relay, connection: Connection, user_id: str) -> str | None:
    """Send what the socket missed before it was live: with `?since=` the events after it
    (or `resync.required` when the stream cannot prove it holds them), else those since
    the handshake. The id of the last one sent."""
    since = request.args.get("since")
    if since:
        replayed = relay.replay(user_id, since)
        if replayed is None:
            connection.send(frame("resync.required", {"since": since}))
            replayed = []
    else:
        replayed = relay.added_since(user_id, g.opened_at)
    for _, text in replayed:
        connection.deliver_now(text)
    return replayed[-1][0] if replayed else None


@sock.route(PATH, bp=bp)  # type: ignore[untyped-decorator]  # flask-sock ships no types
def channel(ws: Any) -> None:
    """Authenticate, send what the client missed (since `since`, or since the handshake),
    then relay live events."""
    relay: Relay = current_app.extensions["beatgraph.relay"]
    if not relay.healthy.is_set() or g.opened_at is None:
        ws.close(reason=TRY_AGAIN_LATER, message="realtime unavailable, retry later")
        return
    try:
        caller = _authenticate(ws)
    except _Refused as refused:
        ws.close(reason=refused.code, message=refused.reason)
        return
    connection = Connection(ws, caller.user_id)
    relay.register(connection)
    try:
        # Presence is how events find this process: without it the socket would hear nothing.
        current_app.extensions["beatgraph.presence"].renew(caller.user_id, connection.id)
    except RedisError:
        relay.unregister(connection)
        ws.close(reason=TRY_AGAIN_LATER, message="realtime unavailable, retry later")
        return
    try:
        connection.go_live(_catch_up(relay, connection, caller.user_id))
        _serve(ws, connection)
    finally:
        relay.unregister(connection)
        with contextlib.suppress(RedisError):
            current_app.extensions["beatgraph.presence"].leave(caller.user_id, connection.id)
