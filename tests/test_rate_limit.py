"""Rate limiting: a caller over the limit gets a 429 problem with Retry-After."""

import pytest


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
