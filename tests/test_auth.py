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
    token = jwt.encode(
        {"sub": "svc", "scope": "service", "iat": now - 70, "exp": now - 10}, secret, "HS256"
    )
    assert "expired" in _assert_problem(_post_user(client, token), 401)["detail"]


def test_a_token_accepted_before_is_refused_once_it_expires(client, app):
    """The app remembers tokens it accepted, but never past their `exp`: the same token
    that worked a moment ago is 401 once it has expired."""
    secret = app.config["BEATGRAPH_JWT_SECRET"]
    now = int(time.time())
    token = jwt.encode(
        {"sub": "svc", "scope": "service", "iat": now, "exp": now + 2}, secret, "HS256"
    )
    assert _post_user(client, token).status_code == 201
    time.sleep(max(0.0, now + 2 - time.time()) + 0.05)
    assert "expired" in _assert_problem(_post_user(client, token), 401)["detail"]


def test_token_signed_with_another_key_is_401(client):
    """A token forged with a different secret is refused."""
    token = jwt.encode(
        {"sub": "svc", "scope": "service", "iat": int(time.time()), "exp": int(time.time()) + 60},
        "another-secret-of-sufficient-length!!",
        "HS256",
    )
    _assert_problem(_post_user(client, token), 401)


def test_unsigned_alg_none_token_is_401(client):
    """`alg: none` tokens are never accepted, whatever they claim."""
    now = int(time.time())
    claims = {"sub": "svc", "scope": "service", "iat": now, "exp": now + 60}
    token = jwt.encode(claims, None, "none")
    _assert_problem(_post_user(client, token), 401)


def test_other_algorithm_with_the_right_key_is_401(client, app):
    """The algorithm is pinned to HS256: HS512 with the right secret is still refused."""
    token = jwt.encode(
        {"sub": "svc", "scope": "service", "iat": int(time.time()), "exp": int(time.time()) + 60},
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
    someone = api.create_user("someone")
    response = client.post("/api/v1/users", json=NEW_USER, headers=api.headers_for(someone))
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


def _me(client, token):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def _claims(user_id, lifetime=600, **extra):
    now = int(time.time())
    return {"sub": user_id, "iat": now, "exp": now + lifetime, **extra}


def test_token_without_iat_is_401(client, app, api):
    """A token must say when it was issued, so its lifetime can be checked."""
    maya = api.create_user("maya")
    claims = _claims(maya["id"])
    del claims["iat"]
    token = jwt.encode(claims, app.config["BEATGRAPH_JWT_SECRET"], "HS256")
    assert "iat" in _assert_problem(_me(client, token), 401)["detail"]


def test_token_living_longer_than_the_cap_is_401(client, app, api):
    """`exp - iat` above BEATGRAPH_TOKEN_MAX_LIFETIME (24 h by default) is refused."""
    maya = api.create_user("maya")
    secret = app.config["BEATGRAPH_JWT_SECRET"]
    day = 24 * 3600
    assert _me(client, jwt.encode(_claims(maya["id"], day), secret, "HS256")).status_code == 200
    too_long = jwt.encode(_claims(maya["id"], day + 1), secret, "HS256")
    assert "lifetime" in _assert_problem(_me(client, too_long), 401)["detail"]


def test_numeric_string_exp_is_401(client, app, api):
    """`exp` must be a JSON number: "1999999999" as a string is refused."""
    maya = api.create_user("maya")
    claims = _claims(maya["id"])
    claims["exp"] = str(claims["exp"])
    token = jwt.encode(claims, app.config["BEATGRAPH_JWT_SECRET"], "HS256")
    assert "exp" in _assert_problem(_me(client, token), 401)["detail"]


ISSUER, AUDIENCE = "https://auth.beatpass.test", "beatgraph"


@pytest.fixture
def issuer_app_config(app_config):
    app_config.update(
        BEATGRAPH_JWT_ISSUER=ISSUER, BEATGRAPH_JWT_AUDIENCE=AUDIENCE, BEATGRAPH_DEV_AUTH=True
    )
    return app_config


def test_issuer_and_audience_are_checked_when_configured(issuer_app_config, client, app):
    """With BEATGRAPH_JWT_ISSUER/AUDIENCE set, a token must carry both, matching."""
    from graph.users import create_user

    maya = create_user(app.extensions["beatgraph.graph"], username="maya", display_name="M")
    secret = app.config["BEATGRAPH_JWT_SECRET"]
    good = _claims(maya["id"], iss=ISSUER, aud=AUDIENCE)
    assert _me(client, jwt.encode(good, secret, "HS256")).status_code == 200
    for wrong in ({"iss": "https://evil.test"}, {"aud": "another-app"}):
        token = jwt.encode({**good, **wrong}, secret, "HS256")
        _assert_problem(_me(client, token), 401)
    for missing in ("iss", "aud"):
        claims = dict(good)
        del claims[missing]
        _assert_problem(_me(client, jwt.encode(claims, secret, "HS256")), 401)


def test_dev_token_and_flask_token_mint_tokens_that_pass(issuer_app_config, client, app):
    """The dev sign-in and `flask token` mint tokens that pass every check, iss/aud too."""
    from graph.users import create_user

    maya = create_user(app.extensions["beatgraph.graph"], username="maya", display_name="M")
    dev = client.post("/api/v1/dev/token", json={"username": "maya"}).get_json()["token"]
    assert _me(client, dev).status_code == 200
    printed = app.test_cli_runner().invoke(args=["token", maya["id"]])
    assert printed.exit_code == 0, printed.output
    assert _me(client, printed.output.strip()).status_code == 200
    refused = app.test_cli_runner().invoke(args=["token", maya["id"], "--ttl", "86401"])
    assert refused.exit_code != 0 and "BEATGRAPH_TOKEN_MAX_LIFETIME" in refused.output
