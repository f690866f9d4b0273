"""Client → server frames, one pydantic model per type, built from the same field types as
the REST schemas (graph.fields): a bad frame is refused like a bad request body, naming
the field, whatever its shape."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from graph.errors import InvalidInput
from graph.fields import Id, Seq

MAX_TOKEN = 4096  # a JWT is a few hundred characters


class ConversationData(BaseModel):
    conversation_id: Id


class TypingData(ConversationData):
    state: Literal["start", "stop"]


class DeliveredData(ConversationData):
    up_to_seq: Seq


class ReadData(ConversationData):
    up_to_seq: Seq | None = None


class AuthData(BaseModel):
    token: str | None = Field(None, min_length=1, max_length=MAX_TOKEN)


class TypingFrame(BaseModel):
    type: Literal["typing"]
    data: TypingData


class DeliveredFrame(BaseModel):
    type: Literal["delivered"]
    data: DeliveredData


class ReadFrame(BaseModel):
    type: Literal["read"]
    data: ReadData


class PongFrame(BaseModel):
    type: Literal["pong"]
    data: dict[str, Any] = {}


class AuthFrame(BaseModel):
    """The token as `{"type": "auth", "token": ...}` or inside `data`."""

    type: Literal["auth"]
    token: str | None = Field(None, min_length=1, max_length=MAX_TOKEN)
    data: AuthData | None = None

    @property
    def bearer(self) -> str | None:
        return self.token or (self.data.token if self.data else None)


ClientFrame = TypingFrame | DeliveredFrame | ReadFrame | PongFrame | AuthFrame
_FRAMES: TypeAdapter[ClientFrame] = TypeAdapter(Annotated[ClientFrame, Field(discriminator="type")])
_TYPE_ERRORS = {"union_tag_invalid", "union_tag_not_found"}


def _field(error: Any) -> str:
    """The frame field an error names: `type`, `data`, a key of `data`, or the frame."""
    if error["type"] in _TYPE_ERRORS:
        return "type"
    path = [str(part) for part in error["loc"][1:]]  # [0] is the frame type's tag
    if len(path) > 1 and path[0] == "data":
        path = path[1:]
    return ".".join(path) or "frame"


def parse_frame(raw: str | bytes) -> ClientFrame:
    """The frame as its model; `InvalidInput` naming the first bad field otherwise
    (malformed JSON, nesting too deep, bytes that are not UTF-8: the frame itself)."""
    try:
        return _FRAMES.validate_json(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        field = _field(first)
        if field == "type":
            detail = "frames need a 'type' of typing, delivered, read, pong or auth"
        elif field == "frame":
            detail = "frames must be JSON objects"
        else:
            detail = f"invalid {field}: {first['msg']}"
        raise InvalidInput(detail, field=field) from None
