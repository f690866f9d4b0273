"""Schemas for conversations, messages, receipts, the badge and suggestions."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from api.schemas.query import QueryModel
from api.schemas.social import UserListItem
from api.schemas.users import UserSummary
from graph.fields import INT64_MAX, Id, Seq, Text

MAX_BODY = 4000


class ConversationPath(BaseModel):
    conversation_id: Id


class StartConversationBody(BaseModel):
    """One other user opens (or reuses) your DM with them; two or more start a group.
    Yourself and repeats are ignored; 400 if no one else is left, if more than 49 others
    remain, or if a direct conversation is given a title."""

    participant_ids: list[Id] = Field(..., min_length=1, max_length=100)
    title: Annotated[str, Text(100)] | None = None


class Participant(UserSummary):
    following: bool
    read_seq: int | None = None
    delivered_seq: int | None = None


class LastMessage(BaseModel):
    id: str
    seq: int
    body: str
    created_at: str
    sender_id: str


class Conversation(BaseModel):
    id: str
    kind: Literal["direct", "group"]
    title: str | None
    participants: list[Participant]
    unread_count: int
    marked_unread: bool
    updated_at: str
    last_message: LastMessage | None = None


class ConversationDetail(Conversation):
    created_at: str
    last_seq: int
    hidden: bool


class ConversationPage(BaseModel):
    items: list[Conversation]
    next_cursor: str | None


class SendMessageBody(BaseModel):
    client_id: str = Field(
        ...,
        pattern=r"^[A-Za-z0-9_.:-]{1,64}$",
        description="the client's id for this message; a retry reuses it",
    )
    body: Annotated[str, Text(MAX_BODY, multiline=True)]


class Message(BaseModel):
    id: str
    conversation_id: str
    seq: int
    sender: UserSummary
    body: str
    created_at: str
    client_id: str
    status: Literal["sent", "delivered", "seen"] | None
    seen_by: list[str] | None


class MessagesQuery(QueryModel):
    before_seq: int | None = Field(
        None, ge=1, le=INT64_MAX, description="messages strictly before this seq"
    )
    limit: int = Field(20, ge=1, le=100)


class MessagePage(BaseModel):
    items: list[Message]
    next_before_seq: int | None


class ReadBody(BaseModel):
    up_to_seq: Seq | None = Field(None, description="default: the latest message")


class DeliveredBody(BaseModel):
    up_to_seq: Seq


class Markers(BaseModel):
    conversation_id: str
    read_seq: int
    delivered_seq: int
    marked_unread: bool
    unread_count: int


class MembershipState(BaseModel):
    conversation_id: str
    unread_count: int
    marked_unread: bool
    hidden: bool


class Badge(BaseModel):
    conversations: int
    messages: int


class SuggestionsQuery(QueryModel):
    q: Annotated[str, Text(64, min_length=2, allow_blank=True)] = ""
    limit: int = Field(20, ge=1, le=100)


class Suggestions(BaseModel):
    items: list[UserListItem]
