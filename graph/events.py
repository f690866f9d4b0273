"""Domain events: what changed, for whom. Published only after the transaction commits."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Event:
    """One change that connected clients should hear about.

    `type` is a realtime frame type (`message.created`, `unread.badge`, ...),
    `user_ids` the recipients, `data` the frame's payload.
    """

    type: str
    user_ids: tuple[str, ...]
    data: dict[str, Any] = field(default_factory=dict)
