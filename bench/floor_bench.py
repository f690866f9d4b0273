"""Where a fast read's time outside its statement goes: the producer page and the star's
profile of the social bench graph, each timed five ways in turns (a new order each round),
every call right after the others (so each finds the caches as a served read does, after a
wait on Neo4j):

- raw: the statement through the bare driver (the denominator of `make bench-social`);
- WSGI alone: a bare WSGI function that calls the same domain function for a fixed viewer
  and answers its JSON (orjson, as the app does): the domain's shaping and the encoding,
  with no framework;
- Flask alone: a plain Flask app whose one route calls the same domain function for a
  fixed viewer and returns its JSON (no authentication, validation, limits or metrics);
- the app without its hooks: the real app with its before-, after- and teardown-request
  hooks removed (authentication then happens in the view, as `current_user_id` asks);
- the app: the real request path, as `make bench-social` times it.

Flask alone minus WSGI alone is Flask's own machinery: its request context, routing and
response object.

Every variant runs the real statement against the bench Neo4j. Run with
`make bench-floor` (the social bench graph is built first when missing).
"""

import statistics
import sys
from collections.abc import Callable
from typing import Any

import orjson
from flask import Flask

from bench.common import raw_read, time_in_turns, wsgi_get
from bench.social_bench import VIEWER, ensure_graph, read_cases
from graph import producers, profiles
from graph.db import Graph
from graph.schema import apply_schema
from server.factory import create_app
from server.heap import settle_loaded_app
from server.json_responses import OrjsonResponses
from server.tokens import issue_token

REPEAT = 1000
SETTINGS = {"BEATGRAPH_RATE_LIMIT": "1000000 per minute"}
FLOOR_READS = ("producer page (200k likes)", "profile (star: 50k followers)")


def flask_alone(graph) -> Flask:
    """The framework's floor: Flask routing to the domain functions, nothing else."""
    bare = Flask("flask-alone")
    bare.json = OrjsonResponses(bare)

    @bare.get("/api/v1/producers/<producer_id>")
    def producer_page(producer_id: str) -> dict[str, Any]:
        return producers.get_producer(graph, producer_id, VIEWER)

    @bare.get("/api/v1/users/<user_id>")
    def profile(user_id: str) -> dict[str, Any]:
        return profiles.get_profile(graph, VIEWER, user_id=user_id)

    return bare


def wsgi_alone(read: Callable[[], dict[str, Any]]) -> Callable[..., list[bytes]]:
    """No framework: a WSGI function answering `read()` as JSON, whatever the URL."""

    def application(_environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        body = orjson.dumps(read())
        start_response(
            "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return [body]

    return application


def domain_read(graph: Graph, name: str, url: str) -> Callable[[], dict[str, Any]]:
    """The domain function behind one of FLOOR_READS, for VIEWER."""
    subject_id = url.rsplit("/", 1)[-1]
    if name.startswith("producer page"):
        return lambda: producers.get_producer(graph, subject_id, VIEWER)
    return lambda: profiles.get_profile(graph, VIEWER, user_id=subject_id)


def without_hooks(app: Flask) -> Flask:
    """`app` with no request hooks left (mutates it; for this measurement only)."""
    for hooks in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs):
        hooks.clear()
    return app


def main() -> None:
    app = create_app(SETTINGS)
    graph = app.extensions["beatgraph.graph"]
    apply_schema(graph)
    ensure_graph(graph)
    headers = {
        "Authorization": "Bearer " + issue_token(app.config["BEATGRAPH_JWT_SECRET"], VIEWER, 3600)
    }
    variants = {
        "Flask alone": flask_alone(graph),
        "app without hooks": without_hooks(create_app(SETTINGS)),
        "app": app,
    }
    settle_loaded_app()  # the collector as gunicorn's worker sets it (server.heap)
    reads = [case for case in read_cases(graph) if case[0] in FLOOR_READS]
    print(f"\n{REPEAT} rounds, the five calls of a read in shuffled turns,", end=" ")
    print("p50 ms (÷ raw; outside it µs)\n")
    print("| read | raw | WSGI alone | " + " | ".join(variants) + " |")
    print("|---|---|---|" + "---|" * len(variants))
    for name, url, _, query, params in reads:
        calls: dict[str, Callable[[], Any]] = {"raw": raw_read(graph, query, params)}
        served_by = {"WSGI alone": wsgi_alone(domain_read(graph, name, url)), **variants}
        for label, served in served_by.items():
            get = wsgi_get(served, url, headers)
            assert get() == 200, (label, url)
            calls[label] = get
        samples = time_in_turns(calls, REPEAT, shuffled=True)
        medians = {label: statistics.median(times) for label, times in samples.items()}
        raw = medians.pop("raw")
        cells = [f"{m * 1000:.2f} ({m / raw:.2f}; {(m - raw) * 1e6:.0f})" for m in medians.values()]
        print(f"| {name} | {raw * 1000:.2f} | " + " | ".join(cells) + " |", flush=True)
    graph.close()


if __name__ == "__main__":
    sys.exit(main())
