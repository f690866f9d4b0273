"""Schemas for development sign-in."""

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph.fields import Id


class DevTokenBody(BaseModel):
    """Who to mint a token for: a user id or a username (exactly one of them)."""

    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": ["user_id"], "properties": {"user_id": {"type": "string"}}},
                {"required": ["username"], "properties": {"username": {"type": "string"}}},
            ]
        }
    )

    user_id: Id | None = None
    username: str | None = Field(None, min_length=1, max_length=30)

    @model_validator(mode="after")
    def one_of_id_or_username(self) -> "DevTokenBody":
        if (self.user_id is None) == (self.username is None):
            raise ValueError("give exactly one of user_id or username")
        return self


class DevToken(BaseModel):
    """A user token for local development."""

    token: str
    user_id: str
    expires_in: int
