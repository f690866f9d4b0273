"""Read-your-writes on a cluster: the statements of one request are causally chained by
bookmarks, and the app works through the routing (`neo4j://`) scheme a cluster needs."""

import os
from collections.abc import Collection
from typing import Any

import neo4j
import pytest
from neo4j.api import BookmarkManager

from server.factory import create_app
from tests.test_ops import _ready


class ChainLog:
    """Makes every causal chain's bookmark manager a recording one: each time a
    transaction starts from it (`get`) or commits into it (`update`), the manager and the
    bookmarks are noted. Sessions and `execute_query` alike go through these two calls."""

    def __init__(self, real_factory: Any) -> None:
        self.real_factory = real_factory
        self.calls: list[tuple[str, int, set[str]]] = []

    def __call__(self, **options: Any) -> BookmarkManager:
        return _Recording(self, self.real_factory(**options))


class _Recording(BookmarkManager):
    def __init__(self, log: ChainLog, inner: BookmarkManager) -> None:
        self.log = log
        self.inner = inner

    def get_bookmarks(self) -> Collection[str]:
        bookmarks = self.inner.get_bookmarks()
        self.log.calls.append(("get", id(self), set(bookmarks)))
        return bookmarks

    def update_bookmarks(self, previous: Collection[str], new: Collection[str]) -> None:
        self.inner.update_bookmarks(previous, new)
        self.log.calls.append(("update", id(self), set(new)))


@pytest.fixture
def chain_log(monkeypatch):
    log = ChainLog(neo4j.GraphDatabase.bookmark_manager)
    monkeypatch.setattr(neo4j.GraphDatabase, "bookmark_manager", log)
    return log


def test_a_requests_later_transactions_start_from_the_earlier_ones_bookmarks(api, chain_log):
    """Opening a DM writes it in one transaction and reads it back in another: the reading
    one starts from the bookmark the writing one committed (on a cluster it waits for that
    write instead of answering 404), and each request is a chain of its own."""
    maya, theo = api.create_user("maya"), api.create_user("theo")
    chain_log.calls.clear()
    dm = api.start(maya, theo)
    calls = chain_log.calls
    assert len({manager for _, manager, _ in calls}) == 1
    starts = [bookmarks for kind, _, bookmarks in calls if kind == "get"]
    assert len(starts) >= 2 and starts[0] == set()  # a new chain waits for nobody else's work
    committed: set[str] | None = None
    for kind, _, bookmarks in calls:
        if kind == "update":
            committed = bookmarks
            assert committed
        elif committed is not None:
            assert bookmarks == committed  # started from the last commit of the chain
    assert committed is not None
    first_manager = calls[0][1]
    chain_log.calls.clear()
    api.send(maya, dm, "hello")
    assert chain_log.calls[0][0] == "get" and chain_log.calls[0][2] == set()
    assert chain_log.calls[0][1] != first_manager


def test_a_request_that_only_reads_carries_no_bookmarks(api, chain_log):
    """Until a request writes, its chain has nothing to wait for: its reads start from no
    bookmarks and no bookmark manager is made for them at all."""
    maya, theo = api.create_user("maya"), api.create_user("theo")
    dm = api.start(maya, theo)
    api.send(maya, dm, "hi")
    chain_log.calls.clear()
    assert [
        m["body"] for m in api.get(f"/api/v1/conversations/{dm['id']}/messages", theo)["items"]
    ] == ["hi"]
    assert api.get("/api/v1/conversations", theo)["items"][0]["id"] == dm["id"]
    assert chain_log.calls == []


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
