"""Playlist invites sent by the BeatPass back end (`/api/v1/notifications/playlist-invites`).
The bell and its settings are the signed-in user's own views, in `api.me`."""

from flask_openapi3 import APIBlueprint

from api.auth import require_service
from api.context import get_graph, get_work
from api.links import with_link
from api.openapi import NOTIFICATIONS, problems, signed_in
from api.replies import Reply
from api.schemas.notifications import PlaylistInviteBody, PlaylistInviteResult
from graph import notifications

invites_bp = APIBlueprint(
    "playlist_invites",
    __name__,
    url_prefix="/api/v1/notifications",
    abp_tags=[NOTIFICATIONS],
    abp_security=[{"bearer": []}],
    abp_responses=signed_in(),
)


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
    return {"notification": with_link(notification) if notification else None}, 201
