"""Health, readiness, metrics and the API document."""

import os
import subprocess
import time

import pytest

from server.factory import create_app


def test_healthz_answers_while_the_process_is_up(client):
    """Liveness needs nothing but the process."""
    assert client.get("/healthz").get_json() == {"status": "ok"}


def _ready(client, within=60.0):
    """/readyz, asked until it says 200 (a new process first plans the hot statements)."""
    deadline = time.monotonic() + within
    response = client.get("/readyz")
    while response.status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.1)
        response = client.get("/readyz")
    return response


def test_readyz_is_200_with_neo4j_redis_and_schema(client):
    """With both stores up, the schema applied and the plans warm the service is ready;
    until the plans are warm it says so."""
    first = client.get("/readyz")
    if first.status_code != 200:
        assert first.status_code == 503 and "warming" in first.get_json(force=True)["detail"]
    response = _ready(client)
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready"}


def _redis_pid() -> int:
    with open(os.environ["BEATGRAPH_REDIS_PIDFILE"]) as handle:
        return int(handle.read())


def _restart_redis() -> None:
    root = os.environ["BEATGRAPH_ROOT"]
    subprocess.run([f"{root}/scripts/stack.sh", "up", "test"], check=True, capture_output=True)


def _wait_until_gone(pid: int, what: str, seconds: float = 10) -> None:
    """Wait until a process we signalled has exited; fail naming it otherwise."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} did not exit within {seconds:g} s")


def _stop_redis() -> None:
    pid = _redis_pid()
    os.kill(pid, 15)
    _wait_until_gone(pid, "Redis")


def test_readyz_is_503_while_redis_is_down_and_recovers(client):
    """Stopping Redis makes readiness fail with the reason; restarting it makes it pass again."""
    assert _ready(client).status_code == 200
    _stop_redis()
    try:
        deadline = time.monotonic() + 10
        response = client.get("/readyz")
        while response.status_code != 503 and time.monotonic() < deadline:
            time.sleep(0.1)
            response = client.get("/readyz")
        assert response.status_code == 503
        assert response.mimetype == "application/problem+json"
        assert "redis" in response.get_json(force=True)["detail"]
        assert response.headers["Retry-After"]
    finally:
        _restart_redis()
    assert _ready(client, within=10).status_code == 200


@pytest.fixture
def app_without_neo4j(app_config):
    """An app whose Neo4j address answers nothing (a closed loopback port)."""
    app_config.update(
        NEO4J_URI="bolt://127.0.0.1:9",
        NEO4J_CONNECTION_TIMEOUT=1.0,
        NEO4J_TRANSACTION_RETRY_SECONDS=1.0,
    )
    app = create_app(app_config)
    yield app
    app.extensions["beatgraph.typing"].stop()
    app.extensions["beatgraph.relay"].stop()
    app.extensions["beatgraph.graph"].close()


def test_neo4j_down_gives_503_with_retry_after_not_a_hang(app_without_neo4j):
    """When Neo4j does not answer, readiness and API calls say 503 and when to retry, quickly."""
    client = app_without_neo4j.test_client()
    started = time.monotonic()
    ready = client.get("/readyz")
    assert ready.status_code == 503 and "neo4j" in ready.get_json(force=True)["detail"]
    token = __import__("server.tokens", fromlist=["issue_token"]).issue_token(
        app_without_neo4j.config["BEATGRAPH_JWT_SECRET"], "svc", 60, service=True
    )
    response = client.post(
        "/api/v1/users",
        json={"username": "maya", "display_name": "Maya"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    assert time.monotonic() - started < 20


def test_metrics_count_requests_by_route(client):
    """Prometheus sees request latencies labelled by route and status."""
    client.get("/healthz")
    text = client.get("/metrics").get_data(as_text=True)
    assert (
        'beatgraph_http_request_seconds_count{method="GET",route="/healthz",status="200"}' in text
    )


def test_openapi_document_describes_the_api(client):
    """The OpenAPI document lists the endpoints with schemas built from the validators."""
    document = client.get("/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    create_user = document["paths"]["/api/v1/users"]["post"]
    assert "requestBody" in create_user
    schema = document["components"]["schemas"]["CreateUserBody"]
    assert schema["properties"]["username"]["pattern"]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_docs_page_serves_swagger_ui(client):
    """A person can browse the API at /docs."""
    response = client.get("/docs", follow_redirects=True)
    assert response.status_code == 200
    assert b"swagger" in response.data.lower()
