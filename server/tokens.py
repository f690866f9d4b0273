"""Signed tokens (HS256 JWT, `exp` required, `sub` = user id), shared by the REST API and
the WebSocket channel, which must not import each other."""

import time
from dataclasses import dataclass

import jwt

from graph.errors import Unauthorized

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
