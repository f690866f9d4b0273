"""One client's WebSocket as the relay sees it: a user, a locked send, a resume buffer."""

import contextlib
import json
import threading
import time
import uuid
from typing import Any

from simple_websocket import ConnectionClosed


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

    def send(self, payload: dict[str, Any]) -> None:
        """Send one frame now (replay, pings, errors)."""
        with self._lock:
            self._send_text(json.dumps(payload))

    def deliver_now(self, text: str) -> None:
        """Send an already encoded frame now (a replayed event)."""
        with self._lock:
            self._send_text(text)

    def deliver(self, event_id: str | None, text: str) -> None:
        """A live frame from the relay: sent now, or held until the replay is done."""
        with self._lock:
            if self._buffer is not None:
                self._buffer.append((event_id, text))
            else:
                self._send_text(text)

    def go_live(self, last_replayed: str | None) -> None:
        """Flush what arrived during the replay, skipping what the replay already sent."""
        with self._lock:
            held, self._buffer = self._buffer or [], None
            for event_id, text in held:
                if (
                    event_id
                    and last_replayed
                    and (stream_id_key(event_id) <= stream_id_key(last_replayed))
                ):
                    continue
                self._send_text(text)

    def close(self, code: int, reason: str) -> None:
        """Close the socket with a WebSocket close code (no error if it is gone)."""
        with self._lock, contextlib.suppress(ConnectionClosed):
            self.ws.close(reason=code, message=reason)

    def _send_text(self, text: str) -> None:
        # A dead socket is not an error here: its own thread notices and unregisters it.
        with contextlib.suppress(ConnectionClosed, OSError):
            self.ws.send(text)
