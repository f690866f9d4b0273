"""On a Redis Cluster (`scripts/test.sh` runs these, with the realtime and notification
suites, against the local cluster of `scripts/redis_cluster.sh`): a master killed in the
middle of traffic is replaced by its replica, and nothing acknowledged is lost."""

import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed

from tests.served import ServedApp, ServedWorker
from tests.sockets import next_frame, open_socket, token

pytestmark = pytest.mark.cluster

SENDS = 40


def _master_for(relay, key: str):
    return relay.redis.get_node_from_key(key)


def _pid_of(node) -> int:
    return int(Path(os.environ["BEATGRAPH_CLUSTER_VAR"], str(node.port), "redis.pid").read_text())


def _wait_until_replicated(relay, node, seconds: float = 5) -> None:
    """Until the master's replica has every write so far. Replication is asynchronous:
    writes a master acknowledged in its last milliseconds may never reach the replica that
    replaces it (docs/operations.md); this test is about the failover, not that window."""
    client = relay.redis.get_redis_connection(node)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        info = client.info("replication")
        replica = info.get("slave0") or {}
        if replica.get("offset") == info["master_repl_offset"]:
            return
        time.sleep(0.02)


def _frames_until_closed(ws, seconds: float) -> list[dict]:
    frames, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            frames.append(json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic()))))
        except (TimeoutError, ConnectionClosed):
            break
    return frames


def _wait_until_relayed(relay, user_id: str, message_ids: set[str], seconds: float = 30) -> None:
    """Until every message is in the user's event stream (or, failing that, a resume will
    have to say resync.required): held events reach it once the worker relays them."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            entries = relay.redis.xrange(relay.stream_key(user_id))
        except Exception:  # the slot may still be moving
            entries = []
        frames = [json.loads(fields[b"frame"]) for _, fields in entries]
        relayed = {f["data"]["id"] for f in frames if f["type"] == "message.created"}
        if message_ids <= relayed:
            return
        time.sleep(0.5)


def test_a_killed_master_fails_over_and_no_acknowledged_message_is_lost(
    app, app_config, api, people, stack_env
):
    """Maya sends 40 messages to Theo, 0.1 s apart; after the 10th the master holding Theo's
    stream is killed (-9). Its replica takes over; every send answered 201 is stored in
    Neo4j; each one reached Theo's socket (live, or replayed when he resumes from the last
    id he saw, after the worker relayed what the app could not) unless he was told
    `resync.required`; live delivery works again after."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    relay = app.extensions["beatgraph.relay"]
    master = _master_for(relay, relay.stream_key(theo["id"]))
    victim = _pid_of(master)
    served = ServedApp(app_config)
    # As `make run` has it: the worker relays events a process could not publish (they are
    # held on the message), e.g. while its relay lost a master.
    worker = ServedWorker(app_config)
    acknowledged: list[str] = []

    def send_all() -> None:
        for n in range(SENDS):
            status, body = served.request(
                "POST",
                f"/api/v1/conversations/{dm['id']}/messages",
                token(app, maya),
                {"client_id": f"failover-{n}", "body": f"message {n}"},
            )
            if status == 201:
                acknowledged.append(body["id"])
            if n == 9:
                _wait_until_replicated(relay, master)
                os.kill(victim, signal.SIGKILL)
            time.sleep(0.1)

    try:
        with open_socket(app, served, theo) as theo_ws:
            sender = threading.Thread(target=send_all)
            sender.start()
            frames = _frames_until_closed(theo_ws, seconds=10)
            sender.join(timeout=60)
        assert not sender.is_alive()
        assert len(acknowledged) >= SENDS - 5  # a few may fail while the slot moves
        seen = [f for f in frames if f["type"] == "message.created"]
        assert seen, "live delivery before the kill"
        last_id = next(f["id"] for f in reversed(frames) if f.get("id"))
        _wait_until_relayed(relay, theo["id"], set(acknowledged))

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the replica is promoted within a few seconds
            try:
                with open_socket(app, served, theo, since=last_id) as resumed:
                    replay = _frames_until_closed(resumed, seconds=2)
                if replay:  # a socket refused while the relay reconnects closes at once
                    break
                time.sleep(0.5)
            except (ConnectionClosed, OSError, TimeoutError):
                time.sleep(0.5)
        else:
            pytest.fail("no socket after the failover")
        # What Theo's client knows: each acknowledged message came to it (live or replayed),
        # or it was told to resync — never a silent gap.
        delivered = {f["data"]["id"] for f in frames + replay if f["type"] == "message.created"}
        told = any(f["type"] == "resync.required" for f in frames + replay)
        assert told or set(acknowledged) <= delivered

        stored = api.get(f"/api/v1/conversations/{dm['id']}/messages", theo, limit=100)
        assert set(acknowledged) <= {m["id"] for m in stored["items"]}

        with open_socket(app, served, theo) as again:
            api.send(maya, dm, "after the failover")
            assert next_frame(again, "message.created", timeout=10)["data"]["body"] == (
                "after the failover"
            )
    finally:
        worker.stop()
        served.stop()
        # The killed node comes back as a replica of its promoted replica.
        subprocess.run(
            [f"{stack_env['BEATGRAPH_ROOT']}/scripts/redis_cluster.sh", "up"],
            check=True,
            timeout=60,
            capture_output=True,
        )
