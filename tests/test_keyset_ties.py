"""Keyset cursors across ties: many rows sharing one timestamp, with a page (or batch)
boundary inside the tie. A datetime read back through the driver carries a zone name
(`…Z[UTC]`) that does not compare equal to the stored `…Z`, so a cursor that passes such
a value back drops the rows that share its instant."""

from typing import Any

import pytest

from cypher import Q, Query
from notifications import delivery
from notifications.worker import NotificationWorker
from tests.plans import plan_operators

TIE = 13  # rows sharing one instant; page and batch sizes below cut through it


def _share_one_instant(graph, pattern: str, prop: str, **params: Any) -> None:
    """Give every element the pattern binds as `x` the same datetime: one statement's clock."""
    graph.run(
        Query(
            "test.share_instant", f"MATCH {pattern} SET x.{prop} = datetime.statement()", "write"
        ),
        **params,
    )


def _walk(api, path: str, viewer: dict, limit: int, key=lambda item: item["id"]) -> list:
    """Every page of a list, concatenated in the order served."""
    served, cursor = [], None
    while True:
        params = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        body = api.get(path, viewer, **params)
        served += [key(item) for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return served


def _newest_first(ids: list[str]) -> list[str]:
    """The order of rows that share a timestamp: id descending (the keyset tie-break)."""
    return sorted(ids, reverse=True)


@pytest.fixture
def crowd(api):
    """A star and TIE fans."""
    return api.create_user("star"), [api.create_user(f"fan{n:02d}") for n in range(TIE)]


# -- the upload fan-out ----------------------------------------------------------------


def test_fan_out_tells_every_liker_when_likes_share_a_millisecond(app, api, graph):
    """An upload reaches every liker once and the job counts them all, even when the
    likes share one instant and a batch ends inside that tie."""
    kofi = api.create_producer("kofi")
    fans = [api.create_user(f"fan{n:02d}") for n in range(TIE)]
    for fan in fans:
        api.like(fan, kofi)
    _share_one_instant(graph, "(:User)-[x:LIKES]->(:Producer {id: $id})", "since", id=kofi["id"])
    response = api.client.post(
        f"/api/v1/producers/{kofi['id']}/uploads",
        json={"title": "Tied"},
        headers=api.service_headers(),
    )
    assert response.status_code == 201
    worker = NotificationWorker(graph, {}, {**app.config, "BEATGRAPH_FANOUT_BATCH": 4})
    for _ in range(20):
        if not worker.fan_out_step():
            break
    told = {
        fan["username"]: [
            item["type"] for item in api.get("/api/v1/me/notifications", fan)["items"]
        ]
        for fan in fans
    }
    assert told == {fan["username"]: ["new_upload"] for fan in fans}
    job = graph.single(
        Query(
            "test.job",
            "MATCH (j:FanoutJob) RETURN j.state AS state, j.notified AS notified",
            "read",
        )
    )
    assert dict(job) == {"state": "done", "notified": TIE}


# -- REST lists --------------------------------------------------------------------------


def test_followers_pages_cross_a_tie_without_gap_or_repeat(api, graph, crowd):
    """Followers who followed in the same instant page out exactly once each, in order."""
    star, fans = crowd
    for fan in fans:
        api.follow(fan, star)
    _share_one_instant(graph, "(:User)-[x:FOLLOWS]->(:User {id: $id})", "since", id=star["id"])
    served = _walk(api, f"/api/v1/users/{star['id']}/followers", star, limit=5)
    assert served == _newest_first([fan["id"] for fan in fans])


def test_following_pages_cross_a_tie_without_gap_or_repeat(api, graph, crowd):
    """The Following tab pages across follows made in one instant exactly once each."""
    star, fans = crowd
    for fan in fans:
        api.follow(star, fan)
    _share_one_instant(graph, "(:User {id: $id})-[x:FOLLOWS]->(:User)", "since", id=star["id"])
    served = _walk(api, f"/api/v1/users/{star['id']}/following", star, limit=5)
    assert served == _newest_first([fan["id"] for fan in fans])


def test_producer_followers_pages_cross_a_tie(api, graph, crowd):
    """A producer's likers who liked in one instant page out exactly once each."""
    star, fans = crowd
    kofi = api.create_producer("kofi")
    for fan in fans:
        api.like(fan, kofi)
    _share_one_instant(graph, "(:User)-[x:LIKES]->(:Producer {id: $id})", "since", id=kofi["id"])
    served = _walk(api, f"/api/v1/producers/{kofi['id']}/followers", star, limit=5)
    assert served == _newest_first([fan["id"] for fan in fans])


def test_liked_producers_pages_cross_a_tie(api, graph, crowd):
    """Producers liked in one instant page out of the Liked tab exactly once each."""
    star, _ = crowd
    producers = [api.create_producer(f"beats{n:02d}") for n in range(TIE)]
    for producer in producers:
        api.like(star, producer)
    _share_one_instant(graph, "(:User {id: $id})-[x:LIKES]->(:Producer)", "since", id=star["id"])
    served = _walk(api, f"/api/v1/users/{star['id']}/liked-producers", star, limit=5)
    assert served == _newest_first([producer["id"] for producer in producers])


def test_conversation_list_pages_cross_a_tie(api, graph, crowd):
    """Conversations whose last activity is the same instant page out exactly once each."""
    star, fans = crowd
    ids = [api.start(star, fan)["id"] for fan in fans]
    # The list's order is each membership's list key (the conversation's last activity).
    _share_one_instant(
        graph, "(:User {id: $id})-[x:PARTICIPATES]->(:Conversation)", "listed_at", id=star["id"]
    )
    served = _walk(api, "/api/v1/conversations", star, limit=5)
    assert served == _newest_first(ids)


def test_notifications_pages_cross_a_tie(api, graph, crowd):
    """Notifications made in one instant page out of the bell exactly once each."""
    star, fans = crowd
    for fan in fans:
        api.follow(fan, star)
    _share_one_instant(
        graph,
        "(:User {id: $id})-[:HAS_NOTIFICATION]->(x:Notification)",
        "created_at",
        id=star["id"],
    )
    ids = [item["id"] for item in api.get("/api/v1/me/notifications", star, limit=100)["items"]]
    assert len(ids) == TIE
    served = _walk(api, "/api/v1/me/notifications", star, limit=5)
    assert served == _newest_first(ids)


def test_the_bell_page_reads_its_index_in_order(graph):
    """A bell page is a seek of the (recipient_id, created_at) index in its order, never a
    sort of the user's notifications."""
    operators = plan_operators(graph, Q.notifications.list_notifications.text)
    assert "NodeIndexSeek" in operators, operators
    assert not {"Top", "Sort"} & set(operators), operators


# -- the outbox ----------------------------------------------------------------------------


def test_outbox_claims_take_every_tied_entry_exactly_once(api, graph, crowd):
    """Entries due at the same instant are claimed in batches, each exactly once."""
    star, fans = crowd
    for fan in fans:
        api.follow(fan, star)  # each follow queues a push for the star
    _share_one_instant(graph, "(x:OutboxEntry)", "next_attempt_at")
    claimed: list[str] = []
    for _ in range(TIE):
        batch = delivery.claim_outbox_entries(graph, "claimer", limit=5, lease_seconds=600)
        if not batch:
            break
        claimed += [entry["id"] for entry in batch]
    assert len(claimed) == TIE and len(set(claimed)) == TIE
