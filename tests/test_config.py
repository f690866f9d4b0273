"""Configuration: typed settings from the environment, validated at start; production
fails closed."""

import re
from pathlib import Path

import pytest

from server.config import DEFAULT_JWT_SECRET, ConfigError, Settings, settings_table
from server.factory import create_app

SAFE_PRODUCTION = {
    "BEATGRAPH_ENV": "production",
    "BEATGRAPH_JWT_SECRET": "p" * 48,
    "NEO4J_PASSWORD": "a-real-neo4j-password",
    "REDIS_URL": "rediss://app:a-real-redis-password@redis.internal:6380/0",
}


@pytest.fixture
def environ(monkeypatch):
    """Set the process environment for one test (the real variables the app reads)."""

    def apply(values):
        for key, value in values.items():
            if value is None:
                monkeypatch.delenv(key, raising=False)
            else:
                monkeypatch.setenv(key, value)

    return apply


def _refused(variable):
    return pytest.raises(ConfigError, match=re.escape(variable))


@pytest.mark.parametrize("value", ["prod", "Production", "production ", "staging", "PRODUCTION"])
def test_an_unknown_environment_name_refuses_to_start(environ, value):
    """BEATGRAPH_ENV is exactly development, test or production; anything else names it."""
    environ({**SAFE_PRODUCTION, "BEATGRAPH_ENV": value})
    with _refused("BEATGRAPH_ENV"):
        create_app()


def test_production_refuses_the_default_secret(environ):
    """The service will not start in production with the well-known development secret."""
    environ({**SAFE_PRODUCTION, "BEATGRAPH_JWT_SECRET": None})
    with _refused("BEATGRAPH_JWT_SECRET"):
        create_app()


def test_a_short_secret_is_refused(environ):
    """An HS256 secret shorter than 32 characters is too weak to sign tokens, anywhere."""
    environ({"BEATGRAPH_JWT_SECRET": "short"})
    with pytest.raises(ConfigError, match=r"BEATGRAPH_JWT_SECRET.*32"):
        create_app()


def test_production_refuses_dev_auth(environ):
    """Password-less dev sign-in cannot be switched on in production."""
    environ({**SAFE_PRODUCTION, "BEATGRAPH_DEV_AUTH": "1"})
    with _refused("BEATGRAPH_DEV_AUTH"):
        create_app()


@pytest.mark.parametrize(
    "password", ["beatgraph-run", "beatgraph-test", "beatgraph-bench", "neo4j", None]
)
def test_production_refuses_a_local_neo4j_password(environ, password):
    """The local stack's `beatgraph-<profile>` passwords (and Neo4j's own) are refused."""
    environ({**SAFE_PRODUCTION, "NEO4J_PASSWORD": password})
    with _refused("NEO4J_PASSWORD"):
        create_app()


@pytest.mark.parametrize(
    "url", ["redis://redis.internal:6379/0", "rediss://app@redis.internal:6380/0", None]
)
def test_production_refuses_a_redis_without_a_password(environ, url):
    """A Redis URL with no password is refused in production."""
    environ({**SAFE_PRODUCTION, "REDIS_URL": url})
    with _refused("REDIS_URL"):
        create_app()


def test_production_problems_are_all_named_at_once(environ):
    """Every refused production setting is named in the one error, not one per restart."""
    environ(
        {
            "BEATGRAPH_ENV": "production",
            "BEATGRAPH_DEV_AUTH": "1",
            "BEATGRAPH_JWT_SECRET": None,
            "NEO4J_PASSWORD": None,
            "REDIS_URL": "redis://127.0.0.1:1/0",
        }
    )
    with pytest.raises(ConfigError) as refused:
        create_app()
    for name in ("BEATGRAPH_JWT_SECRET", "BEATGRAPH_DEV_AUTH", "NEO4J_PASSWORD", "REDIS_URL"):
        assert name in str(refused.value)


def test_production_starts_with_safe_settings(environ):
    """A production setup with its own secrets validates, with dev auth off by default."""
    environ(SAFE_PRODUCTION)
    settings = Settings()
    assert settings.beatgraph_env == "production"
    assert settings.beatgraph_dev_auth is False
    assert "a-real-redis-password" not in repr(settings)  # secrets stay out of logs


def test_environment_overrides_defaults_and_caller_overrides_environment(environ):
    """Each layer wins over the one before it; booleans and numbers are typed."""
    environ(
        {
            "NEO4J_URI": "neo4j://db.example:7687",
            "BEATGRAPH_DEV_AUTH": "true",
            "NEO4J_CONNECTION_TIMEOUT": "2.5",
            "BEATGRAPH_JWT_SECRET": None,
        }
    )
    app = create_app({"NEO4J_URI": "bolt://127.0.0.1:1", "TESTING": True})
    try:
        assert app.config["NEO4J_URI"] == "bolt://127.0.0.1:1"
        assert app.config["BEATGRAPH_DEV_AUTH"] is True
        assert app.config["NEO4J_CONNECTION_TIMEOUT"] == 2.5
        assert app.config["BEATGRAPH_JWT_SECRET"] == DEFAULT_JWT_SECRET
        assert app.config["TESTING"] is True
    finally:
        app.extensions["beatgraph.typing"].stop()
        app.extensions["beatgraph.relay"].stop()
        app.extensions["beatgraph.graph"].close()


@pytest.mark.parametrize(
    "name, value",
    [
        ("NEO4J_CONNECTION_TIMEOUT", "soon"),
        ("BEATGRAPH_DEV_AUTH", "maybe"),
        ("BEATGRAPH_RATE_LIMIT", "600 a minute"),
        ("BEATGRAPH_WS_FRAME_BURST", "0"),
    ],
)
def test_a_mistyped_setting_is_refused_with_its_name(environ, name, value):
    """A typo in a typed setting stops start-up with the setting's name."""
    environ({name: value})
    with _refused(name):
        create_app()


def test_readme_configuration_table_is_generated_from_the_settings():
    """README documents every setting exactly as `python -m server.config` prints it."""
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    section = re.search(r"<!-- settings:begin -->\n(.*?)\n<!-- settings:end -->", readme, re.S)
    assert section is not None, "README has no generated settings table"
    assert section.group(1) == settings_table(), "run `python -m server.config` into README"
    for name, field in Settings.model_fields.items():
        assert field.description, f"{name.upper()} has no description"
