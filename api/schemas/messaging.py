"""Schemas for conversations, messages, receipts, the badge and suggestions."""

from typing import Literal

from pydantic import BaseModel, Field, field_validator

from api.schemas.social import UserListItem
from api.schemas.users import UserSummary

MAX_BODY = 4000


class ConversationPath(BaseModel):
    conversation_id: str = Field(..., max_length=64)


class StartConversationBody(BaseModel):
    """One other user opens (or reuses) your DM with them; two or more start a group."""

    participant_ids: list[str] = Field(..., min_length=1, max_length=100)
    title: str | None = Field(None, min_length=1, max_length=100)

    @field_validator("participant_ids")
    @classmethod
    def ids_are_short(cls, value: list[str]) -> list[str]:
        if any(not item or len(item) > 64 for item in value):
            raise ValueError("each participant id is 1-64 characters")
        return value


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
    client_id: str = Field(..., pattern=r"^[A-Za-z0-9_.:-]{1,64}$",
                           description="the client's id for this message; a retry reuses it")
    body: str = Field(..., max_length=MAX_BODY * 2)

    @field_validator("body")
    @classmethod
    def body_length_after_trimming(cls, value: str) -> str:
        value = value.strip()
        if not 1 <= len(value) <= MAX_BODY:
            raise ValueError(f"the message must be 1-{MAX_BODY} characters after trimming")
        return value


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


class MessagesQuery(BaseModel):
    before_seq: int | None = Field(None, ge=1, description="messages strictly before this seq")
    limit: int = Field(20, ge=1, le=100)


class MessagePage(BaseModel):
    items: list[Message]
    next_before_seq: int | None


class ReadBody(BaseModel):
    up_to_seq: int | None = Field(None, ge=0, description="default: the latest message")


class DeliveredBody(BaseModel):
    up_to_seq: int = Field(..., ge=0)


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


class SuggestionsQuery(BaseModel):
    q: str = Field("", max_length=64, description="blank, or at least 2 characters")
    limit: int = Field(20, ge=1, le=100)

    @field_validator("q")
    @classmethod
    def blank_or_two_characters(cls, value: str) -> str:
        value = value.strip()
        if len(value) == 1:
            raise ValueError("search needs at least 2 characters (or none)")
        return value


class Suggestions(BaseModel):
    items: list[UserListItem]
