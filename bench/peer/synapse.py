"""The benchmark's peer: Matrix Synapse on PostgreSQL, both on loopback, started and stopped
by PID around one benchmark run (installed by bench/peer/install.sh into var/peer/).

Rate limits are off (every limiter at 10^6/s), federation is off (no federation listener,
an empty federation whitelist, no trusted key servers), logging is at WARNING (beatgraph's
served app logs no access lines either), password hashing uses bcrypt's fewest rounds
(only registration and login use it, never the timed workload). Everything else is as
Synapse and Debian's PostgreSQL 15 ship it (fsync and synchronous commit on, presence on).
"""

import contextlib
import os
import pwd
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

from tests.served import free_port

ROOT = Path(__file__).resolve().parents[2]
PEER_DIR = Path(os.environ.get("BEATGRAPH_PEER_DIR") or ROOT / "var" / "peer")
SERVER_NAME = "bench.local"
SHARED_SECRET = "bench-registration-secret"  # loopback only, a throwaway data folder
NO_LIMIT = {"per_second": 1_000_000, "burst_count": 1_000_000}
RATE_LIMITS = [
    "rc_message",
    "rc_registration",
    "rc_admin_redaction",
    "rc_joins_per_room",
    "rc_key_requests",
    "rc_3pid_validation",
    "rc_third_party_invite",
    "rc_media_create",
    "rc_delayed_event_mgmt",
    "rc_room_creation",
    "rc_reports",
    "rc_user_directory",
    "rc_profile",
]
NESTED_LIMITS = {
    "rc_login": ("address", "account", "failed_attempts"),
    "rc_joins": ("local", "remote"),
    "rc_invites": ("per_room", "per_user", "per_issuer"),
    "rc_presence": ("per_user",),
}


def installed() -> bool:
    """Whether bench/peer/install.sh has put Synapse and PostgreSQL in place."""
    return (PEER_DIR / "venv" / "bin" / "synctl").exists() and (PEER_DIR / "pg_bin").exists()


def version() -> str:
    """The installed Synapse's version (read from its package metadata)."""
    return subprocess.check_output(
        [
            str(PEER_DIR / "venv" / "bin" / "python"),
            "-c",
            "import importlib.metadata as m; print(m.version('matrix-synapse'))",
        ],
        text=True,
    ).strip()


def _as_postgres() -> dict:
    """initdb and postgres refuse to run as root: run them as Debian's `postgres` user."""
    if os.getuid() != 0:
        return {}
    return {"user": "postgres", "group": "postgres"}


def _own(path: Path) -> None:
    """A folder for the `postgres` user. The stack scripts create var/ owner-only, so its
    folders from the repository down get traverse-only rights for others (no listing)."""
    path.mkdir(parents=True, exist_ok=True)
    if os.getuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(path, account.pw_uid, account.pw_gid)
        for folder in path.parents:
            mode = folder.stat().st_mode
            if not mode & 0o001:
                folder.chmod(mode | 0o001)
            if folder == ROOT:
                break


def _yaml(value: object, indent: int = 0) -> str:
    """JSON is YAML: nested mappings written one key a line, values as JSON scalars/lists."""
    import json

    if not isinstance(value, dict):
        return json.dumps(value)
    pad = " " * indent
    lines = []
    for key, item in value.items():
        if isinstance(item, dict):
            lines.append(f"{pad}{key}:\n{_yaml(item, indent + 2)}")
        else:
            lines.append(f"{pad}{key}: {json.dumps(item)}")
    return "\n".join(lines)


