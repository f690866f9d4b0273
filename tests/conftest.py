"""Fixtures in the flask tutorial's shape, over the real Neo4j and Redis of `make test`.

Each test gets a freshly wiped graph (only in a database marked as the test one) and a
Redis key prefix of its own, so no test sees another's state.
"""

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from redis import Redis

from cypher import Q
from graph.db import Graph
from graph.schema import apply_schema
from realtime.redis_client import is_cluster_url
from server.config import load_settings
from server.factory import create_app
from server.tokens import issue_token
from tests.served import ServedApp

STACK_FIXTURES = {"test_graph", "stack_env"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "stack: needs the test Neo4j and Redis (set for every test using them)"
    )
    config.addinivalue_line(
        "markers", "cluster: needs REDIS_URL to name a Redis Cluster (scripts/test.sh, 2nd pass)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test that reaches the stack, so `make unit` can run the rest without it, and
    refuse to run marked tests unless `make test` started the stack."""
    needs_stack = False
    for item in items:
        if STACK_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.stack)
            needs_stack = needs_stack or not item.get_closest_marker("skip")
    if not is_cluster_url(os.environ.get("REDIS_URL", "")):
        # Cluster tests run in scripts/test.sh's cluster pass, with REDIS_URL on the cluster.
        cluster_only = [item for item in items if item.get_closest_marker("cluster")]
        if cluster_only:
            config.hook.pytest_deselected(items=cluster_only)
            items[:] = [item for item in items if not item.get_closest_marker("cluster")]
    deselected = config.getoption("markexpr") == "not stack"
    if needs_stack and not deselected and os.environ.get("BEATGRAPH_TESTING") != "1":
        raise pytest.UsageError(
            "run the suite with `make test` (it starts the test Neo4j and Redis); "
            "BEATGRAPH_TESTING=1 is not set. `make unit` runs the tests that need neither."
        )


@pytest.fixture(scope="session")
def stack_env() -> dict[str, str]:
    """The environment `scripts/test.sh` exports for the test stack (URIs and passwords)."""
    return dict(os.environ)


@pytest.fixture(scope="session")
def test_graph() -> Iterator[Graph]:
    """The test database, guarded and migrated once per session."""
    graph = Graph.connect(load_settings().as_config())
    state = graph.single(Q.testing.get_database_state)
    assert state is not None
    if state["has_data"] and not state["is_test"]:
        pytest.exit(f"refusing to wipe {os.environ['NEO4J_URI']}: it is not the test database", 2)
    graph.run(Q.testing.mark_test_database)
    apply_schema(graph)
    yield graph
    graph.close()


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Settings for this test's app; a test may change them before using `app`."""
    return {
        "TESTING": True,
        "REDIS_PREFIX": f"test:{uuid.uuid4().hex[:10]}:",
        "BEATGRAPH_DEV_AUTH": False,
        "BEATGRAPH_RATE_LIMIT": "100000 per minute",
        "BEATGRAPH_JWT_SECRET": "test-secret-" + "0123456789abcdef" * 4,
    }


@pytest.fixture
def app(test_graph: Graph, app_config: dict[str, Any]) -> Iterator[Any]:
    """A fresh app over an empty graph."""
    test_graph.run(Q.testing.wipe_graph)
    app = create_app(app_config)
    yield app
    app.extensions["beatgraph.typing"].stop()
    app.extensions["beatgraph.relay"].stop()
    redis: Redis = app.extensions["beatgraph.redis"]
    try:
        keys = list(redis.scan_iter(match=app_config["REDIS_PREFIX"] + "*", count=1000))
        if keys:
            redis.delete(*keys)
    finally:
        redis.close()
        app.extensions["beatgraph.graph"].close()


@pytest.fixture
def client(app: Any) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def graph(app: Any) -> Graph:
    """The app's own query runner (for round-trip counts and domain-level tests)."""
    return app.extensions["beatgraph.graph"]


class Api:
    """Helpers that act as BeatPass's back end and as signed-in users."""

    def __init__(self, app: Any, client: FlaskClient) -> None:
        self.app = app
        self.client = client
        self.secret = app.config["BEATGRAPH_JWT_SECRET"]

    def service_headers(self) -> dict[str, str]:
        return {
            "Authorization": "Bearer " + issue_token(self.secret, "beatpass", 600, service=True)
        }

    def headers_for(self, user: dict[str, Any] | str) -> dict[str, str]:
        user_id = user if isinstance(user, str) else user["id"]
        return {"Authorization": "Bearer " + issue_token(self.secret, user_id, 600)}

    def create_user(
        self, username: str, display_name: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        body = {"username": username, "display_name": display_name or username.title(), **extra}
        response = self.client.post("/api/v1/users", json=body, headers=self.service_headers())
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def create_producer(self, slug: str, name: str | None = None, **extra: Any) -> dict[str, Any]:
        body = {"slug": slug, "name": name or slug.title(), **extra}
        response = self.client.post("/api/v1/producers", json=body, headers=self.service_headers())
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def follow(self, follower: dict[str, Any], followee: dict[str, Any]) -> dict[str, Any]:
        response = self.client.put(
            f"/api/v1/users/{followee['id']}/follow", headers=self.headers_for(follower)
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def like(self, user: dict[str, Any], producer: dict[str, Any]) -> dict[str, Any]:
        response = self.client.put(
            f"/api/v1/producers/{producer['id']}/like", headers=self.headers_for(user)
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def block(self, blocker: dict[str, Any], blocked: dict[str, Any]) -> None:
        response = self.client.put(
            f"/api/v1/users/{blocked['id']}/block", headers=self.headers_for(blocker)
        )
        assert response.status_code == 200, response.get_json()

    def start(
        self, user: dict[str, Any], *others: dict[str, Any], title: str | None = None
    ) -> dict[str, Any]:
        """Open a DM (one other) or a group (several) as `user`; returns the conversation."""
        body: dict[str, Any] = {"participant_ids": [other["id"] for other in others]}
        if title is not None:
            body["title"] = title
        response = self.client.post(
            "/api/v1/conversations", json=body, headers=self.headers_for(user)
        )
        assert response.status_code in (200, 201), response.get_json()
        return response.get_json()

    def send(
        self,
        user: dict[str, Any],
        conversation: dict[str, Any],
        body: str,
        client_id: str | None = None,
    ) -> dict[str, Any]:
        """Send a message as `user`, asserting it was stored (201)."""
        response = self.client.post(
            f"/api/v1/conversations/{conversation['id']}/messages",
            json={"client_id": client_id or uuid.uuid4().hex, "body": body},
            headers=self.headers_for(user),
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def post(self, path: str, user: dict[str, Any], body: Any = None) -> Any:
        """POST as `user`, asserting 200; returns the JSON body."""
        response = self.client.post(path, json=body, headers=self.headers_for(user))
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def get(self, path: str, user: dict[str, Any], **params: Any) -> Any:
        """GET as `user`, asserting 200; returns the JSON body."""
        response = self.client.get(path, headers=self.headers_for(user), query_string=params)
        assert response.status_code == 200, response.get_json()
        return response.get_json()


@pytest.fixture
def api(app: Any, client: FlaskClient) -> Api:
    return Api(app, client)


@pytest.fixture
def people(api: Api) -> tuple[dict[str, Any], ...]:
    """Three users: maya, theo and eve."""
    return tuple(api.create_user(name) for name in ("maya", "theo", "eve"))


@pytest.fixture
def served(app: Any, app_config: dict[str, Any]) -> Iterator[ServedApp]:
    """The app served by gunicorn over the same Neo4j, Redis prefix and secret."""
    server = ServedApp(app_config)
    yield server
    server.stop()
