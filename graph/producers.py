"""Producer pages: creating and linking them, likes (producer follows), uploads."""

from collections.abc import Sequence
from typing import Any

from neo4j.exceptions import ConstraintError

from cypher import Q
from graph.db import Graph
from graph.errors import Conflict, Forbidden, NotFound
from graph.paging import Page, keyset_params, split_page
from graph.values import iso, new_id


def _producer(raw: dict[str, Any]) -> dict[str, Any]:
    producer = dict(raw)
    producer["created_at"] = iso(producer.get("created_at"))
    return producer


def create_producer(
    graph: Graph,
    *,
    slug: str,
    name: str,
    user_id: str | None = None,
    producer_id: str | None = None,
) -> dict[str, Any]:
    """Create a producer page, optionally claimed by a user; a taken slug or id is a Conflict."""
    try:
        record = graph.single(
            Q.producers.create_producer,
            id=producer_id or new_id(),
            slug=slug,
            name=name,
            user_id=user_id,
        )
    except ConstraintError as exc:
        field = "slug" if "slug" in str(exc) else "id"
        raise Conflict(f"that {field} is already taken", field=field) from exc
    if record is None:
        raise NotFound("no such user to link", field="user_id")
    return _producer(record["producer"])


def update_producer(
    graph: Graph,
    producer_id: str,
    *,
    name: str | None = None,
    set_owner: bool = False,
    user_id: str | None = None,
) -> dict[str, Any]:
    """Rename a producer and/or link it to (or unlink it from) a user account."""
    record = graph.single(
        Q.producers.update_producer,
        producer_id=producer_id,
        name=name,
        set_owner=set_owner,
        user_id=user_id,
    )
    if record is None:
        raise NotFound("no such producer", field="id")
    if not record["user_exists"]:
        raise NotFound("no such user to link", field="user_id")
    return _producer(record["producer"])


def get_producer(graph: Graph, producer_id: str, viewer_id: str) -> dict[str, Any]:
    """A producer page as the viewer sees it (Follow/Following, Message button)."""
    record = graph.single(Q.producers.get_producer, producer_id=producer_id, viewer_id=viewer_id)
    if record is None:
        raise NotFound("no such producer", field="id")
    return _producer(record["producer"])


def like_producer(graph: Graph, user_id: str, producer_id: str) -> dict[str, Any]:
    """Follow a producer by liking it (idempotent, one edge per pair even when racing);
    never across a block with the account that claims the page."""
    result = graph.single_merging(
        Q.producers.like_producer, user_id=user_id, producer_id=producer_id
    )
    assert result is not None
    if not result["producer_exists"]:
        raise NotFound("no such producer", field="id")
    if not result["user_exists"]:
        raise NotFound("your account does not exist")
    if result["blocked"]:
        raise Forbidden("you cannot follow this producer")
    return {
        "liked": True,
        "followers_count": result["followers_count"],
    }


def unlike_producer(graph: Graph, user_id: str, producer_id: str) -> dict[str, Any]:
    """Stop following a producer (idempotent)."""
    record = graph.single(Q.producers.unlike_producer, user_id=user_id, producer_id=producer_id)
    if record is None:
        raise NotFound("no such producer", field="id")
    return {
        "liked": False,
        "followers_count": record["followers_count"],
    }


def list_producer_followers(
    graph: Graph, producer_id: str, viewer_id: str, limit: int, after: Sequence[Any] | None = None
) -> Page:
    """A page of a producer's followers, newest first."""
    record = graph.single(
        Q.producers.list_producer_followers,
        producer_id=producer_id,
        viewer_id=viewer_id,
        **keyset_params(after, limit),
    )
    if record is None:
        raise NotFound("no such producer", field="id")
    return split_page(record["items"], limit, lambda row: row["user"], "user")


def list_liked_producers(
    graph: Graph, user_id: str, viewer_id: str, limit: int, after: Sequence[Any] | None = None
) -> tuple[int, Page]:
    """The number of producers a user likes and a page of them, newest first."""
    record = graph.single(
        Q.producers.list_liked_producers,
        user_id=user_id,
        viewer_id=viewer_id,
        **keyset_params(after, limit),
    )
    if record is None:
        raise NotFound("no such user", field="id")
    page = split_page(record["items"], limit, lambda row: _producer(row["producer"]), "producer")
    return record["count"], page


def record_upload(
    graph: Graph, producer_id: str, title: str, beat_id: str | None = None
) -> dict[str, Any]:
    """Record a beat the producer uploaded; the request stays O(1) whatever the likers count."""
    try:
        record = graph.single(
            Q.producers.record_upload,
            producer_id=producer_id,
            beat_id=beat_id or new_id(),
            title=title,
        )
    except ConstraintError as exc:
        raise Conflict("that beat id is already taken", field="id") from exc
    if record is None:
        raise NotFound("no such producer", field="id")
    beat = dict(record["beat"])
    beat["created_at"] = iso(beat["created_at"])
    return beat