class SynapsePeer:
    """PostgreSQL and Synapse processes on free loopback ports; `stop` ends both by PID."""

    def __init__(self) -> None:
        self.pg_bin = Path((PEER_DIR / "pg_bin").read_text().strip())
        self.pg_port = int(os.environ.get("BEATGRAPH_PEER_PG_PORT") or free_port())
        self.http_port = int(os.environ.get("BEATGRAPH_PEER_HTTP_PORT") or free_port())
        self.base = f"http://127.0.0.1:{self.http_port}"
        self.postgres: subprocess.Popen | None = None
        self.synapse: subprocess.Popen | None = None
        self._log_start = 0
        self._logs: list[IO[bytes]] = []

    def _log(self, name: str) -> IO[bytes]:
        handle = open(PEER_DIR / name, "ab")  # noqa: SIM115 (closed in stop)
        self._logs.append(handle)
        return handle

    def start(self) -> None:
        """Start PostgreSQL (creating its cluster and database once), then Synapse."""
        try:
            self._start_postgres()
            self._start_synapse()
        except BaseException:
            self.stop()
            raise

    def _start_postgres(self) -> None:
        data, run = PEER_DIR / "pg", PEER_DIR / "pg-run"
        _own(run)
        if not (data / "PG_VERSION").exists():
            _own(data)
            subprocess.run(
                [
                    str(self.pg_bin / "initdb"),
                    "-D",
                    str(data),
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "-U",
                    "postgres",
                    "--auth=trust",
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                **_as_postgres(),
            )
        self.postgres = subprocess.Popen(
            [
                str(self.pg_bin / "postgres"),
                "-D",
                str(data),
                "-p",
                str(self.pg_port),
                "-h",
                "127.0.0.1",
                "-k",
                str(run),
                "-c",
                "max_connections=200",
            ],
            stdout=subprocess.DEVNULL,
            stderr=self._log("postgres.log"),
            **_as_postgres(),
        )
        psql = [
            str(self.pg_bin / "psql"),
            "-h",
            str(run),
            "-p",
            str(self.pg_port),
            "-U",
            "postgres",
            "-tAc",
        ]
        deadline = time.monotonic() + 60
        while (
            subprocess.run(
                [str(self.pg_bin / "pg_isready"), "-q", "-h", str(run), "-p", str(self.pg_port)]
            ).returncode
            != 0
        ):
            if self.postgres.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not start (see {PEER_DIR}/postgres.log)")
            time.sleep(0.3)
        exists = subprocess.check_output(
            psql + ["SELECT 1 FROM pg_database WHERE datname = 'synapse'"], text=True
        ).strip()
        if not exists:
            subprocess.run(
                psql
                + [
                    "CREATE DATABASE synapse ENCODING 'UTF8' LC_COLLATE 'C' "
                    "LC_CTYPE 'C' TEMPLATE template0"
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )

    def _config(self) -> Path:
        limits: dict[str, object] = {name: NO_LIMIT for name in RATE_LIMITS}
        limits.update(
            {name: {part: NO_LIMIT for part in parts} for name, parts in NESTED_LIMITS.items()}
        )
        (PEER_DIR / "log.yaml").write_text(
            "version: 1\nformatters:\n  plain:\n    format: '%(levelname)s %(name)s: %(message)s'"
            "\nroot:\n  level: WARNING\n  handlers: [console]\nhandlers:\n  console:\n"
            "    class: logging.StreamHandler\n    formatter: plain\n"
            "disable_existing_loggers: false\n"
        )
        settings = {
            "server_name": SERVER_NAME,
            "pid_file": str(PEER_DIR / "homeserver.pid"),
            "listeners": [
                {
                    "port": self.http_port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            "database": {
                "name": "psycopg2",
                "args": {
                    "user": "postgres",
                    "database": "synapse",
                    "host": str(PEER_DIR / "pg-run"),
                    "port": self.pg_port,
                    "cp_min": 5,
                    "cp_max": 10,
                },
            },
            "log_config": str(PEER_DIR / "log.yaml"),
            "media_store_path": str(PEER_DIR / "media"),
            "signing_key_path": str(PEER_DIR / "signing.key"),
            "registration_shared_secret": SHARED_SECRET,
            "report_stats": False,
            "enable_metrics": False,
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            "federation_domain_whitelist": [],
            "bcrypt_rounds": 4,
            **limits,
        }
        path = PEER_DIR / "homeserver.yaml"
        path.write_text(_yaml(settings) + "\n")
        return path

    def _start_synapse(self) -> None:
        python = str(PEER_DIR / "venv" / "bin" / "python")
        config = str(self._config())
        command = [python, "-m", "synapse.app.homeserver", "-c", config]
        if not (PEER_DIR / "signing.key").exists():
            subprocess.run(
                command + ["--generate-keys"], check=True, cwd=PEER_DIR, stdout=subprocess.DEVNULL
            )
        log = PEER_DIR / "synapse.log"
        self._log_start = log.stat().st_size if log.exists() else 0
        self.synapse = subprocess.Popen(
            command, cwd=PEER_DIR, stdout=subprocess.DEVNULL, stderr=self._log("synapse.log")
        )
        deadline = time.monotonic() + 120
        while True:
            if self.synapse.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Synapse did not start (see {PEER_DIR}/synapse.log)")
            with (
                contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError),
                urllib.request.urlopen(self.base + "/health", timeout=2) as response,
            ):
                if response.status == 200:
                    return
            time.sleep(0.3)

    def errors(self) -> dict[str, int]:
        """ERROR lines Synapse logged since this process started, counted by logger."""
        found: dict[str, int] = {}
        with open(PEER_DIR / "synapse.log", errors="replace") as handle:
            handle.seek(self._log_start)
            for line in handle:
                if line.startswith(("ERROR ", "CRITICAL ")):
                    name = " ".join(line.split(":", 1)[0].split()[:2])
                    found[name] = found.get(name, 0) + 1
        return found

    def pids(self) -> dict[str, int]:
        """The root PIDs whose process trees serve the peer (for CPU accounting)."""
        return {
            name: process.pid
            for name, process in (("synapse", self.synapse), ("postgres", self.postgres))
            if process
        }

    def stop(self) -> None:
        """Synapse first (SIGTERM), then PostgreSQL (SIGINT: fast shutdown), by PID."""
        for process, signal_name in ((self.synapse, "terminate"), (self.postgres, "interrupt")):
            if process is None or process.poll() is not None:
                continue
            if signal_name == "terminate":
                process.terminate()
            else:
                process.send_signal(2)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for handle in self._logs:
            handle.close()
