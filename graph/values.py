"""Small conversions shared by the domain modules: ids and times."""

import time
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
    µs, an integer in under 1 (docs/benchmarks.md, "Times as integers"), and formatting
    one from its UTC fields takes ~1.3 µs against ~2.1 through `datetime` (twenty times
    a message page; `%Y` has four digits for every year from 1000 to 9999)."""
    if value is None:
        return None
    if isinstance(value, int):
        seconds, millis = divmod(value, 1000)
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"
    if isinstance(value, DateTime):
        value = value.to_native()
    if not isinstance(value, datetime):
        raise TypeError(f"not a datetime: {value!r}")
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
