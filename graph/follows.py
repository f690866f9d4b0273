"""User follows: following, unfollowing, and the Followers / Following lists."""

from collections.abc import Sequence
from typing import Any

from cypher import Q
from graph import notifications
from graph.db import Graph, Transaction
from graph.errors import Forbidden, InvalidInput, NotFound
from graph.events import UnitOfWork
from graph.paging import Page, keyset_params, split_page


def follow_user(
    graph: Graph, work: UnitOfWork, follower_id: str, followee_id: str
) -> dict[str, Any]:
    """Follow someone (idempotent): never yourself, never across a block, one edge per pair.
    A new follower is announced to the followee at most once per pair per 24 hours."""
    if follower_id == followee_id:
        raise InvalidInput("you cannot follow yourself", field="id")

    def follow(tx: Transaction) -> Any:
        record = tx.single(Q.follows.follow_user, follower_id=follower_id, followee_id=followee_id)
        assert record is not None
        notifications.queue_outbox(tx, "new_follower", record["outbox"])
        return record

    # A racing identical follow may create the edge first; the merging retry finds it.
    result = graph.write_merging(follow)
    if not result["followee_exists"]:
        raise NotFound("no such user", field="id")
    if not result["follower_exists"]:
        raise NotFound("your account does not exist")
    if result["blocked"]:
        raise Forbidden("you cannot follow this user")
    if result["notification"] is not None:
        notification = notifications.shape(result["notification"])
        work.record(
            [notifications.created_event(followee_id, notification, result["unread_count"])]
        )
    return {"following": True, "followers_count": result["followers_count"]}


def unfollow_user(graph: Graph, follower_id: str, followee_id: str) -> dict[str, Any]:
    """Stop following someone (idempotent)."""
    if follower_id == followee_id:
        raise InvalidInput("you cannot unfollow yourself", field="id")
    result = graph.single(Q.follows.unfollow_user, follower_id=follower_id, followee_id=followee_id)
    if result is None:
        raise NotFound("no such user", field="id")
    return {"following": False, "followers_count": result["followers_count"]}


def _user_page(
    graph: Graph, query: Any, user_id: str, viewer_id: str, limit: int, after: Sequence[Any] | None
) -> Page:
    record = graph.single(
        query, user_id=user_id, viewer_id=viewer_id, **keyset_params(after, limit)
    )
    if record is None:
        raise NotFound("no such user", field="id")
    return split_page(record["items"], limit, lambda row: row["user"], "user")


def list_followers(
    graph: Graph, user_id: str, viewer_id: str, limit: int, after: Sequence[Any] | None = None
) -> Page:
    """A page of a user's followers, newest first, with the viewer's relationship to each."""
    return _user_page(graph, Q.follows.list_followers, user_id, viewer_id, limit, after)


def list_following(
    graph: Graph, user_id: str, viewer_id: str, limit: int, after: Sequence[Any] | None = None
) -> Page:
    """A page of the users someone follows, newest first."""
    return _user_page(graph, Q.follows.list_following, user_id, viewer_id, limit, after)
