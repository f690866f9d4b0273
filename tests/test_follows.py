"""User follows: the Follow/Unfollow button, its counts, its races and its limits."""

import time
from concurrent.futures import ThreadPoolExecutor

from cypher import Q
from tests.plans import db_hits


def test_follow_then_profile_shows_following_and_count(client, api):
    """After Follow, the button reads Unfollow and the follower count is exact at once."""
    maya, theo = api.create_user("maya"), api.create_user("theo")
    assert api.follow(maya, theo) == {"following": True, "followers_count": 1}
    profile = api.get(f"/api/v1/users/{theo['id']}", maya)
    assert profile["relationship"] == {
        "following": True,
        "followed_by": False,
        "blocking": False,
        "is_self": False,
    }
    assert profile["followers_count"] == 1
    mine = api.get(f"/api/v1/users/{maya['id']}", maya)
    assert mine["following_count"] == 1 and mine["relationship"]["is_self"] is True


def test_follow_and_unfollow_are_idempotent(client, api):
    """Clicking Follow twice keeps one follow; Unfollow twice leaves none."""
    maya, theo = api.create_user("maya"), api.create_user("theo")
    api.follow(maya, theo)
    assert api.follow(maya, theo)["followers_count"] == 1
    headers = api.headers_for(maya)
    first = client.delete(f"/api/v1/users/{theo['id']}/follow", headers=headers).get_json()
    again = client.delete(f"/api/v1/users/{theo['id']}/follow", headers=headers).get_json()
    assert first == again == {"following": False, "followers_count": 0}


def test_followed_by_shows_on_the_other_side(client, api):
    """The person followed sees that you follow them (followed_by)."""
    maya, theo = api.create_user("maya"), api.create_user("theo")
    api.follow(maya, theo)
    relationship = api.get(f"/api/v1/users/{maya['id']}", theo)["relationship"]
    assert relationship["followed_by"] is True and relationship["following"] is False


def test_following_yourself_is_400(client, api):
    """You cannot follow yourself."""
    maya = api.create_user("maya")
    response = client.put(f"/api/v1/users/{maya['id']}/follow", headers=api.headers_for(maya))
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "id"


def test_following_an_unknown_user_is_404(client, api):
    """Following someone who does not exist is a 404."""
    maya = api.create_user("maya")
    response = client.put("/api/v1/users/nobody/follow", headers=api.headers_for(maya))
    assert response.status_code == 404


def test_blocked_pair_cannot_follow_either_way(client, api):
    """A block stops follows in both directions with a 403."""
    maya, theo = api.create_user("maya"), api.create_user("theo")
    api.block(theo, maya)
    for follower, followee in ((maya, theo), (theo, maya)):
        response = client.put(
            f"/api/v1/users/{followee['id']}/follow", headers=api.headers_for(follower)
        )
        assert response.status_code == 403


def test_twenty_racing_identical_follows_make_one_edge(app, api):
    """Twenty concurrent follows of one user by one user leave exactly one follow."""
    maya, theo = api.create_user("maya"), api.create_user("theo")
    headers = api.headers_for(maya)

    def follow(_):
        return app.test_client().put(f"/api/v1/users/{theo['id']}/follow", headers=headers)

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = [response.status_code for response in pool.map(follow, range(20))]
    assert statuses == [200] * 20
    assert api.get(f"/api/v1/users/{theo['id']}", maya)["followers_count"] == 1
    assert len(api.get(f"/api/v1/users/{theo['id']}/followers", maya)["items"]) == 1


def test_fifty_different_followers_at_once_count_fifty(app, api):
    """Fifty people following one user at the same moment are all counted."""
    star = api.create_user("star")
    fans = [api.create_user(f"fan{n}") for n in range(50)]

    def follow(fan):
        return app.test_client().put(
            f"/api/v1/users/{star['id']}/follow", headers=api.headers_for(fan)
        )

    with ThreadPoolExecutor(max_workers=10) as pool:
        assert all(response.status_code == 200 for response in pool.map(follow, fans))
    assert api.get(f"/api/v1/users/{star['id']}", star)["followers_count"] == 50


