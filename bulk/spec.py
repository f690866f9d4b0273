"""The export's files and columns (docs/operations.md, "Importing from BeatPass").

Each source file is a CSV with a header line, the shape a relational export has: one
row per user, producer, beat, follow, like, conversation, participant and message.
Columns not listed here are ignored (and named in the summary); a listed required column
missing from the header is an error.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceFile:
    """One export file: its name in the folder, required and optional columns."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


USERS = SourceFile(
    "users.csv", ("id", "username", "display_name", "created_at"), ("avatar_url", "email")
)
PRODUCERS = SourceFile("producers.csv", ("id", "slug", "name", "created_at"), ("user_id",))
BEATS = SourceFile("beats.csv", ("id", "producer_id", "title", "created_at"))
FOLLOWS = SourceFile("follows.csv", ("follower_id", "followee_id", "since"))
LIKES = SourceFile("likes.csv", ("user_id", "producer_id", "since"))
CONVERSATIONS = SourceFile("conversations.csv", ("id", "kind", "created_at"), ("title",))
PARTICIPANTS = SourceFile(
    "participants.csv",
    ("conversation_id", "user_id", "joined_at"),
    ("read_seq", "delivered_seq", "marked_unread", "hidden"),
)
MESSAGES = SourceFile(
    "messages.csv", ("id", "conversation_id", "sender_id", "body", "created_at"), ("client_id",)
)

# In the order they are read: a row may only refer to rows of earlier files (messages,
# which need the participants, come before the participants' markers are settled).
SOURCES = (USERS, PRODUCERS, BEATS, FOLLOWS, LIKES, CONVERSATIONS, PARTICIPANTS, MESSAGES)

# Staging files: what neo4j-admin reads (its header syntax), and the online loader too.
NODE_FILES = {
    "User": (
        "id:ID(User)",
        "username",
        "username_key",
        "display_name",
        "display_name_key",
        "avatar_url",
        "email",
        "created_at:datetime",
        "unread_conversations:long",
        "unread_messages:long",
    ),
    "Producer": ("id:ID(Producer)", "slug", "name", "created_at:datetime"),
    "Beat": ("id:ID(Beat)", "title", "created_at:datetime"),
    "Conversation": (
        "id:ID(Conversation)",
        "kind",
        "title",
        "pair_key",
        "created_at:datetime",
        "last_seq:long",
        "last_message_at:datetime",
    ),
    "Message": (
        "id:ID(Message)",
        "conversation_id",
        "seq:long",
        "sender_id",
        "client_id",
        "body",
        "created_at:datetime",
    ),
}
RELATIONSHIP_FILES = {
    "CLAIMED_BY": (":START_ID(Producer)", ":END_ID(User)"),
    "UPLOADED": (":START_ID(Producer)", ":END_ID(Beat)"),
    "FOLLOWS": (
        ":START_ID(User)",
        ":END_ID(User)",
        "key",
        "since:datetime",
        "follower_id",
        "followee_id",
    ),
    "LIKES": (
        ":START_ID(User)",
        ":END_ID(Producer)",
        "key",
        "since:datetime",
        "user_id",
        "producer_id",
    ),
    "PARTICIPATES": (
        ":START_ID(User)",
        ":END_ID(Conversation)",
        "user_id",
        "joined_at:datetime",
        "read_seq:long",
        "delivered_seq:long",
        "marked_unread:boolean",
        "hidden:boolean",
        "listed_at:datetime",
    ),
    "SENT": (":START_ID(User)", ":END_ID(Message)"),
    "IN": (":START_ID(Message)", ":END_ID(Conversation)"),
}


def staging_name(kind: str) -> str:
    """The staging file of a label or relationship type."""
    return f"{kind.lower()}.csv"
