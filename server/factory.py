"""`create_app`: configuration, clients, the REST API and the realtime channel in one app."""

import atexit
import logging
from collections.abc import Mapping
from typing import Any

from flask_openapi3 import Info

from api import (
    conversations,
    deep_links,
    dev,
    me,
    notifications,
    ops,
    producers,
    session,
    users,
    web,
)
from api.auth import BEARER_ENDPOINTS, authenticate_bearer_routes, bearer_endpoints
from api.context import BLOCK_CHANGED, PRESENCE_CHECK, PUBLISHER, publish_after_request
from api.errors import Problem, register_error_handlers, validation_problem
from api.limits import RateLimits
from api.links import LinkingPublisher
from api.metrics import init_metrics
from api.openapi import SECURITY_SCHEMES, document_websocket
from graph.db import Graph
from graph.schema import bind_neomodel
from graph.warmup import PlanWarmer
from realtime.block_watch import BlockWatch
from realtime.channel import CLOSE_CODES, PATH, sock
from realtime.channel import bp as channel_bp
from realtime.presence import Presence
from realtime.redis_client import connect_redis
from realtime.relay import Relay, RelayMetrics
from realtime.typing_indicators import TypingTracker
from server.application import BeatgraphApp
from server.cli import register_commands
from server.config import Settings, load_settings
from server.json_responses import OrjsonResponses
from server.subjects import KnownUsers
from server.tokens import VERIFIED_TOKENS, TokenRules, VerifiedTokens

log = logging.getLogger(__name__)

API_BLUEPRINTS = (
    ops.bp,
    dev.bp,
    users.bp,
    producers.bp,
    me.bp,
    notifications.invites_bp,
    conversations.bp,
    deep_links.bp,
    session.bp,
)


def create_app(config: Mapping[str, Any] | None = None) -> BeatgraphApp:
    """Build the WSGI app: defaults, then the environment, then `config`."""
    settings = load_settings(config).as_config()
    app = BeatgraphApp(
        "beatgraph",
        info=Info(
            title="beatgraph", version="1", description="BeatPass social graph and messaging"
        ),
        security_schemes=SECURITY_SCHEMES,
        validation_error_status=400,
        validation_error_model=Problem,
        validation_error_callback=validation_problem,
        doc_prefix="/openapi",
        doc_url="/openapi.json",
    )
    app.json = OrjsonResponses(app)
    app.config.update(settings)
    # Keys that are no setting (TESTING, Flask's own) pass through from the caller's mapping.
    app.config.update(
        {
            key: value
            for key, value in (config or {}).items()
            if key.lower() not in Settings.model_fields
        }
    )

    graph = Graph.connect(settings)
    try:
        graph.driver.verify_connectivity()
    except Exception as exc:  # the app still starts; /readyz reports the reason
        log.warning("Neo4j is not reachable at start-up: %s", exc)
    app.extensions["beatgraph.graph"] = graph
    app.extensions["beatgraph.warmer"] = PlanWarmer(graph)
    bind_neomodel(graph)
    app.extensions["beatgraph.redis"] = connect_redis(
        settings["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2, health_check_interval=15
    )
    atexit.register(graph.close)
    rules = TokenRules.from_config(settings)
    app.extensions["beatgraph.tokens"] = rules
    app.extensions[VERIFIED_TOKENS] = VerifiedTokens(rules)
    app.extensions["beatgraph.known_users"] = KnownUsers(
        graph, settings["BEATGRAPH_USER_CACHE_SECONDS"], settings["BEATGRAPH_USER_CACHE_SIZE"]
    )

    # Before-request hooks run in this order: the causal chain, the rate limit, then
    # authentication, then the JSON check (register_error_handlers); flask-openapi3
    # validates in the view. One chain per request: on a cluster its reads see its writes.
    app.before_request(graph.start_chain)
    app.teardown_request(lambda _error: graph.end_chain())
    limits = RateLimits(app, settings)
    app.before_request(authenticate_bearer_routes)
    # The one after-commit step of a request: publish what its domain functions recorded.
    app.after_request(publish_after_request)
    register_error_handlers(app)
    init_metrics(app)
    for blueprint in API_BLUEPRINTS:
        app.register_api(blueprint)
    app.extensions[BEARER_ENDPOINTS] = bearer_endpoints(app)
    limits.exempt(ops.bp.name)
    app.register_blueprint(web.bp)
    limits.exempt(web.bp.name)
    register_commands(app)
    _init_realtime(app, graph, settings)
    return app


def _init_realtime(app: BeatgraphApp, graph: Graph, settings: dict[str, Any]) -> None:
    """The relay publishes the domain's events and feeds this process's WebSockets."""
    relay = Relay(
        settings["REDIS_URL"],
        settings["REDIS_PREFIX"],
        stream_maxlen=settings["BEATGRAPH_EVENTS_MAXLEN"],
        stream_ttl_seconds=settings["BEATGRAPH_EVENTS_TTL_SECONDS"],
    )
    typing = TypingTracker(relay, ttl_ms=settings["BEATGRAPH_TYPING_TTL_MS"])
    blocks = BlockWatch(relay, graph, max_age=settings["BEATGRAPH_BLOCK_MEMORY_SECONDS"])
    # A socket renews its presence with every ping; two missed pings and it stops counting.
    presence = Presence(
        relay.redis,
        settings["REDIS_PREFIX"],
        ttl_seconds=2 * settings["BEATGRAPH_WS_PING_SECONDS"] + 10,
        available=relay.healthy,
        node_id=relay.node_id,
    )
    app.extensions["beatgraph.relay"] = relay
    app.extensions["beatgraph.presence"] = presence
    app.extensions["beatgraph.typing"] = typing
    app.extensions["beatgraph.blocks"] = blocks
    app.extensions[BLOCK_CHANGED] = blocks.changed
    app.config["SOCK_SERVER_OPTIONS"] = {
        "max_message_size": settings["BEATGRAPH_WS_MAX_FRAME_BYTES"]
    }
    app.extensions["beatgraph.metrics"].register(RelayMetrics(relay))
    app.extensions[PUBLISHER] = LinkingPublisher(relay)
    app.extensions[PRESENCE_CHECK] = presence.online
    relay.start()
    typing.start()
    atexit.register(typing.stop)
    atexit.register(relay.stop)
    sock.init_app(app)
    app.register_blueprint(channel_bp)
    document_websocket(app, PATH, CLOSE_CODES)
