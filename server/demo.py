"""A small demo graph for `make run`, built through the same domain functions as the API."""

from graph import conversations, follows, messages, notifications, producers
from graph.db import Graph
from graph.errors import Conflict
from graph.events import UnitOfWork, nobody_online
from graph.users import create_user

DEMO_USERS = (
    ("u-maya", "maya", "Maya Beats"),
    ("u-theo", "theo", "Theo Keys"),
    ("u-lena", "lena.loops", "Lena Loops"),
    ("u-kofi", "kofi_808", "Kofi 808"),
    ("u-ines", "ines", "Ines Vox"),
)
DEMO_FOLLOWS = (
    ("u-maya", "u-theo"),
    ("u-maya", "u-lena"),
    ("u-theo", "u-maya"),
    ("u-lena", "u-kofi"),
    ("u-kofi", "u-maya"),
    ("u-ines", "u-lena"),
)
DEMO_PRODUCERS = (
    ("p-kofi", "kofi-808", "Kofi 808", "u-kofi"),
    ("p-nightshift", "nightshift", "Nightshift", None),
)
DEMO_LIKES = (
    ("u-maya", "p-kofi"),
    ("u-theo", "p-kofi"),
    ("u-maya", "p-nightshift"),
    ("u-ines", "p-nightshift"),
)


def load_demo_graph(graph: Graph, work: UnitOfWork) -> str:
    """Create the demo accounts, follows, producers and chats (only once); their live
    events are recorded on `work`."""
    try:
        for user_id, username, display_name in DEMO_USERS:
            create_user(
                graph,
                user_id=user_id,
                username=username,
                display_name=display_name,
                email=f"{username}@demo.beatpass.test" if username == "maya" else None,
            )
    except Conflict:
        return "demo graph already loaded"
    for follower, followee in DEMO_FOLLOWS:
        follows.follow_user(graph, work, follower, followee)
    for producer_id, slug, name, owner in DEMO_PRODUCERS:
        producers.create_producer(
            graph, producer_id=producer_id, slug=slug, name=name, user_id=owner
        )
        producers.record_upload(graph, producer_id, f"{name} — First Light")
    for user_id, producer_id in DEMO_LIKES:
        producers.like_producer(graph, user_id, producer_id)
    # Uploads after the likes: the worker of `make run` puts them in the likers' bells.
    producers.record_upload(graph, "p-kofi", "Kofi 808 — Midnight Run")
    notifications.send_playlist_invite(
        graph,
        work,
        to_user_id="u-maya",
        from_user_id="u-ines",
        playlist_id="pl-summer",
        playlist_name="Summer Vox",
    )
    dm, _ = conversations.open_direct_conversation(graph, "u-maya", "u-theo")
    for sender, body in (
        ("u-theo", "yo, that loop you posted is fire"),
        ("u-maya", "thanks! want the stems?"),
        ("u-theo", "100%"),
    ):
        messages.send_message(
            graph, work, sender, dm, f"demo-{sender}-{len(body)}", body, online=nobody_online
        )
    group = conversations.create_group_conversation(
        graph, "u-lena", ["u-maya", "u-kofi"], "Collab: summer pack"
    )
    messages.send_message(
        graph, work, "u-lena", group, "demo-group-1", "kickoff friday?", online=nobody_online
    )
    return (
        f"demo graph: {len(DEMO_USERS)} users, {len(DEMO_FOLLOWS)} follows, "
        f"{len(DEMO_PRODUCERS)} producers, 2 conversations, notifications"
    )
