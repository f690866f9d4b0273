"""Search and recommendations: ranked for the viewer, never self, followed or blocked."""

from cypher import Q
from graph import discovery
from tests.plans import db_hits, plan_operators


def _usernames(body):
    return [item["username"] for item in body["items"]]


def test_search_ranks_followed_then_followers_then_two_hops_then_others(api):
    """Matches come followed → follows you → two hops away → everyone else."""
    viewer = api.create_user("viewer")
    api.create_user("mango_other")
    hop = api.create_user("mango_hop")
    fan = api.create_user("mango_fan")
    friend = api.create_user("mango_friend")
    middle = api.create_user("middle")
    api.follow(viewer, friend)
    api.follow(fan, viewer)
    api.follow(viewer, middle)
    api.follow(middle, hop)
    body = api.get("/api/v1/users/search", viewer, q="MANGO")
    assert _usernames(body) == ["mango_friend", "mango_fan", "mango_hop", "mango_other"]
    assert body["items"][0]["relationship"] == {"following": True, "followed_by": False}


def test_search_matches_display_name_prefix(api):
    """A display name prefix finds the user, case-insensitively."""
    viewer = api.create_user("viewer")
    api.create_user("zz_top", display_name="Lena Loops")
    assert _usernames(api.get("/api/v1/users/search", viewer, q="lena")) == ["zz_top"]


def test_search_needs_two_characters(client, api):
    """A one-character search is refused with a 400 naming q."""
    viewer = api.create_user("viewer")
    response = client.get("/api/v1/users/search?q=m", headers=api.headers_for(viewer))
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "q"


def test_search_leaves_out_yourself_and_blocked_users(api):
    """You never find yourself, and a blocked pair does not find each other."""
    viewer = api.create_user("mara")
    blocked = api.create_user("marble")
    api.create_user("marco")
    api.block(viewer, blocked)
    assert _usernames(api.get("/api/v1/users/search", viewer, q="mar")) == ["marco"]


def test_search_is_backed_by_an_index(graph):
    """The prefix search plans index seeks, not a scan of every user."""
    operators = set(plan_operators(graph, Q.discovery.search_users.text))
    assert any("IndexSeek" in name for name in operators), operators
    assert "NodeByLabelScan" not in operators and "AllNodesScan" not in operators


def _crowd(graph, user, count, prefix, inbound):
    """`count` new users around `user`: following it (inbound) or followed by it."""
    graph.run(
        Q.testing.create_follow_crowd,
        user_id=user["id"],
        count=count,
        username_prefix=prefix,
        inbound=inbound,
    )


def _search_hits(graph, viewer, q):
    return db_hits(
        graph, Q.discovery.search_users.text, **discovery.search_params(viewer["id"], q, 20)
    )


def test_a_followed_user_comes_first_even_past_the_index_candidates(api, graph):
    """Someone you follow is found first even when hundreds of others share the prefix and
    sort before them."""
    viewer = api.create_user("viewer")
    _crowd(graph, api.create_user("host"), 450, "mango", inbound=False)
    friend = api.create_user("mango_zed")
    api.follow(viewer, friend)
    assert _usernames(api.get("/api/v1/users/search", viewer, q="mango"))[0] == "mango_zed"


def test_search_costs_a_viewer_with_5000_followers_what_it_costs_one_with_10(api, graph):
    """Search does not walk the viewer's followers or their follows' follows: a viewer with
    5,000 followers whose follows follow 500 people each pays (in db hits) at most 1.5x
    what one with 10 followers whose follows follow 10 pays, and both see the same
    ranking."""
    friend, fan = api.create_user("mango_friend"), api.create_user("mango_fan")
    hop, _ = api.create_user("mango_hop"), api.create_user("mango_other")
    viewers = []
    for size, followers, fan_out in (("s", 10, 10), ("l", 5000, 500)):
        viewer = api.create_user(f"viewer_{size}")
        middle = api.create_user(f"middle_{size}")
        api.follow(viewer, friend)
        api.follow(fan, viewer)
        api.follow(viewer, middle)
        api.follow(middle, hop)
        _crowd(graph, viewer, followers, f"fan_{size}", inbound=True)
        _crowd(graph, viewer, 9, f"pal_{size}", inbound=False)
        for n in range(10):
            pal = api.create_user(f"pal_{size}x{n}")
            api.follow(viewer, pal)
            _crowd(graph, pal, fan_out, f"far_{size}{n}_", inbound=False)
        viewers.append(viewer)
    small, large = viewers
    for viewer in viewers:
        assert _usernames(api.get("/api/v1/users/search", viewer, q="mango")) == [
            "mango_friend",
            "mango_fan",
            "mango_hop",
            "mango_other",
        ]
    for q in ("mango", "zq"):
        _search_hits(graph, small, q)  # plans the statement
        before, after = _search_hits(graph, small, q), _search_hits(graph, large, q)
        print(f"search q={q}: {before} db hits (10 followers), {after} (5,000 followers)")
        assert after <= before * 1.5, (q, before, after)


def test_recommended_users_are_friends_of_friends_by_mutuals(api):
    """Who to follow ranks people followed by more of your follows first, excluding the
    already followed, yourself and blocked users."""
    viewer = api.create_user("viewer")
    a, b = api.create_user("alpha"), api.create_user("bravo")
    popular, niche = api.create_user("popular"), api.create_user("niche")
    blocked = api.create_user("blocked")
    for friend in (a, b):
        api.follow(viewer, friend)
        api.follow(friend, popular)
        api.follow(friend, blocked)
        api.follow(friend, viewer)
    api.follow(a, niche)
    api.follow(a, b)
    api.block(viewer, blocked)
    body = api.get("/api/v1/me/recommendations/users", viewer)
    assert _usernames(body) == ["popular", "niche"]
    assert body["items"][0]["mutuals"] == 2


def test_recommended_producers_come_from_your_follows(api):
    """Producers liked by people you follow, most liked first, never ones you like."""
    viewer = api.create_user("viewer")
    a, b = api.create_user("alpha"), api.create_user("bravo")
    hot, warm, mine = (api.create_producer(slug) for slug in ("hot", "warm", "mine"))
    for friend in (a, b):
        api.follow(viewer, friend)
        api.like(friend, hot)
        api.like(friend, mine)
    api.like(a, warm)
    api.like(viewer, mine)
    body = api.get("/api/v1/me/recommendations/producers", viewer)
    assert [item["slug"] for item in body["items"]] == ["hot", "warm"]
    assert body["items"][0]["liked_by_following"] == 2


def test_search_costs_the_same_for_a_prefix_of_120_names_as_of_3000(api, graph):
    """A two-letter prefix in a million names matches thousands: the ranking reads a
    bounded number of index candidates, so a prefix shared by 3,000 names costs (in db
    hits) at most 1.2x one shared by 120, and both pages are full and in name order."""
    viewer, host = api.create_user("viewer"), api.create_user("host")
    _crowd(graph, host, 120, "kiwi", inbound=False)
    _crowd(graph, host, 3000, "plum", inbound=False)
    for q in ("kiwi", "plum"):
        names = _usernames(api.get("/api/v1/users/search", viewer, q=q, limit=20))
        assert len(names) == 20 and names == sorted(names), names
    _search_hits(graph, viewer, "kiwi")  # plans the statement
    few, many = _search_hits(graph, viewer, "kiwi"), _search_hits(graph, viewer, "plum")
    print(f"search: {few} db hits for 120 matches, {many} for 3,000")
    assert many <= few * 1.2, (few, many)
