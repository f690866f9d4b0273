"""The local Redis has a password: without it nobody reads event streams or forges events."""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import AuthenticationError
from redis.retry import Retry

from tests.sockets import next_frame, no_frame, open_socket


def _anonymous_redis() -> Redis:
    url = urlsplit(os.environ["REDIS_URL"])
    # No retries: a refused command should fail at once, not after redis-py's backoff.
    return Redis(
        host=url.hostname or "127.0.0.1", port=url.port or 6379, retry=Retry(NoBackoff(), 0)
    )


def test_without_the_password_no_stream_is_read_and_no_forged_event_reaches_a_socket(
    app, api, served, people
):
    """A local process without the Redis password can neither read a user's event stream
    (it holds message bodies) nor PUBLISH a forged message.created onto the relay."""
    maya, theo, _ = people
    dm = api.start(maya, theo)
    relay = app.extensions["beatgraph.relay"]
    anonymous = _anonymous_redis()
    with open_socket(app, served, theo) as theo_ws:
        api.send(maya, dm, "private words")
        assert next_frame(theo_ws, "message.created")["data"]["body"] == "private words"
        with pytest.raises(AuthenticationError):
            anonymous.xrange(relay.stream_key(theo["id"]))
        forged = {
            "user_id": theo["id"],
            "id": "1-0",
            "frame": json.dumps({"type": "message.created", "data": {"body": "forged"}}),
        }
        with pytest.raises(AuthenticationError):
            anonymous.publish(relay.channel, json.dumps(forged))
        no_frame(theo_ws, "message.created", within=1.0)
    anonymous.close()


def test_redis_url_carries_the_generated_password(stack_env):
    """`stack.sh env` puts the profile's generated password (0600 file) into REDIS_URL."""
    var = Path(stack_env["BEATGRAPH_REDIS_PIDFILE"]).parent
    password = (var / "redis.password").read_text().strip()
    assert len(password) >= 32
    assert urlsplit(stack_env["REDIS_URL"]).password == password
