"""Search and recommendations: ranked for the viewer, never self, followed or blocked."""

from tests.plans import plan_operators


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
    from cypher import Q

    operators = set(plan_operators(graph, Q.discovery.search_users.text))
    assert any("IndexSeek" in name for name in operators), operators
    assert "NodeByLabelScan" not in operators and "AllNodesScan" not in operators


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
