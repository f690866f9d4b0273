"""Finding people and producers: prefix search and recommendations, both bounded."""

from typing import Any

from cypher import Q
from graph.db import Graph

# Search ranks at most this many prefix matches per index, plus those among the viewer's
# newest follows (also the people two-hop links go through) and newest followers; the
# caps keep a keystroke's cost the same for a viewer with 10 followers or 100,000, and
# for a prefix shared by a hundred names or by ten thousand (enough for the longest page,
# 100, in name order; the people the viewer knows come from the other two caps).
SEARCH_CANDIDATE_CAP = 100
SEARCH_HOP_CAP = 100
SEARCH_FOLLOWER_CAP = 20
# Recommendations walk the viewer's most recent follows and a sample of each one's edges.
RECOMMEND_HOP_CAP = 100
RECOMMEND_FAN_CAP = 200


def search_params(viewer_id: str, query: str, limit: int) -> dict[str, Any]:
    """The parameters of `search_users.cypher` (shared with its growth test)."""
    return {
        "viewer_id": viewer_id,
        "prefix": query.lower(),
        "limit": limit,
        "candidate_cap": SEARCH_CANDIDATE_CAP,
        "hop_cap": SEARCH_HOP_CAP,
        "follower_cap": SEARCH_FOLLOWER_CAP,
    }


def search_users(graph: Graph, viewer_id: str, query: str, limit: int) -> list[dict[str, Any]]:
    """Users whose username or display name starts with `query` (any case), ranked followed →
    follows you → two hops → others, ties by username."""
    records = graph.run(Q.discovery.search_users, **search_params(viewer_id, query, limit))
    return [record["user"] for record in records]


def recommend_users(graph: Graph, viewer_id: str, limit: int) -> list[dict[str, Any]]:
    """Friends of friends ranked by mutual follows; never self, followed or blocked."""
    records = graph.run(
        Q.discovery.recommend_users,
        viewer_id=viewer_id,
        limit=limit,
        hop_cap=RECOMMEND_HOP_CAP,
        fan_cap=RECOMMEND_FAN_CAP,
    )
    return [{**record["user"], "mutuals": record["mutuals"]} for record in records]


def recommend_producers(graph: Graph, viewer_id: str, limit: int) -> list[dict[str, Any]]:
    """Producers liked by the people the viewer follows, never ones the viewer likes."""
    records = graph.run(
        Q.discovery.recommend_producers,
        viewer_id=viewer_id,
        limit=limit,
        hop_cap=RECOMMEND_HOP_CAP,
        fan_cap=RECOMMEND_FAN_CAP,
    )
    return [
        {
            **record["producer"],
            "liked_by_following": record["liked_by_following"],
        }
        for record in records
    ]
