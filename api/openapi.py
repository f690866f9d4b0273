"""What /openapi.json says beyond the request and response models: each operation's error
responses (one Problem document each, as application/problem+json), and the parts of the
API that are not flask-openapi3 routes (the WebSocket)."""

from typing import Any

from flask_openapi3 import OpenAPI, SecurityScheme, Tag
from flask_openapi3.models import PathItem
from pydantic import BaseModel

PROBLEM_REF = "#/components/schemas/Problem"

# Tags shared by routes of more than one blueprint (the /me routes are in api.me).
MESSAGING = Tag(name="messaging", description="direct and group conversations")
NOTIFICATIONS = Tag(name="notifications", description="the bell and notification preferences")
Responses = dict[str | int, type[BaseModel] | dict[str, Any] | None]
_WHY = {
    400: "Bad input; `errors` names each field at fault",
    401: "No valid Bearer token",
    403: "Not allowed: a block stands between you, or the route is the service's",
    404: "No such thing, or not one you may see",
    409: "Clashes with existing data (a taken username, slug, id or client_id)",
    413: "The body is over the size limit (64 KB)",
    429: "Over the rate limit",
    503: "Neo4j does not answer",
}
_RETRY_AFTER = {
    "Retry-After": {"description": "seconds to wait before retrying", "schema": {"type": "integer"}}
}

SECURITY_SCHEMES: dict[str, SecurityScheme | dict[str, Any]] = {
    "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": "bp_session",
        "description": "the web player's session cookie (the same JWT)",
    },
}


def problems(*statuses: int) -> Responses:
    """Error responses for `statuses`, each one Problem as application/problem+json."""
    return {
        status: {
            "description": _WHY[status],
            "content": {"application/problem+json": {"schema": {"$ref": PROBLEM_REF}}},
            **({"headers": dict(_RETRY_AFTER)} if status in (429, 503) else {}),
        }
        for status in statuses
    }


def signed_in() -> Responses:
    """What every route behind a Bearer token can answer."""
    return problems(400, 401, 429, 503)


def document_websocket(app: OpenAPI, path: str, close_codes: dict[int, str]) -> None:
    """Add the WebSocket endpoint (a flask-sock route, unknown to flask-openapi3)."""
    closes = "\n".join(f"- **{code}**: {why}" for code, why in sorted(close_codes.items()))
    query = [
        ("token", "a user's Bearer JWT (or send it in an auth frame)"),
        (
            "since",
            "the id of the last event processed: the missed ones are replayed first, "
            "or `resync.required` is sent",
        ),
    ]
    app.paths[path] = PathItem.model_validate(
        {
            "get": {
                "tags": ["realtime"],
                "summary": "The realtime channel (WebSocket)",
                "description": "Upgrade to a WebSocket (RFC 6455); every frame both ways is "
                '`{"type": ..., "data": {...}}` (docs/realtime.md). Without `token`, '
                'the first frame must be `{"type": "auth", "token": ...}`. '
                f"The server closes with:\n{closes}",
                "operationId": "realtime_channel",
                "parameters": [
                    {
                        "name": name,
                        "in": "query",
                        "required": False,
                        "description": why,
                        "schema": {"type": "string"},
                    }
                    for name, why in query
                ],
                "responses": {
                    "101": {"description": "Switching Protocols: the socket is open"},
                    "400": problems(400)[400],
                },  # a plain GET, not a WebSocket handshake
            }
        }
    )
