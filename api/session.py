"""The web client's session: the `bp_session` cookie exchanged for a short-lived token.

BeatPass's sign-in sets `bp_session` (a user JWT, HttpOnly) in production; the page's code
cannot read it, so it asks `POST /api/v1/session/token` for a Bearer token that lives at
most `SESSION_TOKEN_TTL_SECONDS` and never past the cookie. Cross-site forgery is refused
by a custom header (a cross-origin page cannot add one without a CORS preflight, which
this app never grants), by `Sec-Fetch-Site`/`Origin` when the browser sends them, and by
the cookie's `SameSite=Lax`. With BEATGRAPH_DEV_AUTH=1 the local sign-in page sets the
cookie from a dev token (`PUT /api/v1/session`) and lists the demo users.
"""

import time
from urllib.parse import urlsplit

from flask import Response, current_app, jsonify, request
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel, Field

from api.auth import SESSION_COOKIE
from api.context import get_graph
from api.openapi import problems
from api.replies import Reply
from graph.errors import Forbidden, NotFound, Unauthorized
from graph.users import find_user_id
from server.demo import DEMO_USERS
from server.subjects import KnownUsers
from server.tokens import VERIFIED_TOKENS, TokenRules, VerifiedTokens

CSRF_HEADER = "X-BeatPass-Session"
SESSION_TOKEN_TTL_SECONDS = 15 * 60

bp = APIBlueprint(
    "session",
    __name__,
    url_prefix="/api/v1/session",
    abp_tags=[Tag(name="session", description="the web client's cookie sign-in")],
    abp_responses=problems(400, 403, 429),
)


class SessionToken(BaseModel):
    """A Bearer token for the API and the socket, and when to ask again."""

    token: str
    user_id: str
    expires_in: int = Field(..., description="seconds until the token expires")


class SetCookieBody(BaseModel):
    token: str = Field(..., min_length=1, max_length=4096, description="a user token")


class SignedIn(BaseModel):
    user_id: str


class DemoUser(BaseModel):
    username: str
    display_name: str


class DemoUsers(BaseModel):
    items: list[DemoUser]


def _require_same_origin() -> None:
    """Refuse a request a cross-site page could have made with the visitor's cookie."""
    if request.headers.get(CSRF_HEADER) != "1":
        raise Forbidden(f"the {CSRF_HEADER}: 1 header is required", field=CSRF_HEADER)
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        raise Forbidden("cross-site requests may not use the session", field="Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if origin and urlsplit(origin).netloc != request.host:
        raise Forbidden("cross-origin requests may not use the session", field="Origin")


def _dev_only() -> None:
    if not current_app.config["BEATGRAPH_DEV_AUTH"]:
        raise NotFound("no such endpoint")


def _rules() -> TokenRules:
    rules: TokenRules = current_app.extensions["beatgraph.tokens"]
    return rules


def _user_from(token: str) -> tuple[str, int]:
    """The user a token signs in, and its expiry; 401 for a service token or no such user."""
    tokens: VerifiedTokens = current_app.extensions[VERIFIED_TOKENS]
    caller = tokens.decode(token)
    known: KnownUsers = current_app.extensions["beatgraph.known_users"]
    if caller.is_service or not known.exists(caller.user_id):
        raise Unauthorized("the session is not a user's")
    return caller.user_id, caller.expires_at


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/token", responses={200: SessionToken, **problems(401, 503)})
def exchange_session() -> Reply:
    """Trade the `bp_session` cookie for a short-lived Bearer token (401 when signed out)."""
    _require_same_origin()
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise Unauthorized("not signed in")
    user_id, expires = _user_from(cookie)
    ttl = max(1, min(SESSION_TOKEN_TTL_SECONDS, expires - int(time.time())))
    token = _rules().issue(user_id, ttl)
    return _no_store(jsonify(token=token, user_id=user_id, expires_in=ttl))


@bp.put("", responses={200: SignedIn, **problems(401, 404, 413, 503)})
def set_session_cookie(body: SetCookieBody) -> Reply:
    """Local sign-in only: store a user token as the HttpOnly `bp_session` cookie."""
    _dev_only()
    _require_same_origin()
    user_id, expires = _user_from(body.token)
    response = jsonify(user_id=user_id)
    response.set_cookie(
        SESSION_COOKIE,
        body.token,
        expires=expires,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return _no_store(response)


@bp.delete("", responses={204: None})
def sign_out() -> Reply:
    """Clear the `bp_session` cookie on this origin."""
    _require_same_origin()
    response = Response(status=204)
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="Lax", secure=request.is_secure
    )
    return response


@bp.get("/demo-users", responses={200: DemoUsers, **problems(404, 503)})
def demo_users() -> Reply:
    """Local sign-in only: the demo accounts that exist, for the sign-in page to list."""
    _dev_only()
    graph = get_graph()
    items = [
        {"username": username, "display_name": name}
        for user_id, username, name in DEMO_USERS
        if find_user_id(graph, user_id=user_id) is not None
    ]
    return {"items": items}
