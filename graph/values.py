"""Small conversions shared by the domain modules: ids and times."""

import uuid
from datetime import UTC, datetime
from typing import Any

from neo4j.time import DateTime


def new_id() -> str:
    """A fresh opaque id."""
    return uuid.uuid4().hex


def iso(value: Any) -> str | None:
    """A Neo4j or Python datetime, or a time in epoch milliseconds (`t.epochMillis`), as
    ISO 8601 UTC with a `Z` (millisecond precision).

    Hot statements return epoch milliseconds: the driver hydrates a Neo4j datetime in ~40
    µs, an integer in under 1 (docs/benchmarks.md, "Times as integers")."""
    if value is None:
        return None
    if isinstance(value, int):
        value = datetime.fromtimestamp(value / 1000, UTC)
    elif isinstance(value, DateTime):
        value = value.to_native()
    if not isinstance(value, datetime):
        raise TypeError(f"not a datetime: {value!r}")
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
