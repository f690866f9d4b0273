"""Private messaging: `/api/v1/conversations` and suggestions (the badge, `/api/v1/me/unread`,
is in `api.me`)."""

from flask_openapi3 import APIBlueprint

from api.auth import current_user_id
from api.context import get_graph, get_presence, get_work
from api.openapi import MESSAGING, problems, signed_in
from api.pagination import PageQuery, decode_time_cursor, page
from api.replies import Reply
from api.schemas.messaging import (
    ConversationDetail,
    ConversationPage,
    ConversationPath,
    DeliveredBody,
    Markers,
    MembershipState,
    Message,
    MessagePage,
    MessagesQuery,
    ReadBody,
    SendMessageBody,
    StartConversationBody,
    Suggestions,
    SuggestionsQuery,
)
from graph import conversations, discovery, messages

bp = APIBlueprint(
    "conversations",
    __name__,
    url_prefix="/api/v1",
    abp_tags=[MESSAGING],
    abp_security=[{"bearer": []}],
    abp_responses=signed_in(),
)


@bp.get("/conversations", responses={200: ConversationPage})
def list_conversations(query: PageQuery) -> Reply:
    """Your recent conversations, newest activity first (hidden ones left out)."""
    after = decode_time_cursor(query.cursor)
    items, next_keys = conversations.list_conversations(
        get_graph(), current_user_id(), query.limit, after
    )
    return page(items, next_keys)


@bp.post(
    "/conversations",
    responses={200: ConversationDetail, 201: ConversationDetail, **problems(403, 404, 413)},
)
def start_conversation(body: StartConversationBody) -> Reply:
    """One other user → your DM with them (200 reused, 201 new); more → a new group (201)."""
    detail, created = conversations.start_conversation(
        get_graph(), current_user_id(), body.participant_ids, body.title
    )
    return detail, 201 if created else 200


@bp.get("/conversations/<conversation_id>", responses={200: ConversationDetail, **problems(404)})
def get_conversation(path: ConversationPath) -> Reply:
    """A conversation you are in, with each participant's read and delivery markers."""
    return conversations.get_conversation(get_graph(), current_user_id(), path.conversation_id)


@bp.delete("/conversations/<conversation_id>", responses={200: MembershipState, **problems(404)})
def hide_conversation(path: ConversationPath) -> Reply:
    """Remove the conversation from your list only; a new message brings it back."""
    return conversations.hide_conversation(
        get_graph(), get_work(), current_user_id(), path.conversation_id
    )


@bp.get("/conversations/<conversation_id>/messages", responses={200: MessagePage, **problems(404)})
def list_messages(path: ConversationPath, query: MessagesQuery) -> Reply:
    """Messages newest first, before `before_seq`; your own carry sent/delivered/seen."""
    items, next_before = messages.list_messages(
        get_graph(), current_user_id(), path.conversation_id, query.limit, query.before_seq
    )
    return {"items": items, "next_before_seq": next_before}


@bp.post(
    "/conversations/<conversation_id>/messages",
    responses={200: Message, 201: Message, **problems(403, 404, 409, 413)},
)
def send_message(path: ConversationPath, body: SendMessageBody) -> Reply:
    """Send a message (201); a retry with the same client_id returns it again (200)."""
    message, created = messages.send_message(
        get_graph(),
        get_work(),
        current_user_id(),
        path.conversation_id,
        body.client_id,
        body.body,
        online=get_presence(),
    )
    return message, 201 if created else 200


@bp.post("/conversations/<conversation_id>/read", responses={200: Markers, **problems(404, 413)})
def mark_read(path: ConversationPath, body: ReadBody) -> Reply:
    """Move your read marker forward (to the latest by default); clears marked-unread."""
    return messages.mark_read(
        get_graph(), get_work(), current_user_id(), path.conversation_id, body.up_to_seq
    )


@bp.post(
    "/conversations/<conversation_id>/unread", responses={200: MembershipState, **problems(404)}
)
def mark_unread(path: ConversationPath) -> Reply:
    """Mark the conversation unread until you read it again."""
    return conversations.mark_conversation_unread(
        get_graph(), get_work(), current_user_id(), path.conversation_id
    )


@bp.post(
    "/conversations/<conversation_id>/delivered", responses={200: Markers, **problems(404, 413)}
)
def mark_delivered(path: ConversationPath, body: DeliveredBody) -> Reply:
    """Delivery receipt: your client has the messages up to `up_to_seq`."""
    return messages.mark_delivered(
        get_graph(), get_work(), current_user_id(), path.conversation_id, body.up_to_seq
    )


@bp.get("/messaging/suggestions", responses={200: Suggestions})
def suggestions(query: SuggestionsQuery) -> Reply:
    """Blank: people you follow, then recent chat partners; 2+ characters: ranked search."""
    viewer = current_user_id()
    if query.q:
        return {"items": discovery.search_users(get_graph(), viewer, query.q, query.limit)}
    return {"items": conversations.list_suggestions(get_graph(), viewer, query.limit)}
