"""Serving the app for real: gunicorn in a subprocess on a free loopback port."""

import json
import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from typing import Any

# Fast clocks so the realtime tests run in seconds; defaults are tested by config tests.
REALTIME_TEST_SETTINGS = {
    "BEATGRAPH_WS_AUTH_SECONDS": "1",
    "BEATGRAPH_WS_PING_SECONDS": "0.5",
    # Long enough that a test on a loaded machine is not dropped for silence; the idle
    # tests set their own short limit.
    "BEATGRAPH_WS_IDLE_SECONDS": "30",
    "BEATGRAPH_TYPING_TTL_MS": "1500",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def served_env(app_config: dict[str, Any], settings: dict[str, str] | None) -> dict[str, str]:
    """The environment of a served process: the test's Redis prefix, secret and limits."""
    return dict(
        os.environ,
        **(REALTIME_TEST_SETTINGS if settings is None else settings),
        REDIS_PREFIX=app_config["REDIS_PREFIX"],
        BEATGRAPH_JWT_SECRET=app_config["BEATGRAPH_JWT_SECRET"],
        BEATGRAPH_RATE_LIMIT=app_config["BEATGRAPH_RATE_LIMIT"],
        BEATGRAPH_EVENTS_MAXLEN=str(app_config.get("BEATGRAPH_EVENTS_MAXLEN", 1000)),
    )


class ServedWorker:
    """`flask worker` in a subprocess, as `make run` starts it beside the web process."""

    def __init__(self, app_config: dict[str, Any], settings: dict[str, str] | None = None) -> None:
        root = os.environ.get("BEATGRAPH_ROOT") or os.getcwd()
        self.log = tempfile.NamedTemporaryFile(prefix="beatgraph-worker-", suffix=".log")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [f"{root}/.venv/bin/flask", "--app", "wsgi", "worker"],
            cwd=root,
            env=served_env(app_config, settings),
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        self._wait_until_started()

    def _wait_until_started(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with open(self.log.name, "rb") as handle:
                if b"notification worker" in handle.read():
                    return
            if self.process.poll() is not None:
                raise RuntimeError("the worker exited at start-up")
            time.sleep(0.1)
        raise RuntimeError("the worker did not start in 30 s")

    def stop(self) -> int:
        """SIGTERM by PID; the exit code (0 when it stopped cleanly)."""
        self.process.terminate()
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()
        finally:
            self.log.close()


class ServedApp:
    """One gunicorn process serving the app over the test Neo4j and Redis."""

    def __init__(
        self,
        app_config: dict[str, Any],
        settings: dict[str, str] | None = None,
        access_log: str = "/dev/null",
        port: int | None = None,
    ) -> None:
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.ws_base = f"ws://127.0.0.1:{self.port}/api/v1/ws"
        env = served_env(app_config, settings)
        root = os.environ.get("BEATGRAPH_ROOT") or os.getcwd()
        # A file, not a pipe: nobody reads a pipe while the server runs, and a full one
        # would block the server on its next log line.
        self.log = tempfile.NamedTemporaryFile(prefix="beatgraph-served-", suffix=".log")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [
                f"{root}/.venv/bin/gunicorn",
                "-c",
                f"{root}/server/gunicorn_conf.py",
                "-b",
                f"127.0.0.1:{self.port}",
                "--access-logfile",
                access_log,
                "wsgi:app",
            ],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        # Readiness waits for the hot statements to be planned: seconds on a cold Neo4j.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log_tail())
            try:
                with urllib.request.urlopen(self.base + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError("the served app did not become ready in 90 s")

    def request(self, method: str, path: str, token: str, body: Any = None) -> tuple[int, Any]:
        """An HTTP request to the served app; (status, JSON body)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def metric(self, name: str) -> float:
        """One unlabelled sample of the served app's /metrics (loopback may read them)."""
        with urllib.request.urlopen(self.base + "/metrics", timeout=5) as response:
            text = response.read().decode()
        found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
        if found is None:
            raise KeyError(name)
        return float(found.group(1))

    def stop(self) -> None:
        """Stop gunicorn by its PID and wait for it."""
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def log_tail(self, size: int = 4000) -> str:
        """The end of the server's log (start-up failures, warnings)."""
        with open(self.log.name, "rb") as handle:
            return handle.read()[-size:].decode(errors="replace")
