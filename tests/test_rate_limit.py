"""Rate limiting: a caller over the limit gets a 429 problem with Retry-After."""

import time

import pytest

from graph.users import create_user
from server.factory import create_app
from server.tokens import issue_token


@pytest.fixture
def strict_app_config(app_config):
    app_config["BEATGRAPH_RATE_LIMIT"] = "3 per minute"
    return app_config


def test_fourth_request_in_a_minute_is_429_with_retry_after(strict_app_config, client, api):
    """Past the per-user limit the API answers 429, and says when to retry."""
    headers = api.service_headers()
    statuses = [
        client.post(
            "/api/v1/users", json={"username": f"user{n}", "display_name": "U"}, headers=headers
        ).status_code
        for n in range(4)
    ]
    assert statuses == [201, 201, 201, 429]
    limited = client.post(
        "/api/v1/users", json={"username": "late", "display_name": "L"}, headers=headers
    )
    assert limited.status_code == 429
    assert limited.mimetype == "application/problem+json"
    assert int(limited.headers["Retry-After"]) > 0


def test_health_endpoints_are_not_limited(strict_app_config, client):
    """Probes from the orchestrator are never rate limited."""
    assert [client.get("/healthz").status_code for _ in range(6)] == [200] * 6


@pytest.fixture
def budget_app_config(app_config):
    app_config["BEATGRAPH_RATE_LIMIT"] = "3 per minute"
    return app_config


def test_one_budget_covers_every_route(budget_app_config, app, api):
    """A user's requests to different routes draw on one budget: the fourth is 429
    whichever route it goes to."""
    from server.tokens import issue_token

    maya = create_user(app.extensions["beatgraph.graph"], username="maya", display_name="M")
    client = app.test_client()
    headers = {
        "Authorization": "Bearer "
        + issue_token(app.config["BEATGRAPH_JWT_SECRET"], maya["id"], 600)
    }
    statuses = [
        client.get(path, headers=headers).status_code
        for path in (
            "/api/v1/me",
            "/api/v1/me/unread",
            "/api/v1/conversations",
            "/api/v1/users/search?q=ma",
        )
    ]
    assert statuses == [200, 200, 200, 429]


def test_limited_responses_carry_rate_limit_headers_and_no_retry_after(
    budget_app_config, client, api
):
    """Every limited response says the budget (X-RateLimit-*); only a 429 says Retry-After,
    and it is the time left until the window resets."""
    headers = api.service_headers()
    first = client.post(
        "/api/v1/users", json={"username": "one", "display_name": "O"}, headers=headers
    )
    assert first.status_code == 201
    assert first.headers["X-RateLimit-Limit"] == "3"
    assert first.headers["X-RateLimit-Remaining"] == "2"
    assert int(first.headers["X-RateLimit-Reset"]) > time.time()
    assert "Retry-After" not in first.headers
    for _ in range(2):
        client.get("/api/v1/users/lookup?username=one", headers=headers)
    limited = client.get("/api/v1/users/lookup?username=one", headers=headers)
    assert limited.status_code == 429
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    retry_after = int(limited.headers["Retry-After"])
    assert 0 < retry_after <= 60
    assert abs(retry_after - (int(limited.headers["X-RateLimit-Reset"]) - time.time())) <= 2


