"""Bearer JWT authentication: HS256 only, `exp` required, service scope for the back end."""

import time

import jwt
import pytest

NEW_USER = {"username": "newbie", "display_name": "New Bie"}


def _post_user(client, token):
    return client.post("/api/v1/users", json=NEW_USER, headers={"Authorization": f"Bearer {token}"})


def _assert_problem(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_missing_token_is_401(client):
    """A request without a token is turned away with a problem document."""
    response = client.post("/api/v1/users", json=NEW_USER)
    _assert_problem(response, 401)


@pytest.mark.parametrize("header", ["Token abc", "Bearer", "Bearer    ", "Basic dXNlcjpwYXNz"])
def test_malformed_authorization_header_is_401(client, header):
    """Only `Bearer <token>` is understood."""
    response = client.post("/api/v1/users", json=NEW_USER, headers={"Authorization": header})
    _assert_problem(response, 401)


def test_expired_token_is_401(client, app):
    """A token past its `exp` is refused and the problem says it expired."""
    secret = app.config["BEATGRAPH_JWT_SECRET"]
    now = int(time.time())
    token = jwt.encode({"sub": "svc", "scope": "service", "exp": now - 10}, secret, "HS256")
    assert "expired" in _assert_problem(_post_user(client, token), 401)["detail"]


def test_token_signed_with_another_key_is_401(client):
    """A token forged with a different secret is refused."""
    token = jwt.encode(
        {"sub": "svc", "scope": "service", "exp": int(time.time()) + 60},
        "another-secret-of-sufficient-length!!",
        "HS256",
    )
    _assert_problem(_post_user(client, token), 401)


def test_unsigned_alg_none_token_is_401(client):
    """`alg: none` tokens are never accepted, whatever they claim."""
    token = jwt.encode(
        {"sub": "svc", "scope": "service", "exp": int(time.time()) + 60}, None, "none"
    )
    _assert_problem(_post_user(client, token), 401)


def test_other_algorithm_with_the_right_key_is_401(client, app):
    """The algorithm is pinned to HS256: HS512 with the right secret is still refused."""
    token = jwt.encode(
        {"sub": "svc", "scope": "service", "exp": int(time.time()) + 60},
        app.config["BEATGRAPH_JWT_SECRET"],
        "HS512",
    )
    _assert_problem(_post_user(client, token), 401)


def test_token_without_exp_is_401(client, app):
    """A token that never expires is not accepted."""
    token = jwt.encode(
        {"sub": "svc", "scope": "service"}, app.config["BEATGRAPH_JWT_SECRET"], "HS256"
    )
    _assert_problem(_post_user(client, token), 401)


def test_user_token_on_a_service_endpoint_is_403(client, api):
    """A signed-in user cannot do what only the BeatPass back end may."""
    response = client.post("/api/v1/users", json=NEW_USER, headers=api.headers_for("someone"))
    _assert_problem(response, 403)


def test_service_token_creates_a_user(client, api):
    """The back end's token, with the service scope, may create accounts."""
    response = client.post("/api/v1/users", json=NEW_USER, headers=api.service_headers())
    assert response.status_code == 201
    assert response.get_json()["username"] == "newbie"


def test_dev_token_endpoint_is_404_unless_enabled(client, api):
    """Password-less sign-in does not exist unless BEATGRAPH_DEV_AUTH is on."""
    api.create_user("maya")
    response = client.post("/api/v1/dev/token", json={"username": "maya"})
    _assert_problem(response, 404)


@pytest.fixture
def dev_app_config(app_config):
    app_config["BEATGRAPH_DEV_AUTH"] = True
    return app_config


def test_dev_token_mints_a_working_user_token(dev_app_config, client, api):
    """With dev auth on, a username (any case) yields a token that authenticates as that user."""
    maya = api.create_user("maya")
    response = client.post("/api/v1/dev/token", json={"username": "MAYA"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["user_id"] == maya["id"]
    # Authenticated (not 401) but a user, so the service endpoint answers 403.
    denied = client.post(
        "/api/v1/users", json=NEW_USER, headers={"Authorization": f"Bearer {body['token']}"}
    )
    _assert_problem(denied, 403)


def test_dev_token_for_an_unknown_user_is_404(dev_app_config, client):
    """Dev sign-in names the field when the user does not exist."""
    body = _assert_problem(client.post("/api/v1/dev/token", json={"user_id": "nobody"}), 404)
    assert body["errors"][0]["field"] == "user_id"


def test_dev_token_needs_exactly_one_of_id_or_username(dev_app_config, client):
    """Neither or both of user_id and username is a 400."""
    _assert_problem(client.post("/api/v1/dev/token", json={}), 400)
    _assert_problem(client.post("/api/v1/dev/token", json={"user_id": "a", "username": "b"}), 400)
