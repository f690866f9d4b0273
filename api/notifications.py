"""The bell and its settings: `/api/v1/me/notifications…`, and playlist invites sent by
the BeatPass back end (`/api/v1/notifications/playlist-invites`)."""

from flask_openapi3 import APIBlueprint, Tag

from api.auth import current_user_id, require_service
from api.context import get_graph, get_work
from api.openapi import problems, signed_in
from api.pagination import PageQuery, decode_time_cursor, encode_cursor
from api.replies import Reply
from api.schemas.notifications import (
    MarkReadBody,
    MarkReadResult,
    NotificationPage,
    PlaylistInviteBody,
    PlaylistInviteResult,
    PreferenceChanges,
    Preferences,
)
from graph import notifications

bp = APIBlueprint(
    "notifications",
    __name__,
    url_prefix="/api/v1/me",
    abp_tags=[Tag(name="notifications", description="the bell and notification preferences")],
    abp_security=[{"bearer": []}],
    abp_responses=signed_in(),
)
invites_bp = APIBlueprint(
    "playlist_invites",
    __name__,
    url_prefix="/api/v1/notifications",
    abp_tags=[Tag(name="notifications")],
    abp_security=[{"bearer": []}],
    abp_responses=signed_in(),
)


@bp.get("/notifications", responses={200: NotificationPage, **problems(404)})
def list_notifications(query: PageQuery) -> Reply:
    """The bell: newest first, with the unread count."""
    unread, (items, next_keys) = notifications.list_notifications(
        get_graph(), current_user_id(), query.limit, decode_time_cursor(query.cursor)
    )
    return {
        "unread_count": unread,
        "items": items,
        "next_cursor": encode_cursor(next_keys) if next_keys else None,
    }


@bp.post("/notifications/read", responses={200: MarkReadResult, **problems(404, 413)})
def mark_read(body: MarkReadBody) -> Reply:
    """Mark notifications read by `ids`, or all of them with `{"all": true}`."""
    return notifications.mark_notifications_read(get_graph(), current_user_id(), body.ids)


@bp.get("/notification-preferences", responses={200: Preferences, **problems(404)})
def get_preferences() -> Reply:
    """Each type's in-app, email and push switches (all on until you change them)."""
    return notifications.get_preferences(get_graph(), current_user_id())


@bp.put("/notification-preferences", responses={200: Preferences, **problems(404, 413)})
def update_preferences(body: PreferenceChanges) -> Reply:
    """Switch channels per type; types and channels you leave out keep their setting."""
    return notifications.update_preferences(get_graph(), current_user_id(), body.changes())


@invites_bp.post(
    "/playlist-invites", responses={201: PlaylistInviteResult, **problems(403, 404, 413)}
)
def send_playlist_invite(body: PlaylistInviteBody) -> Reply:
    """Invite a user to a playlist (service only); 403 if the two block each other."""
    require_service()
    notification = notifications.send_playlist_invite(
        get_graph(),
        get_work(),
        to_user_id=body.to_user_id,
        from_user_id=body.from_user_id,
        playlist_id=body.playlist_id,
        playlist_name=body.playlist_name,
    )
    return {"notification": notification}, 201
