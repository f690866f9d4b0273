"""The web client's sign-in: the `bp_session` cookie, its exchange for short-lived tokens,
the local sign-in page, the page itself being served, and the deep link."""

import re
import time

import jwt
import pytest
from playwright.sync_api import expect

from server.tokens import issue_token
from tests.browser import People

CSRF = {"X-BeatPass-Session": "1"}


@pytest.fixture
def dev_auth(app_config):
    """The app with BEATGRAPH_DEV_AUTH=1 (the local sign-in page's endpoints on)."""
    app_config["BEATGRAPH_DEV_AUTH"] = True
    return app_config


def cookie(app, user_id, ttl=600, service=False):
    return issue_token(app.config["BEATGRAPH_JWT_SECRET"], user_id, ttl, service=service)


def test_cookie_is_exchanged_for_a_short_lived_token(app, client, api, people):
    """The bp_session cookie alone buys a Bearer token (≤ 15 min) that works on the API."""
    maya = people[0]
    client.set_cookie("bp_session", cookie(app, maya["id"], ttl=3600))
    response = client.post("/api/v1/session/token", headers=CSRF)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["user_id"] == maya["id"] and 0 < body["expires_in"] <= 900
    me = client.get("/api/v1/me", headers={"Authorization": "Bearer " + body["token"]})
    assert me.status_code == 200 and me.get_json()["username"] == "maya"


def test_token_never_outlives_the_cookie(app, client, people):
    """A cookie that expires in a minute gives a token that expires with it."""
    client.set_cookie("bp_session", cookie(app, people[0]["id"], ttl=60))
    body = client.post("/api/v1/session/token", headers=CSRF).get_json()
    claims = jwt.decode(body["token"], options={"verify_signature": False})
    assert body["expires_in"] <= 60 and claims["exp"] <= time.time() + 61


@pytest.mark.parametrize(
    "headers, field",
    [
        ({}, "X-BeatPass-Session"),
        ({**CSRF, "Sec-Fetch-Site": "cross-site"}, "Sec-Fetch-Site"),
        ({**CSRF, "Origin": "https://evil.example"}, "Origin"),
    ],
)
def test_exchange_refuses_what_another_site_could_send(app, client, people, headers, field):
    """Without the custom header, or from another site, the cookie buys nothing (403)."""
    client.set_cookie("bp_session", cookie(app, people[0]["id"]))
    response = client.post("/api/v1/session/token", headers=headers)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"][0]["field"] == field


@pytest.mark.parametrize("value", ["none", "expired", "service", "no-such-user", "garbage"])
def test_exchange_without_a_user_session_is_401(app, client, people, value):
    """Signed out, expired, a service token, a deleted user or junk: 401, so the page signs in."""
    tokens = {
        "expired": cookie(app, people[0]["id"], ttl=-10),
        "service": cookie(app, "beatpass", service=True),
        "no-such-user": cookie(app, "u-nobody"),
        "garbage": "not-a-jwt",
    }
    if value in tokens:
        client.set_cookie("bp_session", tokens[value])
    response = client.post("/api/v1/session/token", headers=CSRF)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_local_sign_in_is_off_without_dev_auth(app, client, people):
    """Setting the cookie from a token and listing demo users 404 unless BEATGRAPH_DEV_AUTH=1."""
    token = cookie(app, people[0]["id"])
    assert client.put("/api/v1/session", json={"token": token}, headers=CSRF).status_code == 404
    assert client.get("/api/v1/session/demo-users").status_code == 404


def test_local_sign_in_sets_an_http_only_cookie(dev_auth, app, client, people):
    """With dev auth, PUT /session stores the token as an HttpOnly, SameSite=Lax cookie."""
    token = cookie(app, people[0]["id"])
    response = client.put("/api/v1/session", json={"token": token}, headers=CSRF)
    assert response.status_code == 200
    set_cookie = response.headers["Set-Cookie"]
    assert set_cookie.startswith(f"bp_session={token};")
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
    assert client.post("/api/v1/session/token", headers=CSRF).status_code == 200
    signed_out = client.delete("/api/v1/session", headers=CSRF)
    assert signed_out.status_code == 204
    assert client.post("/api/v1/session/token", headers=CSRF).status_code == 401


