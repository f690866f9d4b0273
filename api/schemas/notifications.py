"""Schemas for the bell, notification preferences and playlist invites."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from api.schemas.users import UserSummary
from graph.fields import Id, Text


class ChannelSwitches(BaseModel):
    """Whether a type reaches you in the bell, by email and by push."""

    model_config = ConfigDict(extra="forbid")

    in_app: StrictBool = True
    email: StrictBool = True
    push: StrictBool = True


class ChannelChanges(BaseModel):
    """The channels to switch; channels left out keep their setting."""

    model_config = ConfigDict(extra="forbid")

    in_app: StrictBool | None = None
    email: StrictBool | None = None
    push: StrictBool | None = None


class Preferences(BaseModel):
    new_follower: ChannelSwitches
    new_uploads: ChannelSwitches
    direct_messages: ChannelSwitches
    playlist_invites: ChannelSwitches


class PreferenceChanges(BaseModel):
    """Any subset of types and channels; unknown ones are a 400 naming them."""

    model_config = ConfigDict(extra="forbid")

    new_follower: ChannelChanges | None = None
    new_uploads: ChannelChanges | None = None
    direct_messages: ChannelChanges | None = None
    playlist_invites: ChannelChanges | None = None

    def changes(self) -> dict[str, dict[str, bool]]:
        """type → channel → on, for the switches the request names."""
        return {
            preference: {
                channel: on for channel, on in switches.model_dump().items() if on is not None
            }
            for preference, switches in self
            if switches is not None
        }


class ProducerSummary(BaseModel):
    id: str
    slug: str
    name: str


class ConversationSummary(BaseModel):
    id: str
    kind: str
    title: str | None = None


class BeatSummary(BaseModel):
    id: str
    title: str


class Notification(BaseModel):
    id: str
    type: Literal["new_follower", "new_upload", "direct_message", "playlist_invite"]
    created_at: str
    read: bool
    actor: UserSummary | None = None
    producer: ProducerSummary | None = None
    beat: BeatSummary | None = None
    conversation: ConversationSummary | None = None
    message_count: int | None = None
    playlist_id: str | None = None
    playlist_name: str | None = None
    url: str | None = Field(None, description="deep link (messages open the panel)")


class NotificationPage(BaseModel):
    unread_count: int
    items: list[Notification]
    next_cursor: str | None


class MarkReadBody(BaseModel):
    """Either `ids` or `"all": true` (exactly one of them)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "oneOf": [
                {"required": ["ids"], "properties": {"ids": {"type": "array"}}},
                {"required": ["all"], "properties": {"all": {"const": True}}},
            ]
        },
    )

    ids: list[Id] | None = Field(None, min_length=1, max_length=100)
    all: Literal[True] | None = None

    @model_validator(mode="after")
    def one_of(self) -> "MarkReadBody":
        if (self.ids is None) == (self.all is None):
            raise ValueError("give either ids or all: true")
        return self


class MarkReadResult(BaseModel):
    marked: int
    unread_count: int


class PlaylistInviteBody(BaseModel):
    to_user_id: Id
    from_user_id: Id
    playlist_id: Id
    playlist_name: Annotated[str, Text(100)]


class PlaylistInviteResult(BaseModel):
    notification: Notification | None = Field(
        None, description="null when the invitee turned in-app playlist invites off"
    )
