"""Development sign-in: `POST /api/v1/dev/token`, only when BEATGRAPH_DEV_AUTH is on."""

from flask import current_app
from flask_openapi3 import APIBlueprint, Tag

from api.context import get_graph
from api.openapi import problems
from api.replies import Reply
from api.schemas.dev import DevToken, DevTokenBody
from graph.errors import NotFound
from graph.users import find_user_id

bp = APIBlueprint(
    "dev", __name__, url_prefix="/api/v1/dev", abp_tags=[Tag(name="dev", description="local only")]
)


@bp.post("/token", responses={200: DevToken, **problems(400, 404, 413, 429, 503)})
def mint_dev_token(body: DevTokenBody) -> Reply:
    """Mint a user token without a password (404 unless BEATGRAPH_DEV_AUTH=1)."""
    if not current_app.config["BEATGRAPH_DEV_AUTH"]:
        raise NotFound("no such endpoint")
    user_id = find_user_id(get_graph(), user_id=body.user_id, username=body.username)
    if user_id is None:
        raise NotFound("no such user", field="username" if body.username else "user_id")
    ttl = current_app.config["BEATGRAPH_TOKEN_TTL_SECONDS"]
    token = current_app.extensions["beatgraph.tokens"].issue(user_id, ttl)
    return {"token": token, "user_id": user_id, "expires_in": ttl}
