"""schemathesis against the served app: every operation of /openapi.json with every check,
as a user, as the BeatPass service and with no token, fed real ids. No failure allowed."""

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from server.tokens import issue_token
from tests.served import REALTIME_TEST_SETTINGS, ServedApp

CONFIG = Path(__file__).with_name("schemathesis.toml")
SERVICE_OPERATIONS = [
    "--include-path-regex",
    "^/api/v1/(users|producers|producers/[{]producer_id[}](/uploads)?|"
    "notifications/playlist-invites|dev/token)$",
]
# Who, whose token, and how much: every phase for a user over every operation; the service
# over the routes only it may use; no token over every operation, fuzzing only. The
# three runs are bounded by examples per operation, well under three minutes together.
RUNS = [
    ("user", "user", ["--max-examples", "5"]),
    ("service", "service", ["--max-examples", "8", *SERVICE_OPERATIONS]),
    ("anonymous", None, ["--max-examples", "4", "--phases", "fuzzing"]),
]


@pytest.fixture
def served_with_dev_auth(app_config):
    """The served app with dev sign-in on, so POST /dev/token is tested for real too."""
    server = ServedApp(app_config, {**REALTIME_TEST_SETTINGS, "BEATGRAPH_DEV_AUTH": "1"})
    yield server
    server.stop()


def _seed(api, folder: Path) -> dict[str, str]:
    """Users, producers, conversations, a notification and a cursor for schemathesis to use:
    their ids go into the dictionary files the config names."""
    me, friend, other = (api.create_user(name) for name in ("st_me", "st_friend", "st_other"))
    producer = api.create_producer("st-beats")
    claimed = api.create_producer("st-claimed", user_id=friend["id"])
    api.follow(friend, me)
    api.follow(other, me)
    api.like(me, producer)
    dm = api.start(me, friend)
    group = api.start(me, friend, other, title="st group")
    api.send(friend, dm, "hello")
    notification = api.get("/api/v1/me/notifications", me)["items"][0]
    cursor = api.get(f"/api/v1/users/{me['id']}/followers", me, limit=1)["next_cursor"]
    seeded = {
        "user_ids": [me["id"], friend["id"], other["id"]],
        "producer_ids": [producer["id"], claimed["id"]],
        "conversation_ids": [dm["id"], group["id"]],
        "notification_ids": [notification["id"]],
        "cursors": [cursor],
    }
    (folder / "seeded").mkdir()
    for name, values in seeded.items():
        (folder / "seeded" / f"{name}.txt").write_text("".join(f'"{v}"\n' for v in values))
    shutil.copy(CONFIG, folder / CONFIG.name)
    return {"me": me["id"]}


def _failures(output: str) -> str:
    """The failure section of schemathesis's report, with each line cut to a readable size."""
    start = output.find("= FAILURES =")
    section = output[start if start >= 0 else 0 :]
    return "\n".join(line[:300] for line in section.splitlines())[:20000]


def _run(served, config: Path, token: str | None, options: list[str]) -> tuple[str, int]:
    """One schemathesis run, from the config's folder: its cache (which replays earlier
    crashes) starts empty every time and never lands in the work tree."""
    root = os.environ.get("BEATGRAPH_ROOT") or os.getcwd()
    command = [
        f"{root}/.venv/bin/schemathesis",
        "--no-color",
        "--config-file",
        str(config),
        "run",
        f"{served.base}/openapi.json",
        "--checks",
        "all",
        "--seed",
        "20261202",
        "--workers",
        "1",
        *options,
    ]
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    result = subprocess.run(
        command, cwd=config.parent, capture_output=True, text=True, timeout=400, check=False
    )
    return result.stdout + result.stderr, result.returncode


@pytest.mark.timeout(600)
def test_the_served_api_keeps_every_promise_of_its_openapi_document(
    app, api, served_with_dev_auth, tmp_path
):
    """With every schemathesis check (server errors, status codes, content types, headers,
    response schemas, accepting valid and refusing invalid data, auth, methods), as a user,
    as the service and anonymously: no failure."""
    seeded = _seed(api, tmp_path)
    secret = app.config["BEATGRAPH_JWT_SECRET"]
    tokens = {
        "user": issue_token(secret, seeded["me"], 3600),
        "service": issue_token(secret, "beatpass", 3600, service=True),
    }
    for who, token, options in RUNS:
        started = time.monotonic()
        output, code = _run(
            served_with_dev_auth, tmp_path / CONFIG.name, tokens[token] if token else None, options
        )
        cases = re.findall(r"Test cases:\s*\n\s*(.*)", output)
        print(f"schemathesis as {who}: {cases} in {time.monotonic() - started:.0f} s")
        assert code == 0, f"schemathesis as {who} failed:\n{_failures(output)}"
