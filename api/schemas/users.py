"""Schemas for user accounts."""

from pydantic import BaseModel, Field, HttpUrl, field_validator

USERNAME_PATTERN = r"^[A-Za-z0-9_.]{3,30}$"
ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class CreateUserBody(BaseModel):
    """A new account, created by the BeatPass service."""

    id: str | None = Field(None, pattern=ID_PATTERN, description="optional id; generated if absent")
    username: str = Field(
        ..., pattern=USERNAME_PATTERN, description="3-30 of a-z 0-9 _ . (any case)"
    )
    display_name: str = Field(..., min_length=1, max_length=64)
    avatar_url: HttpUrl | None = Field(None, description="http(s) URL of the avatar image")
    email: str | None = Field(
        None, pattern=EMAIL_PATTERN, max_length=254, description="where email notifications go"
    )

    @field_validator("display_name")
    @classmethod
    def display_name_not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("display_name must not be blank")
        return value


class UserSummary(BaseModel):
    """How a user is shown in lists."""

    id: str
    username: str
    display_name: str
    avatar_url: str | None = None


class CreatedUser(UserSummary):
    """A user just created."""

    created_at: str