def _fans(graph, count, prefix):
    """`count` new users who follow nobody of interest (a throwaway host follows them)."""
    host = graph.single(
        Q.users.create_user,
        id=prefix + "-host",
        username=prefix + "_host",
        username_key=prefix + "_host",
        display_name="Host",
        display_name_key="host",
        avatar_url=None,
        email=None,
    )
    graph.run(
        Q.testing.create_follow_crowd,
        user_id=host["user"]["id"],
        count=count,
        username_prefix=prefix,
        inbound=False,
    )
    return [
        record["id"]
        for record in graph.driver.execute_query(
            "MATCH (u:User) WHERE u.username_key STARTS WITH $prefix AND u.id <> $host "
            "RETURN u.id AS id",
            prefix=prefix,
            host=prefix + "-host",
            database_=graph.database,
        ).records
    ]


def test_a_follow_does_not_wait_for_another_follow_of_the_same_user(api, graph):
    """A new follower of a popular user is not held up by someone else's follow of that user
    that has not committed yet (only the pair is locked, not the followee)."""
    star = api.create_user("star")
    graph.run(
        Q.testing.create_follow_crowd,
        user_id=star["id"],
        count=60,
        username_prefix="old_fan",
        inbound=True,
    )
    first, second = _fans(graph, 2, "new_fan")
    with graph.driver.session(database=graph.database) as held:
        pending = held.begin_transaction()
        pending.run(Q.follows.follow_user.text, follower_id=first, followee_id=star["id"]).consume()
        try:
            with graph.driver.session(database=graph.database) as session:
                other = session.begin_transaction(timeout=5)  # ends a wait for the lock
                record = other.run(
                    Q.follows.follow_user.text, follower_id=second, followee_id=star["id"]
                ).single()
                other.commit()
        finally:
            pending.rollback()
    assert record["created"] and record["followers_count"] == 61
    assert record["notification"]["actor"]["id"] == second


def test_two_hundred_new_followers_at_once_all_land_and_are_each_announced_once(app, api, graph):
    """200 people following one user at the same moment: all 200 follows count, and the
    followee's bell has exactly one new_follower notification from each of them."""
    star = api.create_user("star")
    fans = _fans(graph, 200, "fan")

    def follow(fan_id):
        return (
            app.test_client()
            .put(f"/api/v1/users/{star['id']}/follow", headers=api.headers_for(fan_id))
            .status_code
        )

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(follow, fans))
    print(
        f"200 concurrent follows of one user (50 threads): "
        f"{time.perf_counter() - started:.2f} s wall"
    )
    assert statuses == [200] * 200
    assert api.get(f"/api/v1/users/{star['id']}", star)["followers_count"] == 200
    actors, cursor = [], None
    while True:
        page = api.get(
            "/api/v1/me/notifications", star, limit=100, **({"cursor": cursor} if cursor else {})
        )
        actors += [item["actor"]["id"] for item in page["items"] if item["type"] == "new_follower"]
        if not (cursor := page["next_cursor"]):
            break
    assert sorted(actors) == sorted(fans)
    assert page["unread_count"] == 200


def test_a_follow_costs_a_user_with_5000_followers_what_it_costs_one_with_10(api, graph):
    """Following someone with 5,000 followers costs (in db hits) at most 1.2x following
    someone with 10: the write and its announcement touch the pair, not the followers."""
    small, large = api.create_user("small"), api.create_user("large")
    graph.run(
        Q.testing.create_follow_crowd,
        user_id=small["id"],
        count=10,
        username_prefix="small_fan",
        inbound=True,
    )
    graph.run(
        Q.testing.create_follow_crowd,
        user_id=large["id"],
        count=5000,
        username_prefix="large_fan",
        inbound=True,
    )
    warm, fan = _fans(graph, 2, "late_fan")

    def hits(follower_id, followee):
        return db_hits(
            graph, Q.follows.follow_user.text, follower_id=follower_id, followee_id=followee["id"]
        )

    hits(warm, small)  # plans the statement
    before, after = hits(fan, small), hits(fan, large)
    print(f"follow: {before} db hits (10 followers), {after} (5,000 followers)")
    assert after <= before * 1.2, (before, after)


def test_lookup_by_username_ignores_case(client, api):
    """A profile can be found by username in any case; an unknown one is 404."""
    maya = api.create_user("Maya_B")
    assert api.get("/api/v1/users/lookup", maya, username="maya_b")["id"] == maya["id"]
    response = client.get("/api/v1/users/lookup?username=ghost", headers=api.headers_for(maya))
    assert response.status_code == 404


def test_profile_needs_a_token(client, api):
    """Profiles are for signed-in users."""
    maya = api.create_user("maya")
    assert client.get(f"/api/v1/users/{maya['id']}").status_code == 401
