"""Bearer JWT authentication: HS256 only, `exp` required, `sub` is the user id.

A token whose `scope` contains `service` is the BeatPass back end. Handlers call
`current_user_id()` or `require_service()`; the token is parsed once per request.
"""

import time
from dataclasses import dataclass

import jwt
from flask import current_app, g, request

from graph.errors import Forbidden, Unauthorized

ALGORITHM = "HS256"
SERVICE_SCOPE = "service"


@dataclass(frozen=True)
class Caller:
    """Who sent the request, as the token says."""

    user_id: str
    is_service: bool


def issue_token(secret: str, subject: str, ttl_seconds: int, service: bool = False) -> str:
    """Mint a signed token for a user (or, with `service`, for the BeatPass back end)."""
    now = int(time.time())
    claims: dict[str, object] = {"sub": subject, "iat": now, "exp": now + ttl_seconds}
    if service:
        claims["scope"] = SERVICE_SCOPE
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode_token(secret: str, token: str) -> Caller:
    """Verify a token's signature, algorithm and expiry; raise Unauthorized otherwise."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]}
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("the token has expired") from exc
    except jwt.InvalidTokenError as exc:
        raise Unauthorized(f"the token is not valid ({exc})") from exc
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject:
        raise Unauthorized("the token's subject is not a user id")
    scopes = str(claims.get("scope", "")).split()
    return Caller(user_id=subject, is_service=SERVICE_SCOPE in scopes)


def token_from_request() -> str | None:
    """The Bearer token of the current request, if any (raises on a malformed header)."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("the Authorization header must be 'Bearer <token>'")
    return token.strip()


def current_caller() -> Caller:
    """The authenticated caller of this request; 401 without a valid token."""
    if "caller" not in g:
        token = token_from_request()
        if token is None:
            raise Unauthorized("this endpoint needs a Bearer token")
        g.caller = decode_token(current_app.config["BEATGRAPH_JWT_SECRET"], token)
    return g.caller


def current_user_id() -> str:
    """The signed-in user's id; 401 without a valid token."""
    return current_caller().user_id


def require_service() -> Caller:
    """The caller, who must hold the service scope; 401 without a token, 403 without scope."""
    caller = current_caller()
    if not caller.is_service:
        raise Forbidden("only the BeatPass service may do this")
    return caller


SESSION_COOKIE = "bp_session"


def optional_caller() -> Caller | None:
    """The caller if a valid token comes as a Bearer header or the `bp_session` cookie."""
    try:
        token = token_from_request() or request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        return decode_token(current_app.config["BEATGRAPH_JWT_SECRET"], token)
    except Unauthorized:
        return None
