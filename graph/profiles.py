"""Profiles: a user as another user sees them, and the signed-in user's own."""

from typing import Any

from cypher import Q
from graph.db import Graph
from graph.errors import NotFound
from graph.values import iso


def _profile(raw: dict[str, Any]) -> dict[str, Any]:
    profile = dict(raw)
    profile["created_at"] = iso(profile["created_at"])
    return profile


def get_profile(
    graph: Graph, viewer_id: str, *, user_id: str | None = None, username: str | None = None
) -> dict[str, Any]:
    """A profile by id or username (any case), with counts and the viewer's relationship."""
    record = graph.single(
        Q.profiles.get_profile,
        user_id=user_id,
        username_key=username.lower() if username else None,
        viewer_id=viewer_id,
    )
    if record is None:
        raise NotFound("no such user", field="username" if username else "id")
    return _profile(record["profile"])


def get_me(graph: Graph, user_id: str) -> dict[str, Any]:
    """The signed-in user's profile with unread conversations, messages and notifications."""
    record = graph.single(Q.profiles.get_me, user_id=user_id)
    if record is None:
        raise NotFound("your account does not exist")
    return _profile(record["profile"])
