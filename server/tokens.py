"""Signed tokens (HS256 JWT), shared by the REST API and the WebSocket channel, which must
not import each other.

A token is accepted only with an integer-valued `exp` and `iat`, a lifetime (`exp - iat`)
within the configured cap, a non-empty `sub`, and the configured `iss`/`aud` when set.
Whether `sub` names an existing user is `server.subjects`' question, not the signature's.
"""

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from cachetools import LRUCache

from graph.errors import Unauthorized

ALGORITHM = "HS256"
SERVICE_SCOPE = "service"
DEFAULT_MAX_LIFETIME = 24 * 3600
# Where the app factory puts the process's `VerifiedTokens`.
VERIFIED_TOKENS = "beatgraph.verified_tokens"


@dataclass(frozen=True)
class Caller:
    """Who sent the request, as the token says."""

    user_id: str
    is_service: bool
    expires_at: int  # the token's `exp`: a Unix time in seconds


def issue_token(
    secret: str,
    subject: str,
    ttl_seconds: int,
    service: bool = False,
    *,
    issuer: str | None = None,
    audience: str | None = None,
) -> str:
    """Mint a signed token for a user (or, with `service`, for the BeatPass back end)."""
    now = int(time.time())
    claims: dict[str, object] = {"sub": subject, "iat": now, "exp": now + ttl_seconds}
    if service:
        claims["scope"] = SERVICE_SCOPE
    if issuer:
        claims["iss"] = issuer
    if audience:
        claims["aud"] = audience
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def decode_token(
    secret: str,
    token: str,
    *,
    max_lifetime: int = DEFAULT_MAX_LIFETIME,
    issuer: str | None = None,
    audience: str | None = None,
) -> Caller:
    """Verify signature, algorithm, expiry, lifetime and iss/aud; Unauthorized otherwise."""
    required = ["exp", "iat", "sub"] + (["iss"] if issuer else []) + (["aud"] if audience else [])
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=issuer,
            audience=audience,
            options={"require": required},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("the token has expired") from exc
    except jwt.InvalidTokenError as exc:
        raise Unauthorized(f"the token is not valid ({exc})") from exc
    # PyJWT takes "1999999999" as a date; a NumericDate is a JSON number (RFC 7519).
    if not (_is_number(claims["exp"]) and _is_number(claims["iat"])):
        raise Unauthorized("the token's exp and iat must be numbers")
    if claims["exp"] - claims["iat"] > max_lifetime:
        raise Unauthorized(f"the token's lifetime exceeds {max_lifetime} s")
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject:
        raise Unauthorized("the token's subject is not a user id")
    scopes = str(claims.get("scope", "")).split()
    return Caller(
        user_id=subject, is_service=SERVICE_SCOPE in scopes, expires_at=int(claims["exp"])
    )


@dataclass(frozen=True)
class TokenRules:
    """The configured secret and checks, for minting and verifying alike."""

    secret: str
    max_lifetime: int = DEFAULT_MAX_LIFETIME
    issuer: str | None = None
    audience: str | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "TokenRules":
        """The rules the settings describe."""
        return cls(
            config["BEATGRAPH_JWT_SECRET"],
            config["BEATGRAPH_TOKEN_MAX_LIFETIME"],
            config["BEATGRAPH_JWT_ISSUER"],
            config["BEATGRAPH_JWT_AUDIENCE"],
        )

    def issue(self, subject: str, ttl_seconds: int, service: bool = False) -> str:
        """A token these rules accept; ValueError for a lifetime above the cap."""
        if ttl_seconds > self.max_lifetime:
            raise ValueError(
                f"a lifetime of {ttl_seconds} s exceeds "
                f"BEATGRAPH_TOKEN_MAX_LIFETIME ({self.max_lifetime} s)"
            )
        return issue_token(
            self.secret, subject, ttl_seconds, service, issuer=self.issuer, audience=self.audience
        )

    def decode(self, token: str) -> Caller:
        """The caller a token names, if these rules accept it; Unauthorized otherwise."""
        return decode_token(
            self.secret,
            token,
            max_lifetime=self.max_lifetime,
            issuer=self.issuer,
            audience=self.audience,
        )


class VerifiedTokens:
    """`TokenRules.decode` that remembers the tokens it accepted, each until it expires.

    A client sends the same token with every request of its life; checking its signature
    and claims again each time cost ~40 us of a 1 ms read (docs/benchmarks.md, "Leased
    rate-limit shares"). A refused token is not remembered: it is checked every time.
    Nothing revokes a token before its `exp` today, so remembering one changes no answer.
    """

    def __init__(self, rules: TokenRules, size: int = 10_000) -> None:
        self.rules = rules
        self._accepted: LRUCache[str, Caller] = LRUCache(maxsize=size)
        self._lock = threading.Lock()  # LRUCache is not safe across threads or greenlets

    def decode(self, token: str) -> Caller:
        """The caller a token names, if the rules accept it; Unauthorized otherwise."""
        with self._lock:
            remembered: Caller | None = self._accepted.get(token)
        if remembered is not None and remembered.expires_at > time.time():
            return remembered
        caller = self.rules.decode(token)
        with self._lock:
            self._accepted[token] = caller
        return caller
