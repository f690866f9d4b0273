"""The words BeatPass shows next to the data (DESIGN §2), added where responses are shaped.

The domain answers `liked: true` and a count; what the heart and the library say about
them is the client contract's business, kept here in one place.
"""

from typing import Any

FOLLOW_LABELS = {True: "Following", False: "Follow"}


def with_follow_label(producer: dict[str, Any]) -> dict[str, Any]:
    """A producer (or like state) with the heart's label for its `liked` flag, when it has
    one; a producer without the flag (the viewer is not known) is returned as it is."""
    if "liked" not in producer:
        return producer
    return {**producer, "follow_label": FOLLOW_LABELS[producer["liked"]]}


def liked_artists_label(count: int) -> str:
    """The library's "Your artists" label: "1 liked artist", "3 liked artists"."""
    return f"{count} liked artist" + ("" if count == 1 else "s")
