"""Bearer JWT authentication (rules in `server.tokens`), before any input validation.

A token whose `scope` contains `service` is the BeatPass back end; any other token must
name an existing user. Every route the OpenAPI document marks as bearer-secured is
authenticated in a before-request hook, so a caller without a valid token gets 401 whatever
body or query it sent (flask-openapi3 validates inside the view, after the hook). Handlers
then call `current_user_id()` or `require_service()`; the token is parsed once per request.
"""

from flask import current_app, g, request
from flask_openapi3 import OpenAPI
from flask_openapi3.utils import parse_rule

from graph.errors import Forbidden, Unauthorized
from server.subjects import KnownUsers
from server.tokens import VERIFIED_TOKENS, Caller, VerifiedTokens

SESSION_COOKIE = "bp_session"
BEARER_ENDPOINTS = "beatgraph.bearer_endpoints"


def token_from_request() -> str | None:
    """The Bearer token of the current request, if any (raises on a malformed header)."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("the Authorization header must be 'Bearer <token>'")
    return token.strip()


def _require_user(user_id: str) -> None:
    known: KnownUsers = current_app.extensions["beatgraph.known_users"]
    if not known.exists(user_id):
        raise Unauthorized("the token's user does not exist")


def _verify(token: str) -> Caller:
    tokens: VerifiedTokens = current_app.extensions[VERIFIED_TOKENS]
    caller = tokens.decode(token)
    if not caller.is_service:
        _require_user(caller.user_id)
    return caller


def current_caller() -> Caller:
    """The authenticated caller: the service, or an existing user; 401 otherwise."""
    if "caller" not in g:
        token = token_from_request()
        if token is None:
            raise Unauthorized("this endpoint needs a Bearer token")
        g.caller = _verify(token)
    caller: Caller = g.caller
    return caller


def current_user_id() -> str:
    """The signed-in user's id (an existing user, even under a service token); 401 otherwise."""
    caller = current_caller()
    if caller.is_service:
        _require_user(caller.user_id)
    return caller.user_id


def require_service() -> Caller:
    """The caller, who must hold the service scope; 401 without a token, 403 without scope."""
    caller = current_caller()
    if not caller.is_service:
        raise Forbidden("only the BeatPass service may do this")
    return caller


def optional_caller() -> Caller | None:
    """The caller if a valid token comes as a Bearer header or the `bp_session` cookie."""
    try:
        token = token_from_request() or request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        return _verify(token)
    except Unauthorized:
        return None


def bearer_endpoints(app: OpenAPI) -> frozenset[str]:
    """The endpoints whose operation requires bearer security in the OpenAPI document:
    every alternative it lists names bearer (the deep link also takes a cookie, or nothing)."""
    secured = set()
    for rule in app.url_map.iter_rules():
        path_item = app.paths.get(parse_rule(rule.rule))
        for method in rule.methods or ():
            operation = getattr(path_item, method.lower(), None) if path_item else None
            security = operation.security if operation is not None else None
            if security and all("bearer" in alternative for alternative in security):
                secured.add(rule.endpoint)
    return frozenset(secured)


def authenticate_bearer_routes() -> None:
    """Before-request hook: a bearer-secured route needs a valid token before anything else."""
    if request.method != "OPTIONS" and request.endpoint in current_app.extensions.get(
        BEARER_ENDPOINTS, ()
    ):
        current_caller()
