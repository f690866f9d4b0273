"""Synapse as a bench-throughput `Side`, through the Matrix client-server API only: users
registered with the shared secret, rooms created and joined, messages sent with
`PUT /rooms/{room}/send/m.room.message/{txnId}`, members listening with long-poll `/sync`,
typing with `PUT /rooms/{room}/typing/{user}`; the store checked with `/messages`."""

import hashlib
import hmac
import json
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from bench.load import KeepAlive, Send
from bench.peer.synapse import SHARED_SECRET, SynapsePeer
from bench.throughput_workload import DM_PAIRS, Listener

PASSWORD = "bench-password"
API = "/_matrix/client/v3"
# A client that shows rooms and typing: no presence or account data; the first sync only
# finds the position, later ones may return up to 1,000 events per room without a gap.
FIRST_SYNC = json.dumps(
    {
        "room": {"timeline": {"limit": 1}, "state": {"lazy_load_members": True}},
        "presence": {"not_types": ["*"]},
        "account_data": {"not_types": ["*"]},
    }
)
LIVE_SYNC = json.dumps(
    {
        "room": {"timeline": {"limit": 1000}, "state": {"lazy_load_members": True}},
        "presence": {"not_types": ["*"]},
        "account_data": {"not_types": ["*"]},
    }
)


class SyncListener(Listener):
    """A member's `/sync` long-poll loop: timeline messages by their `bench_id`, typing as
    changes of each room's `m.typing` user list."""

    def __init__(self, base: str, token: str) -> None:
        super().__init__()
        self.http = KeepAlive(base, {"Authorization": f"Bearer {token}"})
        self.limited = 0
        self._typing: dict[str, set[str]] = {}
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _sync(self, since: str | None, sync_filter: str, timeout_ms: int) -> dict:
        query = f"filter={quote(sync_filter)}&timeout={timeout_ms}"
        if since:
            query += f"&since={quote(since)}"
        status, body = self.http.request("GET", f"{API}/sync?{query}")
        if status != 200:
            raise RuntimeError(f"/sync answered {status}: {body}")
        return body

    def _run(self) -> None:
        since = self._sync(None, FIRST_SYNC, 0)["next_batch"]
        self.ready.set()
        while not self.stopping.is_set():
            body = self._sync(since, LIVE_SYNC, 2000)
            since = body["next_batch"]
            for room_id, room in body.get("rooms", {}).get("join", {}).items():
                self._room(room_id, room)
        self.http.close()

    def _room(self, room_id: str, room: dict) -> None:
        timeline = room.get("timeline", {})
        self.limited += bool(timeline.get("limited"))
        for event in timeline.get("events", []):
            bench_id = event.get("content", {}).get("bench_id")
            if event.get("type") == "m.room.message" and bench_id:
                self.message(bench_id)
        for event in room.get("ephemeral", {}).get("events", []):
            if event.get("type") != "m.typing":
                continue
            now, before = set(event["content"]["user_ids"]), self._typing.get(room_id, set())
            for user in now - before:
                self.typed(user, "start")
            for user in before - now:
                self.typed(user, "stop")
            self._typing[room_id] = now

    def stop(self) -> None:
        super().stop()
        self.thread.join(timeout=10)


