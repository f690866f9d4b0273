"""beatgraph as a bench-throughput `Side`: the served app (real gunicorn with
server/gunicorn_conf.py) over HTTP keep-alive and real WebSockets; the store checked
in Neo4j."""

import itertools
import json
import os
import threading
from collections.abc import Callable
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from bench.load import KeepAlive, Send
from bench.throughput_workload import DM_PAIRS, Listener
from cypher import Query
from graph import conversations
from graph.db import Graph
from graph.users import create_user
from server.tokens import issue_token
from tests.served import ServedApp

LAST_SEQ = Query(
    "bench.throughput.last_seq",
    "MATCH (c:Conversation {id: $id}) RETURN c.last_seq AS last_seq",
    "read",
)
STORED = Query(
    "bench.throughput.stored",
    """
    MATCH (m:Message {conversation_id: $id}) WHERE m.seq > $after
    RETURN m.seq AS seq, m.client_id AS client_id ORDER BY seq""",
    "read",
)


class SocketListener(Listener):
    """A member's WebSocket: `message.created` by client_id, `typing` by user id."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.ws: ClientConnection = connect(url, open_timeout=30)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        self.ready.set()

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                payload = json.loads(self.ws.recv(timeout=0.5))
            except TimeoutError:
                continue
            except ConnectionClosed:
                return
            data = payload.get("data") or {}
            if payload["type"] == "message.created":
                self.message(data["client_id"])
            elif payload["type"] == "typing":
                self.typed(data["user"]["id"], data["state"])

    def stop(self) -> None:
        super().stop()
        self.thread.join(timeout=5)
        self.ws.close()


class BeatgraphSide:
    """The served app, its users made through the domain functions."""

    name = "beatgraph"

    def __init__(self, served: ServedApp, graph: Graph, secret: str) -> None:
        self.served, self.graph, self.secret = served, graph, secret
        self._logins = itertools.count()
        self._listeners: list[SocketListener] = []
        self.users: list[str] = []
        self.dm_pairs: list[tuple[str, str, str]] = []

    def prepare(self, run: str) -> None:
        def user(name: str) -> str:
            return create_user(self.graph, username=f"tp{run}{name}", display_name=name)["id"]

        self.users = [user(f"m{n}") for n in range(6)]
        self.dm, _ = conversations.open_direct_conversation(self.graph, *self.users[:2])
        self.group = conversations.create_group_conversation(
            self.graph, self.users[0], self.users[1:], "bench group"
        )
        for n in range(DM_PAIRS):
            a, b = user(f"a{n}"), user(f"b{n}")
            self.dm_pairs.append(
                (a, b, conversations.open_direct_conversation(self.graph, a, b)[0])
            )

    def _token(self, user: str) -> str:
        # A separate login: its own token (a distinct lifetime makes it a distinct JWT).
        return issue_token(self.secret, user, 3600 + next(self._logins))

    def sender(self, user: str, conversation: str) -> Send:
        http = KeepAlive(self.served.base, {"Authorization": f"Bearer {self._token(user)}"})
        path = f"/api/v1/conversations/{conversation}/messages"

        def send(message_id: str) -> bool:
            status, _ = http.request("POST", path, {"client_id": message_id, "body": "bench"})
            return status == 201

        return send

    def listener(self, user: str) -> SocketListener:
        listener = SocketListener(f"{self.served.ws_base}?token={self._token(user)}")
        self._listeners.append(listener)
        return listener

    def typist(self, user: str, conversation: str) -> Callable[[str], None]:
        ws = self.listener(user).ws

        def typing(state: str) -> None:
            ws.send(
                json.dumps(
                    {"type": "typing", "data": {"conversation_id": conversation, "state": state}}
                )
            )

        return typing

    def mark(self, conversation: str) -> int:
        record = self.graph.single(LAST_SEQ, id=conversation)
        assert record is not None
        return record["last_seq"]

    def verify(self, conversation: str, mark: int, acknowledged: list[str]) -> dict[str, Any]:
        """After the phase: each acknowledged message stored once, seqs gapless after `mark`."""
        rows = self.graph.run(STORED, id=conversation, after=mark)
        seqs = [row["seq"] for row in rows]
        stored = [row["client_id"] for row in rows]
        return {
            "durable": set(acknowledged) <= set(stored),
            "exactly_once": len(stored) == len(set(stored)),
            "seqs_gapless": seqs == list(range(mark + 1, mark + 1 + len(seqs))),
            "stored": len(stored),
            "stored_unacknowledged": len(set(stored) - set(acknowledged)),
        }

    def servers(self) -> dict[str, int]:
        var = os.path.dirname(os.environ["BEATGRAPH_REDIS_PIDFILE"])
        pids = {"app": self.served.process.pid}
        for name in ("neo4j", "redis"):
            with open(os.path.join(var, f"{name}.pid")) as pidfile:
                pids[name] = int(pidfile.read())
        return pids

    def close(self) -> None:
        for listener in self._listeners:
            listener.stop()
        self._listeners.clear()
