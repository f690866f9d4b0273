"""Blocks and reports."""

from cypher import Query


def test_block_removes_follows_both_ways_and_unblock_restores_nothing(client, api):
    """Blocking drops both follows; after unblocking they are still gone but allowed again."""
    maya, theo = api.create_user("maya"), api.create_user("theo")
    api.follow(maya, theo)
    api.follow(theo, maya)
    api.block(maya, theo)
    profile = api.get(f"/api/v1/users/{theo['id']}", maya)
    assert profile["relationship"]["blocking"] is True
    assert profile["followers_count"] == 0 and profile["following_count"] == 0
    response = client.delete(f"/api/v1/users/{theo['id']}/block", headers=api.headers_for(maya))
    assert response.get_json() == {"blocking": False}
    assert api.get(f"/api/v1/users/{theo['id']}", maya)["followers_count"] == 0
    assert api.follow(theo, maya)["following"] is True


def test_block_yourself_or_a_ghost(client, api):
    """Blocking yourself is 400; blocking an unknown user is 404."""
    maya = api.create_user("maya")
    headers = api.headers_for(maya)
    assert client.put(f"/api/v1/users/{maya['id']}/block", headers=headers).status_code == 400
    assert client.put("/api/v1/users/ghost/block", headers=headers).status_code == 404


def test_report_is_stored_for_staff(client, api, graph):
    """A report is filed in the graph against the reported user, with its reason."""
    maya, spammer = api.create_user("maya"), api.create_user("spammer")
    response = client.post(
        f"/api/v1/users/{spammer['id']}/reports",
        json={"reason": "spam", "details": "sells followers"},
        headers=api.headers_for(maya),
    )
    assert response.status_code == 201
    stored = graph.single(
        Query(
            "test.find_report",
            "MATCH (:User {id: $by})-[:FILED]->(r:Report)-[:AGAINST]->(:User {id: $against}) "
            "RETURN r.reason AS reason, r.details AS details",
            "read",
        ),
        by=maya["id"],
        against=spammer["id"],
    )
    assert stored is not None and dict(stored) == {"reason": "spam", "details": "sells followers"}


def test_report_input_rules(client, api):
    """Unknown reasons, details over 2,000 characters and reporting yourself are 400s."""
    maya, theo = api.create_user("maya"), api.create_user("theo")
    headers = api.headers_for(maya)
    url = f"/api/v1/users/{theo['id']}/reports"
    bad_reason = client.post(url, json={"reason": "rude"}, headers=headers)
    assert bad_reason.status_code == 400
    assert bad_reason.get_json()["errors"][0]["field"] == "reason"
    long = client.post(url, json={"reason": "other", "details": "x" * 2001}, headers=headers)
    assert long.get_json()["errors"][0]["field"] == "details"
    self_report = client.post(
        f"/api/v1/users/{maya['id']}/reports", json={"reason": "spam"}, headers=headers
    )
    assert self_report.status_code == 400


def test_me_shows_own_profile_and_zero_unread(api):
    """/me is your own profile, flagged is_self, with unread counters."""
    maya = api.create_user("maya")
    me = api.get("/api/v1/me", maya)
    assert me["id"] == maya["id"] and me["relationship"]["is_self"] is True
    assert me["unread"] == {"conversations": 0, "messages": 0, "notifications": 0}
