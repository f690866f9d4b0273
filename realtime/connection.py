"""One client's WebSocket as the relay sees it: a user, a locked send, a resume buffer."""

import contextlib
import json
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from simple_websocket import ConnectionClosed

# A user's stream after an id, as (id, frame text), oldest first; None when the stream no
# longer proves it holds everything since (Relay.replay(user_id, since)).
Replay = Callable[[str, str], list[tuple[str, str]] | None]


def stream_id_key(event_id: str) -> tuple[int, int]:
    """Order Redis stream ids ("<ms>-<seq>") numerically."""
    millis, _, sequence = event_id.partition("-")
    return int(millis), int(sequence or 0)


def frame(frame_type: str, data: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    """A server → client frame as the realtime contract shapes it."""
    return {"id": event_id, "type": frame_type, "data": data, "ts": time.time()}


class Connection:
    """Frames reach the socket from two threads (the relay listener and the socket's own);
    the lock keeps them whole. While a resume replays, live frames wait in a buffer."""

    def __init__(self, ws: Any, user_id: str) -> None:
        self.ws = ws
        self.user_id = user_id
        self.id = uuid.uuid4().hex
        self._lock = threading.Lock()
        self._buffer: list[tuple[str | None, str]] | None = []
        self._last_id: str | None = None  # the newest stream entry this socket was sent

    def send(self, payload: dict[str, Any]) -> None:
        """Send one frame now (replay, pings, errors)."""
        with self._lock:
            self._send_text(json.dumps(payload))

    def deliver_now(self, text: str) -> None:
        """Send an already encoded frame now (a replayed event)."""
        with self._lock:
            self._send_text(text)

    def deliver(
        self,
        event_id: str | None,
        text: str,
        previous_id: str | None = None,
        replay: Replay | None = None,
    ) -> None:
        """A live frame from the relay: sent now, or held until the replay is done.

        `previous_id` is the entry before this one in the user's stream. When this socket
        sent a later entry than the one before it, but not that one, an announcement never
        reached it (pub/sub keeps nothing: a failover, a presence set the new master had not
        yet received). Then `replay` fills the gap from the stream, or, when the stream no
        longer proves it can, the client is told `resync.required`: never a silent gap."""
        with self._lock:
            if self._buffer is not None:
                self._buffer.append((event_id, text))
                return
            if previous_id and self._missed(previous_id):
                self._fill_gap(event_id, replay)
            self._send_text(text)
            self._sent(event_id)

    def go_live(self, last_replayed: str | None) -> None:
        """Flush what arrived during the replay, skipping what the replay already sent."""
        with self._lock:
            self._sent(last_replayed)
            held, self._buffer = self._buffer or [], None
            for event_id, text in held:
                if (
                    event_id
                    and last_replayed
                    and (stream_id_key(event_id) <= stream_id_key(last_replayed))
                ):
                    continue
                self._send_text(text)
                self._sent(event_id)

    def _sent(self, event_id: str | None) -> None:
        if event_id and (
            self._last_id is None or stream_id_key(event_id) > stream_id_key(self._last_id)
        ):
            self._last_id = event_id

    def _missed(self, previous_id: str) -> bool:
        """This socket sent an entry of the stream, but not `previous_id`, which came after
        it (a socket that has sent none yet has nothing to compare)."""
        return self._last_id is not None and stream_id_key(previous_id) > stream_id_key(
            self._last_id
        )

    def _fill_gap(self, event_id: str | None, replay: Replay | None) -> None:
        assert self._last_id is not None
        missed = replay(self.user_id, self._last_id) if replay else None
        if missed is None:
            self._send_text(json.dumps(frame("resync.required", {"since": None})))
            return
        for missed_id, text in missed:
            if event_id and stream_id_key(missed_id) >= stream_id_key(event_id):
                break
            self._send_text(text)
            self._sent(missed_id)

    def close(self, code: int, reason: str) -> None:
        """Close the socket with a WebSocket close code (no error if it is gone)."""
        with self._lock, contextlib.suppress(ConnectionClosed):
            self.ws.close(reason=code, message=reason)

    def _send_text(self, text: str) -> None:
        # A dead socket is not an error here: its own thread notices and unregisters it.
        with contextlib.suppress(ConnectionClosed, OSError):
            self.ws.send(text)
