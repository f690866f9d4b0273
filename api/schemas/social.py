"""Schemas for follows, profiles, producers, search, recommendations, blocks and reports."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from api.schemas.query import QueryModel
from api.schemas.users import UserSummary
from graph.fields import Id, Text


class UserPath(BaseModel):
    user_id: Id


class ProducerPath(BaseModel):
    producer_id: Id


class Relationship(BaseModel):
    """How the viewer and a listed user are connected."""

    following: bool
    followed_by: bool


class UserListItem(UserSummary):
    relationship: Relationship


class UserPage(BaseModel):
    items: list[UserListItem]
    next_cursor: str | None


class ProfileRelationship(Relationship):
    blocking: bool
    is_self: bool


class Profile(UserSummary):
    created_at: str
    followers_count: int
    following_count: int
    liked_producers_count: int
    relationship: ProfileRelationship


class Unread(BaseModel):
    conversations: int
    messages: int
    notifications: int


class Me(Profile):
    unread: Unread


class LookupQuery(QueryModel):
    username: str = Field(..., min_length=1, max_length=30)


class FollowState(BaseModel):
    following: bool
    followers_count: int


class SearchQuery(QueryModel):
    q: Annotated[str, Text(64, min_length=2)]
    limit: int = Field(20, ge=1, le=100)


class UserSearchResults(BaseModel):
    items: list[UserListItem]


class LimitQuery(QueryModel):
    limit: int = Field(20, ge=1, le=100)


class UserRecommendation(UserListItem):
    mutuals: int


class UserRecommendations(BaseModel):
    items: list[UserRecommendation]


class CreateProducerBody(BaseModel):
    id: Id | None = None
    slug: str = Field(..., pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    name: Annotated[str, Text(100)]
    user_id: Id | None = Field(None, description="the account to link")


class UpdateProducerBody(BaseModel):
    """Fields to change; `user_id: null` unlinks the account, an id links it."""

    name: Annotated[str, Text(100)] | None = None
    user_id: Id | None = None


class Producer(BaseModel):
    id: str
    slug: str
    name: str
    created_at: str | None = None
    followers_count: int | None = None
    liked: bool | None = None
    follow_label: Literal["Follow", "Following"] | None = None
    message_user_id: str | None = None


class ProducerPage(BaseModel):
    items: list[Producer]
    next_cursor: str | None


class LikedArtists(ProducerPage):
    count: int
    label: str


class LikeState(BaseModel):
    liked: bool
    follow_label: Literal["Follow", "Following"]
    followers_count: int


class ProducerRecommendation(Producer):
    liked_by_following: int


class ProducerRecommendations(BaseModel):
    items: list[ProducerRecommendation]


class UploadBody(BaseModel):
    id: Id | None = None
    title: Annotated[str, Text(200)]


class Beat(BaseModel):
    id: str
    title: str
    created_at: str
    producer_id: str


class BlockState(BaseModel):
    blocking: bool


class ReportBody(BaseModel):
    reason: Literal["spam", "harassment", "impersonation", "inappropriate", "other"]
    details: Annotated[str, Text(2000, allow_blank=True)] | None = None


class Report(BaseModel):
    id: str
    reason: str
    details: str | None
    created_at: str
    reported_user_id: str
