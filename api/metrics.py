"""Prometheus metrics at `/metrics`: request counts and latencies per route."""

import time

from flask import Flask, Response, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest


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
        return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)

    app.add_url_rule("/metrics", "metrics", metrics)
    app.extensions["beatgraph.metrics"] = registry
