"""Keyset pages over time-ordered edges: the query fetches one extra row to know if more follow."""

from collections.abc import Callable, Sequence
from typing import Any

# Page 1 starts "after" the far future and an empty id, so every query has one shape
# (a range predicate the index can seek) instead of a null check the planner cannot.
FIRST_PAGE_AFTER = ("9999-12-31T23:59:59Z", "")

Page = tuple[list[Any], list[Any] | None]


def keyset_params(after: Sequence[Any] | None, limit: int) -> dict[str, Any]:
    """Parameters for a query paging by (since, id) strictly after `after`."""
    since, last_id = after if after else FIRST_PAGE_AFTER
    return {"after_since": since, "after_id": last_id, "limit": limit + 1}


def split_page(
    rows: list[dict[str, Any]], limit: int, item: Callable[[dict[str, Any]], Any], key: str
) -> Page:
    """Cut the extra row; the next cursor is (since_key, id) of the last item served."""
    served = rows[:limit]
    items = [item(row) for row in served]
    if len(rows) <= limit:
        return items, None
    last = served[-1]
    return items, [last["since_key"], last[key]["id"]]
