"""`/metrics` answers loopback callers only, or, with BEATGRAPH_METRICS_TOKEN set, only
callers presenting that token."""

import pytest

OUTSIDE = {"REMOTE_ADDR": "203.0.113.9"}
METRICS_TOKEN = "metrics-" + "0123456789abcdef" * 2


def _is_metrics(response):
    return response.status_code == 200 and b"beatgraph_http_request_seconds" in response.data


@pytest.mark.parametrize("address", ["127.0.0.1", "127.3.2.1", "::1"])
def test_metrics_answer_loopback_callers(client, address):
    """A scraper on the same host reads the metrics without credentials."""
    client.get("/healthz")
    assert _is_metrics(client.get("/metrics", environ_base={"REMOTE_ADDR": address}))


def test_metrics_refuse_other_addresses(client):
    """From any other address the metrics are refused with a problem document."""
    response = client.get("/metrics", environ_base=OUTSIDE)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert b"beatgraph_http" not in response.data


def test_metrics_refuse_a_request_forwarded_by_a_proxy(client):
    """A request relayed by a local reverse proxy is not a loopback caller."""
    for header in ("X-Forwarded-For", "Forwarded"):
        response = client.get("/metrics", headers={header: "for=203.0.113.9"})
        assert response.status_code == 403


@pytest.fixture
def token_app_config(app_config):
    app_config["BEATGRAPH_METRICS_TOKEN"] = METRICS_TOKEN
    return app_config


def test_with_a_metrics_token_only_that_bearer_reads_them(token_app_config, client):
    """With BEATGRAPH_METRICS_TOKEN set, the token is needed from anywhere, loopback too;
    a wrong or missing one is a 401 asking for Bearer."""
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": METRICS_TOKEN}):
        refused = client.get("/metrics", headers=headers)
        assert refused.status_code == 401
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    right = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    assert _is_metrics(client.get("/metrics", headers=right, environ_base=OUTSIDE))
    assert _is_metrics(client.get("/metrics", headers=right))
