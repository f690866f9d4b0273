"""Followers / Following / Liked Producers lists: newest first, keyset pages, one round trip."""

import pytest

from tests.plans import forget_plans, plan_operators, sample_indexes_now


@pytest.fixture
def star_and_fans(api):
    star = api.create_user("star")
    fans = [api.create_user(f"fan{n:02d}") for n in range(5)]
    for fan in fans:
        api.follow(fan, star)
    return star, fans


def _all_pages(api, path, viewer, limit):
    names, cursor = [], None
    while True:
        params = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        body = api.get(path, viewer, **params)
        names.append([item["username"] for item in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            return names


def test_followers_are_newest_first_across_pages(api, star_and_fans):
    """Pages walk the followers newest first with no gap or repeat."""
    star, _ = star_and_fans
    pages = _all_pages(api, f"/api/v1/users/{star['id']}/followers", star, limit=2)
    assert pages == [["fan04", "fan03"], ["fan02", "fan01"], ["fan00"]]


def test_exactly_one_page_has_no_next_cursor(api, star_and_fans):
    """When everything fits, there is no next page."""
    star, _ = star_and_fans
    body = api.get(f"/api/v1/users/{star['id']}/followers", star, limit=5)
    assert len(body["items"]) == 5 and body["next_cursor"] is None


def test_empty_list(api):
    """A user nobody follows has an empty Followers tab."""
    loner = api.create_user("loner")
    assert api.get(f"/api/v1/users/{loner['id']}/followers", loner) == {
        "items": [],
        "next_cursor": None,
    }


def test_pages_are_stable_while_new_follows_arrive(api, star_and_fans):
    """A follow made between two page loads does not shift or repeat the next page."""
    star, _ = star_and_fans
    first = api.get(f"/api/v1/users/{star['id']}/followers", star, limit=2)
    api.follow(api.create_user("latecomer"), star)
    second = api.get(
        f"/api/v1/users/{star['id']}/followers", star, limit=2, cursor=first["next_cursor"]
    )
    assert [item["username"] for item in second["items"]] == ["fan02", "fan01"]


def test_items_carry_the_viewers_relationship(api, star_and_fans):
    """Each listed follower shows whether the viewer follows them and they follow the viewer."""
    star, fans = star_and_fans
    viewer = api.create_user("viewer")
    api.follow(viewer, fans[0])
    api.follow(fans[1], viewer)
    items = api.get(f"/api/v1/users/{star['id']}/followers", viewer)["items"]
    relationship = {item["username"]: item["relationship"] for item in items}
    assert relationship["fan00"] == {"following": True, "followed_by": False}
    assert relationship["fan01"] == {"following": False, "followed_by": True}
    assert relationship["fan02"] == {"following": False, "followed_by": False}


def test_following_list(api, star_and_fans):
    """The Following tab lists whom the user follows, newest first."""
    _, fans = star_and_fans
    other = api.create_user("other")
    api.follow(fans[0], other)
    body = api.get(f"/api/v1/users/{fans[0]['id']}/following", fans[0])
    assert [item["username"] for item in body["items"]] == ["other", "star"]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"cursor": "garbage!!"}, "cursor"),
        ({"cursor": "WyJ4IiwieSJd"}, "cursor"),  # ["x","y"]: well-formed but not ours
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "many"}, "limit"),
    ],
)
def test_bad_paging_parameters_are_400(client, api, star_and_fans, params, field):
    """A garbage cursor or a limit outside 1-100 is a 400 naming the parameter."""
    star, _ = star_and_fans
    response = client.get(
        f"/api/v1/users/{star['id']}/followers", query_string=params, headers=api.headers_for(star)
    )
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == field


def test_unknown_users_list_is_404(client, api):
    """The followers of a user who does not exist are a 404, not an empty list."""
    viewer = api.create_user("viewer")
    response = client.get("/api/v1/users/ghost/followers", headers=api.headers_for(viewer))
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["followers", "following", "liked-producers"])
def test_each_list_page_is_one_round_trip(api, graph, star_and_fans, path):
    """A list page with its relationship flags costs one statement, not one per item."""
    star, fans = star_and_fans
    producer = api.create_producer("beatsmith")
    for fan in fans:
        api.like(fan, producer)
    target = star if path != "liked-producers" else fans[0]
    api.get("/api/v1/me/unread", star)  # a first request checks the viewer exists (remembered)
    with graph.count_round_trips() as trips:
        api.get(f"/api/v1/users/{target['id']}/{path}", star)
    assert trips.count == 1, trips.names


def test_producer_followers_page_is_one_round_trip(api, graph):
    """The producer Followers tab is one statement per page too."""
    producer = api.create_producer("beatsmith")
    fans = [api.create_user(f"fan{n}") for n in range(4)]
    for fan in fans:
        api.like(fan, producer)
    with graph.count_round_trips() as trips:
        body = api.get(f"/api/v1/producers/{producer['id']}/followers", fans[0], limit=3)
    assert trips.count == 1
    assert [item["username"] for item in body["items"]] == ["fan3", "fan2", "fan1"]


# These sort what a capped walk of the index found (suggestions, recommendations).
RANKED_AFTER_A_CAP = {
    "messaging.list_suggestions",
    "discovery.recommend_users",
    "discovery.recommend_producers",
}


@pytest.mark.parametrize(
    "name",
    [
        "follows.list_followers",
        "follows.list_following",
        "producers.list_producer_followers",
        "producers.list_liked_producers",
        "messaging.list_conversations",
        "messaging.list_suggestions",
        "discovery.recommend_users",
        "discovery.recommend_producers",
    ],
)
def test_list_pages_seek_the_index_in_order_even_after_an_empty_sample(api, graph, name):
    """A page is served by seeking the owner's edges in the (owner id, since) index in
    order, never by sorting every edge nor by scanning the whole index, so a producer with
    a million followers pages as fast as one with ten. It holds with the worst statistics:
    indexes sampled while the graph was empty, then a few of each edge written (a plan
    made then once walked the whole index, a cost that grows with the graph)."""
    from cypher import Q

    sample_indexes_now(graph)
    star = api.create_user("star")
    producer = api.create_producer("star-beats")
    for n in range(8):
        other = api.create_user(f"other{n}")
        api.follow(other, star)
        api.follow(star, other)
        api.like(other, producer)
        api.like(star, api.create_producer(f"beats{n}"))
        api.start(star, other)
    forget_plans(graph)
    area, query = name.split(".")
    operators = plan_operators(graph, getattr(getattr(Q, area), query).text)
    assert "DirectedRelationshipIndexSeek" in operators, operators
    assert "DirectedRelationshipIndexScan" not in operators, operators
    if name not in RANKED_AFTER_A_CAP:
        assert not {"Top", "Sort"} & set(operators), operators
