"""Prometheus metrics at `/metrics`: request counts and latencies per route, for loopback
callers only, or for the bearer of BEATGRAPH_METRICS_TOKEN when it is set."""

import hmac
import ipaddress
import time

from flask import Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest

from api.errors import problem_response

# A local reverse proxy makes every caller look like loopback; these say it relayed one.
PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def _from_loopback() -> bool:
    try:
        local = ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False
    return local and not any(name in request.headers for name in PROXY_HEADERS)


def metrics_refusal() -> Response | None:
    """Why this caller may not read the metrics (a problem response), or None if it may."""
    expected = current_app.config["BEATGRAPH_METRICS_TOKEN"]
    if expected:
        scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
            presented.strip().encode(), expected.encode()
        ):
            return None
        return problem_response(
            401,
            "Unauthorized",
            "the metrics need their Bearer token",
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )
    if _from_loopback():
        return None
    return problem_response(403, "Forbidden", "the metrics are served to loopback callers only")


def init_metrics(app: Flask) -> None:
    """Time every request by route and status, and serve `/metrics` from an app-own registry."""
    registry = CollectorRegistry()
    latency = Histogram(
        "beatgraph_http_request_seconds",
        "HTTP request latency by route, method and status",
        ["route", "method", "status"],
        registry=registry,
        buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    )

    @app.before_request
    def start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def observe(response: Response) -> Response:
        started = g.pop("request_started", None)
        if started is not None:
            route = request.url_rule.rule if request.url_rule else "unmatched"
            latency.labels(route, request.method, str(response.status_code)).observe(
                time.perf_counter() - started
            )
        return response

    def metrics() -> Response:
        refusal = metrics_refusal()
        if refusal is not None:
            return refusal
        return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)

    app.add_url_rule("/metrics", "metrics", metrics)
    app.extensions["beatgraph.metrics"] = registry