def test_a_503_says_retry_after_the_apps_hint_not_the_rate_window(app_config, stack_env):
    """With Neo4j down, a limited route's 503 carries Retry-After: 5 (the app's hint)."""
    app_config.update(
        NEO4J_URI="bolt://127.0.0.1:9",
        NEO4J_CONNECTION_TIMEOUT=1.0,
        NEO4J_TRANSACTION_RETRY_SECONDS=1.0,
    )
    app = create_app(app_config)
    try:
        token = issue_token(app.config["BEATGRAPH_JWT_SECRET"], "svc", 60, service=True)
        response = app.test_client().post(
            "/api/v1/users",
            json={"username": "maya", "display_name": "Maya"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        assert response.headers["X-RateLimit-Limit"]
    finally:
        app.extensions["beatgraph.typing"].stop()
        app.extensions["beatgraph.relay"].stop()
        app.extensions["beatgraph.graph"].close()


@pytest.fixture
def default_budget_app_config(app_config):
    app_config["BEATGRAPH_RATE_LIMIT"] = "600 per minute"
    return app_config


def test_a_process_counts_a_dozen_requests_per_redis_round_trip(
    default_budget_app_config, client, api
):
    """Under the default budget (600 a minute) a process reserves 12 requests of the
    window per Redis call and counts them itself; every response still says exactly how
    many are left, and when the window resets."""
    redis = client.application.extensions["beatgraph.redis"]
    headers = api.service_headers()
    first = client.get("/api/v1/users/lookup?username=nobody", headers=headers)  # 1 of 12
    assert first.headers["X-RateLimit-Remaining"] == "599"
    # The relay's listener checks Redis once as it starts (GET, SET, maybe a script):
    # counted below, that would look like the limiter's.
    assert client.application.extensions["beatgraph.relay"].healthy.wait(10)
    redis.config_resetstat()
    responses = [
        client.get("/api/v1/users/lookup?username=nobody", headers=headers) for _ in range(35)
    ]
    stats = redis.info("commandstats")
    remaining = [int(response.headers["X-RateLimit-Remaining"]) for response in responses]
    assert remaining == list(range(598, 598 - 35, -1))
    assert all(int(r.headers["X-RateLimit-Reset"]) > time.time() for r in responses)
    calls = {
        name: stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("evalsha", "get", "ttl")
    }
    # 11 requests from the first share, then two more shares of 12; Redis counts the TTL
    # each script runs too.
    assert calls == {"evalsha": 2, "get": 0, "ttl": 2}


@pytest.fixture
def hundred_app_config(app_config):
    app_config["BEATGRAPH_RATE_LIMIT"] = "100 per minute"
    return app_config


def test_two_processes_never_grant_more_than_the_budget(hundred_app_config, app, api):
    """Two app processes sharing one Redis each lease shares of a caller's window (two
    requests at a time under 100 a minute): together they grant at most the budget, and
    at most a share less."""
    other = create_app(hundred_app_config)
    try:
        clients = [app.test_client(), other.test_client()]
        headers = api.service_headers()
        statuses = [
            clients[n % 2].get("/api/v1/users/lookup?username=nobody", headers=headers).status_code
            for n in range(120)
        ]
    finally:
        other.extensions["beatgraph.typing"].stop()
        other.extensions["beatgraph.relay"].stop()
        other.extensions["beatgraph.graph"].close()
    granted = [status for status in statuses if status != 429]
    assert 99 <= len(granted) <= 100
    assert statuses[-10:] == [429] * 10


@pytest.fixture
def short_window_app_config(app_config):
    app_config["BEATGRAPH_RATE_LIMIT"] = "200 per 2 seconds"
    return app_config


def test_a_spent_window_opens_again_when_it_resets(short_window_app_config, app, client, api):
    """A caller refused for the rest of a window is served again once it resets: the
    process's leased share ends with its window."""
    maya = create_user(app.extensions["beatgraph.graph"], username="maya", display_name="M")
    headers = api.headers_for(maya)
    statuses: list[int] = []
    while len(statuses) < 210 and 429 not in statuses:
        statuses.append(client.get("/api/v1/me", headers=headers).status_code)
    assert statuses == [200] * 200 + [429]
    refused = client.get("/api/v1/me", headers=headers)
    assert refused.status_code == 429
    time.sleep(max(0.0, int(refused.headers["X-RateLimit-Reset"]) - time.time()) + 1.1)
    again = client.get("/api/v1/me", headers=headers)
    assert again.status_code == 200
    assert again.headers["X-RateLimit-Remaining"] == "199"


@pytest.fixture
def two_budgets_app_config(app_config):
    app_config["BEATGRAPH_RATE_LIMIT"] = "100 per hour;3 per minute"
    return app_config


def test_with_two_budgets_the_headers_speak_of_the_tighter_and_it_refuses(
    two_budgets_app_config, client, api
):
    """Each budget counts every request; the headers name the one closer to running out,
    and the 429 comes as soon as either is spent."""
    headers = api.service_headers()
    responses = [
        client.get("/api/v1/users/lookup?username=nobody", headers=headers) for _ in range(4)
    ]
    assert [r.status_code == 429 for r in responses] == [False, False, False, True]
    assert [r.headers["X-RateLimit-Limit"] for r in responses] == ["3"] * 4
    assert [r.headers["X-RateLimit-Remaining"] for r in responses] == ["2", "1", "0", "0"]
    assert "rate limit exceeded (3 per 1 minute)" in responses[3].get_json()["detail"]
