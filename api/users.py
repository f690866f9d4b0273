"""Users: accounts, profiles, follows, lists, search, blocks and reports (`/api/v1/users`)."""

from flask_openapi3 import APIBlueprint, Tag

from api.auth import current_user_id, require_service
from api.context import get_graph, get_work, tell_block_changed
from api.labels import with_follow_label
from api.openapi import problems, signed_in
from api.pagination import PageQuery, decode_time_cursor, page
from api.replies import Reply
from api.schemas.social import (
    BlockState,
    FollowState,
    LookupQuery,
    ProducerPage,
    Profile,
    Report,
    ReportBody,
    SearchQuery,
    UserPage,
    UserPath,
    UserSearchResults,
)
from api.schemas.users import CreatedUser, CreateUserBody
from graph import discovery, follows, producers, profiles, safety, users

bp = APIBlueprint(
    "users",
    __name__,
    url_prefix="/api/v1/users",
    abp_tags=[Tag(name="users", description="accounts, profiles, follows")],
    abp_security=[{"bearer": []}],
    abp_responses=signed_in(),
)


@bp.post("", responses={201: CreatedUser, **problems(403, 409, 413)})
def create_user(body: CreateUserBody) -> Reply:
    """Create an account (service only). 409 when the username is taken, ignoring case."""
    require_service()
    user = users.create_user(
        get_graph(),
        user_id=body.id,
        username=body.username,
        display_name=body.display_name,
        avatar_url=str(body.avatar_url) if body.avatar_url else None,
        email=body.email,
    )
    return user, 201


@bp.get("/search", responses={200: UserSearchResults})
def search_users(query: SearchQuery) -> Reply:
    """Prefix search on username and display name, ranked for the viewer."""
    items = discovery.search_users(get_graph(), current_user_id(), query.q, query.limit)
    return {"items": items}


@bp.get("/lookup", responses={200: Profile, **problems(404)})
def lookup_user(query: LookupQuery) -> Reply:
    """A profile by username, ignoring case."""
    return profiles.get_profile(get_graph(), current_user_id(), username=query.username)


@bp.get("/<user_id>", responses={200: Profile, **problems(404)})
def get_user(path: UserPath) -> Reply:
    """A profile with counts and the viewer's relationship (Follow/Unfollow, is_self)."""
    return profiles.get_profile(get_graph(), current_user_id(), user_id=path.user_id)


@bp.put("/<user_id>/follow", responses={200: FollowState, **problems(403, 404)})
def follow(path: UserPath) -> Reply:
    """Follow a user (idempotent). 400 on yourself, 403 across a block."""
    return follows.follow_user(get_graph(), get_work(), current_user_id(), path.user_id)


@bp.delete("/<user_id>/follow", responses={200: FollowState, **problems(404)})
def unfollow(path: UserPath) -> Reply:
    """Unfollow a user (idempotent). 400 on yourself."""
    return follows.unfollow_user(get_graph(), current_user_id(), path.user_id)


@bp.get("/<user_id>/followers", responses={200: UserPage, **problems(404)})
def followers(path: UserPath, query: PageQuery) -> Reply:
    """The user's followers, newest first."""
    after = decode_time_cursor(query.cursor)
    items, next_keys = follows.list_followers(
        get_graph(), path.user_id, current_user_id(), query.limit, after
    )
    return page(items, next_keys)


@bp.get("/<user_id>/following", responses={200: UserPage, **problems(404)})
def following(path: UserPath, query: PageQuery) -> Reply:
    """The users this user follows, newest first."""
    after = decode_time_cursor(query.cursor)
    items, next_keys = follows.list_following(
        get_graph(), path.user_id, current_user_id(), query.limit, after
    )
    return page(items, next_keys)


@bp.get("/<user_id>/liked-producers", responses={200: ProducerPage, **problems(404)})
def liked_producers(path: UserPath, query: PageQuery) -> Reply:
    """The producers this user follows (likes), newest first."""
    after = decode_time_cursor(query.cursor)
    _, (items, next_keys) = producers.list_liked_producers(
        get_graph(), path.user_id, current_user_id(), query.limit, after
    )
    return page([with_follow_label(item) for item in items], next_keys)


@bp.put("/<user_id>/block", responses={200: BlockState, **problems(404)})
def block(path: UserPath) -> Reply:
    """Block a user: follows, likes of each other's claimed pages and the notifications
    between you go; no follows, likes, DMs, typing or new groups between you after.
    400 on yourself."""
    state = safety.block_user(get_graph(), current_user_id(), path.user_id)
    tell_block_changed(current_user_id(), path.user_id)
    return state


@bp.delete("/<user_id>/block", responses={200: BlockState, **problems(404)})
def unblock(path: UserPath) -> Reply:
    """Unblock a user (nothing the block removed is restored). 400 on yourself."""
    state = safety.unblock_user(get_graph(), current_user_id(), path.user_id)
    tell_block_changed(current_user_id(), path.user_id)
    return state


@bp.post("/<user_id>/reports", responses={201: Report, **problems(404, 413)})
def report(path: UserPath, body: ReportBody) -> Reply:
    """Report a user to staff. 400 on yourself."""
    filed = safety.report_user(
        get_graph(), current_user_id(), path.user_id, body.reason, body.details
    )
    return filed, 201
