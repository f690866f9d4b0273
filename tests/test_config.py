"""Configuration comes from defaults, then the environment, then the caller."""

import pytest

from server.config import DEFAULT_JWT_SECRET, ConfigError, load_config


def test_production_refuses_the_default_secret():
    """The service will not start in production with the well-known development secret."""
    with pytest.raises(ConfigError, match="BEATGRAPH_JWT_SECRET"):
        load_config(environ={"BEATGRAPH_ENV": "production"})


def test_production_refuses_dev_auth():
    """Password-less dev sign-in cannot be switched on in production."""
    environ = {
        "BEATGRAPH_ENV": "production",
        "BEATGRAPH_JWT_SECRET": "x" * 40,
        "BEATGRAPH_DEV_AUTH": "1",
    }
    with pytest.raises(ConfigError, match="BEATGRAPH_DEV_AUTH"):
        load_config(environ=environ)


def test_production_starts_with_a_real_secret():
    """A production setup with its own secret loads, with dev auth off by default."""
    config = load_config(environ={"BEATGRAPH_ENV": "production", "BEATGRAPH_JWT_SECRET": "s" * 40})
    assert config["BEATGRAPH_JWT_SECRET"] == "s" * 40
    assert config["BEATGRAPH_DEV_AUTH"] is False


def test_environment_overrides_defaults_and_caller_overrides_environment():
    """Each layer wins over the one before it; booleans and numbers are parsed."""
    environ = {
        "NEO4J_URI": "neo4j://db.example:7687",
        "BEATGRAPH_DEV_AUTH": "true",
        "NEO4J_CONNECTION_TIMEOUT": "2.5",
    }
    config = load_config({"NEO4J_URI": "bolt://127.0.0.1:1"}, environ=environ)
    assert config["NEO4J_URI"] == "bolt://127.0.0.1:1"
    assert config["BEATGRAPH_DEV_AUTH"] is True
    assert config["NEO4J_CONNECTION_TIMEOUT"] == 2.5
    assert load_config(environ={})["BEATGRAPH_JWT_SECRET"] == DEFAULT_JWT_SECRET


def test_a_number_that_is_not_a_number_is_refused():
    """A typo in a numeric setting stops start-up with the setting's name."""
    with pytest.raises(ConfigError, match="NEO4J_CONNECTION_TIMEOUT"):
        load_config(environ={"NEO4J_CONNECTION_TIMEOUT": "soon"})


def test_a_short_secret_is_refused():
    """An HS256 secret shorter than 32 characters is too weak to sign tokens."""
    with pytest.raises(ConfigError, match="32"):
        load_config(environ={"BEATGRAPH_JWT_SECRET": "short"})
