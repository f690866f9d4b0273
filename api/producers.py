"""Producer pages: `/api/v1/producers` (creation, linking and uploads are service-only)."""

from flask_openapi3 import APIBlueprint, Tag

from api.auth import current_user_id, require_service
from api.context import get_graph
from api.labels import with_follow_label
from api.openapi import problems, signed_in
from api.pagination import PageQuery, decode_time_cursor, page
from api.replies import Reply
from api.schemas.social import (
    Beat,
    CreateProducerBody,
    LikeState,
    Producer,
    ProducerPath,
    UpdateProducerBody,
    UploadBody,
    UserPage,
)
from graph import producers

bp = APIBlueprint(
    "producers",
    __name__,
    url_prefix="/api/v1/producers",
    abp_tags=[Tag(name="producers", description="artist pages and producer follows")],
    abp_security=[{"bearer": []}],
    abp_responses=signed_in(),
)


@bp.post("", responses={201: Producer, **problems(403, 404, 409, 413)})
def create_producer(body: CreateProducerBody) -> Reply:
    """Create a producer page, optionally linked to a user account (service only)."""
    require_service()
    created = producers.create_producer(
        get_graph(), slug=body.slug, name=body.name, user_id=body.user_id, producer_id=body.id
    )
    return created, 201


@bp.patch("/<producer_id>", responses={200: Producer, **problems(403, 404, 413)})
def update_producer(path: ProducerPath, body: UpdateProducerBody) -> Reply:
    """Rename, link (`user_id`) or unlink (`user_id: null`) a producer page (service only)."""
    require_service()
    return producers.update_producer(
        get_graph(),
        path.producer_id,
        name=body.name,
        set_owner="user_id" in body.model_fields_set,
        user_id=body.user_id,
    )


@bp.get("/<producer_id>", responses={200: Producer, **problems(404)})
def get_producer(path: ProducerPath) -> Reply:
    """A producer page: follower count, Follow/Following, and the Message button's user."""
    return with_follow_label(
        producers.get_producer(get_graph(), path.producer_id, current_user_id())
    )


@bp.put("/<producer_id>/like", responses={200: LikeState, **problems(403, 404)})
def like(path: ProducerPath) -> Reply:
    """Follow a producer with the heart (idempotent); 403 across a block with its owner."""
    return with_follow_label(
        producers.like_producer(get_graph(), current_user_id(), path.producer_id)
    )


@bp.delete("/<producer_id>/like", responses={200: LikeState, **problems(404)})
def unlike(path: ProducerPath) -> Reply:
    """Stop following a producer (idempotent)."""
    return with_follow_label(
        producers.unlike_producer(get_graph(), current_user_id(), path.producer_id)
    )


@bp.get("/<producer_id>/followers", responses={200: UserPage, **problems(404)})
def followers(path: ProducerPath, query: PageQuery) -> Reply:
    """The producer page's Followers tab, newest first."""
    after = decode_time_cursor(query.cursor)
    items, next_keys = producers.list_producer_followers(
        get_graph(), path.producer_id, current_user_id(), query.limit, after
    )
    return page(items, next_keys)


@bp.post("/<producer_id>/uploads", responses={201: Beat, **problems(403, 404, 409, 413)})
def upload(path: ProducerPath, body: UploadBody) -> Reply:
    """Record a new beat by this producer (service only)."""
    require_service()
    return producers.record_upload(get_graph(), path.producer_id, body.title, body.id), 201