def test_demo_users_lists_the_demo_accounts_that_exist(dev_auth, app, client, api):
    """The sign-in page lists the demo accounts present in the graph, and only those."""
    api.create_user("maya", "Maya Beats", id="u-maya")
    api.create_user("zed", "Zed")
    items = client.get("/api/v1/session/demo-users").get_json()["items"]
    assert items == [{"username": "maya", "display_name": "Maya Beats"}]


@pytest.mark.parametrize(
    "path",
    ["/", "/login", "/users/u-1", "/producers/p-1", "/library/artists", "/settings/notifications"],
)
def test_every_client_route_serves_the_page(client, app, path):
    """Deep links to client routes load the page, told where sign-in lives."""
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-cache"
    html = response.get_data(as_text=True)
    assert f'content="{app.config["BEATGRAPH_LOGIN_URL"]}"' in html
    assert "%BP_" not in html


def test_built_assets_are_served_and_cached(client):
    """The page's script is served from /assets with a long cache lifetime."""
    html = client.get("/").get_data(as_text=True)
    script = re.search(r'src="(/assets/[^"]+\.js)"', html)
    assert script, "the built page names its script"
    with client.get(script.group(1)) as response:
        assert response.status_code == 200 and "javascript" in response.mimetype
        assert "max-age=31536000" in response.headers["Cache-Control"]
    assert client.get("/assets/missing.js").status_code == 404


def test_unbuilt_client_is_a_clear_503(app_config, tmp_path, app):
    """Without a build the page says how to make one, as a problem document."""
    app.config["BEATGRAPH_WEB_DIST"] = str(tmp_path)
    response = app.test_client().get("/")
    assert response.status_code == 503
    assert "make setup" in response.get_json()["detail"]


def test_the_cookie_alone_signs_in(people_in_browser: People, people):
    """A context holding only bp_session is signed in: the header and its panel work."""
    maya = people_in_browser.sign_in(people[0])
    expect(maya.button("Account")).to_be_visible()
    expect(maya.page.get_by_role("heading", name="Welcome back, Maya")).to_be_visible()
    maya.live()
    expect(maya.open_panel().get_by_role("button", name="New message")).to_be_visible()


def test_expired_cookie_leads_to_sign_in(people_in_browser: People, people):
    """An expired session never shows a broken page: it goes to sign-in, then comes back."""
    maya = people_in_browser.sign_in(people[0], path="/library/artists", ttl=-10)
    expect(maya.page).to_have_url(re.compile(r"/login\?next=%2Flibrary%2Fartists$"))
    expect(maya.page.get_by_role("heading", name="Sign in to BeatPass")).to_be_visible()
    expect(maya.page.get_by_role("note")).to_contain_text("Local development only")


def test_deep_link_signs_in_then_opens_the_conversation(people_in_browser: People, api, people):
    """/messages?conversation=… signed out → sign in → the panel open on that conversation."""
    maya, theo = people[0], people[1]
    dm = api.start(theo, maya)
    api.send(theo, dm, "did you get the stems?")
    context = people_in_browser.new_context()
    page = context.new_page()
    page.goto(f"/messages?conversation={dm['id']}")
    expect(page.get_by_role("heading", name="Sign in to BeatPass")).to_be_visible()
    page.get_by_role("textbox", name="Username").fill("maya")
    page.get_by_role("button", name="Sign in", exact=True).click()
    panel = page.get_by_role("dialog", name="Messages")
    expect(panel.get_by_role("heading", name="Theo")).to_be_visible()
    expect(panel.get_by_role("listitem").filter(has_text="did you get the stems?")).to_be_visible()
    expect(page).to_have_url(people_in_browser.served.base + "/")
