"""The Redis relay: events into per-user streams, announced only to the app processes that
hold a socket of the recipient; one listener per process hands them to its sockets.

Each process (a gunicorn worker, on any host) has a node id and a pub/sub channel of its
own. Presence records each live socket as `<node id>:<connection id>` in the user's set, so
publishing reads the set and announces the event on the channel of each node found there,
in the same script as the stream append: a process decodes only events for its own
sockets, however many processes there are.

Shaped after python-socketio's pubsub manager: JSON messages with a type, a bad message
is logged and skipped, a lost Redis connection is retried with capped backoff. While
Redis is away the relay is unhealthy: sockets are closed with 1013 and new ones refused;
events are dropped (Neo4j holds the truth and clients resync over REST).

Resume is offered only for a `since` the streams provably still follow: the entry `since`
itself must still be kept, and it must not be older than the gap mark (realtime/gaps.py).
Anything else answers `resync.required`.
"""

import contextlib
import json
import logging
import re
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from redis.exceptions import RedisError

from graph.events import Event
from realtime.connection import Connection, frame, stream_id_key
from realtime.gaps import GapMark
from realtime.presence import presence_key
from realtime.redis_client import connect_redis, is_cluster_url, run_script_pipelined

log = logging.getLogger(__name__)

TRY_AGAIN_LATER = 1013

# The channels of the nodes holding a live socket of the user: KEYS[1] is the user's
# presence set (members "<node>:<connection>", scored by expiry).
_NODE_CHANNELS = """
local function node_channels(presence, now, channel_prefix)
  local channels, seen = {}, {}
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', presence, now, '+inf')) do
    local node = string.match(member, '^([^:]+):')
    if node and not seen[node] then
      seen[node] = true
      channels[#channels + 1] = channel_prefix .. node
    end
  end
  return channels
end
"""

# Append one user's frames to their stream (bounded, expiring) and announce each on the
# channels of their nodes, in one round trip. Each announcement names the entry before it
# in the stream (`prev`): a socket that was not sent that one missed an announcement.
# KEYS: stream, presence set, and optionally a once-key for the batch (in the user's hash
# slot): if it was already set nothing is added, so a batch relayed again (the worker after
# a crash, a slow first try) adds no duplicate.
# ARGV: maxlen, ttl, user id, now, channel prefix, once-key TTL, then the frames in order.
_APPEND_AND_ANNOUNCE = (
    _NODE_CHANNELS
    + """
if KEYS[3] and not redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[6]) then return {} end
local channels = node_channels(KEYS[2], ARGV[4], ARGV[5])
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
local prev = last and last[1] or false
local ids = {}
for i = 7, #ARGV do
  local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'frame', ARGV[i])
  ids[#ids + 1] = id
  if #channels > 0 then
    local message = cjson.encode({user_id = ARGV[3], id = id, prev = prev, frame = ARGV[i]})
    for _, channel in ipairs(channels) do redis.call('PUBLISH', channel, message) end
  end
  prev = id
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return ids
"""
)

# How long a relayed batch's once-keys are kept: longer than any wait for the worker.
ONCE_KEY_SECONDS = 3600

# A frame kept nowhere (typing), announced to the user's nodes. KEYS: presence set.
# ARGV: now, channel prefix, message.
_ANNOUNCE_ONLY = (
    _NODE_CHANNELS
    + """
for _, channel in ipairs(node_channels(KEYS[1], ARGV[1], ARGV[2])) do
  redis.call('PUBLISH', channel, ARGV[3])
end
return 0
"""
)

MAX_STREAM_ID_PART = 2**64 - 1
_STREAM_ID = re.compile(r"[0-9]{1,20}-[0-9]{1,20}")


# How `json.dumps(frame(...))` begins for a frame published without its stream id.
_NO_ID_PREFIX = '{"id": null, '


def _with_id(text: str, event_id: str | None) -> str:
    """The published frame `text` with its stream id, spliced into the text the publisher
    encoded: the listener handles each event once per recipient, so it is not decoded and
    encoded again. ValueError for a frame not encoded by this module's publishers."""
    if not text.startswith(_NO_ID_PREFIX):
        raise ValueError("a relayed frame must begin as frame() encodes it")
    return '{"id": ' + json.dumps(event_id) + ", " + text[len(_NO_ID_PREFIX) :]


