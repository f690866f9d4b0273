"""Everything under `/api/v1/me`: the signed-in user's profile, library artists,
recommendations, the bell and its preferences, and the message badge."""

from flask_openapi3 import APIBlueprint, Tag

from api.auth import current_user_id
from api.context import get_graph
from api.labels import FOLLOW_LABELS, liked_artists_label, with_follow_label
from api.links import with_link
from api.openapi import MESSAGING, NOTIFICATIONS, problems, signed_in
from api.pagination import PageQuery, decode_time_cursor, page
from api.replies import Reply
from api.schemas.messaging import Badge
from api.schemas.notifications import (
    MarkReadBody,
    MarkReadResult,
    NotificationPage,
    PreferenceChanges,
    Preferences,
)
from api.schemas.social import (
    LikedArtists,
    LimitQuery,
    Me,
    ProducerRecommendations,
    UserRecommendations,
)
from graph import conversations, discovery, notifications, producers, profiles

bp = APIBlueprint(
    "me",
    __name__,
    url_prefix="/api/v1/me",
    abp_tags=[Tag(name="me", description="the signed-in user")],
    abp_security=[{"bearer": []}],
    abp_responses=signed_in(),
)


@bp.get("", responses={200: Me, **problems(404)})
def me() -> Reply:
    """Your profile with unread conversations, messages and notifications."""
    return profiles.get_me(get_graph(), current_user_id())


@bp.get("/artists", responses={200: LikedArtists, **problems(404)})
def artists(query: PageQuery) -> Reply:
    """Library → Your artists: the liked producers with a count ("3 liked artists")."""
    viewer = current_user_id()
    after = decode_time_cursor(query.cursor)
    count, (items, next_keys) = producers.list_liked_producers(
        get_graph(), viewer, viewer, query.limit, after
    )
    liked = [with_follow_label(item) for item in items]
    return {"count": count, "label": liked_artists_label(count), **page(liked, next_keys)}


@bp.get("/recommendations/users", responses={200: UserRecommendations})
def recommended_users(query: LimitQuery) -> Reply:
    """Who to follow: friends of friends ranked by mutual follows."""
    return {"items": discovery.recommend_users(get_graph(), current_user_id(), query.limit)}


@bp.get("/recommendations/producers", responses={200: ProducerRecommendations})
def recommended_producers(query: LimitQuery) -> Reply:
    """Producers liked by the people you follow."""
    items = discovery.recommend_producers(get_graph(), current_user_id(), query.limit)
    # never liked: a recommendation is a producer the viewer does not follow yet
    return {"items": [{**item, "follow_label": FOLLOW_LABELS[False]} for item in items]}


# -- the bell and its settings ----------------------------------------------------------


@bp.get("/notifications", tags=[NOTIFICATIONS], responses={200: NotificationPage, **problems(404)})
def list_notifications(query: PageQuery) -> Reply:
    """The bell: newest first, with the unread count."""
    unread, (items, next_keys) = notifications.list_notifications(
        get_graph(), current_user_id(), query.limit, decode_time_cursor(query.cursor)
    )
    return {"unread_count": unread, **page([with_link(item) for item in items], next_keys)}


@bp.post(
    "/notifications/read",
    tags=[NOTIFICATIONS],
    responses={200: MarkReadResult, **problems(404, 413)},
)
def mark_read(body: MarkReadBody) -> Reply:
    """Mark notifications read by `ids`, or all of them with `{"all": true}`."""
    return notifications.mark_notifications_read(get_graph(), current_user_id(), body.ids)


@bp.get(
    "/notification-preferences", tags=[NOTIFICATIONS], responses={200: Preferences, **problems(404)}
)
def get_preferences() -> Reply:
    """Each type's in-app, email and push switches (all on until you change them)."""
    return notifications.get_preferences(get_graph(), current_user_id())


@bp.put(
    "/notification-preferences",
    tags=[NOTIFICATIONS],
    responses={200: Preferences, **problems(404, 413)},
)
def update_preferences(body: PreferenceChanges) -> Reply:
    """Switch channels per type; types and channels you leave out keep their setting."""
    return notifications.update_preferences(get_graph(), current_user_id(), body.changes())


# -- the message icon --------------------------------------------------------------------


@bp.get("/unread", tags=[MESSAGING], responses={200: Badge})
def unread_badge() -> Reply:
    """The message icon's badge."""
    return conversations.get_unread_badge(get_graph(), current_user_id())
