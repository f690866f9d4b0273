"""`create_app`: configuration, clients, the REST API and the realtime channel in one app."""

import atexit
import logging
from collections.abc import Mapping
from typing import Any

from flask_limiter import Limiter
from flask_openapi3 import Info, OpenAPI, SecurityScheme
from redis import Redis

from api import conversations, deep_links, dev, me, notifications, ops, producers, users
from api.auth import current_user_id
from api.errors import Problem, register_error_handlers, validation_problem
from api.metrics import init_metrics
from graph.db import Graph
from graph.errors import DomainError
from graph.schema import bind_neomodel
from realtime.channel import bp as channel_bp
from realtime.channel import sock
from realtime.presence import Presence
from realtime.relay import Relay
from realtime.typing import TypingTracker
from server.cli import register_commands
from server.config import Settings, load_settings

log = logging.getLogger(__name__)

API_BLUEPRINTS = (
    ops.bp, dev.bp, users.bp, producers.bp, me.bp, notifications.bp, notifications.invites_bp,
    conversations.bp, deep_links.bp,
)


def _rate_limit_key() -> str:
    """Signed-in callers are limited per user, others per address."""
    from flask import request

    try:
        return "user:" + current_user_id()
    except DomainError:
        return "addr:" + (request.remote_addr or "unknown")


def create_app(config: Mapping[str, Any] | None = None) -> OpenAPI:
    """Build the WSGI app: defaults, then the environment, then `config`."""
    settings = load_settings(config).as_config()
    app = OpenAPI(
        "beatgraph",
        info=Info(
            title="beatgraph", version="1", description="BeatPass social graph and messaging"
        ),
        security_schemes={
            "bearer": SecurityScheme(type="http", scheme="bearer", bearerFormat="JWT")
        },
        responses={"400": Problem, "401": Problem, "403": Problem, "404": Problem, "429": Problem},
        validation_error_status=400,
        validation_error_model=Problem,
        validation_error_callback=validation_problem,
        doc_prefix="/openapi",
        doc_url="/openapi.json",
    )
    app.config.update(settings)
    # Keys that are no setting (TESTING, Flask's own) pass through from the caller's mapping.
    app.config.update({key: value for key, value in (config or {}).items()
                       if key.lower() not in Settings.model_fields})
    app.config.update(
        RATELIMIT_DEFAULT=settings["BEATGRAPH_RATE_LIMIT"],
        RATELIMIT_STORAGE_URI=settings["REDIS_URL"],
        RATELIMIT_KEY_PREFIX=settings["REDIS_PREFIX"] + "ratelimit",
        RATELIMIT_HEADERS_ENABLED=True,
        RATELIMIT_SWALLOW_ERRORS=True,  # Redis down must not take the API down
    )

    graph = Graph.connect(settings)
    try:
        graph.driver.verify_connectivity()
    except Exception as exc:  # the app still starts; /readyz reports the reason
        log.warning("Neo4j is not reachable at start-up: %s", exc)
    app.extensions["beatgraph.graph"] = graph
    bind_neomodel(graph)
    app.extensions["beatgraph.redis"] = Redis.from_url(
        settings["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2, health_check_interval=15
    )
    atexit.register(graph.close)

    register_error_handlers(app)
    init_metrics(app)
    # One Limiter per app: flask-limiter keeps the first app's prefix and limits on the
    # instance, so a module-level one would leak settings between apps (and tests).
    limiter = Limiter(key_func=_rate_limit_key, app=app)
    for blueprint in API_BLUEPRINTS:
        app.register_api(blueprint)
    limiter.exempt(ops.bp)
    register_commands(app)
    _init_realtime(app, graph, settings)
    return app


def _init_realtime(app: OpenAPI, graph: Graph, settings: dict[str, Any]) -> None:
    """The relay publishes the domain's events and feeds this process's WebSockets."""
    relay = Relay(
        settings["REDIS_URL"],
        settings["REDIS_PREFIX"],
        stream_maxlen=settings["BEATGRAPH_EVENTS_MAXLEN"],
        stream_ttl_seconds=settings["BEATGRAPH_EVENTS_TTL_SECONDS"],
    )
    typing = TypingTracker(relay, ttl_ms=settings["BEATGRAPH_TYPING_TTL_MS"])
    # A socket renews its presence with every ping; two missed pings and it stops counting.
    presence = Presence(relay.redis, settings["REDIS_PREFIX"],
                        ttl_seconds=2 * settings["BEATGRAPH_WS_PING_SECONDS"] + 10,
                        available=relay.healthy)
    app.extensions["beatgraph.relay"] = relay
    app.extensions["beatgraph.presence"] = presence
    app.extensions["beatgraph.typing"] = typing
    app.config["SOCK_SERVER_OPTIONS"] = {
        "max_message_size": settings["BEATGRAPH_WS_MAX_FRAME_BYTES"]
    }
    graph.set_publisher(relay.publish)
    graph.set_presence(presence.online)
    relay.start()
    typing.start()
    atexit.register(typing.stop)
    atexit.register(relay.stop)
    sock.init_app(app)
    app.register_blueprint(channel_bp)
