"""Configuration: one typed `Settings`, read from the environment and validated at start.

Every field is an environment variable of the same name in upper case, documented by its
`description` (README's configuration table is generated from them: `python -m
server.config`). Production fails closed: `_refuse_unsafe_production` lists what it refuses.
"""

import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, urlsplit

from limits import parse_many
from pydantic import AfterValidator, Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_JWT_SECRET = "beatgraph-local-development-secret-change-me"
# The passwords scripts/stack.sh gives its local Neo4j, and Neo4j's own initial one.
LOCAL_NEO4J_PASSWORD = re.compile(r"beatgraph-(run|test|bench)|neo4j")

Seconds = Annotated[float, Field(gt=0)]
Count = Annotated[int, Field(gt=0)]


def _rate_limit(value: str) -> str:
    parse_many(value)  # raises ValueError on "600 a minute"
    return value


class ConfigError(RuntimeError):
    """The configuration cannot be used; the process must not start."""


class Settings(BaseSettings):
    """Every setting of the app and the worker, with its safe local default."""

    model_config = SettingsConfigDict(case_sensitive=False, env_ignore_empty=True, extra="ignore")

    beatgraph_env: Literal["development", "test", "production"] = Field(
        "development",
        description="exactly `development`, `test` or `production`; "
        "production refuses default secrets, dev auth and a Redis without a password",
    )
    beatgraph_test_crash_after_commit: bool = Field(
        False,
        description="test only (honoured only when `BEATGRAPH_ENV=test`): `1` makes "
        "the process exit at once after a commit, before it publishes the live events",
    )
    neo4j_uri: str = Field(
        "bolt://127.0.0.1:7687",
        description="the graph (`neo4j://` for a cluster, `neo4j+s://` for Aura)",
    )
    neo4j_user: str = Field("neo4j", description="Neo4j user")
    neo4j_password: str = Field(
        "beatgraph-run",
        repr=False,
        description="Neo4j password (the stack's `beatgraph-<profile>` is refused in production)",
    )
    neo4j_database: str = Field("neo4j", description="Neo4j database name")
    neo4j_connection_timeout: Seconds = Field(
        1.0, description="seconds to open a connection to Neo4j"
    )
    neo4j_acquisition_timeout: Seconds = Field(
        5.0, description="seconds to wait for a pooled Neo4j connection (opening one included)"
    )
    neo4j_transaction_retry_seconds: Seconds = Field(
        0.5,
        description="how long the driver goes on retrying a failed transaction after "
        "its first failure; its first retry comes after ~1 s, so 0.5 means one retry and a "
        "503 within ~1 s while Neo4j is down (raise it for a cluster's leader elections)",
    )
    redis_url: str = Field(
        "redis://127.0.0.1:6390/0",
        repr=False,
        description="Redis for everything ephemeral, with its password "
        "(`redis://:PASSWORD@host:port/0`, `rediss://` for TLS)",
    )
    redis_prefix: str = Field("bg:", description="prefix of every Redis key this app writes")
    beatgraph_jwt_secret: str = Field(
        DEFAULT_JWT_SECRET,
        min_length=32,
        repr=False,
        description="HS256 secret for Bearer tokens, ≥ 32 "
        "characters (the default is refused in production)",
    )
    beatgraph_jwt_issuer: str | None = Field(
        None, description="when set, tokens must carry this `iss` (and are minted with it)"
    )
    beatgraph_jwt_audience: str | None = Field(
        None, description="when set, tokens must carry this `aud` (and are minted with it)"
    )
    beatgraph_token_max_lifetime: Count = Field(
        24 * 3600, description="longest accepted token lifetime (`exp - iat`), seconds"
    )
    beatgraph_token_ttl_seconds: Count = Field(
        12 * 3600, description="lifetime of tokens minted by `POST /api/v1/dev/token`"
    )
    beatgraph_user_cache_seconds: Seconds = Field(
        300.0, description="how long a process remembers that a token's user exists"
    )
    beatgraph_user_cache_size: Count = Field(
        100_000, description="most user ids a process remembers as existing"
    )
    beatgraph_dev_auth: bool = Field(
        False, description="`1` enables password-less `POST /api/v1/dev/token`"
    )
    beatgraph_metrics_token: str | None = Field(
        None,
        repr=False,
        description="when set, `/metrics` needs `Authorization: Bearer "
        "<this>`; otherwise it answers loopback callers only",
    )
    beatgraph_web_url: str = Field(
        "http://127.0.0.1:8000/", description="the web player the `/messages` deep link opens"
    )
    beatgraph_login_url: str = Field(
        "http://127.0.0.1:8000/login", description="where the deep link sends signed-out people"
    )
    beatgraph_public_url: str = Field(
        "http://127.0.0.1:8000", description="the start of links in emails"
    )
    beatgraph_rate_limit: Annotated[str, AfterValidator(_rate_limit)] = Field(
        "600 per minute", description="one budget per user (or address) across every API route"
    )
    max_content_length: Count = Field(64 * 1024, description="largest request body, bytes")
    beatgraph_ws_auth_seconds: Seconds = Field(
        5.0, description="how long a socket may take to send its `auth` frame"
    )
    beatgraph_ws_ping_seconds: Seconds = Field(25.0, description="seconds between server pings")
    beatgraph_ws_idle_seconds: Seconds = Field(
        60.0, description="a socket silent this long is closed (1001)"
    )
    beatgraph_ws_max_frame_bytes: Count = Field(
        16 * 1024, description="largest client frame; larger closes the socket (1009)"
    )
    beatgraph_ws_frame_rate: Seconds = Field(
        20.0, description="client frames per second a socket may send on average"
    )
    beatgraph_ws_frame_burst: Count = Field(
        40, description="client frames a socket may send at once before the rate applies"
    )
    beatgraph_ws_frame_strikes: Count = Field(
        40, description="refused frames tolerated (one forgiven per second) before a 1008 close"
    )
    beatgraph_typing_ttl_ms: Count = Field(
        6000, description="a `typing start` without renewal turns into a stop after this"
    )
    beatgraph_block_memory_seconds: Seconds = Field(
        30.0,
        description="the longest a process trusts a remembered block answer for typing "
        "(a block changed anywhere is forgotten at once; this bounds a lost broadcast)",
    )
    beatgraph_events_maxlen: Count = Field(
        1000, description="events kept per user for resume after reconnect"
    )
    beatgraph_events_ttl_seconds: Count = Field(
        24 * 3600, description="how long a user's kept events live"
    )
    beatgraph_smtp_host: str = Field(
        "", description="SMTP server for email (unset: emails are logged)"
    )
    beatgraph_smtp_port: Count = Field(25, description="SMTP port")
    beatgraph_smtp_from: str = Field(
        "BeatPass <notifications@beatpass.local>", description="sender of notification emails"
    )
    beatgraph_smtp_user: str = Field("", description="SMTP user, if the server needs one")
    beatgraph_smtp_password: str = Field("", repr=False, description="SMTP password")
    beatgraph_smtp_starttls: bool = Field(False, description="`1` upgrades SMTP with STARTTLS")
    beatgraph_worker_poll_seconds: Seconds = Field(
        0.2, description="worker sleep when there is nothing to do"
    )
    beatgraph_worker_lease_seconds: Count = Field(
        60, description="how long a worker holds claimed work before another may take it"
    )
    beatgraph_fanout_batch: Count = Field(2000, description="likers in one fan-out range")
    beatgraph_outbox_batch: Count = Field(100, description="outbox entries sent per batch")
    beatgraph_outbox_max_attempts: Count = Field(
        6, description="delivery attempts before an entry becomes a dead letter"
    )
    beatgraph_outbox_backoff_seconds: Seconds = Field(
        30.0, description="first retry delay; doubles per attempt"
    )
    beatgraph_outbox_backoff_cap_seconds: Seconds = Field(3600.0, description="longest retry delay")

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> "Settings":
        problems = []
        if self.beatgraph_token_ttl_seconds > self.beatgraph_token_max_lifetime:
            problems.append(
                "BEATGRAPH_TOKEN_TTL_SECONDS must not exceed BEATGRAPH_TOKEN_MAX_LIFETIME"
            )
        if self.beatgraph_env == "production":
            if self.beatgraph_jwt_secret == DEFAULT_JWT_SECRET:
                problems.append("BEATGRAPH_JWT_SECRET must be set (not the default) in production")
            if self.beatgraph_dev_auth:
                problems.append("BEATGRAPH_DEV_AUTH must be off in production")
            if LOCAL_NEO4J_PASSWORD.fullmatch(self.neo4j_password):
                problems.append("NEO4J_PASSWORD must not be a local default in production")
            if not _redis_password(self.redis_url):
                problems.append("REDIS_URL must carry a password in production")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def as_config(self) -> dict[str, Any]:
        """The settings under their environment names, as `app.config` holds them."""
        return {name.upper(): value for name, value in self.model_dump().items()}


def _redis_password(url: str) -> str | None:
    parts = urlsplit(url)
    in_query = parse_qs(parts.query).get("password")
    return parts.password or (in_query[0] if in_query else None)


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors(include_url=False):
        name = ".".join(str(part) for part in item["loc"]).upper()
        message = str(item["msg"]).removeprefix("Value error, ")
        lines.append(f"{name}: {message}" if name else message)
    return "; ".join(lines)


def load_settings(overrides: Mapping[str, Any] | None = None) -> Settings:
    """The environment, then `overrides` (by variable name); ConfigError naming each bad one."""
    fields = {
        key: value
        for key, value in (overrides or {}).items()
        if key.lower() in Settings.model_fields
    }
    try:
        return Settings(**{key.lower(): value for key, value in fields.items()})
    except ValidationError as exc:
        raise ConfigError(f"invalid configuration: {_describe(exc)}") from None


def settings_table() -> str:
    """README's configuration table, generated from the fields."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = "" if field.default in (None, "") else f"`{field.default}`"
        rows.append(f"| `{name.upper()}` | {default} | {field.description} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(settings_table())
