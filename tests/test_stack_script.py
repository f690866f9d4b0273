"""scripts/stack.sh: a port clash is named, and nothing is left half-started."""

import socket
import subprocess


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
