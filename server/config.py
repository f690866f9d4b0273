"""Configuration: safe local defaults, then the environment, then a caller's mapping."""

import os
from collections.abc import Mapping
from typing import Any

DEFAULT_JWT_SECRET = "beatgraph-local-development-secret-change-me"

DEFAULTS: dict[str, Any] = {
    "NEO4J_URI": "bolt://127.0.0.1:7687",
    "NEO4J_USER": "neo4j",
    "NEO4J_PASSWORD": "beatgraph-run",
    "NEO4J_DATABASE": "neo4j",
    "REDIS_URL": "redis://127.0.0.1:6390/0",
    "REDIS_PREFIX": "bg:",
    "BEATGRAPH_ENV": "development",
    "BEATGRAPH_JWT_SECRET": DEFAULT_JWT_SECRET,
    "BEATGRAPH_DEV_AUTH": False,
    "BEATGRAPH_WEB_URL": "http://127.0.0.1:8000/",
    "BEATGRAPH_LOGIN_URL": "http://127.0.0.1:8000/login",
    "BEATGRAPH_RATE_LIMIT": "600 per minute",
    "BEATGRAPH_TOKEN_TTL_SECONDS": 12 * 3600,
    "NEO4J_CONNECTION_TIMEOUT": 5.0,
    "NEO4J_TRANSACTION_RETRY_SECONDS": 5.0,
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "BEATGRAPH_WS_AUTH_SECONDS": 5.0,
    "BEATGRAPH_WS_PING_SECONDS": 25.0,
    "BEATGRAPH_WS_IDLE_SECONDS": 60.0,
    "BEATGRAPH_WS_MAX_FRAME_BYTES": 16 * 1024,
    "BEATGRAPH_TYPING_TTL_MS": 6000,
    "BEATGRAPH_EVENTS_MAXLEN": 1000,
    "BEATGRAPH_EVENTS_TTL_SECONDS": 24 * 3600,
    "BEATGRAPH_PUBLIC_URL": "http://127.0.0.1:8000",
    "BEATGRAPH_SMTP_HOST": "",
    "BEATGRAPH_SMTP_PORT": 25,
    "BEATGRAPH_SMTP_FROM": "BeatPass <notifications@beatpass.local>",
    "BEATGRAPH_SMTP_USER": "",
    "BEATGRAPH_SMTP_PASSWORD": "",
    "BEATGRAPH_SMTP_STARTTLS": False,
    "BEATGRAPH_WORKER_POLL_SECONDS": 0.2,
    "BEATGRAPH_WORKER_LEASE_SECONDS": 60,
    "BEATGRAPH_FANOUT_BATCH": 2000,
    "BEATGRAPH_OUTBOX_BATCH": 100,
    "BEATGRAPH_OUTBOX_MAX_ATTEMPTS": 6,
    "BEATGRAPH_OUTBOX_BACKOFF_SECONDS": 30,
    "BEATGRAPH_OUTBOX_BACKOFF_CAP_SECONDS": 3600,
}

_BOOLEAN_KEYS = {"BEATGRAPH_DEV_AUTH", "BEATGRAPH_SMTP_STARTTLS"}
_NUMBER_KEYS = {
    "BEATGRAPH_TOKEN_TTL_SECONDS": int,
    "NEO4J_CONNECTION_TIMEOUT": float,
    "NEO4J_TRANSACTION_RETRY_SECONDS": float,
    "MAX_CONTENT_LENGTH": int,
    "BEATGRAPH_WS_AUTH_SECONDS": float,
    "BEATGRAPH_WS_PING_SECONDS": float,
    "BEATGRAPH_WS_IDLE_SECONDS": float,
    "BEATGRAPH_WS_MAX_FRAME_BYTES": int,
    "BEATGRAPH_TYPING_TTL_MS": int,
    "BEATGRAPH_EVENTS_MAXLEN": int,
    "BEATGRAPH_EVENTS_TTL_SECONDS": int,
    "BEATGRAPH_SMTP_PORT": int,
    "BEATGRAPH_WORKER_POLL_SECONDS": float,
    "BEATGRAPH_WORKER_LEASE_SECONDS": int,
    "BEATGRAPH_FANOUT_BATCH": int,
    "BEATGRAPH_OUTBOX_BATCH": int,
    "BEATGRAPH_OUTBOX_MAX_ATTEMPTS": int,
    "BEATGRAPH_OUTBOX_BACKOFF_SECONDS": float,
    "BEATGRAPH_OUTBOX_BACKOFF_CAP_SECONDS": float,
}


class ConfigError(RuntimeError):
    """The configuration cannot be used; the process must not start."""


def _from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in DEFAULTS:
        if key not in environ:
            continue
        raw = environ[key]
        if key in _BOOLEAN_KEYS:
            values[key] = raw.strip().lower() in {"1", "true", "yes", "on"}
        elif key in _NUMBER_KEYS:
            try:
                values[key] = _NUMBER_KEYS[key](raw)
            except ValueError as exc:
                raise ConfigError(f"{key} must be a number, got {raw!r}") from exc
        else:
            values[key] = raw
    return values


def load_config(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Merge defaults, environment and overrides, refusing an unsafe production setup."""
    config = dict(DEFAULTS)
    config.update(_from_environment(os.environ if environ is None else environ))
    config.update(overrides or {})
    if config["BEATGRAPH_ENV"] == "production":
        if config["BEATGRAPH_JWT_SECRET"] == DEFAULT_JWT_SECRET:
            raise ConfigError("BEATGRAPH_JWT_SECRET must be set in production")
        if config["BEATGRAPH_DEV_AUTH"]:
            raise ConfigError("BEATGRAPH_DEV_AUTH must be off in production")
    if len(config["BEATGRAPH_JWT_SECRET"]) < 32:
        raise ConfigError("BEATGRAPH_JWT_SECRET must be at least 32 characters")
    return config
