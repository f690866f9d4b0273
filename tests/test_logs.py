"""No secrets in logs: tokens are redacted from logged URLs, and logs are owner-only."""

import contextlib
import stat
import time
import urllib.error
import urllib.request
from pathlib import Path

from websockets.sync.client import connect

from server.tokens import decode_token
from tests.served import ServedApp
from tests.sockets import next_frame, token


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _wait_for(path: Path, text: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = path.read_text() if path.exists() else ""
        if text in content:
            return content
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never reached {path}")


def test_the_access_log_redacts_token_from_every_logged_url(app, app_config, people, tmp_path):
    """gunicorn's access log never holds a `token` query value (any case, even
    percent-encoded), for a real socket connect and for REST URLs; the log file is 0600."""
    access_log = tmp_path / "access.log"
    server = ServedApp(app_config, access_log=str(access_log))
    secret = token(app, people[0])
    try:
        with connect(f"{server.ws_base}?token={secret}", open_timeout=5) as ws:
            next_frame(ws, "ping")
        # gunicorn logs a plain GET of the socket URL (a failed upgrade), not an upgraded one.
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(f"{server.base}/api/v1/ws?token={secret}", timeout=5).close()
        for query in ("TOKEN=one-secret&x=1", "x=1&Token=two-secret", "%74oken=three-secret"):
            urllib.request.urlopen(f"{server.base}/healthz?{query}", timeout=5).close()
        content = _wait_for(access_log, "GET /healthz?%74oken=")
    finally:
        server.stop()
    for leaked in (secret, "one-secret", "two-secret", "three-secret"):
        assert leaked not in content
    assert "/api/v1/ws?token=[redacted]" in content
    assert "x=1&Token=[redacted]" in content
    assert _mode(access_log) == 0o600


def test_the_stack_keeps_its_logs_and_secrets_to_its_owner(stack_env):
    """var/<profile> is 0700 and its logs, Redis config and password are 0600."""
    var = Path(stack_env["BEATGRAPH_REDIS_PIDFILE"]).parent
    assert _mode(var) == 0o700
    for name in ("neo4j.log", "redis.log", "redis.conf", "redis.password"):
        assert _mode(var / name) == 0o600, name


def test_flask_token_writes_the_token_to_an_owner_only_file_and_prints_the_path(app, tmp_path):
    """`flask token --out FILE` (what `make run` uses for its service token) writes a 0600
    file and prints its path, never the token, so no console or log holds it."""
    path = tmp_path / "run" / "service-token"
    path.parent.mkdir()
    path.write_text("old")
    path.chmod(0o644)
    result = app.test_cli_runner().invoke(
        args=["token", "beatpass-backend", "--service", "--out", str(path)]
    )
    assert result.exit_code == 0, result.output
    written = path.read_text().strip()
    assert written.count(".") == 2 and written not in result.output
    assert str(path) in result.output
    assert _mode(path) == 0o600
    caller = decode_token(app.config["BEATGRAPH_JWT_SECRET"], written)
    assert caller.is_service and caller.user_id == "beatpass-backend"
