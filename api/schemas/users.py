"""Schemas for user accounts."""

from typing import Annotated

from pydantic import BaseModel, Field, HttpUrl

from graph.fields import Id, Text

USERNAME_PATTERN = r"^[A-Za-z0-9_.]{3,30}$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class CreateUserBody(BaseModel):
    """A new account, created by the BeatPass service."""

    id: Id | None = Field(None, description="optional id; generated if absent")
    username: str = Field(
        ..., pattern=USERNAME_PATTERN, description="3-30 of a-z 0-9 _ . (any case)"
    )
    display_name: Annotated[str, Text(64)]
    avatar_url: HttpUrl | None = Field(None, description="http(s) URL of the avatar image")
    email: str | None = Field(
        None, pattern=EMAIL_PATTERN, max_length=254, description="where email notifications go"
    )


class UserSummary(BaseModel):
    """How a user is shown in lists."""

    id: str
    username: str
    display_name: str
    avatar_url: str | None = None


class CreatedUser(UserSummary):
    """A user just created."""

    created_at: str
