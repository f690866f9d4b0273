"""Browser fixtures: one Chromium and one served app (with its web client) per module, a
fresh graph and fresh browser contexts per test."""

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.browser import CHROMIUM, People, launch, web_settings
from tests.served import ServedApp, free_port


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (each person still gets a fresh context)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make test` (it installs it)")
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def web_prefix() -> str:
    """One Redis prefix for a module's served app; each test's keys are removed after it."""
    return f"test:{uuid.uuid4().hex[:10]}:"


@pytest.fixture
def app_config(app_config: dict[str, Any], web_prefix: str) -> dict[str, Any]:
    """The test's app shares the served app's Redis prefix (so it sees the same events)."""
    return {**app_config, "REDIS_PREFIX": web_prefix}


@pytest.fixture(scope="module")
def web(test_graph: Any, web_prefix: str) -> Iterator[ServedApp]:
    """The app with its web client, served by gunicorn over the test Neo4j and Redis;
    started once per module, since every test wipes the graph and uses new ids."""
    port = free_port()
    config = {
        "REDIS_PREFIX": web_prefix,
        "BEATGRAPH_RATE_LIMIT": "100000 per minute",
        "BEATGRAPH_JWT_SECRET": "test-secret-" + "0123456789abcdef" * 4,
    }
    server = ServedApp(config, web_settings(port), port=port)
    yield server
    server.stop()


@pytest.fixture
def people_in_browser(browser: Browser, web: ServedApp, app: Any) -> Iterator[People]:
    """Signed-in people, each in a browser context of their own, closed after the test."""
    assert app.config["BEATGRAPH_JWT_SECRET"] == "test-secret-" + "0123456789abcdef" * 4
    crowd = People(browser, web, app.config["BEATGRAPH_JWT_SECRET"])
    yield crowd
    crowd.close()
