"""A small demo graph for `make run`, built through the same domain functions as the API."""

from graph.db import Graph
from graph.errors import Conflict
from graph.users import create_user

DEMO_USERS = (
    ("u-maya", "maya", "Maya Beats"),
    ("u-theo", "theo", "Theo Keys"),
    ("u-lena", "lena.loops", "Lena Loops"),
    ("u-kofi", "kofi_808", "Kofi 808"),
    ("u-ines", "ines", "Ines Vox"),
)


def load_demo_graph(graph: Graph) -> str:
    """Create the demo accounts (and, once they exist, nothing again)."""
    created = 0
    for user_id, username, display_name in DEMO_USERS:
        try:
            create_user(graph, user_id=user_id, username=username, display_name=display_name)
            created += 1
        except Conflict:
            continue  # already loaded by an earlier `make run`
    return f"demo graph: {created} user(s) created, {len(DEMO_USERS) - created} already there"
