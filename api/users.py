"""User accounts: `/api/v1/users`."""

from flask_openapi3 import APIBlueprint, Tag

from api.auth import require_service
from api.context import get_graph
from api.schemas.users import CreatedUser, CreateUserBody
from graph import users

bp = APIBlueprint(
    "users",
    __name__,
    url_prefix="/api/v1",
    abp_tags=[Tag(name="users", description="accounts, profiles, follows")],
    abp_security=[{"bearer": []}],
)


@bp.post("/users", responses={201: CreatedUser})
def create_user(body: CreateUserBody):
    """Create an account (service only). 409 when the username is taken, ignoring case."""
    require_service()
    user = users.create_user(
        get_graph(),
        user_id=body.id,
        username=body.username,
        display_name=body.display_name,
        avatar_url=str(body.avatar_url) if body.avatar_url else None,
    )
    return user, 201
