"""Read-your-writes on a cluster: the statements of one request are causally chained by
bookmarks, and the app works through the routing (`neo4j://`) scheme a cluster needs."""

import os
from typing import Any

import pytest

from server.factory import create_app
from tests.test_ops import _ready


class SessionLog:
    """Wraps the real driver's `session` to note, as each session opens, the bookmark
    manager it was given and the bookmarks that manager held then."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver
        self.real_session = driver.session
        self.opened: list[dict[str, Any]] = []

    def __call__(self, **config: Any) -> Any:
        manager = config.get("bookmark_manager")
        session = self.real_session(**config)
        self.opened.append(
            {
                "manager": manager,
                "session": session,
                "bookmarks": set(manager.get_bookmarks()) if manager is not None else None,
            }
        )
        return session


@pytest.fixture
def session_log(graph, monkeypatch):
    log = SessionLog(graph.driver)
    monkeypatch.setattr(graph.driver, "session", log)
    return log


def test_a_requests_later_sessions_start_from_the_earlier_ones_bookmarks(api, session_log):
    """Opening a DM writes it in one session and reads it back in another: the reading
    session carries the bookmark of the writing one (on a cluster it waits for that write
    instead of answering 404), and each request is a chain of its own."""
    maya, theo = api.create_user("maya"), api.create_user("theo")
    session_log.opened.clear()
    api.start(maya, theo)
    opened = session_log.opened
    assert len(opened) >= 2
    managers = {id(entry["manager"]) for entry in opened}
    assert None not in (entry["manager"] for entry in opened) and len(managers) == 1
    assert opened[0]["bookmarks"] == set()  # a new chain waits for nobody else's work
    for earlier, later in zip(opened, opened[1:], strict=False):
        assert later["bookmarks"] == set(earlier["session"].last_bookmarks().raw_values)
        assert later["bookmarks"]
    session_log.opened.clear()
    api.get("/api/v1/conversations", maya)
    assert session_log.opened[0]["bookmarks"] == set()
    assert id(session_log.opened[0]["manager"]) not in managers


@pytest.fixture
def routed_app(test_graph, app_config):
    """An app whose driver routes (`neo4j://`), as against a cluster or Aura."""
    bolt = os.environ["NEO4J_URI"].split("://", 1)[1]
    app_config["NEO4J_URI"] = f"neo4j://{bolt}"
    app = create_app(app_config)
    yield app
    app.extensions["beatgraph.typing"].stop()
    app.extensions["beatgraph.relay"].stop()
    app.extensions["beatgraph.redis"].close()
    app.extensions["beatgraph.graph"].close()


def test_the_routing_scheme_works_against_the_single_local_server(routed_app, app, api):
    """With `neo4j://` (reads routed to readers, writes to the leader) a DM is opened,
    written to and read back within each request."""
    client = routed_app.test_client()
    headers = api.headers_for
    maya, theo = api.create_user("maya"), api.create_user("theo")
    opened = client.post(
        "/api/v1/conversations", json={"participant_ids": [theo["id"]]}, headers=headers(maya)
    )
    assert opened.status_code == 201, opened.get_json()
    dm = opened.get_json()
    sent = client.post(
        f"/api/v1/conversations/{dm['id']}/messages",
        json={"client_id": "c1", "body": "routed"},
        headers=headers(maya),
    )
    assert sent.status_code == 201, sent.get_json()
    page = client.get(f"/api/v1/conversations/{dm['id']}/messages", headers=headers(theo))
    assert [m["body"] for m in page.get_json()["items"]] == ["routed"]
    assert _ready(client).status_code == 200
