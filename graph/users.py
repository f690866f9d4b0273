"""Accounts: creating users and resolving them by id or username."""

from typing import Any

from neo4j.exceptions import ConstraintError

from cypher import Q
from graph.db import Graph
from graph.errors import Conflict
from graph.values import iso, new_id


def create_user(
    graph: Graph,
    *,
    username: str,
    display_name: str,
    avatar_url: str | None = None,
    email: str | None = None,
    user_id: str | None = None,
) -> dict[str, Any]:
    """Create a user; a taken username (ignoring case) or id is a Conflict, never a duplicate."""
    try:
        record = graph.single(
            Q.users.create_user,
            id=user_id or new_id(),
            username=username,
            username_key=username.lower(),
            display_name=display_name,
            display_name_key=display_name.lower(),
            avatar_url=avatar_url,
            email=email,
        )
    except ConstraintError as exc:
        field = "username" if "username_key" in str(exc) else "id"
        raise Conflict(f"that {field} is already taken", field=field) from exc
    assert record is not None
    user = dict(record["user"])
    user["created_at"] = iso(user["created_at"])
    return user


def find_user_id(
    graph: Graph, *, user_id: str | None = None, username: str | None = None
) -> str | None:
    """The id of the user with this id or username (any case), or None."""
    record = graph.single(
        Q.users.find_user_id,
        user_id=user_id,
        username_key=username.lower() if username else None,
    )
    return record["id"] if record else None
