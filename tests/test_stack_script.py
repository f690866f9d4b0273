"""scripts/stack.sh: a port clash is named, nothing is left half-started, and `up` knows
a dead Redis from a running one."""

import os
import signal
import socket
import subprocess
import sys
import time

from redis import Redis
from redis.exceptions import RedisError

from tests.test_ops import _redis_pid, _stop_redis


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _port_is_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_busy_bolt_port_is_named_and_redis_is_not_started(tmp_path, stack_env):
    """With the Bolt port taken, start-up fails naming that port and starts no Redis."""
    squatter = socket.socket()
    squatter.bind(("127.0.0.1", 0))
    squatter.listen()
    busy_port = squatter.getsockname()[1]
    redis_port = _free_port()
    env = dict(
        stack_env,
        BEATGRAPH_VAR=str(tmp_path),
        BEATGRAPH_BOLT_PORT=str(busy_port),
        BEATGRAPH_HTTP_PORT=str(_free_port()),
        BEATGRAPH_REDIS_PORT=str(redis_port),
    )
    try:
        result = subprocess.run(
            [f"{stack_env['BEATGRAPH_ROOT']}/scripts/stack.sh", "up", "test"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        squatter.close()
    assert result.returncode != 0
    assert f"port {busy_port}" in result.stderr and "BEATGRAPH_BOLT_PORT" in result.stderr
    assert not _port_is_open(redis_port)
    assert not (tmp_path / "redis.pid").exists()


# -- `up` after Redis died -----------------------------------------------------------------

# A parent that does not reap its children at once (a supervisor, a container's init):
# it adopts what `stack.sh up` starts and leaves a killed Redis as a zombie until it exits.
_SLOW_REAPER = """
import ctypes, subprocess, sys
ctypes.CDLL(None).prctl(36, 1)  # PR_SET_CHILD_SUBREAPER: orphans become our children
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print("started", flush=True)
sys.stdin.read()  # exit (and let init reap) when the test closes stdin
"""


def _stack(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [f"{os.environ['BEATGRAPH_ROOT']}/scripts/stack.sh", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _redis_answers() -> bool:
    redis = Redis.from_url(os.environ["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2)
    try:
        return bool(redis.ping())
    except RedisError:
        return False
    finally:
        redis.close()


def _state(pid: int) -> str:
    """The process state letter from /proc ("Z" for a zombie, "" when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return ""


def _bring_redis_back() -> None:
    """Whatever a test did, leave the test stack's Redis answering (bounded)."""
    deadline = time.monotonic() + 30
    while not _redis_answers():
        assert time.monotonic() < deadline, "the test stack's Redis did not come back"
        _stack("up", "test")
        time.sleep(0.5)


def test_up_right_after_redis_was_killed_starts_it_again(stack_env):
    """`kill -9` of Redis, then `stack.sh up` at once: while the dead Redis is still a
    zombie (kill -0 succeeds on it), `up` starts a new Redis that answers, rather than
    printing "Redis already running" and leaving Redis down."""
    _stop_redis()
    reaper = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _SLOW_REAPER,
            f"{stack_env['BEATGRAPH_ROOT']}/scripts/stack.sh",
            "up",
            "test",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reaper.stdout is not None and reaper.stdout.readline() == "started\n"
        killed = _redis_pid()
        os.kill(killed, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while _state(killed) != "Z":
            assert time.monotonic() < deadline, "the killed Redis did not become a zombie"
            time.sleep(0.05)
        result = _stack("up", "test")
        assert result.returncode == 0, result.stderr
        assert "Redis already running" not in result.stdout
        assert _redis_answers()
        assert _redis_pid() != killed
    finally:
        reaper.communicate(timeout=30)
        _bring_redis_back()


def test_up_with_a_stale_pidfile_starts_redis(stack_env):
    """A pidfile naming a live process that is not Redis (its PID was reused) does not make
    `up` believe Redis runs: it starts Redis, which then answers."""
    _stop_redis()
    stranger = subprocess.Popen(["sleep", "60"])
    try:
        with open(os.environ["BEATGRAPH_REDIS_PIDFILE"], "w") as handle:
            handle.write(str(stranger.pid))
        result = _stack("up", "test")
        assert result.returncode == 0, result.stderr
        assert "Redis already running" not in result.stdout
        assert _redis_answers()
        assert stranger.poll() is None  # and the stranger is left alone
    finally:
        stranger.kill()
        stranger.wait()
        _bring_redis_back()
