"""A token's subject must be an existing user: every user route answers 401 otherwise,
the socket closes with 4401, and authentication comes before input validation."""

import re

import pytest

from server.tokens import issue_token
from tests.sockets import close_code, open_socket

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _bearer_routes(app):
    """Every (method, path) the OpenAPI document marks as needing a Bearer token (every
    alternative names bearer: the deep link, which also takes a cookie or nothing, does not)."""
    document = app.api_doc
    routes = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            security = operation.get("security")
            if security and all("bearer" in rule for rule in security):
                routes.append((method.upper(), re.sub(r"\{[^}]+\}", "x1", path)))
    assert len(routes) >= 30, routes  # the loop below must not be vacuous
    return routes


def _call(client, method, path, headers, body):
    send = {"json": body} if method in WRITE_METHODS else {"query_string": {"q": "x"}}
    return client.open(path, method=method, headers=headers, **send)


def test_a_token_for_no_user_is_401_on_every_bearer_route(app, client):
    """A well-signed token whose `sub` is no user is refused on every route, reads included
    (profiles, lists, search, the badge, /me), and with any body: never 200, 400 or 404."""
    ghost = issue_token(app.config["BEATGRAPH_JWT_SECRET"], "no-such-user", 600)
    headers = {"Authorization": f"Bearer {ghost}"}
    answers = {
        (method, path): _call(client, method, path, headers, {"bad": [1]}).status_code
        for method, path in _bearer_routes(app)
    }
    assert {route: status for route, status in answers.items() if status != 401} == {}


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer not-a-jwt"}], ids=["no token", "bad token"]
)
def test_authentication_comes_before_validation(app, client, headers):
    """Without a valid token any body or query is a 401, not a 400 that reveals the schema."""
    answers = {}
    for method, path in _bearer_routes(app):
        response = _call(client, method, path, headers, {"limit": "many", "body": None})
        answers[(method, path)] = (response.status_code, response.mimetype)
    refused = {
        route: answer
        for route, answer in answers.items()
        if answer != (401, "application/problem+json")
    }
    assert refused == {}


def test_malformed_json_without_a_token_is_401(client):
    """Even a body that is not JSON at all gets 401 first when no token comes with it."""
    response = client.post("/api/v1/conversations", data="{nope", content_type="application/json")
    assert response.status_code == 401


def test_a_user_created_after_a_refused_token_is_accepted_at_once(app, client, api):
    """Only existing users are remembered: a token refused for a missing user works as
    soon as that user exists."""
    headers = api.headers_for("late-comer")
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    api.create_user("latecomer", id="late-comer")
    assert client.get("/api/v1/me", headers=headers).status_code == 200


def test_the_socket_refuses_a_token_for_no_user_with_4401_and_writes_no_presence(app, served):
    """A socket whose token names no user closes with 4401 before it counts as online."""
    ghost = {"id": "no-such-user"}
    with open_socket(app, served, ghost) as ws:
        assert close_code(ws) == 4401
    assert app.extensions["beatgraph.presence"].online([ghost["id"]]) == set()


def test_the_deep_link_treats_a_token_for_no_user_as_signed_out(app, client):
    """`/messages` with a token (header or cookie) naming no user sends to the login page."""
    ghost = issue_token(app.config["BEATGRAPH_JWT_SECRET"], "no-such-user", 600)
    response = client.get("/messages?conversation=c1", headers={"Authorization": f"Bearer {ghost}"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(app.config["BEATGRAPH_LOGIN_URL"])
    client.set_cookie("bp_session", ghost)
    assert client.get("/messages").headers["Location"].startswith(app.config["BEATGRAPH_LOGIN_URL"])