class MatrixSide:
    """A running SynapsePeer, driven as a Matrix client would drive it."""

    name = "synapse"

    def __init__(self, peer: SynapsePeer) -> None:
        self.peer = peer
        self.admin = KeepAlive(peer.base)
        self.names: dict[str, str] = {}  # user id → localpart
        self.tokens: dict[str, str] = {}  # user id → the registration's access token
        self._listeners: list[SyncListener] = []
        self.users: list[str] = []
        self.dm_pairs: list[tuple[str, str, str]] = []

    def _register(self, name: str) -> str:
        _, nonce = self.admin.request("GET", "/_synapse/admin/v1/register")
        mac = hmac.new(
            SHARED_SECRET.encode(),
            b"\x00".join([nonce["nonce"].encode(), name.encode(), PASSWORD.encode(), b"notadmin"]),
            hashlib.sha1,
        ).hexdigest()
        status, body = self.admin.request(
            "POST",
            "/_synapse/admin/v1/register",
            {
                "nonce": nonce["nonce"],
                "username": name,
                "password": PASSWORD,
                "admin": False,
                "mac": mac,
            },
        )
        if status != 200:
            raise RuntimeError(f"registering {name}: {status} {body}")
        self.names[body["user_id"]] = name
        self.tokens[body["user_id"]] = body["access_token"]
        return body["user_id"]

    def _as(self, user: str, token: str | None = None) -> KeepAlive:
        return KeepAlive(self.peer.base, {"Authorization": f"Bearer {token or self.tokens[user]}"})

    def _room(self, owner: str, members: list[str], direct: bool) -> str:
        settings: dict[str, Any] = {
            "invite": members,
            "is_direct": direct,
            "preset": "trusted_private_chat" if direct else "private_chat",
        }
        status, body = self._as(owner).request("POST", f"{API}/createRoom", settings)
        if status != 200:
            raise RuntimeError(f"createRoom: {status} {body}")
        for member in members:
            joined, answer = self._as(member).request(
                "POST", f"{API}/join/{quote(body['room_id'])}", {}
            )
            if joined != 200:
                raise RuntimeError(f"join: {joined} {answer}")
        return body["room_id"]

    def prepare(self, run: str) -> None:
        self.users = [self._register(f"tp{run}m{n}") for n in range(6)]
        self.dm = self._room(self.users[0], [self.users[1]], direct=True)
        self.group = self._room(self.users[0], self.users[1:], direct=False)
        for n in range(DM_PAIRS):
            a, b = self._register(f"tp{run}a{n}"), self._register(f"tp{run}b{n}")
            self.dm_pairs.append((a, b, self._room(a, [b], direct=True)))

    def _login(self, user: str) -> str:
        """A separate login (its own device and access token)."""
        status, body = self.admin.request(
            "POST",
            f"{API}/login",
            {
                "type": "m.login.password",
                "password": PASSWORD,
                "identifier": {"type": "m.id.user", "user": self.names[user]},
            },
        )
        if status != 200:
            raise RuntimeError(f"login: {status} {body}")
        return body["access_token"]

    def sender(self, user: str, conversation: str) -> Send:
        http = self._as(user, self._login(user))
        path = f"{API}/rooms/{quote(conversation)}/send/m.room.message/"

        def send(message_id: str) -> bool:
            status, body = http.request(
                "PUT",
                path + quote(message_id),
                {"msgtype": "m.text", "body": "bench", "bench_id": message_id},
            )
            return status == 200 and "event_id" in (body or {})

        return send

    def listener(self, user: str) -> SyncListener:
        listener = SyncListener(self.peer.base, self._login(user))
        self._listeners.append(listener)
        return listener

    def typist(self, user: str, conversation: str) -> Callable[[str], None]:
        http = self._as(user)
        path = f"{API}/rooms/{quote(conversation)}/typing/{quote(user)}"

        def typing(state: str) -> None:
            body = {"typing": True, "timeout": 30000} if state == "start" else {"typing": False}
            http.request("PUT", path, body)

        return typing

    def mark(self, conversation: str) -> str:
        """The room's current position: a token the phase's events come after."""
        _, body = self._as(self._member_of(conversation)).request(
            "GET", f"{API}/rooms/{quote(conversation)}/messages?dir=b&limit=1"
        )
        return body["start"]

    def verify(self, conversation: str, mark: str, acknowledged: list[str]) -> dict[str, Any]:
        """After the phase: each acknowledged message in the room's history once (Matrix
        has no per-room sequence number to check for gaps)."""
        http, stored, token = self._as(self._member_of(conversation)), [], mark
        while True:
            _, body = http.request(
                "GET",
                f"{API}/rooms/{quote(conversation)}/messages?dir=f&limit=1000&from={quote(token)}",
            )
            stored += [
                event["content"]["bench_id"]
                for event in body.get("chunk", [])
                if event.get("type") == "m.room.message" and "bench_id" in event.get("content", {})
            ]
            if not body.get("chunk") or "end" not in body:
                break
            token = body["end"]
        return {
            "durable": set(acknowledged) <= set(stored),
            "exactly_once": len(stored) == len(set(stored)),
            "seqs_gapless": None,
            "stored": len(stored),
            "stored_unacknowledged": len(set(stored) - set(acknowledged)),
        }

    def _member_of(self, conversation: str) -> str:
        if conversation in (self.dm, self.group):
            return self.users[0]
        return next(a for a, _, room in self.dm_pairs if room == conversation)

    def servers(self) -> dict[str, int]:
        return self.peer.pids()

    def close(self) -> None:
        for listener in self._listeners:
            listener.stop()
        self._listeners.clear()
