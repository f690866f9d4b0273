"""Keyset pagination: `?limit=&cursor=` in, `{items, next_cursor}` out.

A cursor is the opaque, URL-safe encoding of the sort keys of the last item served;
the domain query continues strictly after it, so pages stay stable under inserts.
"""

import base64
import binascii
import json
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import Field

from api.schemas.query import QueryModel
from graph.errors import InvalidInput

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Unpadded base64url, ASCII only, so its length in characters is its length in bytes:
# the longest cursor the API issues is ~140 characters.
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,256}$"
# ASCII digits only: `\d` also matches other scripts' digits, which no cursor carries.
_TIMESTAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?Z", re.ASCII)
_NOT_ISSUED = "the cursor is not one this API issued"


class PageQuery(QueryModel):
    """The query parameters every paged list accepts."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="items per page (1-100)")
    cursor: str | None = Field(
        None, pattern=CURSOR_PATTERN, description="next_cursor of the previous page"
    )


def encode_cursor(keys: Sequence[Any]) -> str:
    """Encode the sort keys of the last item served."""
    raw = json.dumps(list(keys), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, types: Sequence[type]) -> list[Any] | None:
    """Decode a cursor whose keys must have `types`; None for the first page, 400 if garbled."""
    if cursor is None:
        return None
    try:
        keys = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(_NOT_ISSUED, field="cursor") from exc
    if (
        not isinstance(keys, list)
        or len(keys) != len(types)
        or not all(
            isinstance(key, kind) and not isinstance(key, bool)
            for key, kind in zip(keys, types, strict=True)
        )
    ):
        raise InvalidInput(_NOT_ISSUED, field="cursor")
    return keys


def page(items: list[Any], next_keys: Sequence[Any] | None) -> dict[str, Any]:
    """The response body of a paged list."""
    return {"items": items, "next_cursor": encode_cursor(next_keys) if next_keys else None}


def _is_real_time(stamp: str) -> bool:
    """A UTC time that exists on the calendar, written as the API writes it."""
    match = _TIMESTAMP.fullmatch(stamp)
    if match is None:
        return False
    year, month, day, hour, minute, second = (int(part) for part in match.groups())
    try:
        datetime(year, month, day, hour, minute, second)
    except ValueError:
        return False
    return True


def decode_time_cursor(cursor: str | None) -> list[Any] | None:
    """Decode a (timestamp, id) cursor of a newest-first list; 400 if it is not one."""
    keys = decode_cursor(cursor, (str, str))
    if keys is not None and not _is_real_time(keys[0]):
        raise InvalidInput(_NOT_ISSUED, field="cursor")
    return keys
