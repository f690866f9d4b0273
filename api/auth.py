"""Bearer JWT authentication: HS256 only, `exp` required, `sub` is the user id.

A token whose `scope` contains `service` is the BeatPass back end. Handlers call
`current_user_id()` or `require_service()`; the token is parsed once per request.
"""

from flask import current_app, g, request

from graph.errors import Forbidden, Unauthorized
from server.tokens import Caller, decode_token


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