def _with_ids(entries: Any) -> list[tuple[str, str]]:
    """Stream entries (XRANGE's reply) as (id, frame text), each frame carrying its id."""
    frames = []
    for raw_id, fields in entries:
        event_id = raw_id.decode()
        payload = json.loads(fields[b"frame"])
        payload["id"] = event_id
        frames.append((event_id, json.dumps(payload)))
    return frames


class Relay:
    """Publishes domain events and delivers them to the sockets of this process."""

    def __init__(
        self,
        redis_url: str,
        prefix: str,
        stream_maxlen: int = 1000,
        stream_ttl_seconds: int = 86_400,
        max_backoff: float = 5.0,
    ) -> None:
        self.redis = connect_redis(redis_url, socket_timeout=5, socket_connect_timeout=1)
        self.cluster = is_cluster_url(redis_url)
        self.prefix = prefix
        self.node_id = uuid.uuid4().hex[:16]
        self.channel_prefix = prefix + "relay:"
        self.channel = self.channel_prefix + self.node_id
        # Every process listens here too, for what all of them must hear (a node id is hex).
        self.broadcast_channel = self.channel_prefix + "all"
        self._broadcast_handlers: dict[str, Callable[[dict[str, Any]], None]] = {}
        self._resubscribe_handlers: list[Callable[[], None]] = []
        self.dispatched = 0  # messages this process's listener has decoded (for /metrics)
        self.stream_maxlen = stream_maxlen
        self.stream_ttl_seconds = stream_ttl_seconds
        self.max_backoff = max_backoff
        self.healthy = threading.Event()
        self._stopping = threading.Event()
        self._sockets: dict[str, set[Connection]] = defaultdict(set)
        self._lost_users: set[str] = set()  # whose events a failed publish may have lost
        self._lock = threading.Lock()
        self._append = self.redis.register_script(_APPEND_AND_ANNOUNCE)
        self._announce = self.redis.register_script(_ANNOUNCE_ONLY)
        self.gaps = GapMark(self.redis, prefix)
        self._listener = threading.Thread(target=self._listen, name="relay-listener", daemon=True)

    def start(self) -> None:
        """Start this process's listener thread."""
        self._listener.start()

    def stop(self) -> None:
        """Stop the listener and close the Redis pool (process or test shutdown)."""
        self._stopping.set()
        if self._listener.is_alive():
            self._listener.join(timeout=5)
        self.redis.close()

    def stream_key(self, user_id: str) -> str:
        # The hash tag puts a user's stream and presence set in one cluster slot: the
        # append-and-announce script touches both.
        return f"{self.prefix}events:{{{user_id}}}"

    # -- publishing --------------------------------------------------------------

    def publish(self, events: Sequence[Event]) -> None:
        """The Graph publisher: each event into each recipient's stream, then announced.
        One script call per recipient carries all of that recipient's frames, in order."""
        if not self.healthy.is_set():
            self.gaps.note_loss()
            self._note_lost_for({user_id for event in events for user_id in event.user_ids})
            log.warning("relay unhealthy: dropping %d event(s)", len(events))
            return
        self._append_all(events, None)

    def publish_once(self, key: str, events: Sequence[Event]) -> bool:
        """The Graph's once-publisher: like `publish`, but each recipient's frames are added
        only if this batch `key` was not added for them before. False while unhealthy
        (the caller keeps the batch and tries again later)."""
        if not self.healthy.is_set():
            return False
        self._append_all(events, key)
        return True

    def _append_all(self, events: Sequence[Event], once_key: str | None) -> None:
        frames_by_user: dict[str, list[str]] = defaultdict(list)
        for event in events:
            text = json.dumps(frame(event.type, event.data))
            for user_id in event.user_ids:
                frames_by_user[user_id].append(text)
        try:
            self.gaps.record_pending()  # before any newer entry, so older `since`s resync
            now = time.time()
            self._run_each(
                self._append,
                [
                    (
                        [
                            self.stream_key(user_id),
                            presence_key(self.prefix, user_id),
                            *(
                                [f"{self.prefix}relayed:{{{user_id}}}:{once_key}"]
                                if once_key
                                else []
                            ),
                        ],
                        [
                            self.stream_maxlen,
                            self.stream_ttl_seconds,
                            user_id,
                            now,
                            self.channel_prefix,
                            ONCE_KEY_SECONDS,
                            *frames,
                        ],
                    )
                    for user_id, frames in frames_by_user.items()
                ],
            )
        except RedisError:
            self.gaps.note_loss()  # some of these may be in no stream
            self._note_lost_for(set(frames_by_user))
            raise

    def publish_ephemeral(
        self, user_ids: Sequence[str], frame_type: str, data: dict[str, Any]
    ) -> None:
        """A frame that is not kept for resume (typing): announced only, with no id."""
        text = json.dumps(frame(frame_type, data))
        now = time.time()
        self._run_each(
            self._announce,
            [
                (
                    [presence_key(self.prefix, user_id)],
                    [
                        now,
                        self.channel_prefix,
                        json.dumps({"user_id": user_id, "id": None, "frame": text}),
                    ],
                )
                for user_id in user_ids
            ],
        )

    def _run_each(self, script: Any, calls: list[tuple[list[str], list[Any]]]) -> None:
        """Run a script once per (keys, args): pipelined on one server; one call each on a
        cluster, whose client routes every call to its keys' node (it refuses scripts in
        pipelines)."""
        if self.cluster:
            for keys, args in calls:
                script(keys=keys, args=args)
            return
        run_script_pipelined(self.redis, script, calls)

    # -- messages for every process ------------------------------------------------

    def on_broadcast(
        self,
        message_type: str,
        handler: Callable[[dict[str, Any]], None],
        on_resubscribe: Callable[[], None],
    ) -> None:
        """Call `handler` with each broadcast message of `message_type` this listener
        hears, and `on_resubscribe` each time it (re)subscribes: what was broadcast while
        it was away is lost to it. Register before `start`."""
        self._broadcast_handlers[message_type] = handler
        self._resubscribe_handlers.append(on_resubscribe)

    def broadcast(self, message_type: str, data: dict[str, Any]) -> None:
        """Tell every process's listener (raises RedisError when Redis does not answer)."""
        self.redis.publish(self.broadcast_channel, json.dumps({"type": message_type, **data}))

    def _hear_broadcast(self, raw: bytes) -> None:
        try:
            message = json.loads(raw)
            handler = self._broadcast_handlers.get(message["type"])
        except (ValueError, KeyError, TypeError):
            log.exception("skipping a malformed broadcast: %r", raw[:200])
            return
        if handler is not None:
            handler(message)

    # -- local sockets -----------------------------------------------------------

    def register(self, connection: Connection) -> None:
        with self._lock:
            self._sockets[connection.user_id].add(connection)

    def unregister(self, connection: Connection) -> None:
        with self._lock:
            sockets = self._sockets.get(connection.user_id)
            if sockets is not None:
                sockets.discard(connection)
                if not sockets:
                    del self._sockets[connection.user_id]

    def local_socket_count(self) -> int:
        with self._lock:
            return sum(len(sockets) for sockets in self._sockets.values())

    def _close_all(self, code: int, reason: str) -> None:
        with self._lock:
            sockets = [c for group in self._sockets.values() for c in group]
        for connection in sockets:
            connection.close(code, reason)

    # -- resume --------------------------------------------------------------------

    def replay(self, user_id: str, since: str) -> list[tuple[str, str]] | None:
        """Events after `since`, oldest first, as (id, frame text); None unless the stream
        provably holds everything since then (the client must resync over REST)."""
        if not _STREAM_ID.fullmatch(since) or max(stream_id_key(since)) > MAX_STREAM_ID_PART:
            return None  # not an id Redis could have given (its parts are 64-bit)
        key = self.stream_key(user_id)
        pipe = self.redis.pipeline(transaction=False)
        pipe.get(self.gaps.key)
        pipe.xrange(key, min=since, max=since, count=1)
        pipe.xrange(key, min="(" + since, max="+")
        gap, held, entries = pipe.execute()
        if not self.gaps.allows(since, gap):
            return None  # events may have been lost after `since`
        if not held:
            return None  # `since` is gone (trimmed, expired, or Redis lost it): so may be more
        return _with_ids(entries)

    def position_now(self) -> str:
        """The stream id an event added now would at least get: Redis's clock in ms (in a
        cluster, one node's clock; stream ids of the others follow theirs)."""
        seconds, micros = self.redis.time()
        return f"{seconds * 1000 + micros // 1000}-0"

    def added_since(self, user_id: str, position: str) -> list[tuple[str, str]]:
        """The user's events from `position` (from `position_now`) on, oldest first, as
        (id, frame text): what reached their stream before a new socket counted as live."""
        return _with_ids(self.redis.xrange(self.stream_key(user_id), min=position, max="+"))

    # -- the listener ----------------------------------------------------------------

    def _listen(self) -> None:
        backoff = 0.1
        broadcasts = self.broadcast_channel.encode()
        while not self._stopping.is_set():
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)  # type: ignore[no-untyped-call]
            try:
                pubsub.subscribe(self.channel, self.broadcast_channel)
                for resubscribed in self._resubscribe_handlers:
                    resubscribed()
                self.gaps.check_redis()
                self.healthy.set()
                backoff = 0.1
                while not self._stopping.is_set():
                    message = pubsub.get_message(timeout=0.1)
                    if message is not None and message["channel"] == broadcasts:
                        self._hear_broadcast(message["data"])
                    elif message is not None:
                        self._dispatch(message["data"])
                    # A loss noted by a failed publish is recorded as soon as Redis takes
                    # it, not only before the next publish: on a cluster one node can fail
                    # while this listener's node stays up, and a resume must not be silent.
                    with contextlib.suppress(RedisError):
                        self.gaps.record_pending()
                        self._tell_lost()
            except RedisError as exc:
                self.gaps.note_loss()  # what was published meanwhile may be lost
                if self.healthy.is_set():
                    log.warning("relay lost Redis (%s); closing sockets with 1013", exc)
                self.healthy.clear()
                self._close_all(TRY_AGAIN_LATER, "realtime unavailable, retry later")
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, self.max_backoff)
                self._refresh_cluster_map()
            finally:
                with contextlib.suppress(RedisError):
                    pubsub.close()
        self.healthy.clear()

    def _note_lost_for(self, user_ids: set[str]) -> None:
        with self._lock:
            self._lost_users |= user_ids

    def _tell_lost(self) -> None:
        """Users whose events may be in no stream get `resync.required` on every live
        socket, wherever it is: a socket that stayed open (on a cluster, its process's node
        may have stayed up) would otherwise never learn it missed something."""
        with self._lock:
            users, self._lost_users = self._lost_users, set()
        if not users:
            return
        try:
            self.publish_ephemeral(sorted(users), "resync.required", {"since": None})
        except RedisError:
            self._note_lost_for(users)
            raise

    def _refresh_cluster_map(self) -> None:
        """After a failover the cluster client's map still names the dead master, and a
        pub/sub connection, unlike a command, does not follow a redirect: ask again."""
        if not self.cluster:
            return
        with contextlib.suppress(RedisError):
            self.redis.nodes_manager.initialize()  # type: ignore[attr-defined]

    def _dispatch(self, raw: bytes) -> None:
        self.dispatched += 1
        try:
            message = json.loads(raw)
            user_ids = message.get("user_ids") or [message["user_id"]]
            event_id = message["id"]
            previous_id = message.get("prev") or None
            text = _with_id(message["frame"], event_id)
        except (ValueError, KeyError, TypeError):
            log.exception("skipping a malformed relay message: %r", raw[:200])
            return
        with self._lock:
            targets = [c for user_id in user_ids for c in self._sockets.get(user_id, ())]
        for connection in targets:
            connection.deliver(event_id, text, previous_id, self.replay)


class RelayMetrics:
    """A Prometheus collector for one relay: what its listener decoded, its local sockets."""

    def __init__(self, relay: Relay) -> None:
        self.relay = relay

    def collect(self) -> Iterator[Metric]:
        yield CounterMetricFamily(
            "beatgraph_relay_messages",
            "Relay messages this process's listener decoded (only its own sockets' events)",
            value=self.relay.dispatched,
        )
        yield GaugeMetricFamily(
            "beatgraph_relay_sockets",
            "WebSockets held by this process",
            value=self.relay.local_socket_count(),
        )
