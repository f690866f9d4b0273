"""Neo4j going away and coming back under a served app: requests fail fast with 503 while it
is away, and readiness waits for warm query plans so the first requests after it are
prompt (issue 10, 4.4). One restart of the test stack's Neo4j, which takes 10-20 s."""

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid

import pytest

from tests.served import ServedApp
from tests.sockets import token
from tests.test_ops import _wait_until_gone

# The issue asks for "within 2 s"; the bound leaves room for a loaded machine.
FAIL_FAST_BOUND = 3.0
# A send that needs no planning takes milliseconds once the server is warm, about a second
# on a just-started JVM; with its plans cold it took 6.6-11 s on a freshly started Neo4j.
PROMPT_BOUND = 2.5


def _call(served, method, path, bearer=None, body=None):
    """(status, headers, JSON body, seconds) of one request to the served app."""
    request = urllib.request.Request(
        served.base + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Bearer {bearer}"} if bearer else {}),
        },
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, raw = error.code, error.headers, error.read()
    return status, headers, json.loads(raw or b"null"), time.monotonic() - started


def _kill_neo4j() -> None:
    """kill -9 the test stack's Neo4j (a crash, not a clean stop) and wait until it is gone."""
    with open(os.environ["BEATGRAPH_NEO4J_PIDFILE"]) as handle:
        pid = int(handle.read())
    os.kill(pid, signal.SIGKILL)
    _wait_until_gone(pid, "Neo4j")


def _start_neo4j() -> None:
    root = os.environ["BEATGRAPH_ROOT"]
    subprocess.run(
        [f"{root}/scripts/stack.sh", "up", "test"], check=True, capture_output=True, timeout=180
    )


@pytest.mark.timeout(300)  # a Neo4j start, then planning every hot statement on a cold JVM
def test_neo4j_outage_fails_fast_and_ready_means_warm(app, app_config, api, people):
    """While Neo4j is down a request answers 503 problem+json with Retry-After 5 within
    2 s (not 7); after it is back, /readyz stays 503 until the hot statements are planned,
    and the first send after /readyz says 200 answers promptly."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    path = f"/api/v1/conversations/{dm['id']}/messages"
    bearer = token(app, maya)
    served = ServedApp(app_config)
    restarted = False
    try:
        status, *_ = _call(
            served, "POST", path, bearer, {"client_id": uuid.uuid4().hex, "body": "before"}
        )
        assert status == 201
        _kill_neo4j()
        try:
            status, headers, problem, seconds = _call(
                served, "POST", path, bearer, {"client_id": uuid.uuid4().hex, "body": "down"}
            )
            print(f"\nsend during the outage: {status} in {seconds:.2f} s")
            assert status == 503 and problem["status"] == 503
            assert headers["Content-Type"] == "application/problem+json"
            assert headers["Retry-After"] == "5"
            assert seconds < FAIL_FAST_BOUND
            status, _, _, ready_seconds = _call(served, "GET", "/readyz")
            print(f"/readyz during the outage: {status} in {ready_seconds:.2f} s")
            assert status == 503 and ready_seconds < FAIL_FAST_BOUND
        finally:
            started = time.monotonic()
            _start_neo4j()
            restarted = True
        answering = time.monotonic()
        not_ready = []
        while True:
            status, headers, body, _ = _call(served, "GET", "/readyz")
            if status == 200:
                break
            assert status == 503 and headers["Retry-After"] == "5"
            not_ready.append(body["detail"])
            assert time.monotonic() - answering < 120, f"not ready in 120 s: {not_ready[-1]}"
            time.sleep(0.2)
        ready = time.monotonic()
        status, _, sent, seconds = _call(
            served, "POST", path, bearer, {"client_id": uuid.uuid4().hex, "body": "after"}
        )
        print(
            f"Neo4j start (stack.sh up) {answering - started:.1f} s; Bolt answering to "
            f"/readyz 200 {ready - answering:.1f} s ({len(not_ready)} probes said 503, last: "
            f"{not_ready[-1] if not_ready else '-'}); first send after that {seconds:.2f} s"
        )
        assert status == 201, sent
        assert seconds < PROMPT_BOUND, f"the first send after /readyz 200 took {seconds:.2f} s"
        assert any("warming" in detail for detail in not_ready), not_ready
    finally:
        if not restarted:
            _start_neo4j()
        served.stop()
