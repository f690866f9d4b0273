"""Producer pages: the Like heart is a follow, the Message button, and service-only changes."""


def test_like_turns_follow_into_following(client, api):
    """Liking a producer makes the page say Following, with an exact count; unlike reverts."""
    maya = api.create_user("maya")
    producer = api.create_producer("beatsmith", "Beat Smith")
    page = api.get(f"/api/v1/producers/{producer['id']}", maya)
    assert (page["follow_label"], page["liked"], page["followers_count"]) == ("Follow", False, 0)
    assert api.like(maya, producer) == {
        "liked": True,
        "follow_label": "Following",
        "followers_count": 1,
    }
    assert api.like(maya, producer)["followers_count"] == 1  # idempotent
    page = api.get(f"/api/v1/producers/{producer['id']}", maya)
    assert (page["follow_label"], page["followers_count"]) == ("Following", 1)
    response = client.delete(
        f"/api/v1/producers/{producer['id']}/like", headers=api.headers_for(maya)
    )
    assert response.get_json() == {"liked": False, "follow_label": "Follow", "followers_count": 0}


def test_message_button_only_for_a_claimed_page(client, api):
    """A page linked to an account exposes that user for its Message button; unlinked, null."""
    maya, owner = api.create_user("maya"), api.create_user("owner")
    claimed = api.create_producer("claimed", user_id=owner["id"])
    unclaimed = api.create_producer("unclaimed")
    assert api.get(f"/api/v1/producers/{claimed['id']}", maya)["message_user_id"] == owner["id"]
    assert api.get(f"/api/v1/producers/{unclaimed['id']}", maya)["message_user_id"] is None


def test_service_links_and_unlinks_an_account(client, api):
    """PATCH links a page to an account and `user_id: null` unlinks it."""
    maya, owner = api.create_user("maya"), api.create_user("owner")
    producer = api.create_producer("beatsmith")
    url = f"/api/v1/producers/{producer['id']}"
    linked = client.patch(url, json={"user_id": owner["id"]}, headers=api.service_headers())
    assert linked.status_code == 200 and linked.get_json()["message_user_id"] == owner["id"]
    renamed = client.patch(url, json={"name": "Smith"}, headers=api.service_headers())
    assert renamed.get_json()["message_user_id"] == owner["id"]  # untouched when absent
    assert renamed.get_json()["name"] == "Smith"
    client.patch(url, json={"user_id": None}, headers=api.service_headers())
    assert api.get(url, maya)["message_user_id"] is None


def test_only_the_service_manages_producers(client, api):
    """Users cannot create, link or upload for producers (403)."""
    maya = api.create_user("maya")
    producer = api.create_producer("beatsmith")
    headers = api.headers_for(maya)
    assert (
        client.post(
            "/api/v1/producers", json={"slug": "mine", "name": "M"}, headers=headers
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"/api/v1/producers/{producer['id']}", json={"user_id": maya["id"]}, headers=headers
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/producers/{producer['id']}/uploads", json={"title": "x"}, headers=headers
        ).status_code
        == 403
    )


def test_producer_input_errors(client, api):
    """A taken slug is 409; an unknown account to link is 404 naming user_id; bad slug 400."""
    api.create_producer("beatsmith")
    headers = api.service_headers()
    taken = client.post(
        "/api/v1/producers", json={"slug": "beatsmith", "name": "X"}, headers=headers
    )
    assert taken.status_code == 409 and taken.get_json()["errors"][0]["field"] == "slug"
    ghost = client.post(
        "/api/v1/producers", json={"slug": "new", "name": "N", "user_id": "ghost"}, headers=headers
    )
    assert ghost.status_code == 404 and ghost.get_json()["errors"][0]["field"] == "user_id"
    bad = client.post("/api/v1/producers", json={"slug": "Bad Slug", "name": "B"}, headers=headers)
    assert bad.status_code == 400 and bad.get_json()["errors"][0]["field"] == "slug"


def test_upload_records_a_beat(client, api):
    """The service records an upload for a producer; an unknown producer is 404."""
    producer = api.create_producer("beatsmith")
    response = client.post(
        f"/api/v1/producers/{producer['id']}/uploads",
        json={"title": "Night Drive"},
        headers=api.service_headers(),
    )
    assert response.status_code == 201
    assert response.get_json()["title"] == "Night Drive"
    assert response.get_json()["producer_id"] == producer["id"]
    missing = client.post(
        "/api/v1/producers/ghost/uploads", json={"title": "x"}, headers=api.service_headers()
    )
    assert missing.status_code == 404


def test_liked_producers_tab_and_your_artists_label(client, api):
    """Liked producers appear newest first; the library label is pluralised correctly."""
    maya = api.create_user("maya")
    assert api.get("/api/v1/me/artists", maya)["label"] == "0 liked artists"
    first, second = api.create_producer("first"), api.create_producer("second")
    api.like(maya, first)
    assert api.get("/api/v1/me/artists", maya)["label"] == "1 liked artist"
    api.like(maya, second)
    artists = api.get("/api/v1/me/artists", maya)
    assert (artists["count"], artists["label"]) == (2, "2 liked artists")
    assert [item["slug"] for item in artists["items"]] == ["second", "first"]
    tab = api.get(f"/api/v1/users/{maya['id']}/liked-producers", maya)
    assert [item["slug"] for item in tab["items"]] == ["second", "first"]
    assert api.get(f"/api/v1/users/{maya['id']}", maya)["liked_producers_count"] == 2


def test_liking_an_unknown_producer_is_404(client, api):
    """There is no heart on a page that does not exist."""
    maya = api.create_user("maya")
    assert (
        client.put("/api/v1/producers/ghost/like", headers=api.headers_for(maya)).status_code == 404
    )
