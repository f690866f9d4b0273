"""Every error is application/problem+json and names the field; bad input never gets a 500."""


def _problem(response, status):
    assert response.status_code == status, response.data
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    return body


def test_unknown_route_is_a_404_problem(client):
    """A path that does not exist answers a problem document, not an HTML page."""
    _problem(client.get("/api/v1/no-such-thing"), 404)


def test_wrong_method_is_a_405_problem(client):
    """A known path with the wrong method says so as a problem document."""
    _problem(client.delete("/healthz"), 405)


def test_malformed_json_is_a_400_naming_the_body(client, api):
    """A body that is not JSON gets a 400 that says the body is the problem."""
    response = client.post(
        "/api/v1/users",
        data="{not json",
        content_type="application/json",
        headers=api.service_headers(),
    )
    body = _problem(response, 400)
    assert body["errors"][0]["field"] == "body"


def test_missing_body_is_a_400(client, api):
    """A request that needs a JSON object and sends none is a clear 400."""
    response = client.post("/api/v1/users", headers=api.service_headers())
    assert _problem(response, 400)["errors"][0]["field"] == "body"


def test_invalid_fields_are_each_named(client, api):
    """Each invalid field is listed by name with what is wrong."""
    response = client.post(
        "/api/v1/users",
        json={"username": "a!", "display_name": "  "},
        headers=api.service_headers(),
    )
    body = _problem(response, 400)
    fields = {error["field"] for error in body["errors"]}
    assert fields == {"username", "display_name"}
    assert "username" in body["detail"]


def test_taken_username_is_a_409_ignoring_case(client, api):
    """Usernames are unique regardless of case; the second one is a conflict, not a duplicate."""
    api.create_user("Maya")
    response = client.post(
        "/api/v1/users",
        json={"username": "mAyA", "display_name": "Other"},
        headers=api.service_headers(),
    )
    body = _problem(response, 409)
    assert body["errors"][0]["field"] == "username"


def test_taken_id_is_a_409(client, api):
    """An explicit id that exists already is a conflict naming the id."""
    api.create_user("maya", id="u-1")
    response = client.post(
        "/api/v1/users",
        json={"id": "u-1", "username": "theo", "display_name": "T"},
        headers=api.service_headers(),
    )
    assert _problem(response, 409)["errors"][0]["field"] == "id"


def test_oversized_body_is_a_413_problem(client, api):
    """A body over the size limit is refused before it is parsed."""
    huge = {"username": "maya", "display_name": "x" * 100_000}
    _problem(client.post("/api/v1/users", json=huge, headers=api.service_headers()), 413)
